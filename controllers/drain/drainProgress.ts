// When a draining agent is drained (Mesos Master::checkAndTransitionDrainingAgent): no task on it
// is left — every task is terminal and, for a framework subscribed through the Mesos API, its
// terminal update acknowledged (the master forgets a task only then) — and then the agent is
// DRAINED, or marked gone when the drain said mark_gone. Frameworks applied with kubectl never
// acknowledge, and a torn-down framework's tasks are forgotten with it: their terminal state is
// enough. Pure.
import type { NodeDrain } from "../allocator/index.ts";
import { type Framework, isTerminalTaskState, SCHEDULER_API_LABEL, type Task } from "../api/index.ts";

export type DrainStep =
  /** Not draining, or already DRAINED. */
  | { kind: "none" }
  /** Tasks are still on the agent. */
  | { kind: "wait"; tasks: number }
  | { kind: "drained" }
  | { kind: "mark-gone" };

/** Whether the master still counts the task on its agent. */
export function holdsAgent(task: Task, framework: Framework | undefined): boolean {
  const state = task.status?.state;
  if (state === undefined || !isTerminalTaskState(state)) return true;
  const schedulerApi = framework?.metadata.labels?.[SCHEDULER_API_LABEL] !== undefined;
  const removed =
    framework === undefined ||
    framework.metadata.deletionTimestamp !== undefined ||
    framework.status?.phase === "Completed";
  if (!schedulerApi || removed) return false;
  return (task.status?.updates ?? []).some((u) => u.uuid !== undefined && !u.acknowledged);
}

export function drainStep(
  drain: NodeDrain | undefined,
  tasksOnNode: readonly Task[],
  frameworkOf: (task: Task) => Framework | undefined,
): DrainStep {
  if (drain?.state !== "DRAINING") return { kind: "none" };
  const left = tasksOnNode.filter((t) => holdsAgent(t, frameworkOf(t))).length;
  if (left > 0) return { kind: "wait", tasks: left };
  return drain.config.mark_gone ? { kind: "mark-gone" } : { kind: "drained" };
}
