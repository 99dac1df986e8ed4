// GET /master/state-summary: agents and frameworks with per-state task counts and cross
// references (semantics.md §3.4).
import type { TaskState } from "../../api/mesos.ts";
import type { MasterDescription, MasterSnapshot } from "../backend.ts";
import type { Task } from "../messages/task.ts";
import { legacyAgent } from "./legacyAgent.ts";
import { legacyFrameworkSummary } from "./legacyFramework.ts";

const COUNTED_STATES: readonly TaskState[] = [
  "TASK_STAGING",
  "TASK_STARTING",
  "TASK_RUNNING",
  "TASK_KILLING",
  "TASK_FINISHED",
  "TASK_KILLED",
  "TASK_FAILED",
  "TASK_LOST",
  "TASK_ERROR",
  "TASK_UNREACHABLE",
];

function counts(tasks: readonly Task[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(COUNTED_STATES.map((s) => [s, 0]));
  for (const t of tasks) if (t.state in out) out[t.state] = (out[t.state] ?? 0) + 1;
  return out;
}

export function stateSummary(master: MasterDescription, snapshot: MasterSnapshot): Record<string, unknown> {
  const all = [...snapshot.tasks, ...snapshot.unreachableTasks, ...snapshot.completedTasks];
  const frameworks = [...snapshot.frameworks, ...snapshot.completedFrameworks];
  return {
    hostname: master.info.hostname ?? "",
    ...(master.cluster === undefined ? {} : { cluster: master.cluster }),
    slaves: snapshot.agents.map((agent) => {
      const id = agent.agent_info.id?.value ?? "";
      const onAgent = all.filter((t) => t.agent_id.value === id);
      return {
        ...legacyAgent(agent),
        ...counts(onAgent),
        framework_ids: [...new Set(onAgent.map((t) => t.framework_id.value))],
      };
    }),
    frameworks: frameworks.map((framework) => {
      const id = framework.framework_info.id?.value ?? "";
      const owned = all.filter((t) => t.framework_id.value === id);
      return {
        ...legacyFrameworkSummary(framework),
        ...counts(owned),
        slave_ids: [...new Set(owned.map((t) => t.agent_id.value))],
      };
    }),
  };
}
