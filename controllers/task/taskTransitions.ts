// Which task state may follow which (DESIGN.md "State machines"; semantics.md §2.6, §4.10).
// Non-terminal states only move forward (STAGING → STARTING → RUNNING → KILLING); any of them may
// end in a terminal state or, for a partition, TASK_UNREACHABLE. A terminal state is final, with
// one exception Mesos makes: a task lost to a partition is TASK_RUNNING again when the agent returns.
import { isTerminalTaskState, type TaskState, type TaskStatus } from "../api/index.ts";

const PROGRESS: Partial<Record<TaskState, number>> = {
  TASK_STAGING: 0,
  TASK_STARTING: 1,
  TASK_RUNNING: 2,
  TASK_KILLING: 3,
};

/** TASK_LOST caused by a partition (the agent may come back), not by a removed agent or pod. */
export const isLostToPartition = (status: TaskStatus | undefined): boolean =>
  status?.state === "TASK_LOST" && status.unreachableTime !== undefined;

/**
 * Whether `to` may follow `from` (undefined: no state yet). The same state is allowed only for
 * TASK_RUNNING, whose health may change; whether such an update says anything new is for the
 * caller to decide.
 */
export function canTransition(from: TaskState | undefined, to: TaskState, lostToPartition: boolean): boolean {
  if (from === undefined) return true;
  if (from === "TASK_LOST") return lostToPartition && to === "TASK_RUNNING";
  if (isTerminalTaskState(from)) return false;
  if (to === "TASK_UNKNOWN") return false;
  if (from === "TASK_UNREACHABLE")
    return to === "TASK_RUNNING" || to === "TASK_KILLING" || isTerminalTaskState(to);
  if (to === "TASK_UNREACHABLE" || isTerminalTaskState(to)) return true;
  const a = PROGRESS[from];
  const b = PROGRESS[to];
  if (a === undefined || b === undefined) return false;
  return b > a || (from === "TASK_RUNNING" && to === "TASK_RUNNING");
}
