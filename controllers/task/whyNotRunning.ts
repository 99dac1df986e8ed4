// Why a Task is not running yet, as a condition (type Scheduled): which resource is short on the
// best node and by how much, a quota limit, a suppressed role, constraints no offer meets, or no
// offer for the framework yet. Built from the placement attempt and the allocator's explanation.
// Frameworks and Roles show the same answers summed up (type TasksScheduled).

import type { Explanation, Reason } from "../allocator/index.ts";
import {
  type Resources as CompactResources,
  type Condition,
  findCondition,
  SCALAR_NAMES,
  type Task,
} from "../api/index.ts";
import type { Rejection } from "./placement.ts";

export const SCHEDULED_CONDITION = "Scheduled";
export const TASKS_SCHEDULED_CONDITION = "TasksScheduled";

/** A condition before setCondition gives it its transition time. */
export type ConditionInput = Omit<Condition, "lastTransitionTime">;

export interface NotScheduledInput {
  role: string;
  demand: CompactResources;
  /** The framework's offers in the role that the placement tried, and why each agent's did not do. */
  offersInRole: number;
  rejections: readonly Rejection[];
  /** The allocator's answer for the framework in this role, asked with the task's demand. */
  explanation?: Explanation | undefined;
  observedGeneration?: number | undefined;
}

