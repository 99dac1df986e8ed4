// Scheduler failover over the Mesos API against the operator process (semantics.md §4 failover,
// scenarios S-26, S-28, S-30): a closed stream rescinds the framework's offers and marks its
// Framework Disconnected; re-subscribing with its ID within failover_timeout resumes it with the
// same running task; after the timeout it is torn down (task killed, Completed) and a SUBSCRIBE
// with its ID gets ERROR "Framework has been removed". The timeout is counted from the persisted
// Connected condition, so an operator restart does not tear a waiting framework down.
import { describe, expect, it } from "vitest";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({ name: "failover", agents: { a: { cpu: "4", memory: "8Gi", disk: "100Gi" } } });
const { c, ns } = bed;
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");

const base = () => bed.base;

async function subscribe(name: string, failoverTimeout: number, id?: string): Promise<EventStreamClient> {
  const s = await EventStreamClient.open(base(), {
    type: "SUBSCRIBE",
    subscribe: {
      framework_info: {
        user: "nobody",
        name,
        roles: ["*"],
        failover_timeout: failoverTimeout,
        capabilities: [{ type: "MULTI_ROLE" }],
        ...(id === undefined ? {} : { id: { value: id } }),
      },
    },
    ...(id === undefined ? {} : { framework_id: { value: id } }),
  });
  return bed.closeLater(s);
}

