// Why a framework (in one role) gets no offers — the question users of Marathon, Volcano and Kueue
// ask most (research/peers.md). The answer replays, for every agent, the checks an allocation
// cycle makes for that framework and role, and reports what stops it, as data and as a sentence.
import type { AgentState } from "./agents.ts";
import { fromMilli } from "./fixedPoint.ts";
import { isAgentExcluded } from "./offerConstraints.ts";
import { containsQuantities, type Quantities, shortfall } from "./quantities.ts";
import { type Amounts, limitsLeft, type Quota, shrink } from "./quota.ts";
import { Resources } from "./resources.ts";
import type { Client } from "./state.ts";

export interface ExplainOptions {
  /** Only this role of the framework. */
  role?: string | undefined;
  /**
   * What the framework needs, e.g. the resources of a task waiting to launch. Default: its minimum
   * allocatable resources (an offer smaller than that is never made).
   */
  demand?: Resources | Quantities | undefined;
}

export interface Shortage {
  resource: string;
  needed: number;
  available: number;
  shortBy: number;
}

export type Reason =
  | { kind: "framework-unknown" }
  | { kind: "framework-inactive" }
  | { kind: "role-suppressed"; role: string }
  | { kind: "holds-offers"; offers: number }
  | { kind: "no-agents" }
  | { kind: "agents-cordoned"; agents: number }
  | { kind: "gpu-agents-only"; agents: number }
  | { kind: "other-region"; agents: number }
  | { kind: "offer-constraints"; agents: number }
  | { kind: "filtered"; agents: number; until: number }
  | {
      kind: "quota-limit";
      role: string;
      limits: { resource: string; limit: number; consumed: number }[];
      agents: number;
    }
  | { kind: "quota-headroom"; heldBack: Record<string, number>; agents: number }
  | { kind: "held-in-other-offers"; agents: number; frameworks: string[] }
  | {
      kind: "insufficient-resources";
      agentId: string;
      hostname: string;
      shortages: Shortage[];
      agents: number;
    }
  | { kind: "eligible"; agents: number };

export interface Explanation {
  frameworkId: string;
  role?: string | undefined;
  /** True when nothing stops an offer at the next allocation run. */
  eligible: boolean;
  reasons: Reason[];
  message: string;
}

export interface RoleExplanation {
  role: string;
  /** True when some framework of the role can be offered something at the next run. */
  eligible: boolean;
  reasons: (
    | { kind: "no-frameworks" }
    | { kind: "all-suppressed"; frameworks: number }
    | { kind: "all-inactive"; frameworks: number }
  )[];
  frameworks: Explanation[];
  message: string;
}

export function explainRoleWithout(role: string): RoleExplanation {
  return {
    role,
    eligible: false,
    reasons: [{ kind: "no-frameworks" }],
    frameworks: [],
    message: `role ${role} has no frameworks subscribed to it`,
  };
}

export function explainRoleFrom(role: string, frameworks: Explanation[]): RoleExplanation {
  const has = (kind: Reason["kind"]) => (e: Explanation) => e.reasons.some((r) => r.kind === kind);
  const reasons: RoleExplanation["reasons"] = [];
  if (frameworks.length > 0 && frameworks.every(has("framework-inactive")))
    reasons.push({ kind: "all-inactive", frameworks: frameworks.length });
  else if (
    frameworks.length > 0 &&
    frameworks.every((e) => has("role-suppressed")(e) || has("framework-inactive")(e))
  )
    reasons.push({ kind: "all-suppressed", frameworks: frameworks.length });
  const eligible = frameworks.some((e) => e.eligible);
  const head =
    reasons[0]?.kind === "all-inactive"
      ? "none of its frameworks is connected"
      : reasons[0]?.kind === "all-suppressed"
        ? "all of its frameworks suppress offers for it or are not connected"
        : eligible
          ? "some of its frameworks can be offered resources at the next allocation run"
          : "none of its frameworks can be offered anything";
  return {
    role,
    eligible,
    reasons,
    frameworks,
    message: [`role ${role}: ${head}`, ...frameworks.map((f) => f.message)].join("\n"),
  };
}

export interface ExplainContext {
  agents: readonly AgentState[];
  minAllocatable: readonly Quantities[];
  filterGpu: boolean;
  region: string | undefined;
  quota: Quota | undefined;
  /** Consumed quota of the role's top-level role. */
  consumed: Amounts;
  /** Unreserved scalars held back for other roles' unmet guarantees (empty when none). */
  headroomHeld: Amounts;
  /** Unreserved scalars the role may take beyond that (headroom − held back); undefined when nothing is held. */
  surplus: Amounts | undefined;
}

export function explainFramework(frameworkId: string): Explanation {
  return {
    frameworkId,
    eligible: false,
    reasons: [{ kind: "framework-unknown" }],
    message: `framework ${frameworkId} is not known to the allocator`,
  };
}

