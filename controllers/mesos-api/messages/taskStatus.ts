// TaskStatus (semantics.md §2.7) as carried by UPDATE events and Task.statuses. `uuid` is present
// exactly when the update must be acknowledged (agent/executor updates); master-generated updates
// (validation errors, invalid offers, reconciliation, agent loss) carry none.
import type { TaskReason, TaskSource, TaskState } from "../../api/mesos.ts";
import type { Id } from "./ids.ts";
import type { Labels } from "./labels.ts";
import type { TimeInfo } from "./time.ts";

export interface ContainerStatus {
  container_id?: { value: string } | undefined;
  network_infos?:
    | { ip_addresses?: { ip_address?: string; protocol?: "IPv4" | "IPv6" }[]; name?: string }[]
    | undefined;
  executor_pid?: number | undefined;
}

export interface TaskStatus {
  task_id: Id;
  state: TaskState;
  message?: string | undefined;
  source?: TaskSource | undefined;
  reason?: TaskReason | undefined;
  /** base64 */
  data?: string | undefined;
  agent_id?: Id | undefined;
  executor_id?: Id | undefined;
  /** Seconds since the epoch (a double, as Mesos). */
  timestamp?: number | undefined;
  /** base64 of 16 bytes; see the file comment. */
  uuid?: string | undefined;
  healthy?: boolean | undefined;
  labels?: Labels | undefined;
  container_status?: ContainerStatus | undefined;
  unreachable_time?: TimeInfo | undefined;
}
