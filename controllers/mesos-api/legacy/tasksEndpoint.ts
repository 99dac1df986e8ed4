// GET /master/tasks?limit=100&offset=0&order=des|asc&framework_id=&task_id= (semantics.md §3.4):
// active, unreachable and completed tasks, by latest status time, newest first by default.
// A negative limit (avmesos-cli sends -1) means no limit.
import type { MasterSnapshot } from "../backend.ts";
import { latestTimestamp, legacyTask } from "./legacyTask.ts";

export interface TasksQuery {
  limit: number;
  offset: number;
  order: "asc" | "des";
  frameworkId?: string | undefined;
  taskId?: string | undefined;
}

export const DEFAULT_TASKS_LIMIT = 100;

export function parseTasksQuery(params: URLSearchParams): TasksQuery | { error: string } {
  const limit = Number(params.get("limit") ?? DEFAULT_TASKS_LIMIT);
  const offset = Number(params.get("offset") ?? 0);
  const order = params.get("order") ?? "des";
  if (!Number.isInteger(limit)) return { error: "Failed to parse limit" };
  if (!Number.isInteger(offset) || offset < 0) return { error: "Failed to parse offset" };
  if (order !== "asc" && order !== "des") return { error: "Unsupported order" };
  return {
    limit,
    offset,
    order,
    frameworkId: params.get("framework_id") ?? undefined,
    taskId: params.get("task_id") ?? undefined,
  };
}

export function tasksEndpoint(snapshot: MasterSnapshot, query: TasksQuery): Record<string, unknown> {
  const all = [...snapshot.tasks, ...snapshot.unreachableTasks, ...snapshot.completedTasks].filter(
    (t) =>
      (query.frameworkId === undefined || t.framework_id.value === query.frameworkId) &&
      (query.taskId === undefined || t.task_id.value === query.taskId),
  );
  const sign = query.order === "asc" ? 1 : -1;
  all.sort((a, b) => sign * (latestTimestamp(a) - latestTimestamp(b)));
  const end = query.limit < 0 ? undefined : query.offset + query.limit;
  return { tasks: all.slice(query.offset, end).map(legacyTask) };
}