function demandAlternatives(
  client: Client,
  options: ExplainOptions,
  ctx: ExplainContext,
): readonly Quantities[] {
  const d = options.demand;
  if (d instanceof Resources) {
    const q = new Map<string, number>();
    for (const e of d.entries) q.set(e.name, (q.get(e.name) ?? 0) + e.amount);
    return [q];
  }
  if (d !== undefined) return [d];
  return client.fw.minAllocatable.get(client.role.name) ?? ctx.minAllocatable;
}

const meets = (res: Resources, alternatives: readonly Quantities[]): boolean =>
  !res.isEmpty && (alternatives.length === 0 || alternatives.some((q) => containsQuantities(res, q)));

/** How far `res` is from the nearest alternative: the sum of relative shortfalls. */
function distance(res: Resources, alternatives: readonly Quantities[]): { score: number; q: Quantities } {
  let best = { score: Number.POSITIVE_INFINITY, q: alternatives[0] ?? new Map<string, number>() };
  for (const q of alternatives) {
    let score = 0;
    for (const [name, short] of shortfall(res, q)) score += short / Math.max(1, q.get(name)!);
    if (score < best.score) best = { score, q };
  }
  return best;
}

export function explainClient(client: Client, options: ExplainOptions, ctx: ExplainContext): Explanation {
  const fw = client.fw;
  const role = client.role.name;
  const base = { frameworkId: fw.id, role };
  if (!fw.active)
    return {
      ...base,
      eligible: false,
      reasons: [{ kind: "framework-inactive" }],
      message: `framework ${fw.id} is not connected`,
    };
  const reasons: Reason[] = [];
  if (client.offers.size > 0) reasons.push({ kind: "holds-offers", offers: client.offers.size });
  if (fw.suppressed.has(role)) {
    reasons.push({ kind: "role-suppressed", role });
    return { ...base, eligible: false, reasons, message: render(fw.id, role, reasons) };
  }
  const alternatives = demandAlternatives(client, options, ctx);
  let cordoned = 0;
  let gpu = 0;
  let region = 0;
  let constrained = 0;
  let filtered = 0;
  let filteredUntil = 0;
  let quotaBlocked = 0;
  let headroomBlocked = 0;
  let heldByOthers = 0;
  const holders = new Set<string>();
  let eligible = 0;
  let insufficient = 0;
  let best: { agent: AgentState; res: Resources; q: Quantities; score: number } | undefined;
  const limits =
    ctx.quota !== undefined && ctx.quota.limits.size > 0 ? limitsLeft(ctx.quota, ctx.consumed) : undefined;
  const surplus = ctx.surplus;

  for (const agent of ctx.agents) {
    if (!agent.active) {
      cordoned++;
      continue;
    }
    if (isAgentExcluded(fw.spec.offerConstraints, role, agent)) {
      constrained++;
      continue;
    }
    if (ctx.filterGpu && agent.hasGpus && !fw.gpuResources) {
      gpu++;
      continue;
    }
    if (
      ctx.region !== undefined &&
      !fw.regionAware &&
      agent.domain?.region !== undefined &&
      agent.domain.region !== ctx.region
    ) {
      region++;
      continue;
    }
    let available = agent.available.allocatableTo(role);
    if (!fw.reservationRefinement) available = available.withoutRefinedReservations();
    let offer = available;
    if (limits !== undefined) {
      const unreserved = available.filter((e) => e.type === "SCALAR" && e.reservationKey === "");
      offer = available.minus(unreserved).plus(shrink(unreserved, limits, "unlimited"));
    }
    const afterLimits = offer;
    if (surplus !== undefined) {
      const unreserved = offer.filter((e) => e.type === "SCALAR" && e.reservationKey === "");
      offer = offer.minus(unreserved).plus(shrink(unreserved, surplus, "zero"));
    }
    if (meets(offer, alternatives)) {
      const list = agent.filters?.get(client);
      const blocking = list?.filter((f) => f.refused.contains(offer)) ?? [];
      if (blocking.length > 0) {
        filtered++;
        for (const f of blocking) filteredUntil = Math.max(filteredUntil, f.expiresAt);
      } else eligible++;
      continue;
    }
    if (meets(available, alternatives)) {
      if (!meets(afterLimits, alternatives)) quotaBlocked++;
      else headroomBlocked++;
      continue;
    }
    let othersOffered = Resources.EMPTY;
    let ownOffered = Resources.EMPTY;
    for (const r of agent.offers) {
      if (r.client === client) ownOffered = ownOffered.plus(r.offer.resources);
      else othersOffered = othersOffered.plus(r.offer.resources);
    }
    if (!othersOffered.isEmpty && meets(available.plus(othersOffered.allocatableTo(role)), alternatives)) {
      heldByOthers++;
      for (const r of agent.offers) if (r.client !== client) holders.add(r.client.fw.id);
      continue;
    }
    // What it needs there is in its own offers ("holds-offers" says so).
    if (!ownOffered.isEmpty && meets(available.plus(ownOffered), alternatives)) continue;
    insufficient++;
    const d = distance(available, alternatives);
    if (best === undefined || d.score < best.score) best = { agent, res: available, q: d.q, score: d.score };
  }

  if (ctx.agents.length === 0) reasons.push({ kind: "no-agents" });
  if (eligible > 0) reasons.push({ kind: "eligible", agents: eligible });
  if (filtered > 0) reasons.push({ kind: "filtered", agents: filtered, until: filteredUntil });
  if (quotaBlocked > 0 && ctx.quota !== undefined) {
    const top = [...ctx.quota.limits].map(([resource, limit]) => ({
      resource,
      limit: fromMilli(limit),
      consumed: fromMilli(ctx.consumed.get(resource) ?? 0),
    }));
    reasons.push({
      kind: "quota-limit",
      role,
      limits: top.filter((l) => l.consumed >= l.limit),
      agents: quotaBlocked,
    });
  }
  if (headroomBlocked > 0) {
    const heldBack: Record<string, number> = {};
    for (const [k, v] of ctx.headroomHeld) heldBack[k] = fromMilli(v);
    reasons.push({ kind: "quota-headroom", heldBack, agents: headroomBlocked });
  }
  if (heldByOthers > 0)
    reasons.push({ kind: "held-in-other-offers", agents: heldByOthers, frameworks: [...holders].sort() });
  if (best !== undefined) {
    const shortages: Shortage[] = [...shortfall(best.res, best.q)].map(([resource, short]) => ({
      resource,
      needed: fromMilli(best!.q.get(resource)!),
      available: fromMilli(best!.res.amount(resource)),
      shortBy: fromMilli(short),
    }));
    reasons.push({
      kind: "insufficient-resources",
      agentId: best.agent.id,
      hostname: best.agent.hostname,
      shortages,
      agents: insufficient,
    });
  }
  if (cordoned > 0) reasons.push({ kind: "agents-cordoned", agents: cordoned });
  if (gpu > 0) reasons.push({ kind: "gpu-agents-only", agents: gpu });
  if (region > 0) reasons.push({ kind: "other-region", agents: region });
  if (constrained > 0) reasons.push({ kind: "offer-constraints", agents: constrained });
  return { ...base, eligible: eligible > 0, reasons, message: render(fw.id, role, reasons) };
}

