import { describe, expect, it } from "vitest";
import type { FrameworkPhase } from "../api/index.ts";
import { frameworkObject } from "../task/testObjects.ts";
import {
  FRAMEWORK_FINALIZER,
  type TeardownStep,
  type TeardownTask,
  teardownStep,
} from "./frameworkTeardown.ts";

const withFinalizer = { finalizers: [FRAMEWORK_FINALIZER] };
const deleting = { ...withFinalizer, deletionTimestamp: "2026-03-01T00:00:00Z" };
const t = (name: string, state: TeardownTask["state"], podPresent: boolean): TeardownTask => ({
  name,
  state,
  podPresent,
});

describe("teardownStep", () => {
  it.each<[string, Record<string, unknown>, FrameworkPhase, TeardownTask[], TeardownStep]>([
    ["a new framework gets the finalizer", {}, "Active", [], { kind: "add-finalizer" }],
    [
      "an active framework: nothing",
      withFinalizer,
      "Active",
      [t("a", "TASK_RUNNING", true)],
      { kind: "none" },
    ],
    [
      "deleted with live tasks: kill them first",
      deleting,
      "Completed",
      [t("b", "TASK_RUNNING", true), t("a", undefined, false), t("c", "TASK_FINISHED", false)],
      { kind: "kill-tasks", tasks: ["a", "b"] },
    ],
    [
      "tasks killed, pods still going",
      deleting,
      "Completed",
      [t("a", "TASK_KILLED", true), t("b", "TASK_KILLED", false)],
      { kind: "wait-for-pods", tasks: ["a"] },
    ],
    [
      "everything gone: remove the finalizer",
      deleting,
      "Completed",
      [t("a", "TASK_KILLED", false)],
      { kind: "remove-finalizer" },
    ],
    ["no tasks at all", deleting, "Completed", [], { kind: "remove-finalizer" }],
    [
      "failover timeout (not deleted): kill, keep the object",
      withFinalizer,
      "Completed",
      [t("a", "TASK_RUNNING", true)],
      { kind: "kill-tasks", tasks: ["a"] },
    ],
    ["failover timeout, all done: keep the finalizer", withFinalizer, "Completed", [], { kind: "none" }],
    [
      "deleted without our finalizer: nothing to hold",
      { deletionTimestamp: "2026-03-01T00:00:00Z" },
      "Completed",
      [],
      { kind: "none" },
    ],
    [
      "unreachable tasks count as live",
      deleting,
      "Completed",
      [t("a", "TASK_UNREACHABLE", true)],
      { kind: "kill-tasks", tasks: ["a"] },
    ],
  ])("%s", (_name, metadata, phase, tasks, want) => {
    expect(teardownStep(frameworkObject("fw", {}, undefined, metadata), phase, tasks)).toEqual(want);
  });
});
