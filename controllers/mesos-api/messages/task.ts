// master.proto / mesos.proto Task: a launched task as the master tracks it (GET_TASKS, TASK_ADDED,
// and the legacy /state task objects).
import type { TaskState } from "../../api/mesos.ts";
import type { CommandInfo } from "./commandInfo.ts";
import type { ContainerInfo } from "./containerInfo.ts";
import type { HealthCheck, KillPolicy } from "./healthCheck.ts";
import type { Id } from "./ids.ts";
import type { Labels } from "./labels.ts";
import type { Resource } from "./resource.ts";
import type { TaskStatus } from "./taskStatus.ts";

export interface Task {
  name: string;
  task_id: Id;
  framework_id: Id;
  /** Absent for command tasks. */
  executor_id?: Id | undefined;
  agent_id: Id;
  /** Latest known state (may be ahead of the state forwarded to the scheduler). */
  state: TaskState;
  resources: Resource[];
  statuses: TaskStatus[];
  /** State and uuid of the latest update forwarded to the scheduler. */
  status_update_state?: TaskState | undefined;
  status_update_uuid?: string | undefined;
  labels?: Labels | undefined;
  discovery?: Record<string, unknown> | undefined;
  container?: ContainerInfo | undefined;
  health_check?: HealthCheck | undefined;
  kill_policy?: KillPolicy | undefined;
  user?: string | undefined;
  limits?: Record<string, { value: number }> | undefined;
  /** Not in the proto's Task: the command, kept for the legacy executor view of command tasks. */
  command?: CommandInfo | undefined;
}
