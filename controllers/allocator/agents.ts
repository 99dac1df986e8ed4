// Agent bookkeeping: what a node has, what pods use, what is in outstanding offers, and what is
// left to offer. available = total − used − offered, where `used` is every non-terminal pod's
// requests (ours and everybody else's), so a hybrid cluster never double-books a node.
import type { AgentSpec, Attribute, Unavailability } from "./inputModel.ts";
import { type ResourceEntry, Resources } from "./resources.ts";
import type { Client, OfferFilter, OfferRecord, UsageRecord } from "./state.ts";

/** Take `want` of one resource from `pool`, from unreserved entries first, then reserved ones. */
function takeAnywhere(pool: Resources, want: ResourceEntry): Resources {
  const candidates = pool.entries
    .filter((e) => e.name === want.name && e.type === want.type)
    .sort((a, b) => (a.reservationKey === "" ? -1 : 0) - (b.reservationKey === "" ? -1 : 0));
  let left = pool;
  let remaining = Resources.fromEntries([{ ...want, reservations: [], reservationKey: "" }]);
  for (const e of candidates) {
    if (remaining.isEmpty) break;
    const here = Resources.fromEntries([{ ...e, reservations: [], reservationKey: "" }]);
    // What of the remaining demand this entry can give, expressed in its own reservation.
    const give = here.minus(here.minus(remaining));
    if (give.isEmpty) continue;
    const reGive = give.map((g) => ({
      ...g,
      reservations: e.reservations,
      reservationKey: e.reservationKey,
    }));
    left = left.minus(reGive);
    remaining = remaining.minus(give);
  }
  return left;
}

/**
 * `pool − usage` that never over-commits: usage is taken from the matching reservation first; what
 * that lacks (a foreign pod knows nothing of Mesos reservations) comes from unreserved resources,
 * then from reserved ones. Whatever the node cannot hold is simply not there to offer.
 */
export function consume(pool: Resources, usage: Resources): Resources {
  const exact = pool.minus(usage);
  const unmet = usage.minus(pool);
  let left = exact;
  for (const e of unmet.entries) left = takeAnywhere(left, e);
  return left;
}

export class AgentState {
  id: string;
  hostname: string;
  nodeName: string;
  attributes: readonly Attribute[];
  domain: AgentSpec["domain"];
  unschedulable: boolean;
  /** Scheduled maintenance: offers from the agent carry it. */
  unavailability: Unavailability | undefined;
  total: Resources;
  /** Sum of the usage records on this agent. */
  used = Resources.EMPTY;
  /** Sum of outstanding offers on this agent. */
  offered = Resources.EMPTY;
  /** What can still be offered. */
  available = Resources.EMPTY;
  /** Bumped whenever `available` grows; filters use it to skip repeated subset checks. */
  epoch = 0;
  hasGpus: boolean;
  hasReservations: boolean;
  removed = false;
  /** Position in the allocator's agent list. */
  slot = 0;
  readonly offers = new Set<OfferRecord>();
  readonly usage = new Set<UsageRecord>();
  /** Filters on this agent by client; null until the first one (most agents never have any). */
  filters: Map<Client, OfferFilter[]> | null = null;

  constructor(
    readonly idx: number,
    spec: AgentSpec,
  ) {
    this.id = spec.id;
    this.hostname = spec.hostname;
    this.nodeName = spec.nodeName;
    this.attributes = spec.attributes ?? [];
    this.domain = spec.domain;
    this.unschedulable = spec.unschedulable === true;
    this.unavailability = spec.unavailability;
    this.total = spec.resources;
    this.hasGpus = spec.resources.amount("gpus") > 0;
    this.hasReservations = spec.resources.hasReservations;
    this.available = spec.resources;
  }

  setTotal(total: Resources): void {
    this.total = total;
    this.hasGpus = total.amount("gpus") > 0;
    this.hasReservations = total.hasReservations;
  }

  /** True when the agent takes part in allocation (registered and not cordoned). */
  get active(): boolean {
    return !this.removed && !this.unschedulable;
  }

  /** What the node can hold for offers: total less pod usage. */
  unusedByPods(): Resources {
    return this.used.isEmpty ? this.total : consume(this.total, this.used);
  }

  /**
   * Recompute `available` after `total` or `used` changed. Returns false when the outstanding
   * offers no longer fit (the caller rescinds them and calls again).
   */
  refreshAvailable(): boolean {
    const base = this.unusedByPods();
    if (!base.contains(this.offered)) return false;
    const next = base.minus(this.offered);
    if (!this.available.contains(next)) this.epoch++;
    this.available = next;
    return true;
  }

  /** Resources came back (declined, rescinded, accepted remainder). */
  giveBack(resources: Resources): void {
    if (resources.isEmpty) return;
    this.offered = this.offered.minus(resources);
    this.available = this.available.plus(resources);
    this.epoch++;
  }

  /** Resources went into an offer. */
  takeForOffer(resources: Resources): void {
    this.available = this.available.minus(resources);
    this.offered = this.offered.plus(resources);
  }

  /** Offered resources became a task's (accepted): they stay taken, now as usage. */
  offeredToUsed(resources: Resources): void {
    this.offered = this.offered.minus(resources);
    this.used = this.used.plus(resources);
  }
}
