// master.proto GetAgents.Agent: a registered agent (a Kubernetes node) as the operator API shows it.
import type { AgentInfo } from "./agentInfo.ts";
import type { Resource } from "./resource.ts";
import type { DurationInfo, TimeInfo } from "./time.ts";

export interface AgentState {
  agent_info: AgentInfo;
  active: boolean;
  deactivated?: boolean | undefined;
  version: string;
  /** `slave(1)@ip:port`; tools parse the address out of it. */
  pid?: string | undefined;
  registered_time?: TimeInfo | undefined;
  reregistered_time?: TimeInfo | undefined;
  total_resources?: Resource[] | undefined;
  allocated_resources?: Resource[] | undefined;
  offered_resources?: Resource[] | undefined;
  capabilities?: { type: string }[] | undefined;
  drain_info?:
    | {
        state: "UNKNOWN" | "DRAINING" | "DRAINED";
        config?: { max_grace_period?: DurationInfo | undefined; mark_gone?: boolean | undefined } | undefined;
      }
    | undefined;
  estimated_drain_start_time?: TimeInfo | undefined;
}
