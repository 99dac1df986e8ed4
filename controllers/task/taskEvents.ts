// Events for a Task's status updates: one per update recorded, on the Task.
import type { Task, TaskState, TaskStatus, TaskStatusUpdate } from "../api/index.ts";
import { refOf, type TransitionEvent } from "./transitionEvent.ts";

const WARNING_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  "TASK_FAILED",
  "TASK_ERROR",
  "TASK_LOST",
  "TASK_DROPPED",
  "TASK_UNREACHABLE",
  "TASK_GONE",
  "TASK_GONE_BY_OPERATOR",
  "TASK_UNKNOWN",
]);

/** TASK_RUNNING → TaskRunning. */
export const eventReasonOf = (state: TaskState): string =>
  `Task${state
    .slice("TASK_".length)
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}`;

function actionOf(state: TaskState): string {
  switch (state) {
    case "TASK_STAGING":
      return "Launch";
    case "TASK_KILLING":
    case "TASK_KILLED":
      return "Kill";
    default:
      return "Update";
  }
}

const keyOf = (u: TaskStatusUpdate): string => `${u.timestamp}\u0000${u.state}\u0000${u.uuid ?? ""}`;

export function taskUpdateEvent(task: Task, update: TaskStatusUpdate, nodeName?: string): TransitionEvent {
  const healthFlip =
    update.state === "TASK_RUNNING" && update.reason === "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
  const reason = healthFlip
    ? update.healthy
      ? "TaskHealthy"
      : "TaskUnhealthy"
    : eventReasonOf(update.state);
  const where = nodeName === undefined ? "" : ` on node ${nodeName}`;
  const why = update.reason === undefined ? "" : ` (${update.reason})`;
  const detail = update.message === undefined ? "" : `: ${update.message}`;
  return {
    type: WARNING_STATES.has(update.state) || update.healthy === false ? "Warning" : "Normal",
    reason,
    action: actionOf(update.state),
    note: `${update.state}${why}${where}${detail}`.slice(0, 1024),
    regarding: refOf(task),
  };
}

/** One event per update that `after` records and `before` did not. */
export function taskStatusEvents(
  task: Task,
  before: TaskStatus | undefined,
  after: TaskStatus,
): TransitionEvent[] {
  const seen = new Set((before?.updates ?? []).map(keyOf));
  return (after.updates ?? [])
    .filter((u) => !seen.has(keyOf(u)))
    .map((u) => taskUpdateEvent(task, u, after.nodeName));
}
