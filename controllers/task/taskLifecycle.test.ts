// The task reconciler's pure pieces together: a task's whole life as the wiring will drive it, and
// properties of observing pods (idempotent, terminal states final) over arbitrary observations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { taskUsage } from "../allocation/clusterToAllocator.ts";
import { Allocator } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { isTerminalTaskState, type Task, type TaskStatus } from "../api/index.ts";
import { planLaunch, taskIdInUse } from "./launchPlan.ts";
import { podAction } from "./podActions.ts";
import { podForTask } from "./podForTask.ts";
import { containerNameFor } from "./podIdentity.ts";
import { recordLaunch, recordTaskUpdate } from "./statusUpdates.ts";
import { type ObservedPodLike, observeTask, type TaskNodeState } from "./taskStateFromPod.ts";
import { taskObject } from "./testObjects.ts";
import { taskAcceptOutcome } from "./validateTask.ts";

let uuids = 0;
const ctx = (ms: number) => ({
  now: new Date(ms),
  newUuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`,
});

describe("a task's life through the pure pieces", () => {
  it("apply → placed → STAGING → pod created and bound → STARTING → RUNNING → FINISHED; each step twice writes once", () => {
    const a = new Allocator({ minAllocatableResources: null, offerIdPrefix: "m" });
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw-1", roles: ["*"] });
    a.allocate(0);
    let task: Task = taskObject("web-0");
    const withStatus = (s: TaskStatus | undefined) => {
      if (s !== undefined) task = { ...task, status: s };
      return s;
    };

    const plan = planLaunch({
      task,
      frameworkTasks: [task],
      frameworkId: "fw-1",
      frameworkRoles: ["*"],
      offers: a.offersOf("fw-1"),
      offerById: (id) => a.offer(id),
      locationOf: () => undefined,
    });
    if (plan.kind !== "accept") throw new Error(plan.kind);
    const outcome = taskAcceptOutcome(a.accept(plan.call, 0, taskIdInUse([task], plan.members)), "web-0");
    if (outcome.kind !== "launched") throw new Error("not launched");
    const launch = {
      agentId: outcome.agentId,
      nodeName: plan.nodeName,
      podName: plan.podName,
      offerIds: plan.offerIds,
      role: outcome.role,
    };
    withStatus(recordLaunch(task.status, launch, ctx(1)));
    expect(recordLaunch(task.status, launch, ctx(2))).toBeUndefined();
    expect(task.status?.state).toBe("TASK_STAGING");

    // The usage the caches report is the one the ACCEPT recorded.
    const usage = taskUsage(task, "fw-1", undefined)!;
    expect(usage.key).toBe(outcome.usageKey);
    expect(a.setPodUsage(usage.key, usage.usage)).toEqual([]);

    expect(podAction(task, undefined, [task])).toEqual({ kind: "create" });
    const manifest = podForTask(
      {
        tasks: [task],
        frameworkId: "fw-1",
        placement: { ...launch, podName: launch.podName },
        heldResources: new Map([["web-0", outcome.resources]]),
      },
      { defaultImage: "busybox" },
    );
    let pod: ObservedPodLike & { metadata: { ownerReferences?: { uid: string }[] } } = {
      metadata: { name: manifest.metadata!.name!, ownerReferences: manifest.metadata!.ownerReferences! },
      spec: {},
      status: { phase: "Pending" },
    };
    expect(podAction(task, pod, [task])).toEqual({ kind: "bind", nodeName: "n1" });
    pod = { ...pod, spec: { nodeName: "n1" } };
    expect(podAction(task, pod, [task])).toEqual({ kind: "none" });

    const container = containerNameFor(task);
    const observe = (p: ObservedPodLike | undefined, node: TaskNodeState | undefined, ms: number) => {
      const input = {
        task,
        pod: p,
        containerName: container,
        node,
        partitionAware: false,
        taskKillingState: false,
        frameworkRemoved: false,
      };
      const obs = observeTask(input);
      return obs === undefined ? undefined : recordTaskUpdate(task.status, obs, ctx(ms));
    };
    const step = (p: ObservedPodLike, ms: number) => {
      expect(withStatus(observe(p, "ready", ms))).toBeDefined();
      expect(observe(p, "ready", ms + 1)).toBeUndefined();
    };
    step(pod, 10);
    expect(task.status?.state).toBe("TASK_STARTING");
    pod = {
      ...pod,
      status: {
        phase: "Running",
        containerStatuses: [{ name: container, ready: true, state: { running: {} } }],
      },
    };
    step(pod, 20);
    expect(task.status?.state).toBe("TASK_RUNNING");
    pod = {
      ...pod,
      status: {
        phase: "Succeeded",
        containerStatuses: [{ name: container, ready: false, state: { terminated: { exitCode: 0 } } }],
      },
    };
    step(pod, 30);
    expect(task.status?.state).toBe("TASK_FINISHED");
    expect(task.status?.updates?.map((u) => u.state)).toEqual([
      "TASK_STAGING",
      "TASK_STARTING",
      "TASK_RUNNING",
      "TASK_FINISHED",
    ]);
    // A finished task's pod holds nothing; its resources go back.
    expect(taskUsage(task, "fw-1", pod)?.usage).toBeUndefined();
    expect(podAction(task, pod, [task])).toEqual({ kind: "none" });
  });
});

const containerStateArb = fc.oneof(
  fc.constant(undefined),
  { weight: 3, arbitrary: fc.record({ running: fc.constant({}) }) },
  fc.record({
    waiting: fc.record({
      reason: fc.constantFrom("ContainerCreating", "ErrImagePull", "CreateContainerError"),
    }),
  }),
  fc.record({
    terminated: fc.record({
      exitCode: fc.constantFrom(0, 1, 137),
      reason: fc.constantFrom("Completed", "Error", "OOMKilled"),
    }),
  }),
);
const podArb: fc.Arbitrary<ObservedPodLike | undefined> = fc.option(
  fc.record({
    spec: fc.oneof(fc.constant({}), fc.constant({ nodeName: "n1" })),
    status: fc.record({
      phase: fc.oneof(
        { weight: 3, arbitrary: fc.constant("Running") },
        fc.constantFrom("Pending", "Succeeded", "Failed", "Unknown"),
      ),
      reason: fc.option(fc.constantFrom("Evicted", "DeadlineExceeded", "OutOfcpu"), { nil: undefined }),
      containerStatuses: fc
        .tuple(containerStateArb, fc.boolean())
        .map(([state, ready]) => (state === undefined ? [] : [{ name: "t", ready, state }])),
    }),
  }),
  { nil: undefined },
);
interface PodObservation {
  pod: ObservedPodLike | undefined;
  node: TaskNodeState | undefined;
  kill: boolean;
  removed: boolean;
  healthCheck: boolean;
}
const observationArb: fc.Arbitrary<PodObservation> = fc.record({
  pod: podArb,
  node: fc.constantFrom<TaskNodeState | undefined>(undefined, "ready", "not-ready", "unreachable", "gone"),
  kill: fc.boolean(),
  removed: fc.boolean(),
  healthCheck: fc.boolean(),
});

describe("observing pods: properties", () => {
  const pa = fc.boolean();
  const killing = fc.boolean();

  /** Observe, and record; the task carries the recorded status on. */
  function apply(task: Task, o: PodObservation, partitionAware: boolean, killingState: boolean, ms: number) {
    const t: Task = {
      ...task,
      spec: {
        ...task.spec,
        ...(o.kill ? { kill: {} } : {}),
        ...(o.healthCheck
          ? {
              healthCheck: task.spec.healthCheck ?? {
                type: "TCP",
                tcp: { port: 1 },
                delaySeconds: 15,
                intervalSeconds: 10,
                timeoutSeconds: 20,
                consecutiveFailures: 3,
                gracePeriodSeconds: 10,
              },
            }
          : {}),
      },
    };
    const obs = observeTask({
      task: t,
      pod: o.pod,
      containerName: "t",
      node: o.node,
      partitionAware,
      taskKillingState: killingState,
      frameworkRemoved: o.removed,
    });
    const next = obs === undefined ? undefined : recordTaskUpdate(t.status, obs, ctx(ms));
    return { task: next === undefined ? t : { ...t, status: next }, changed: next !== undefined };
  }

  const launched = () =>
    taskObject("t", {}, { state: "TASK_STAGING", podName: "p", nodeName: "n1", agentId: "a", role: "*" });

  it("the same observation applied twice records nothing the second time", () => {
    fc.assert(
      fc.property(
        fc.array(observationArb, { maxLength: 8 }),
        observationArb,
        pa,
        killing,
        (history, o, p, k) => {
          let task = launched();
          let ms = 0;
          for (const h of history)
            task = apply(task, { ...h, kill: h.kill || o.kill, healthCheck: o.healthCheck }, p, k, ++ms).task;
          const once = apply(task, o, p, k, ++ms).task;
          expect(apply(once, o, p, k, ++ms).changed).toBe(false);
        },
      ),
    );
  });

  it("a terminal state never changes, except a partition's TASK_LOST to TASK_RUNNING", () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 12 }), pa, killing, (history, p, k) => {
        let task = launched();
        let ms = 0;
        for (const h of history) {
          const before = task.status;
          const { task: next, changed } = apply(task, h, p, k, ++ms);
          if (changed && before?.state !== undefined && isTerminalTaskState(before.state)) {
            expect([before.state, next.status?.state]).toEqual(["TASK_LOST", "TASK_RUNNING"]);
            expect(before.unreachableTime).toBeDefined();
          }
          task = next;
        }
      }),
    );
  });
});