export function describeDemand(d: CompactResources): string {
  const parts: string[] = [];
  for (const name of SCALAR_NAMES) if (d[name] !== undefined) parts.push(`${name} ${d[name]}`);
  if (d.ports !== undefined && d.ports.length > 0)
    parts.push(
      `ports ${d.ports.map((r) => (r.begin === r.end ? `${r.begin}` : `${r.begin}-${r.end}`)).join(",")}`,
    );
  return parts.join(", ") || "nothing";
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The reason (CamelCase) and sentence of one allocator reason, as it concerns a waiting task. */
function fromReason(r: Reason, needs: string): { reason: string; text: string } | undefined {
  switch (r.kind) {
    case "framework-unknown":
      return { reason: "FrameworkNotRegistered", text: "its framework is not registered with the allocator" };
    case "framework-inactive":
      return {
        reason: "FrameworkDisconnected",
        text: "its framework is not connected, so it gets no offers",
      };
    case "role-suppressed":
      return {
        reason: "RoleSuppressed",
        text: `offers for role ${r.role} are suppressed (remove it from the framework's suppressedRoles)`,
      };
    case "eligible":
      return {
        reason: "WaitingForOffer",
        text: `no offer for its framework yet; ${plural(r.agents, "node")} can offer ${needs} at the next allocation run`,
      };
    case "quota-limit":
      return {
        reason: "QuotaLimitReached",
        text: `role ${r.role} reached its quota limit (${r.limits.map((l) => `${l.resource} ${l.consumed} of ${l.limit}`).join(", ")})`,
      };
    case "insufficient-resources":
      return {
        reason: "InsufficientResources",
        text: `no node has ${needs} free: the closest, ${r.hostname}, is short of ${r.shortages
          .map((s) => `${s.resource} by ${s.shortBy} (has ${s.available}, needs ${s.needed})`)
          .join(" and ")}`,
      };
    case "held-in-other-offers":
      return {
        reason: "OfferedToOthers",
        text: `what it needs is in outstanding offers to ${r.frameworks.join(", ") || "other roles"} on ${plural(r.agents, "node")}`,
      };
    case "quota-headroom":
      return {
        reason: "QuotaHeadroom",
        text: `${plural(r.agents, "node")} hold resources back for other roles' quota guarantees`,
      };
    case "filtered":
      return {
        reason: "DeclinedRecently",
        text: `its framework declined ${plural(r.agents, "node")} until ${new Date(r.until).toISOString()}`,
      };
    case "agents-cordoned":
      return { reason: "NodesCordoned", text: `${plural(r.agents, "node")} are cordoned` };
    case "gpu-agents-only":
      return {
        reason: "GpuNodesOnly",
        text: `${plural(r.agents, "node")} have GPUs and go only to frameworks with GPU_RESOURCES`,
      };
    case "other-region":
      return { reason: "OtherRegion", text: `${plural(r.agents, "node")} are in another region` };
    case "offer-constraints":
      return {
        reason: "OfferConstraints",
        text: `the framework's offer constraints exclude ${plural(r.agents, "node")}`,
      };
    case "no-agents":
      return { reason: "NoNodes", text: "there are no agent nodes" };
    case "holds-offers":
      return undefined;
  }
}

/** Most telling first: what blocks the framework outright, then what the task could get, then what is short. */
const PRECEDENCE: readonly Reason["kind"][] = [
  "framework-unknown",
  "framework-inactive",
  "role-suppressed",
  "eligible",
  "quota-limit",
  "insufficient-resources",
  "held-in-other-offers",
  "quota-headroom",
  "filtered",
  "agents-cordoned",
  "gpu-agents-only",
  "other-region",
  "offer-constraints",
  "no-agents",
];

function fromPlacement(
  input: NotScheduledInput,
  needs: string,
): { reason: string; text: string } | undefined {
  if (input.offersInRole === 0 || input.rejections.length === 0) return undefined;
  const byConstraint = input.rejections.filter((r) => r.because !== "resources");
  const tooSmall = input.rejections.length - byConstraint.length;
  const parts = byConstraint.map((r) => `${r.because} refuses ${r.hostname}`);
  if (tooSmall > 0) parts.push(`the offers on ${plural(tooSmall, "node")} hold less than ${needs}`);
  return {
    reason: byConstraint.length > 0 ? "ConstraintsNotMet" : "OffersTooSmall",
    text: `none of the framework's ${plural(input.offersInRole, "offer")} in role ${input.role} fits: ${parts.join("; ")}`,
  };
}

export function notScheduledCondition(input: NotScheduledInput): ConditionInput {
  const needs = describeDemand(input.demand);
  const reasons = input.explanation?.reasons ?? [];
  let chosen: { reason: string; text: string } | undefined;
  for (const kind of PRECEDENCE) {
    const r = reasons.find((x) => x.kind === kind);
    if (r === undefined) continue;
    chosen = fromReason(r, needs);
    // An eligible agent means nothing stops an offer, so the placement's verdict on held offers
    // (constraints, sizes) is the more useful answer when there is one.
    if (kind === "eligible") chosen = fromPlacement(input, needs) ?? chosen;
    break;
  }
  chosen ??= fromPlacement(input, needs) ?? {
    reason: "WaitingForOffer",
    text: `no offer for its framework in role ${input.role} holds ${needs} yet`,
  };
  const condition: ConditionInput = {
    type: SCHEDULED_CONDITION,
    status: "False",
    reason: chosen.reason,
    message: `Waiting for resources: ${chosen.text}.`,
  };
  if (input.observedGeneration !== undefined) condition.observedGeneration = input.observedGeneration;
  return condition;
}

export function waitingForGroupCondition(have: number, size: number, generation?: number): ConditionInput {
  const c: ConditionInput = {
    type: SCHEDULED_CONDITION,
    status: "False",
    reason: "WaitingForTaskGroup",
    message: `Waiting for the rest of the task group: ${have} of ${size} tasks exist.`,
  };
  if (generation !== undefined) c.observedGeneration = generation;
  return c;
}

export function scheduledCondition(
  nodeName: string,
  offerIds: readonly string[],
  generation?: number,
): ConditionInput {
  const c: ConditionInput = {
    type: SCHEDULED_CONDITION,
    status: "True",
    reason: "Placed",
    message: `Placed on node ${nodeName} (offers ${offerIds.join(", ")}).`,
  };
  if (generation !== undefined) c.observedGeneration = generation;
  return c;
}

/** At most this many tasks are named in a Framework's or Role's summary. */
const SUMMARY_TASKS = 5;

/** A Framework's or Role's summary of its waiting tasks (by name, with their Scheduled condition). */
export function tasksScheduledCondition(
  waiting: readonly { name: string; condition: ConditionInput }[],
  generation?: number,
): ConditionInput {
  const c: ConditionInput = {
    type: TASKS_SCHEDULED_CONDITION,
    status: "True",
    reason: "AllScheduled",
    message: "No task is waiting for resources.",
  };
  if (waiting.length > 0) {
    const sorted = [...waiting].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // The most common reason speaks for all; ties go to the first task's.
    const counts = new Map<string, number>();
    for (const w of sorted) counts.set(w.condition.reason, (counts.get(w.condition.reason) ?? 0) + 1);
    let reason = sorted[0]!.condition.reason;
    for (const [r, n] of counts) if (n > counts.get(reason)!) reason = r;
    const named = sorted.slice(0, SUMMARY_TASKS).map((w) => `${w.name}: ${w.condition.message}`);
    const more = sorted.length > SUMMARY_TASKS ? ` … and ${sorted.length - SUMMARY_TASKS} more` : "";
    c.status = "False";
    c.reason = reason;
    c.message = `${plural(sorted.length, "task")} waiting. ${named.join(" ")}${more}`.slice(0, 32768);
  }
  if (generation !== undefined) c.observedGeneration = generation;
  return c;
}

/**
 * The tasks still waiting to launch (no state yet) whose Scheduled condition says why, in the
 * shape tasksScheduledCondition sums up for a Framework or a Role.
 */
export function waitingTasks(tasks: readonly Task[]): { name: string; condition: ConditionInput }[] {
  return tasks.flatMap((t) => {
    const c = findCondition(t.status?.conditions, SCHEDULED_CONDITION);
    return t.status?.state === undefined && c?.status === "False"
      ? [
          {
            name: t.metadata.name ?? "",
            condition: { type: c.type, status: c.status, reason: c.reason, message: c.message },
          },
        ]
      : [];
  });
}
