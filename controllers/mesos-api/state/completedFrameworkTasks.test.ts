import { describe, expect, it } from "vitest";
import { CompletedFrameworkTasks } from "./completedFrameworkTasks.ts";

describe("CompletedFrameworkTasks", () => {
  it("keeps the last state of deleted tasks per framework; listed ones (objects still there) are left out", () => {
    const kept = new CompletedFrameworkTasks<string>();
    kept.keep("fw-1", "a", "a: TASK_RUNNING");
    kept.keep("fw-1", "a", "a: TASK_KILLED");
    kept.keep("fw-1", "b", "b: TASK_KILLED");
    kept.keep("fw-2", "c", "c: TASK_FINISHED");
    expect(kept.tasksOf("fw-1", new Set())).toEqual(["a: TASK_KILLED", "b: TASK_KILLED"]);
    expect(kept.tasksOf("fw-1", new Set(["b"]))).toEqual(["a: TASK_KILLED"]);
    expect(kept.tasksOf("fw-3", new Set())).toEqual([]);
  });

  it("keeps at most the limit per framework, dropping the oldest first (as Mesos)", () => {
    const kept = new CompletedFrameworkTasks<string>(2);
    for (const id of ["a", "b", "c"]) kept.keep("fw", id, id);
    expect(kept.tasksOf("fw", new Set())).toEqual(["b", "c"]);
    kept.keep("fw", "b", "b again");
    kept.keep("fw", "d", "d");
    expect(kept.tasksOf("fw", new Set())).toEqual(["b again", "d"]);
    const none = new CompletedFrameworkTasks<string>(0);
    none.keep("fw", "a", "a");
    expect(none.tasksOf("fw", new Set())).toEqual([]);
  });

  it("forgets frameworks no longer retained", () => {
    const kept = new CompletedFrameworkTasks<string>();
    kept.keep("fw-1", "a", "a");
    kept.keep("fw-2", "b", "b");
    kept.retainOnly(new Set(["fw-2"]));
    expect(kept.tasksOf("fw-1", new Set())).toEqual([]);
    expect(kept.tasksOf("fw-2", new Set())).toEqual(["b"]);
    kept.clear();
    expect(kept.tasksOf("fw-2", new Set())).toEqual([]);
  });
});
