// LAUNCH_GROUP through the Mesos scheduler API against the operator process: a task group with
// the DEFAULT executor runs as one pod with one container per task, both tasks reach
// TASK_RUNNING and then TASK_FINISHED (kwok's stage labels finish the pod), the executor's
// resources stay allocated beside the tasks' until the group ends, and an invalid group
// answers TASK_ERROR REASON_TASK_GROUP_INVALID with the master's message for every task.
import { afterEach, describe, expect, it } from "vitest";
import { sim } from "./support/fakeNodes.ts";
import { type MesosOffer, type SchedulerSession, scalars } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({ name: "group" });
const { c, ns } = bed;

const scalar = (name: string, value: number) => ({ name, type: "SCALAR", scalar: { value } });

const agent = (suffix: string): Promise<string> => bed.addAgent(suffix);

async function subscribe(): Promise<SchedulerSession> {
  return (await bed.subscribe()).acknowledgeUpdates();
}

/** A TaskInfo of the group: half a cpu and 128 MB, labels passed on to the pod. */
function member(id: string, offer: MesosOffer, labels: Record<string, string> = {}) {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [scalar("cpus", 0.5), scalar("mem", 128)],
    command: { value: "sleep 3600" },
    labels: { labels: Object.entries(labels).map(([key, value]) => ({ key, value })) },
  };
}

const defaultExecutor = {
  type: "DEFAULT",
  executor_id: { value: "default-executor" },
  resources: [scalar("cpus", 0.1), scalar("mem", 32), scalar("disk", 32)],
};

// Each test has its own agent and framework.
afterEach(async () => {
  await bed.teardownSessions();
  await bed.removeAgents();
});

describe("ACCEPT with LAUNCH_GROUP", () => {
  it("runs a task group of two as one pod with two containers; both tasks run, then finish; the executor's resources are held until then", async () => {
    const node = await agent("group");
    const fw = await subscribe();
    const offer = await fw.nextOffer();
    // kwok finishes the pod (both containers) a few seconds after it runs.
    const finish = { [sim.outcomeLabel]: "succeed", [sim.afterAnnotation]: "8s" };
    const mark = fw.stream.events.length;
    const offerOfAgent = (from: number, what: string, cpus: number) =>
      waitFor(what, async () =>
        fw
          .offersSince(from)
          .find((o) => o.agent_id.value === offer.agent_id.value && scalars(o).cpus === cpus),
      );
    const accept = await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH_GROUP",
            launch_group: {
              executor: defaultExecutor,
              task_group: { tasks: [member("web", offer, finish), member("sidecar", offer, finish)] },
            },
          },
        ],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(accept.status).toBe(202);
    // The rest of the agent (cpus:2;mem:1024;disk:1024) is offered again: not the two tasks'
    // cpus:0.5;mem:128 each, nor the executor's cpus:0.1;mem:32;disk:32.
    const rest = await offerOfAgent(mark, "the rest of the agent offered again", 0.9);
    expect(scalars(rest)).toMatchObject({ cpus: 0.9, mem: 736, disk: 992 });
    // Kept off this framework until the group ends (a subset of these resources is refused).
    expect(
      (
        await fw.call({
          type: "DECLINE",
          decline: { offer_ids: [rest.id], filters: { refuse_seconds: 3600 } },
        })
      ).status,
    ).toBe(202);
    await fw.update("web", "TASK_RUNNING");
    await fw.update("sidecar", "TASK_RUNNING");

    const pods = (await c.core.listNamespacedPod({ namespace: ns })).items;
    expect(pods).toHaveLength(1);
    expect(pods[0]?.spec?.nodeName).toBe(node);
    expect(pods[0]?.spec?.containers).toHaveLength(2);

    const finishedFrom = fw.stream.events.length;
    const web = await fw.update("web", "TASK_FINISHED");
    const sidecar = await fw.update("sidecar", "TASK_FINISHED");
    expect(web.agent_id).toEqual(offer.agent_id);
    expect(sidecar.agent_id).toEqual(offer.agent_id);
    // The group is over: its executor ends with it and the whole agent is offered again.
    const whole = await offerOfAgent(finishedFrom, "the whole agent offered after the group", 2);
    expect(scalars(whole)).toMatchObject({ cpus: 2, mem: 1024, disk: 1024 });
  }, 90_000);

  it("answers TASK_ERROR REASON_TASK_GROUP_INVALID for every task when the executor has no type", async () => {
    await agent("invalid");
    const fw = await subscribe();
    const offer = await fw.nextOffer();
    const { type: _type, ...untyped } = defaultExecutor;
    const accept = await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH_GROUP",
            launch_group: {
              executor: untyped,
              task_group: { tasks: [member("a", offer), member("b", offer)] },
            },
          },
        ],
      },
    });
    expect(accept.status).toBe(202);
    for (const id of ["a", "b"]) {
      const status = await fw.update(id, "TASK_ERROR");
      expect(status).toMatchObject({
        source: "SOURCE_MASTER",
        reason: "REASON_TASK_GROUP_INVALID",
        message: "'ExecutorInfo.type' must be set",
      });
    }
    // No pod for them (the finished pod of the test before stays until its framework goes).
    const taskIdsOfPods = (await c.core.listNamespacedPod({ namespace: ns })).items.flatMap((p) =>
      Object.values(JSON.parse(p.metadata?.annotations?.["mesos.operator.dev/task-ids"] ?? "{}") as object),
    );
    expect(taskIdsOfPods).not.toContain("a");
    expect(taskIdsOfPods).not.toContain("b");
  });

  it("refuses a group whose tasks and executor do not fit in the offer, with Mesos's message", async () => {
    await agent("big");
    const fw = await subscribe();
    const offer = await fw.nextOffer();
    const huge = { ...member("huge", offer), resources: [scalar("cpus", 2), scalar("mem", 128)] };
    await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH_GROUP",
            launch_group: { executor: defaultExecutor, task_group: { tasks: [huge] } },
          },
        ],
      },
    });
    const status = await fw.update("huge", "TASK_ERROR");
    expect(status.reason).toBe("REASON_TASK_GROUP_INVALID");
    expect(status.message).toMatch(
      /^Total resources .* required by task group and its executor are more than available /,
    );
  });
});