async function call(body: object, streamId: string): Promise<number> {
  const res = await fetch(`${base()}/api/v1/scheduler`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Mesos-Stream-Id": streamId },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

const frameworkOf = async (id: string): Promise<Framework | undefined> =>
  ((await frameworks.list(ns)).items as Framework[]).find((f) => f.status?.frameworkId === id);

async function launchOne(s: EventStreamClient, frameworkId: string, taskId: string): Promise<void> {
  const offers = await s.waitFor("OFFERS", { timeoutMs: 20_000 });
  const offer = (offers.offers as { offers: { id: unknown; agent_id: unknown }[] }).offers[0];
  const status = await call(
    {
      type: "ACCEPT",
      framework_id: { value: frameworkId },
      accept: {
        offer_ids: [offer?.id],
        operations: [
          {
            type: "LAUNCH",
            launch: {
              task_infos: [
                {
                  name: taskId,
                  task_id: { value: taskId },
                  agent_id: offer?.agent_id,
                  resources: [
                    { name: "cpus", type: "SCALAR", scalar: { value: 0.1 } },
                    { name: "mem", type: "SCALAR", scalar: { value: 32 } },
                  ],
                  command: { value: "sleep 3600" },
                },
              ],
            },
          },
        ],
      },
    },
    s.streamId ?? "",
  );
  expect(status).toBe(202);
  await acknowledgeUntil(s, frameworkId, "TASK_RUNNING");
}

/** Acknowledges each reliable update as it comes (the next is sent only then) until `state`. */
async function acknowledgeUntil(s: EventStreamClient, frameworkId: string, state: string): Promise<void> {
  const acked = new Set<string>();
  await waitFor(
    `${state} acknowledged`,
    async () => {
      for (const e of s.events) {
        if (e.type !== "UPDATE") continue;
        const st = (
          e.update as { status: { state: string; uuid?: string; agent_id: unknown; task_id: unknown } }
        ).status;
        if (st.uuid === undefined || acked.has(st.uuid)) continue;
        acked.add(st.uuid);
        const ack = { agent_id: st.agent_id, task_id: st.task_id, uuid: st.uuid };
        expect(
          await call(
            { type: "ACKNOWLEDGE", framework_id: { value: frameworkId }, acknowledge: ack },
            s.streamId ?? "",
          ),
        ).toBe(202);
        if (st.state === state) return true;
      }
      return false;
    },
    { timeoutMs: 30_000, intervalMs: 100, describe: async () => JSON.stringify(s.events) },
  );
}

const taskState = async (taskId: string): Promise<string | undefined> =>
  ((await tasks.list(ns)).items as Task[]).find((t) => (t.spec.taskId ?? t.metadata.name) === taskId)?.status
    ?.state;

describe("scheduler failover over the Mesos API", () => {
  it("S-30: disconnect → Disconnected; re-subscribe within failover_timeout resumes with the running task", async () => {
    const a = await subscribe("failover-a", 8);
    const id = (
      (await a.waitFor("SUBSCRIBED", { timeoutMs: 10_000 })).subscribed as { framework_id: { value: string } }
    ).framework_id.value;
    await launchOne(a, id, "keep-me");
    a.close();
    const disconnected = await waitFor("Framework Disconnected", async () => {
      const fw = await frameworkOf(id);
      return fw?.status?.phase === "Disconnected" ? fw : undefined;
    });
    expect(disconnected.status?.connected).toBe(false);
    const b = await subscribe("failover-a", 8, id);
    const resubscribed = await b.waitFor("SUBSCRIBED", { timeoutMs: 10_000 });
    expect((resubscribed.subscribed as { framework_id: { value: string } }).framework_id.value).toBe(id);
    expect(b.streamId).not.toBe(a.streamId);
    await waitFor("Framework Active again", async () => (await frameworkOf(id))?.status?.phase === "Active");
    expect(await taskState("keep-me")).toBe("TASK_RUNNING");
    // Explicit reconciliation answers TASK_RUNNING for it.
    expect(
      await call(
        {
          type: "RECONCILE",
          framework_id: { value: id },
          reconcile: { tasks: [{ task_id: { value: "keep-me" } }] },
        },
        b.streamId ?? "",
      ),
    ).toBe(202);
    const answer = await b.waitFor(
      (e) =>
        e.type === "UPDATE" &&
        (e.update as { status: { task_id: { value: string }; reason?: string } }).status.reason ===
          "REASON_RECONCILIATION",
      { timeoutMs: 10_000 },
    );
    expect((answer.update as { status: { state: string } }).status.state).toBe("TASK_RUNNING");
    expect((await frameworkOf(id))?.status?.reregisteredTime).toBeDefined();

    // An operator restart while the scheduler is away does not tear the framework down ...
    b.close();
    await waitFor(
      "Framework Disconnected",
      async () => (await frameworkOf(id))?.status?.phase === "Disconnected",
    );
    await bed.restartOperator({ crash: true });
    // ... and the timer that was running keeps counting from when the stream closed: after it,
    // the framework is torn down, its task killed.
    const completed = await waitFor(
      "Framework Completed after its failover timeout",
      async () => {
        const fw = await frameworkOf(id);
        return fw?.status?.phase === "Completed" ? fw : undefined;
      },
      { timeoutMs: 40_000, describe: async () => JSON.stringify((await frameworkOf(id))?.status) },
    );
    expect(completed.status?.unregisteredTime).toBeDefined();
    await waitFor("its task killed", async () => (await taskState("keep-me")) === "TASK_KILLED", {
      timeoutMs: 20_000,
    });
    // S-28: the removed framework cannot come back.
    const again = await subscribe("failover-a", 8, id);
    const error = await again.waitFor("ERROR", { timeoutMs: 10_000 });
    expect((error.error as { message: string }).message).toBe("Framework has been removed");
  });

  it("failover_timeout 0 (the default): a closed stream tears the framework down at once", async () => {
    const a = await subscribe("failover-zero", 0);
    const id = (
      (await a.waitFor("SUBSCRIBED", { timeoutMs: 10_000 })).subscribed as { framework_id: { value: string } }
    ).framework_id.value;
    await launchOne(a, id, "goes-with-it");
    a.close();
    await waitFor("Framework Completed", async () => (await frameworkOf(id))?.status?.phase === "Completed", {
      timeoutMs: 20_000,
    });
    await waitFor("its task killed", async () => (await taskState("goes-with-it")) === "TASK_KILLED", {
      timeoutMs: 20_000,
    });
  });
});
