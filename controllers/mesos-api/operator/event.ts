// master.proto Event (operator event stream, semantics.md §3.3).
import type { TaskState } from "../../api/mesos.ts";
import type { AgentState } from "../messages/agent.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import type { Id } from "../messages/ids.ts";
import type { Task } from "../messages/task.ts";
import type { TaskStatus } from "../messages/taskStatus.ts";
import type { GetStateResponse } from "./responses.ts";

/** What the state side publishes; SUBSCRIBED and HEARTBEAT belong to each stream. */
export type ClusterEvent =
  | { type: "TASK_ADDED"; task_added: { task: Task } }
  | {
      type: "TASK_UPDATED";
      /** Only on a change of state; `status` is the last update sent to the scheduler. */
      task_updated: { framework_id: Id; status: TaskStatus; state: TaskState };
    }
  | { type: "AGENT_ADDED"; agent_added: { agent: AgentState } }
  | { type: "AGENT_REMOVED"; agent_removed: { agent_id: Id } }
  | {
      type: "FRAMEWORK_ADDED";
      /** Without offers, inverse offers, allocated/offered resources and offer constraints. */
      framework_added: { framework: FrameworkState };
    }
  | { type: "FRAMEWORK_UPDATED"; framework_updated: { framework: FrameworkState } }
  | { type: "FRAMEWORK_REMOVED"; framework_removed: { framework_info: FrameworkInfo } };

export type OperatorEvent =
  | { type: "SUBSCRIBED"; subscribed: { get_state: GetStateResponse; heartbeat_interval_seconds: number } }
  | { type: "HEARTBEAT" }
  | ClusterEvent;
