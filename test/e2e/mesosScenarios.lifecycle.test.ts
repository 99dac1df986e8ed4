// Scenarios §6.2 (subscription lifecycle) and §6.5 (task lifecycle, kill, reconciliation) against
// the operator process's Mesos API on the cluster-backed state, plus REVIVE clearing decline
// filters, KILL of a running task and explicit RECONCILE. S-28 and S-30 (failover
// timeout) are in mesosFailover.test.ts. S-82 (a recovered agent that has not re-registered) has
// no counterpart here: agents are Nodes read from the API server, which the operator's caches hold
// before it serves, so there is no "known from the registry, not yet re-registered" window
// (docs/mesos-compatibility.md).
import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "../../controllers/api/index.ts";
import type { StreamedEvent } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import type { MesosOffer, SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({
  name: "mesos65",
  agents: { a: { cpu: "8", memory: "8Gi" } },
  flags: ["--allocation-interval-ms", "1000"],
});
const { c, ns } = bed;
const tasks = customResources(c, "tasks");

const session = (info: Record<string, unknown> = {}): Promise<SchedulerSession> => bed.subscribe(info);

async function open(info: Record<string, unknown>, frameworkId?: string): Promise<EventStreamClient> {
  return bed.closeLater(
    await EventStreamClient.open(bed.base, {
      type: "SUBSCRIBE",
      subscribe: { framework_info: { user: "u", name: "default", roles: ["*"], ...info } },
      ...(frameworkId === undefined ? {} : { framework_id: { value: frameworkId } }),
    }),
  );
}

type Status = {
  task_id: { value: string };
  agent_id?: { value: string };
  state: string;
  reason?: string;
  source?: string;
  uuid?: string;
  message?: string;
  unreachable_time?: unknown;
};
const statusOf = (e: StreamedEvent): Status => (e.update as { status: Status }).status;
const isUpdate = (taskId: string, state?: string) => (e: StreamedEvent) =>
  e.type === "UPDATE" &&
  statusOf(e).task_id.value === taskId &&
  (state === undefined || statusOf(e).state === state);

/** ACKNOWLEDGE an update that carries a uuid. */
async function ack(s: SchedulerSession, status: Status): Promise<void> {
  if (status.uuid === undefined) return;
  const res = await s.call({
    type: "ACKNOWLEDGE",
    acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
  });
  expect(res.status).toBe(202);
}

const usedOffers = new Set<string>();

/** An offer this test file has not used yet and that was not rescinded. */
async function freshOffer(s: SchedulerSession): Promise<MesosOffer> {
  const rescinded = () =>
    new Set(
      s.stream.events
        .filter((e) => e.type === "RESCIND")
        .map((e) => (e.rescind as { offer_id: { value: string } }).offer_id.value),
    );
  const usable = (o: MesosOffer) => !usedOffers.has(o.id.value) && !rescinded().has(o.id.value);
  const e = await s.stream.waitFor(
    (ev) => ev.type === "OFFERS" && (ev.offers as { offers: MesosOffer[] }).offers.some(usable),
    { timeoutMs: 30_000 },
  );
  const offer = (e.offers as { offers: MesosOffer[] }).offers.find(usable) as MesosOffer;
  usedOffers.add(offer.id.value);
  return offer;
}

/**
 * Launch one `sleep` task on a fresh offer and acknowledge each of its updates (TASK_STARTING,
 * then TASK_RUNNING) as it comes: the master sends a task's next update only after the previous
 * one is acknowledged, as a real scheduler does.
 */
async function runningTask(s: SchedulerSession, taskId: string): Promise<Status> {
  const offer = await freshOffer(s);
  expect(await s.launch([offer], [{ id: taskId, cpus: 0.1, mem: 32 }])).toBe(202);
  const acked = new Set<string>();
  return waitFor(
    `${taskId} TASK_RUNNING, every update acknowledged`,
    async () => {
      for (const e of s.stream.events.filter(isUpdate(taskId))) {
        const st = statusOf(e);
        if (st.uuid === undefined || acked.has(st.uuid)) continue;
        acked.add(st.uuid);
        await ack(s, st);
        if (st.state === "TASK_RUNNING") return st;
      }
      return undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/**
 * Updates are delivered in order on one stream: an explicit RECONCILE of an unknown task is
 * answered after everything the master sent before, so waiting for that answer marks the point up
 * to which earlier replies must have arrived — no sleeping to prove an absence.
 */
async function marker(s: SchedulerSession, name: string): Promise<number> {
  expect(
    (await s.call({ type: "RECONCILE", reconcile: { tasks: [{ task_id: { value: name } }] } })).status,
  ).toBe(202);
  await s.stream.waitFor(isUpdate(name), { timeoutMs: 20_000 });
  return s.stream.events.findIndex(isUpdate(name));
}

// A failed test's framework would keep holding the agent's offer from the next ones.
afterEach(() => bed.teardownSessions());

describe("subscription lifecycle (scenarios §6.2)", () => {
  it("S-22: a SUBSCRIBE with an invalid role is 200 with a single ERROR, then the stream ends", async () => {
    const s = await open({ roles: ["/test/test1"] });
    expect(s.status).toBe(200);
    await s.waitForEnd(20_000);
    expect(s.types()).toEqual(["ERROR"]);
  });

  it("S-24: a failover_timeout of 1e17 seconds is refused with ERROR", async () => {
    const s = await open({ failover_timeout: 1e17 });
    expect(s.status).toBe(200);
    await s.waitForEnd(20_000);
    expect(s.types()).toEqual(["ERROR"]);
  });

  it("S-26: a second SUBSCRIBE with the framework's id fails the first instance over", async () => {
    const a = await open({ name: "s26", failover_timeout: 60 });
    const id = (
      (await a.waitFor("SUBSCRIBED", { timeoutMs: 20_000 })).subscribed as { framework_id: { value: string } }
    ).framework_id.value;
    const b = await open({ name: "s26", failover_timeout: 60, id: { value: id } }, id);
    const subscribed = (await b.waitFor("SUBSCRIBED", { timeoutMs: 20_000 })).subscribed as {
      framework_id: { value: string };
    };
    expect(subscribed.framework_id.value).toBe(id);
    const error = await a.waitFor("ERROR", { timeoutMs: 20_000 });
    expect((error.error as { message: string }).message).toBe("Framework failed over");
    await a.waitForEnd(20_000);
    expect(b.streamId).toBeDefined();
    expect(b.streamId).not.toBe(a.streamId);
    const res = await fetch(`${bed.base}/api/v1/scheduler`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Mesos-Stream-Id": b.streamId ?? "" },
      body: JSON.stringify({ type: "TEARDOWN", framework_id: { value: id } }),
    });
    expect(res.status).toBe(202);
  });

  it("S-32: UPDATE_FRAMEWORK may not change user, principal or checkpoint (400, nothing changes)", async () => {
    const info = { user: "u", name: "s32", roles: ["*"], checkpoint: false };
    const s = await session(info);
    for (const change of [{ user: "other" }, { principal: "other" }, { checkpoint: true }]) {
      const res = await s.call({
        type: "UPDATE_FRAMEWORK",
        update_framework: { framework_info: { ...info, id: { value: s.frameworkId }, ...change } },
      });
      expect(res.status, JSON.stringify(change)).toBe(400);
    }
    const state = (await (
      await fetch(`${bed.base}/master/frameworks?framework_id=${s.frameworkId}`)
    ).json()) as {
      frameworks: { user: string; checkpoint: boolean; principal?: string }[];
    };
    expect(state.frameworks[0]?.user).toBe("u");
    expect(state.frameworks[0]?.checkpoint).toBe(false);
    expect(state.frameworks[0]?.principal).toBeUndefined();
    await s.teardown();
  });

  it("S-34: UPDATE_FRAMEWORK removing a role rescinds the offer allocated to it", async () => {
    // Offers to r1 are declined for an hour so that the agent is offered to r2.
    const info = { name: "s34", roles: ["r1", "r2"] };
    const s = await session({ ...info });
    const offer = (
      await s.stream.waitFor(
        (e) => {
          if (e.type !== "OFFERS") return false;
          const offers = (e.offers as { offers: MesosOffer[] }).offers;
          const r1 = offers.filter((o) => o.allocation_info?.role === "r1" && !usedOffers.has(o.id.value));
          for (const o of r1) {
            usedOffers.add(o.id.value);
            void s.decline([o.id], 3600);
          }
          return offers.some((o) => o.allocation_info?.role === "r2");
        },
        { timeoutMs: 30_000 },
      )
    ).offers as { offers: MesosOffer[] };
    const r2 = offer.offers.find((o) => o.allocation_info?.role === "r2");
    const res = await s.call({
      type: "UPDATE_FRAMEWORK",
      update_framework: {
        framework_info: {
          user: "u",
          name: "s34",
          roles: ["r1"],
          id: { value: s.frameworkId },
          capabilities: [{ type: "MULTI_ROLE" }],
        },
      },
    });
    expect(res.status).toBe(200);
    const rescind = await s.stream.waitFor(
      (e) =>
        e.type === "RESCIND" &&
        (e.rescind as { offer_id: { value: string } }).offer_id.value === r2?.id.value,
      { timeoutMs: 20_000 },
    );
    expect(rescind).toBeDefined();
    await s.teardown();
  });

  it("S-36: UPDATE_FRAMEWORK suppressing a role the framework does not have is 400", async () => {
    const info = { name: "s36", roles: ["r1"], capabilities: [{ type: "MULTI_ROLE" }] };
    const s = await session(info);
    const res = await s.call({
      type: "UPDATE_FRAMEWORK",
      update_framework: {
        framework_info: { user: "u", ...info, id: { value: s.frameworkId } },
        suppressed_roles: ["r2"],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("r2");
    await s.teardown();
  });
});

describe("offer filters", () => {
  it("REVIVE clears the filter of a DECLINE with refuse_seconds 3600: the same agent is offered again", async () => {
    const s = await session({ name: "revive" });
    const first = await freshOffer(s);
    expect(await s.decline([first.id], 3600)).toBe(202);
    const from = s.stream.events.length;
    expect((await s.call({ type: "REVIVE", revive: {} })).status).toBe(202);
    const again = await s.nextOffer(from, 30_000);
    expect(again.agent_id.value).toBe(first.agent_id.value);
    expect(again.id.value).not.toBe(first.id.value);
    await s.teardown();
  });
});

describe("task lifecycle, kill and reconciliation (scenarios §6.5)", () => {
  it("KILL of a running task: TASK_KILLED from the executor, with a uuid, and the pod goes", async () => {
    const s = await session({ name: "kill" });
    await runningTask(s, "kill-1");
    expect((await s.call({ type: "KILL", kill: { task_id: { value: "kill-1" } } })).status).toBe(202);
    const killed = statusOf(await s.stream.waitFor(isUpdate("kill-1", "TASK_KILLED"), { timeoutMs: 60_000 }));
    expect(killed.uuid).toBeDefined();
    await ack(s, killed);
    await s.teardown();
  });

  it("S-72: KILL of an unknown task (no agent_id) while another runs: TASK_LOST from the master, REASON_RECONCILIATION, no uuid", async () => {
    const s = await session({ name: "s72" });
    await runningTask(s, "s72-running");
    expect((await s.call({ type: "KILL", kill: { task_id: { value: "s72-unknown" } } })).status).toBe(202);
    const lost = statusOf(await s.stream.waitFor(isUpdate("s72-unknown"), { timeoutMs: 20_000 }));
    expect([lost.state, lost.source, lost.reason]).toEqual([
      "TASK_LOST",
      "SOURCE_MASTER",
      "REASON_RECONCILIATION",
    ]);
    expect(lost.uuid).toBeUndefined();
    await s.teardown();
  });

  it("S-74: a custom executor is refused with TASK_ERROR; SHUTDOWN of an executor is accepted and does nothing", async () => {
    const s = await session({ name: "s74" });
    const offer = await freshOffer(s);
    const res = await s.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH",
            launch: {
              task_infos: [
                {
                  name: "s74",
                  task_id: { value: "s74" },
                  agent_id: offer.agent_id,
                  resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 0.1 } }],
                  executor: { executor_id: { value: "E" }, command: { value: "./executor" }, resources: [] },
                },
              ],
            },
          },
        ],
      },
    });
    expect(res.status).toBe(202);
    const error = statusOf(await s.stream.waitFor(isUpdate("s74"), { timeoutMs: 20_000 }));
    expect(error.state).toBe("TASK_ERROR");
    expect(error.reason).toBe("REASON_TASK_INVALID");
    expect(error.message).toContain("executors are not supported");
    const shutdown = await s.call({
      type: "SHUTDOWN",
      shutdown: { executor_id: { value: "E" }, agent_id: offer.agent_id },
    });
    expect(shutdown.status).toBe(202);
    await s.teardown();
  });

  it("S-78: implicit RECONCILE answers the running task only, not the acknowledged terminal one", async () => {
    const s = await session({ name: "s78" });
    await runningTask(s, "s78-running");
    await runningTask(s, "s78-done");
    expect((await s.call({ type: "KILL", kill: { task_id: { value: "s78-done" } } })).status).toBe(202);
    const killed = statusOf(
      await s.stream.waitFor(isUpdate("s78-done", "TASK_KILLED"), { timeoutMs: 60_000 }),
    );
    await ack(s, killed);
    await waitFor("the terminal acknowledgement recorded", async () =>
      ((await tasks.list(ns)).items as Task[]).some(
        (t) =>
          t.spec.taskId === "s78-done" &&
          (t.status?.updates ?? []).every((u) => u.uuid === undefined || u.acknowledged),
      ),
    );
    const from = s.stream.events.length;
    expect((await s.call({ type: "RECONCILE", reconcile: { tasks: [] } })).status).toBe(202);
    const end = await marker(s, "s78-marker");
    const replies = s.stream.events
      .slice(from, end)
      .filter((e) => e.type === "UPDATE")
      .map(statusOf);
    expect(replies.map((r) => [r.task_id.value, r.state, r.reason])).toEqual([
      ["s78-running", "TASK_RUNNING", "REASON_RECONCILIATION"],
    ]);
    expect(replies[0]?.uuid).toBeUndefined();
    await s.teardown();
  });

  it("explicit RECONCILE answers a running task and an acknowledged terminal task with their states", async () => {
    const s = await session({ name: "explicit" });
    await runningTask(s, "ex-running");
    await runningTask(s, "ex-done");
    expect((await s.call({ type: "KILL", kill: { task_id: { value: "ex-done" } } })).status).toBe(202);
    await ack(s, statusOf(await s.stream.waitFor(isUpdate("ex-done", "TASK_KILLED"), { timeoutMs: 60_000 })));
    const from = s.stream.events.length;
    const res = await s.call({
      type: "RECONCILE",
      reconcile: { tasks: [{ task_id: { value: "ex-running" } }, { task_id: { value: "ex-done" } }] },
    });
    expect(res.status).toBe(202);
    const running = statusOf(await s.stream.waitFor(isUpdate("ex-running"), { from, timeoutMs: 20_000 }));
    const done = statusOf(await s.stream.waitFor(isUpdate("ex-done"), { from, timeoutMs: 20_000 }));
    expect([running.state, running.reason, running.source]).toEqual([
      "TASK_RUNNING",
      "REASON_RECONCILIATION",
      "SOURCE_MASTER",
    ]);
    expect([done.state, done.reason]).toEqual(["TASK_KILLED", "REASON_RECONCILIATION"]);
    expect(running.uuid).toBeUndefined();
    expect(done.uuid).toBeUndefined();
    await s.teardown();
  });

  it("S-80: a partition-aware RECONCILE of an unknown task on an unknown agent is TASK_UNKNOWN", async () => {
    const s = await session({
      name: "s80",
      capabilities: [{ type: "MULTI_ROLE" }, { type: "PARTITION_AWARE" }],
    });
    const res = await s.call({
      type: "RECONCILE",
      reconcile: { tasks: [{ task_id: { value: "s80-random" }, agent_id: { value: "s80-no-such-agent" } }] },
    });
    expect(res.status).toBe(202);
    const unknown = statusOf(await s.stream.waitFor(isUpdate("s80-random"), { timeoutMs: 20_000 }));
    expect(unknown.state).toBe("TASK_UNKNOWN");
    expect(unknown.reason).toBe("REASON_RECONCILIATION");
    expect(unknown.unreachable_time).toBeUndefined();
    expect(unknown.uuid).toBeUndefined();
    await s.teardown();
  });
});
