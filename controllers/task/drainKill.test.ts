import { describe, expect, it } from "vitest";
import type { Task } from "../api/index.ts";
import { type DrainKill, drainGracePeriod, drainKillOf } from "./drainKill.ts";
import { podAction } from "./podActions.ts";
import { killingMissedBeforeEnd, type ObservedPodLike, observeTask } from "./taskStateFromPod.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";

const drain = (maxGracePeriodSeconds: number | undefined, markGone = false): DrainKill => ({
  maxGracePeriodSeconds,
  markGone,
});
const task = (state: string, spec: Record<string, unknown> = {}): Task =>
  taskObject("t", spec, launchedStatus("p", { state }));
const livePod = {
  metadata: { name: "p", ownerReferences: [{ uid: "uid-t" }] },
  spec: { nodeName: "n1" },
  status: { phase: "Running", containerStatuses: [{ name: "t", ready: true, state: { running: {} } }] },
};
const observe = (
  t: Task,
  pod: ObservedPodLike | undefined,
  d: DrainKill | undefined,
  flags: { pa?: boolean; killing?: boolean } = {},
) =>
  observeTask({
    task: t,
    pod,
    containerName: "t",
    node: "ready",
    partitionAware: flags.pa ?? false,
    taskKillingState: flags.killing ?? false,
    frameworkRemoved: false,
    drain: d,
  });

describe("drain kill grace (Slave::drain calculateKillPolicy)", () => {
  it.each<[string, Record<string, unknown>, number | undefined, number | undefined]>([
    ["no bound: the task's kill policy", { killPolicy: { gracePeriodSeconds: 30 } }, undefined, 30],
    ["no bound, no policy: Kubernetes's default", {}, undefined, undefined],
    ["no policy: the bound", {}, 10, 10],
    ["a policy above the bound: the bound", { killPolicy: { gracePeriodSeconds: 30 } }, 10, 10],
    ["a policy within the bound: the policy", { killPolicy: { gracePeriodSeconds: 4 } }, 10, 4],
    ["a zero bound kills at once", { killPolicy: { gracePeriodSeconds: 4 } }, 0, 0],
    ["the kill request's grace counts as the task's", { kill: { gracePeriodSeconds: 2 } }, 10, 2],
    ["a fractional bound is never exceeded", { killPolicy: { gracePeriodSeconds: 3 } }, 2.5, 2],
  ])("%s", (_what, spec, max, want) => {
    expect(drainGracePeriod(task("TASK_RUNNING", spec), drain(max))).toBe(want);
  });

  it("reads the node's drain config", () => {
    expect(drainKillOf(undefined)).toBeUndefined();
    expect(
      drainKillOf({
        state: "DRAINING",
        config: { mark_gone: true, max_grace_period: { nanoseconds: 5e9 } },
        started: "2026-11-25T12:00:00Z",
      }),
    ).toEqual({ maxGracePeriodSeconds: 5, markGone: true });
  });
});

