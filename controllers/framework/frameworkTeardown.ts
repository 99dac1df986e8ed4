// Tearing a framework down (deletion, or failover timeout): its tasks are killed first
// (TASK_KILLED, REASON_FRAMEWORK_REMOVED, by the task reconciler), and only when every task is
// terminal and every pod gone does a deleted Framework lose its finalizer — so garbage collection
// of Tasks and pods never races the kills.
import { type Framework, type FrameworkPhase, isTerminalTaskState, type TaskState } from "../api/index.ts";

export const FRAMEWORK_FINALIZER = "mesos.operator.dev/teardown";

/** A task of the framework as teardown sees it. */
export interface TeardownTask {
  name: string;
  state: TaskState | undefined;
  /**
   * Its pod is still in the cache on a reachable node (a pod on an unreachable node cannot finish
   * going away until the node returns, so teardown does not wait for it).
   */
  podPresent: boolean;
}

export type TeardownStep =
  | { kind: "none" }
  | { kind: "add-finalizer" }
  /** The task reconciler must kill these (their framework is removed); requeue them. */
  | { kind: "kill-tasks"; tasks: string[] }
  /** Tasks are terminal; waiting for these pods to go. */
  | { kind: "wait-for-pods"; tasks: string[] }
  | { kind: "remove-finalizer" };

export function teardownStep(
  fw: Framework,
  phase: FrameworkPhase,
  tasks: readonly TeardownTask[],
): TeardownStep {
  const hasFinalizer = (fw.metadata.finalizers ?? []).includes(FRAMEWORK_FINALIZER);
  const deleting = fw.metadata.deletionTimestamp !== undefined;
  if (!deleting && !hasFinalizer) return { kind: "add-finalizer" };
  if (phase !== "Completed") return { kind: "none" };
  const live = tasks.filter((t) => t.state === undefined || !isTerminalTaskState(t.state)).map((t) => t.name);
  if (live.length > 0) return { kind: "kill-tasks", tasks: live.sort() };
  const withPods = tasks.filter((t) => t.podPresent).map((t) => t.name);
  if (withPods.length > 0) return { kind: "wait-for-pods", tasks: withPods.sort() };
  return deleting && hasFinalizer ? { kind: "remove-finalizer" } : { kind: "none" };
}
