import { describe, expect, it } from "vitest";
import type { Task } from "../api/index.ts";
import { recordTaskUpdate } from "./statusUpdates.ts";
import { type ObservedPodLike, runningMissedBeforeEnd, type TaskObservation } from "./taskStateFromPod.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";

const finishedPod = (startedAt?: string): ObservedPodLike => ({
  metadata: { name: "t-pod" },
  spec: { nodeName: "n1" },
  status: {
    phase: "Succeeded",
    containerStatuses: [
      {
        name: "t",
        state: { terminated: { exitCode: 0, reason: "Completed", ...(startedAt ? { startedAt } : {}) } },
      },
    ],
  },
});
const finished: TaskObservation = {
  state: "TASK_FINISHED",
  source: "SOURCE_EXECUTOR",
  message: "Command exited with status 0",
};

function taskIn(state: string): Task {
  return taskObject("t", {}, launchedStatus("t-pod", { state }));
}

describe("runningMissedBeforeEnd", () => {
  it("records RUNNING first when a started pod ended while the task was STARTING", () => {
    expect(
      runningMissedBeforeEnd(taskIn("TASK_STARTING"), finishedPod("2026-11-25T04:00:00Z"), finished),
    ).toEqual({
      state: "TASK_RUNNING",
      source: "SOURCE_EXECUTOR",
    });
    expect(
      runningMissedBeforeEnd(taskIn("TASK_STAGING"), finishedPod("2026-11-25T04:00:00Z"), finished)?.state,
    ).toBe("TASK_RUNNING");
  });

  it("adds nothing when RUNNING was already seen, when no container started, or for master updates", () => {
    expect(
      runningMissedBeforeEnd(taskIn("TASK_RUNNING"), finishedPod("2026-11-25T04:00:00Z"), finished),
    ).toBeUndefined();
    expect(runningMissedBeforeEnd(taskIn("TASK_STARTING"), finishedPod(), finished)).toBeUndefined();
    const lost: TaskObservation = {
      state: "TASK_LOST",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REMOVED",
    };
    expect(
      runningMissedBeforeEnd(taskIn("TASK_STARTING"), finishedPod("2026-11-25T04:00:00Z"), lost),
    ).toBeUndefined();
  });

  it("gives STARTING → RUNNING → FINISHED when both are recorded in turn", () => {
    const task = taskIn("TASK_STARTING");
    let n = 0;
    const ctx = { now: new Date(0), newUuid: () => `00000000-0000-4000-8000-00000000000${++n}` };
    const missed = runningMissedBeforeEnd(task, finishedPod("2026-11-25T04:00:00Z"), finished);
    const afterRunning = missed ? recordTaskUpdate(task.status, missed, ctx) : undefined;
    const afterEnd = recordTaskUpdate(afterRunning, finished, ctx);
    expect(afterEnd?.updates?.map((u) => u.state).slice(-2)).toEqual(["TASK_RUNNING", "TASK_FINISHED"]);
  });
});