describe("a task on a draining agent", () => {
  it("has its live pod deleted with the bounded grace; a pod not made yet is not made", () => {
    const t = task("TASK_RUNNING", { killPolicy: { gracePeriodSeconds: 60 } });
    expect(podAction(t, livePod, [t], drain(5))).toEqual({
      kind: "delete",
      gracePeriodSeconds: 5,
      why: "kill",
    });
    expect(podAction(t, livePod, [t], undefined)).toEqual({ kind: "none" });
    const staging = task("TASK_STAGING");
    expect(podAction(staging, undefined, [staging], drain(5))).toEqual({ kind: "none" });
    const terminating = {
      ...livePod,
      metadata: { ...livePod.metadata, deletionTimestamp: "2026-11-25T12:00:00Z" },
    };
    expect(podAction(t, terminating, [t], drain(5))).toEqual({ kind: "none" });
  });

  it("a kill already requested keeps its own grace when within the bound", () => {
    const t = task("TASK_RUNNING", { kill: { gracePeriodSeconds: 1 } });
    expect(podAction(t, livePod, [t], drain(5))).toEqual({
      kind: "delete",
      gracePeriodSeconds: 1,
      why: "kill",
    });
  });

  it("is TASK_KILLING then TASK_KILLED with REASON_AGENT_DRAINING", () => {
    const t = task("TASK_RUNNING");
    expect(observe(t, livePod, drain(5), { killing: true })).toEqual({
      state: "TASK_KILLING",
      source: "SOURCE_AGENT",
      reason: "REASON_AGENT_DRAINING",
      message: "Killing the task",
    });
    // Without TASK_KILLING_STATE nothing until the pod is gone.
    expect(observe(t, livePod, drain(5))).toBeUndefined();
    expect(observe(t, undefined, drain(5))).toMatchObject({
      state: "TASK_KILLED",
      reason: "REASON_AGENT_DRAINING",
      source: "SOURCE_AGENT",
    });
    // Killed before its pod existed: the agent's update too (a reliable one, unlike the master's).
    expect(observe(task("TASK_STAGING"), undefined, drain(5))).toMatchObject({
      state: "TASK_KILLED",
      reason: "REASON_AGENT_DRAINING",
      source: "SOURCE_AGENT",
    });
  });

  it("with mark_gone: TASK_GONE_BY_OPERATOR for a partition-aware framework (no KILLING), TASK_KILLED otherwise", () => {
    const t = task("TASK_RUNNING");
    expect(observe(t, livePod, drain(5, true), { pa: true, killing: true })).toBeUndefined();
    expect(observe(t, undefined, drain(5, true), { pa: true })).toMatchObject({
      state: "TASK_GONE_BY_OPERATOR",
      reason: "REASON_AGENT_DRAINING",
    });
    expect(observe(t, undefined, drain(5, true), { pa: false })).toMatchObject({
      state: "TASK_KILLED",
      reason: "REASON_AGENT_DRAINING",
    });
  });

  it("a pod that ended by itself meanwhile reports how it ended; without a drain nothing changes", () => {
    const t = task("TASK_RUNNING");
    const finished = {
      ...livePod,
      status: {
        phase: "Succeeded",
        containerStatuses: [{ name: "t", state: { terminated: { exitCode: 0 } } }],
      },
    };
    expect(observe(t, finished, drain(5))).toMatchObject({ state: "TASK_FINISHED" });
    expect(observe(t, livePod, undefined)).toMatchObject({ state: "TASK_RUNNING" });
  });
});

describe("TASK_KILLING missed before TASK_KILLED", () => {
  const input = (t: Task, d: DrainKill | undefined, flags: { pa?: boolean; killing?: boolean }) => ({
    task: t,
    pod: undefined,
    containerName: "t",
    node: "ready" as const,
    partitionAware: flags.pa ?? false,
    taskKillingState: flags.killing ?? false,
    frameworkRemoved: false,
    drain: d,
  });
  it("is recorded first for a TASK_KILLING_STATE framework whose started task's pod went at once", () => {
    const t = task("TASK_RUNNING");
    const end = observe(t, undefined, drain(5), { killing: true })!;
    expect(killingMissedBeforeEnd(input(t, drain(5), { killing: true }), end)).toEqual({
      state: "TASK_KILLING",
      source: "SOURCE_AGENT",
      reason: "REASON_AGENT_DRAINING",
      message: "Killing the task",
    });
    const plainKill = task("TASK_STARTING", { kill: {} });
    const plainEnd = observe(plainKill, undefined, undefined, { killing: true })!;
    expect(killingMissedBeforeEnd(input(plainKill, undefined, { killing: true }), plainEnd)).toEqual({
      state: "TASK_KILLING",
      source: "SOURCE_EXECUTOR",
      message: "Killing the task",
    });
  });

  it("not without the capability, once KILLING was sent, before the pod started, or for TASK_GONE_BY_OPERATOR", () => {
    const t = task("TASK_RUNNING");
    expect(killingMissedBeforeEnd(input(t, drain(5), {}), observe(t, undefined, drain(5))!)).toBeUndefined();
    const killing = task("TASK_KILLING");
    expect(
      killingMissedBeforeEnd(
        input(killing, drain(5), { killing: true }),
        observe(killing, undefined, drain(5))!,
      ),
    ).toBeUndefined();
    const staging = task("TASK_STAGING");
    expect(
      killingMissedBeforeEnd(
        input(staging, drain(5), { killing: true }),
        observe(staging, undefined, drain(5))!,
      ),
    ).toBeUndefined();
    const gone = observe(t, undefined, drain(5, true), { pa: true, killing: true })!;
    expect(gone.state).toBe("TASK_GONE_BY_OPERATOR");
    expect(
      killingMissedBeforeEnd(input(t, drain(5, true), { pa: true, killing: true }), gone),
    ).toBeUndefined();
  });
});
