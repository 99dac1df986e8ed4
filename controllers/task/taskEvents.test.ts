import { describe, expect, it } from "vitest";
import { TASK_STATES, type TaskState, type TaskStatus } from "../api/index.ts";
import { recordLaunch, recordTaskUpdate } from "./statusUpdates.ts";
import { eventReasonOf, taskStatusEvents, taskUpdateEvent } from "./taskEvents.ts";
import { taskObject } from "./testObjects.ts";
import { conditionChangeEvent, refOf } from "./transitionEvent.ts";

const task = taskObject("web-0");
const ctx = { now: new Date("2026-03-01T00:00:00Z"), newUuid: () => "00000000-0000-4000-8000-000000000001" };

describe("task events", () => {
  it.each(TASK_STATES.map((s) => [s]))("%s has a CamelCase reason", (state: TaskState) => {
    expect(eventReasonOf(state)).toMatch(/^Task[A-Z][A-Za-z]*$/);
  });

  it.each<[TaskState, "Normal" | "Warning", string]>([
    ["TASK_STAGING", "Normal", "Launch"],
    ["TASK_RUNNING", "Normal", "Update"],
    ["TASK_FINISHED", "Normal", "Update"],
    ["TASK_KILLING", "Normal", "Kill"],
    ["TASK_KILLED", "Normal", "Kill"],
    ["TASK_FAILED", "Warning", "Update"],
    ["TASK_ERROR", "Warning", "Update"],
    ["TASK_LOST", "Warning", "Update"],
    ["TASK_DROPPED", "Warning", "Update"],
    ["TASK_UNREACHABLE", "Warning", "Update"],
    ["TASK_GONE", "Warning", "Update"],
  ])("%s is %s (%s)", (state, type, action) => {
    const e = taskUpdateEvent(task, { state, timestamp: "2026-03-01T00:00:00Z", acknowledged: false });
    expect([e.type, e.action]).toEqual([type, action]);
  });

  it("one event per recorded update, none for a repeat", () => {
    const staged = recordLaunch(
      undefined,
      { agentId: "a", nodeName: "n1", podName: "p", offerIds: ["o"], role: "*" },
      ctx,
    )!;
    const failed = recordTaskUpdate(
      staged,
      {
        state: "TASK_FAILED",
        source: "SOURCE_EXECUTOR",
        reason: "REASON_COMMAND_EXECUTOR_FAILED",
        message: "Command exited with status 1",
      },
      { ...ctx, now: new Date("2026-03-01T00:00:05Z") },
    )!;
    expect(taskStatusEvents(task, undefined, staged).map((e) => e.reason)).toEqual(["TaskStaging"]);
    expect(taskStatusEvents(task, staged, failed)).toEqual([
      {
        type: "Warning",
        reason: "TaskFailed",
        action: "Update",
        note: "TASK_FAILED (REASON_COMMAND_EXECUTOR_FAILED) on node n1: Command exited with status 1",
        regarding: {
          apiVersion: "mesos.operator.dev/v1alpha1",
          kind: "Task",
          namespace: "ns",
          name: "web-0",
          uid: "uid-web-0",
        },
      },
    ]);
    expect(taskStatusEvents(task, failed, failed)).toEqual([]);
  });

  it("health flips are TaskHealthy / TaskUnhealthy", () => {
    const s: TaskStatus = { state: "TASK_RUNNING" };
    const next = recordTaskUpdate(
      s,
      {
        state: "TASK_RUNNING",
        source: "SOURCE_EXECUTOR",
        healthy: false,
        reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
      },
      ctx,
    )!;
    const [e] = taskStatusEvents(task, s, next);
    expect([e!.reason, e!.type]).toEqual(["TaskUnhealthy", "Warning"]);
  });
});

describe("condition events", () => {
  const ref = refOf(task);
  const c = (status: "True" | "False", reason: string) => ({
    type: "Scheduled",
    status,
    reason,
    message: `${reason}!`,
  });
  it("fire when a condition appears or changes status or reason, not for a new message", () => {
    expect(conditionChangeEvent(ref, undefined, c("False", "NoNodes"), "Schedule")).toEqual({
      type: "Warning",
      reason: "NoNodes",
      action: "Schedule",
      note: "Scheduled=False: NoNodes!",
      regarding: ref,
    });
    const before = { ...c("False", "NoNodes"), lastTransitionTime: "2026-01-01T00:00:00Z" };
    expect(
      conditionChangeEvent(ref, before, { ...c("False", "NoNodes"), message: "other" }, "Schedule"),
    ).toBeUndefined();
    expect(conditionChangeEvent(ref, before, c("False", "QuotaLimitReached"), "Schedule")?.type).toBe(
      "Warning",
    );
    expect(conditionChangeEvent(ref, before, c("True", "Placed"), "Schedule")?.type).toBe("Normal");
  });
});
