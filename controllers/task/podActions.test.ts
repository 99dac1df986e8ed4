import { describe, expect, it } from "vitest";
import type { Task } from "../api/index.ts";
import { killGracePeriod, type ManagedPodLike, type PodAction, podAction } from "./podActions.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";

const owned = (
  phase: string,
  bound: boolean,
  extra: Partial<NonNullable<ManagedPodLike["metadata"]>> = {},
): ManagedPodLike => ({
  metadata: { ownerReferences: [{ uid: "uid-t" }], ...extra },
  spec: bound ? { nodeName: "n1" } : {},
  status: { phase },
});

const task = (
  state: string | undefined,
  spec: Record<string, unknown> = {},
  status: Record<string, unknown> = {},
): Task => taskObject("t", spec, state === undefined ? undefined : launchedStatus("p", { state, ...status }));

describe("podAction", () => {
  it.each<[string, Task, ManagedPodLike | undefined, PodAction]>([
    ["not launched", task(undefined), undefined, { kind: "none" }],
    ["staging, no pod → create", task("TASK_STAGING"), undefined, { kind: "create" }],
    [
      "staging, unbound pod → bind to the chosen node",
      task("TASK_STAGING"),
      owned("Pending", false),
      { kind: "bind", nodeName: "n1" },
    ],
    ["bound pod → nothing", task("TASK_STARTING"), owned("Pending", true), { kind: "none" }],
    ["running → nothing", task("TASK_RUNNING"), owned("Running", true), { kind: "none" }],
    [
      "kill → delete with the kill policy's grace",
      task("TASK_RUNNING", { kill: {}, killPolicy: { gracePeriodSeconds: 7 } }),
      owned("Running", true),
      { kind: "delete", gracePeriodSeconds: 7, why: "kill" },
    ],
    [
      "kill grace overrides the policy",
      task("TASK_RUNNING", { kill: { gracePeriodSeconds: 0.5 }, killPolicy: { gracePeriodSeconds: 7 } }),
      owned("Running", true),
      { kind: "delete", gracePeriodSeconds: 1, why: "kill" },
    ],
    [
      "kill, pod already terminating → nothing",
      task("TASK_KILLING", { kill: {} }),
      owned("Running", true, { deletionTimestamp: "2026-01-01T00:00:00Z" }),
      { kind: "none" },
    ],
    ["kill, pod gone → nothing (no create)", task("TASK_STAGING", { kill: {} }), undefined, { kind: "none" }],
    [
      "kill, pod finished → nothing",
      task("TASK_RUNNING", { kill: {} }),
      owned("Succeeded", true),
      { kind: "none" },
    ],
    [
      "failed launch, pod stuck pending → delete",
      task("TASK_FAILED"),
      owned("Pending", true),
      { kind: "delete", gracePeriodSeconds: undefined, why: "finished" },
    ],
    [
      "framework removed: killed task, pod running → delete",
      task("TASK_KILLED"),
      owned("Running", true),
      { kind: "delete", gracePeriodSeconds: undefined, why: "finished" },
    ],
    [
      "finished task, finished pod kept for its logs",
      task("TASK_FINISHED"),
      owned("Succeeded", true),
      { kind: "none" },
    ],
    [
      "lost to a partition: the pod may come back, keep it",
      task("TASK_LOST", {}, { unreachableTime: "2026-01-01T00:00:00Z" }),
      owned("Running", true),
      { kind: "none" },
    ],
    [
      "lost, not to a partition → delete",
      task("TASK_LOST"),
      owned("Running", true),
      { kind: "delete", gracePeriodSeconds: undefined, why: "finished" },
    ],
    ["unreachable → nothing", task("TASK_UNREACHABLE"), owned("Running", true), { kind: "none" }],
  ])("%s", (_name, t, pod, want) => {
    expect(podAction(t, pod, [t])).toEqual(want);
  });

  it("a pod of that name owned by someone else is a conflict", () => {
    const t = task("TASK_STAGING");
    const pod: ManagedPodLike = {
      metadata: { ownerReferences: [{ uid: "someone-else" }] },
      spec: {},
      status: { phase: "Pending" },
    };
    expect(podAction(t, pod, [t])).toEqual({
      kind: "conflict",
      message: "pod p exists and is not owned by task t",
    });
  });

  it("a group pod is created when every member is launched", () => {
    const a = taskObject("t", {}, launchedStatus("g"));
    const b = taskObject("u", {}, undefined);
    expect(podAction(a, undefined, [a, b])).toEqual({ kind: "none" });
    const b2 = taskObject("u", {}, launchedStatus("g"));
    expect(podAction(a, undefined, [a, b2])).toEqual({ kind: "create" });
  });

  it("a group pod stays while a member runs, and goes when one member is killed", () => {
    const pod = owned("Running", true);
    const done = taskObject("t", {}, launchedStatus("g", { state: "TASK_FINISHED" }));
    const running = taskObject("u", {}, launchedStatus("g", { state: "TASK_RUNNING" }));
    expect(podAction(done, pod, [done, running])).toEqual({ kind: "none" });
    const killed = taskObject(
      "u",
      { kill: { gracePeriodSeconds: 3 } },
      launchedStatus("g", { state: "TASK_RUNNING" }),
    );
    expect(podAction(done, pod, [done, killed])).toEqual({
      kind: "delete",
      gracePeriodSeconds: 3,
      why: "kill",
    });
  });

  it("kill grace: request, then policy, then Kubernetes's default", () => {
    expect(killGracePeriod(taskObject("t"))).toBeUndefined();
    expect(killGracePeriod(taskObject("t", { killPolicy: { gracePeriodSeconds: 2.2 } }))).toBe(3);
  });
});
