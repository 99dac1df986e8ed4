// master.proto GetExecutors.Executor.
import type { ExecutorInfo } from "./executorInfo.ts";
import type { Id } from "./ids.ts";

export interface ExecutorState {
  executor_info: ExecutorInfo;
  agent_id: Id;
}
