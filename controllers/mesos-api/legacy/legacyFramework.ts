// A framework as the legacy endpoints show it (Mesos model(Framework), semantics.md §3.4), and
// the short form of /master/state-summary.
import type { MasterSnapshot } from "../backend.ts";
import type { ExecutorState } from "../messages/executor.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { Offer } from "../messages/offer.ts";
import type { Task } from "../messages/task.ts";
import { secondsFromTimeInfo } from "../messages/time.ts";
import { summary } from "./legacyResources.ts";
import { type LegacyTask, legacyTask } from "./legacyTask.ts";

/** The tasks and executors of one framework, by bucket. */
export interface FrameworkTasks {
  tasks: Task[];
  unreachable: Task[];
  completed: Task[];
  executors: ExecutorState[];
}

/** Group a snapshot's tasks and executors by framework id. */
export function tasksByFramework(snapshot: MasterSnapshot): Map<string, FrameworkTasks> {
  const out = new Map<string, FrameworkTasks>();
  const of = (id: string): FrameworkTasks => {
    let entry = out.get(id);
    if (entry === undefined) {
      entry = { tasks: [], unreachable: [], completed: [], executors: [] };
      out.set(id, entry);
    }
    return entry;
  };
  for (const t of snapshot.tasks) of(t.framework_id.value).tasks.push(t);
  for (const t of snapshot.unreachableTasks) of(t.framework_id.value).unreachable.push(t);
  for (const t of snapshot.completedTasks) of(t.framework_id.value).completed.push(t);
  for (const e of snapshot.executors) {
    const id = e.executor_info.framework_id?.value;
    if (id !== undefined) of(id).executors.push(e);
  }
  return out;
}

const seconds = (t: { nanoseconds: number } | undefined): number =>
  t === undefined ? 0 : secondsFromTimeInfo(t);

function legacyOffer(offer: Offer): Record<string, unknown> {
  return {
    id: offer.id.value,
    framework_id: offer.framework_id.value,
    allocation_info: offer.allocation_info,
    slave_id: offer.agent_id.value,
    resources: summary(offer.resources),
  };
}

function legacyExecutor(executor: ExecutorState): Record<string, unknown> {
  const info = executor.executor_info;
  return {
    executor_id: info.executor_id.value,
    name: info.name ?? "",
    framework_id: info.framework_id?.value ?? "",
    command: info.command,
    resources: summary(info.resources),
    role: info.resources.find((r) => r.allocation_info?.role !== undefined)?.allocation_info?.role,
    labels: info.labels?.labels,
    type: info.type,
    slave_id: executor.agent_id.value,
  };
}

/** The fields state-summary shows too. */
export function legacyFrameworkSummary(framework: FrameworkState): Record<string, unknown> {
  const info = framework.framework_info;
  return {
    id: info.id?.value ?? "",
    name: info.name,
    used_resources: summary(framework.allocated_resources),
    offered_resources: summary(framework.offered_resources),
    capabilities: info.capabilities.flatMap((c) => (c.type === undefined ? [] : [c.type])),
    hostname: info.hostname ?? "",
    webui_url: info.webui_url ?? "",
    active: framework.active,
    connected: framework.connected,
    recovered: framework.recovered,
  };
}

export function legacyFramework(
  framework: FrameworkState,
  owned: FrameworkTasks | undefined,
): Record<string, unknown> {
  const info = framework.framework_info;
  const multiRole = info.capabilities.some((c) => c.type === "MULTI_ROLE");
  const registered = seconds(framework.registered_time);
  const reregistered = seconds(framework.reregistered_time);
  const tasks: LegacyTask[] = (owned?.tasks ?? []).map(legacyTask);
  return {
    ...legacyFrameworkSummary(framework),
    user: info.user,
    failover_timeout: info.failover_timeout,
    checkpoint: info.checkpoint,
    registered_time: registered,
    unregistered_time: seconds(framework.unregistered_time),
    ...(info.principal === undefined ? {} : { principal: info.principal }),
    resources: summary([...(framework.allocated_resources ?? []), ...(framework.offered_resources ?? [])]),
    ...(framework.reregistered_time !== undefined && reregistered !== registered
      ? { reregistered_time: reregistered }
      : {}),
    ...(multiRole ? { roles: info.roles } : { role: info.role ?? "*" }),
    tasks,
    unreachable_tasks: (owned?.unreachable ?? []).map(legacyTask),
    completed_tasks: (owned?.completed ?? []).map(legacyTask),
    offers: (framework.offers ?? []).map(legacyOffer),
    executors: (owned?.executors ?? []).map(legacyExecutor),
    ...(info.labels === undefined ? {} : { labels: info.labels.labels }),
    ...(framework.offer_constraints === undefined ? {} : { offer_constraints: framework.offer_constraints }),
  };
}
