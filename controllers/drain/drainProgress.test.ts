import { describe, expect, it } from "vitest";
import type { NodeDrain } from "../allocator/index.ts";
import { type Framework, SCHEDULER_API_LABEL, type Task } from "../api/index.ts";
import { frameworkObject, launchedStatus, taskObject } from "../task/testObjects.ts";
import { drainStep, holdsAgent } from "./drainProgress.ts";

const draining = (markGone = false): NodeDrain => ({
  state: "DRAINING",
  config: { mark_gone: markGone },
  started: "2026-11-25T12:00:00Z",
});
const update = (state: string, acknowledged: boolean) => ({
  state,
  source: "SOURCE_EXECUTOR",
  timestamp: "2026-11-25T12:00:00Z",
  uuid: "0b9f3f9e-58e7-4a4b-8a57-3c1fdc3a5a11",
  acknowledged,
});
const task = (state: string, updates: object[] = []): Task =>
  taskObject("t", {}, launchedStatus("p", { state, updates }));
const schedulerApi = frameworkObject("fw", {}, undefined, { labels: { [SCHEDULER_API_LABEL]: "true" } });
const kubectl = frameworkObject("fw");

describe("drain progress (Master::checkAndTransitionDrainingAgent)", () => {
  it.each<[string, Task, Framework | undefined, boolean]>([
    ["a running task holds the agent", task("TASK_RUNNING"), schedulerApi, true],
    [
      "a killed task not acknowledged yet holds it",
      task("TASK_KILLED", [update("TASK_KILLED", false)]),
      schedulerApi,
      true,
    ],
    [
      "an acknowledged terminal task does not",
      task("TASK_KILLED", [update("TASK_KILLED", true)]),
      schedulerApi,
      false,
    ],
    [
      "a kubectl framework's terminal task does not (nothing acknowledges)",
      task("TASK_KILLED", [update("TASK_KILLED", false)]),
      kubectl,
      false,
    ],
    [
      "a removed framework's task does not",
      task("TASK_KILLED", [update("TASK_KILLED", false)]),
      undefined,
      false,
    ],
    [
      "a completed framework's task does not",
      task("TASK_KILLED", [update("TASK_KILLED", false)]),
      frameworkObject("fw", {}, { phase: "Completed" }, { labels: { [SCHEDULER_API_LABEL]: "true" } }),
      false,
    ],
  ])("%s", (_what, t, fw, holds) => {
    expect(holdsAgent(t, fw)).toBe(holds);
  });

  it("waits while tasks are left, then DRAINED, or marks the agent gone", () => {
    const running = task("TASK_RUNNING");
    const done = task("TASK_KILLED", [update("TASK_KILLED", true)]);
    expect(drainStep(draining(), [running, done], () => schedulerApi)).toEqual({ kind: "wait", tasks: 1 });
    expect(drainStep(draining(), [done], () => schedulerApi)).toEqual({ kind: "drained" });
    expect(drainStep(draining(), [], () => schedulerApi)).toEqual({ kind: "drained" });
    expect(drainStep(draining(true), [done], () => schedulerApi)).toEqual({ kind: "mark-gone" });
  });

  it("does nothing for a node that is not draining or already DRAINED", () => {
    expect(drainStep(undefined, [], () => undefined)).toEqual({ kind: "none" });
    expect(drainStep({ ...draining(), state: "DRAINED" }, [], () => undefined)).toEqual({ kind: "none" });
  });
});
