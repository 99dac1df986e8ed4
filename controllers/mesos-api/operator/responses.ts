// master.proto Response bodies of the read-only operator calls, built from a MasterSnapshot.
import type { MasterDescription, MasterSnapshot } from "../backend.ts";
import type { AgentState } from "../messages/agent.ts";
import type { AgentInfo } from "../messages/agentInfo.ts";
import type { ExecutorState } from "../messages/executor.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { MaintenanceClusterStatus, MaintenanceSchedule } from "../messages/maintenance.ts";
import type { MasterInfo } from "../messages/masterInfo.ts";
import type { QuotaConfig, WeightInfo } from "../messages/quota.ts";
import type { Resource } from "../messages/resource.ts";
import type { Task } from "../messages/task.ts";
import { v1MasterInfo } from "../messages/v1MasterInfo.ts";

export interface GetTasksResponse {
  tasks: Task[];
  unreachable_tasks: Task[];
  completed_tasks: Task[];
}
export interface GetExecutorsResponse {
  executors: ExecutorState[];
}
export interface GetFrameworksResponse {
  frameworks: FrameworkState[];
  completed_frameworks: FrameworkState[];
}
export interface GetAgentsResponse {
  agents: AgentState[];
  recovered_agents: AgentInfo[];
}
export interface GetStateResponse {
  get_tasks: GetTasksResponse;
  get_executors: GetExecutorsResponse;
  get_frameworks: GetFrameworksResponse;
  get_agents: GetAgentsResponse;
}
export interface GetRolesResponse {
  roles: {
    name: string;
    weight: number;
    frameworks: { value: string }[];
    resources: Resource[];
    allocated: Resource[];
    offered: Resource[];
    reserved: Resource[];
    quota?: { role: string; guarantee: Resource[]; limit: Resource[]; consumed: Resource[] } | undefined;
  }[];
}
export interface GetMasterResponse {
  master_info: MasterInfo;
  start_time: number;
  elected_time?: number | undefined;
}

export const getTasks = (s: MasterSnapshot): GetTasksResponse => ({
  tasks: s.tasks,
  unreachable_tasks: s.unreachableTasks,
  completed_tasks: s.completedTasks,
});

export const getExecutors = (s: MasterSnapshot): GetExecutorsResponse => ({ executors: s.executors });

export const getFrameworks = (s: MasterSnapshot): GetFrameworksResponse => ({
  frameworks: s.frameworks,
  completed_frameworks: s.completedFrameworks,
});

export const getAgents = (s: MasterSnapshot): GetAgentsResponse => ({
  agents: s.agents,
  recovered_agents: s.recoveredAgents,
});

export const getState = (s: MasterSnapshot): GetStateResponse => ({
  get_tasks: getTasks(s),
  get_executors: getExecutors(s),
  get_frameworks: getFrameworks(s),
  get_agents: getAgents(s),
});

function scalarResources(quantities: Record<string, { value: number }> | undefined): Resource[] {
  return Object.entries(quantities ?? {}).map(([name, scalar]) => ({ name, type: "SCALAR", scalar }));
}

export const getRoles = (s: MasterSnapshot): GetRolesResponse => ({
  roles: s.roles.map((r) => ({
    name: r.name,
    weight: r.weight,
    frameworks: r.frameworks,
    resources: r.resources,
    allocated: r.allocated,
    offered: r.offered,
    reserved: r.reserved,
    quota:
      r.quota === undefined
        ? undefined
        : {
            role: r.name,
            guarantee: scalarResources(r.quota.guarantees),
            limit: scalarResources(r.quota.limits),
            consumed: r.consumed_quota ?? [],
          },
  })),
});

export const getWeights = (s: MasterSnapshot): { weight_infos: WeightInfo[] } => ({
  weight_infos: s.weights,
});

export const getQuota = (s: MasterSnapshot): { status: { infos: never[]; configs: QuotaConfig[] } } => ({
  // `infos` is the deprecated pre-1.9 form; configs carry guarantees and limits.
  status: { infos: [], configs: s.quotaConfigs },
});

export const getMaintenanceSchedule = (s: MasterSnapshot): { schedule: MaintenanceSchedule } => ({
  schedule: s.maintenance.schedule,
});

export const getMaintenanceStatus = (s: MasterSnapshot): { status: MaintenanceClusterStatus } => ({
  status: s.maintenance.status,
});

export const getMaster = (m: MasterDescription): GetMasterResponse => ({
  master_info: v1MasterInfo(m.info),
  start_time: m.startTime,
  elected_time: m.electedTime,
});
