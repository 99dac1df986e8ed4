// A task as the legacy endpoints show it (Mesos model(Task), semantics.md §3.4): summary
// resources, float-second status timestamps, no reason or message in the statuses.
import type { TaskState } from "../../api/mesos.ts";
import type { Labels } from "../messages/labels.ts";
import type { Task } from "../messages/task.ts";
import type { ContainerStatus } from "../messages/taskStatus.ts";
import { type ResourceSummary, summary } from "./legacyResources.ts";

export interface LegacyTask {
  id: string;
  name: string;
  framework_id: string;
  executor_id: string;
  slave_id: string;
  state: TaskState;
  resources: ResourceSummary;
  limits?: Record<string, number> | undefined;
  role?: string | undefined;
  statuses: {
    state: TaskState;
    timestamp: number;
    labels?: Labels["labels"] | undefined;
    container_status?: ContainerStatus | undefined;
    healthy?: boolean | undefined;
  }[];
  user?: string | undefined;
  labels?: Labels["labels"] | undefined;
  discovery?: Record<string, unknown> | undefined;
  container?: unknown;
  health_check?: unknown;
}

/** The role a task's resources are allocated to. */
export function taskRole(task: Task): string | undefined {
  return task.resources.find((r) => r.allocation_info?.role !== undefined)?.allocation_info?.role;
}

export function legacyTask(task: Task): LegacyTask {
  return {
    id: task.task_id.value,
    name: task.name,
    framework_id: task.framework_id.value,
    executor_id: task.executor_id?.value ?? "",
    slave_id: task.agent_id.value,
    state: task.state,
    resources: summary(task.resources),
    limits:
      task.limits === undefined
        ? undefined
        : Object.fromEntries(Object.entries(task.limits).map(([name, scalar]) => [name, scalar.value])),
    role: taskRole(task),
    statuses: task.statuses.map((s) => ({
      state: s.state,
      timestamp: s.timestamp ?? 0,
      labels: s.labels?.labels,
      container_status: s.container_status,
      healthy: s.healthy,
    })),
    user: task.user,
    labels: task.labels?.labels,
    discovery: task.discovery,
    container: task.container,
    health_check: task.health_check,
  };
}

/** Latest status timestamp (the sort key of /master/tasks). */
export function latestTimestamp(task: Task): number {
  return task.statuses.reduce((latest, s) => Math.max(latest, s.timestamp ?? 0), 0);
}