function render(frameworkId: string, role: string, reasons: readonly Reason[]): string {
  return `framework ${frameworkId} in role ${role}: ${reasons.map(sentence).join("; ")}`;
}

/** One reason as a phrase. */
export function sentence(r: Reason): string {
  switch (r.kind) {
    case "framework-unknown":
      return "the framework is not known";
    case "framework-inactive":
      return "the framework is not connected";
    case "role-suppressed":
      return `offers for role ${r.role} are suppressed (REVIVE to get offers again)`;
    case "holds-offers":
      return `it holds ${r.offers} outstanding offer(s)`;
    case "no-agents":
      return "there are no agents";
    case "eligible":
      return `${r.agents} agent(s) can offer what it needs; it gets them in DRF order at the next allocation run`;
    case "filtered":
      return `${r.agents} agent(s) are filtered by its own declines until ${new Date(r.until).toISOString()} (REVIVE clears filters)`;
    case "quota-limit":
      return `role ${r.role} reached its quota limit (${r.limits.map((l) => `${l.resource} ${l.consumed} of ${l.limit}`).join(", ")}) on ${r.agents} agent(s)`;
    case "quota-headroom":
      return `${r.agents} agent(s) hold their resources back for other roles' quota guarantees (${Object.entries(
        r.heldBack,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`;
    case "held-in-other-offers":
      return `on ${r.agents} agent(s) what it needs is in outstanding offers to ${r.frameworks.join(", ") || "other roles"}`;
    case "insufficient-resources":
      return `no agent has enough: the closest, ${r.hostname}, is short of ${r.shortages
        .map((s) => `${s.resource} by ${s.shortBy} (has ${s.available}, needs ${s.needed})`)
        .join(" and ")}`;
    case "agents-cordoned":
      return `${r.agents} agent(s) are cordoned`;
    case "gpu-agents-only":
      return `${r.agents} agent(s) have GPUs and go only to frameworks with the GPU_RESOURCES capability`;
    case "other-region":
      return `${r.agents} agent(s) are in another region and go only to REGION_AWARE frameworks`;
    case "offer-constraints":
      return `its offer constraints exclude ${r.agents} agent(s)`;
  }
}
