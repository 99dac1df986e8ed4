// Quota (semantics.md §4.3; hierarchical.cpp __generateOffers): guarantees and limits on scalar
// resources of top-level roles. Consumed quota = the role's reservations (allocated or not) plus
// its unreserved offered-or-allocated resources. Guarantees not yet met are held back from other
// roles as headroom.
import { toMilli } from "./fixedPoint.ts";
import type { QuotaConfig } from "./inputModel.ts";
import {
  type ResourceEntry,
  Resources,
  reservationRole as reservationRoleOf,
  scalarEntry,
} from "./resources.ts";
import { roleAncestors, roleNameError } from "./roles.ts";

export type Amounts = Map<string, number>;

export interface Quota {
  /** Thousandths by name; absent = no guarantee. */
  readonly guarantees: ReadonlyMap<string, number>;
  /** Thousandths by name; absent = no limit. */
  readonly limits: ReadonlyMap<string, number>;
}

export function toQuota(config: QuotaConfig): Quota {
  const conv = (rec: Readonly<Record<string, number>> | undefined): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [name, v] of Object.entries(rec ?? {})) {
      if (!(v >= 0)) throw new RangeError(`quota for ${name} must be a non-negative number`);
      out.set(name, toMilli(v));
    }
    return out;
  };
  return { guarantees: conv(config.guarantees), limits: conv(config.limits) };
}

/** Mesos allows quota on top-level roles only (and on `*`). */
export function quotaRoleError(role: string): string | undefined {
  return (
    roleNameError(role) ?? (role.includes("/") ? `Quota cannot be set on nested role '${role}'` : undefined)
  );
}

export function addAmounts(into: Amounts, from: ReadonlyMap<string, number>, sign = 1): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + sign * v);
}

/** Unreserved, non-revocable scalar amounts of `resources` (what counts against quota and headroom). */
export function quotaAmounts(resources: Resources): Amounts {
  const out: Amounts = new Map();
  for (const e of resources.entries)
    if (e.type === "SCALAR" && e.reservationKey === "") out.set(e.name, (out.get(e.name) ?? 0) + e.amount);
  return out;
}

/** Reserved scalar amounts of `resources`. */
export function reservedAmounts(resources: Resources): Amounts {
  const out: Amounts = new Map();
  for (const e of resources.entries)
    if (e.type === "SCALAR" && e.reservationKey !== "") out.set(e.name, (out.get(e.name) ?? 0) + e.amount);
  return out;
}

/** `a − b` per name, dropping names at or below zero (ResourceQuantities subtraction). */
export function minusAmounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Amounts {
  const out: Amounts = new Map();
  for (const [k, v] of a) {
    const d = v - (b.get(k) ?? 0);
    if (d > 0) out.set(k, d);
  }
  return out;
}

export function isEmptyAmounts(a: ReadonlyMap<string, number>): boolean {
  for (const v of a.values()) if (v > 0) return false;
  return true;
}

/**
 * Shrink unreserved scalar `resources` to `target`. `absent` says what a name missing from the
 * target means: "zero" (quantities: dropped) or "unlimited" (limits: kept) — Mesos shrinkResources.
 */
export function shrink(
  resources: Resources,
  target: ReadonlyMap<string, number>,
  absent: "zero" | "unlimited",
): Resources {
  const left = new Map(target);
  let changed = false;
  const out: ResourceEntry[] = [];
  for (const e of resources.entries) {
    const room = left.get(e.name);
    if (room === undefined) {
      if (absent === "unlimited") out.push(e);
      else changed = true;
      continue;
    }
    const take = Math.min(e.amount, Math.max(0, room));
    left.set(e.name, room - take);
    if (take !== e.amount) changed = true;
    if (take > 0)
      out.push(take === e.amount ? e : scalarEntry(e.name, take, e.reservations, e.reservationKey));
  }
  return changed ? Resources.fromEntries(out) : resources;
}

/** Limits left for a role: limit − consumed, at least 0, for every limited name. */
export function limitsLeft(quota: Quota, consumed: ReadonlyMap<string, number>): Amounts {
  const out: Amounts = new Map();
  for (const [k, v] of quota.limits) out.set(k, Math.max(0, v - (consumed.get(k) ?? 0)));
  return out;
}

/** What a role may be offered from an agent under quota, and how much of it counts against quota. */
export interface QuotaOffer {
  toOffer: Resources;
  /** Unreserved scalars of the offer (its quota consumption). */
  gain: Amounts;
  /** Stage 1: the part that satisfies the guarantee (it stops being held back as headroom). */
  guaranteed?: Amounts | undefined;
}

const isQuotaResource = (e: ResourceEntry): boolean => e.type === "SCALAR" && e.reservationKey === "";

/**
 * Quota bookkeeping for one allocation cycle (hierarchical.cpp __generateOffers): consumed quota of
 * roles with quota, the headroom that unmet guarantees require, and the headroom available
 * (unallocated unreserved scalars). Updated as the cycle hands out resources.
 */
export class QuotaCycle {
  private constructor(
    readonly quotas: ReadonlyMap<string, Quota>,
    /** Consumed quota of the roles with quota. */
    readonly consumed: Map<string, Amounts>,
    /** Unreserved scalars still held back for unmet guarantees. */
    readonly required: Amounts,
    /** Unallocated unreserved scalars. */
    readonly headroom: Amounts,
    /** Some role with frameworks has an unmet guarantee: run stage 1. */
    readonly stage1: boolean,
  ) {}

  /** Null when no role has quota (then quota costs nothing). */
  static prepare(
    quotas: ReadonlyMap<string, Quota>,
    consumedOf: (role: string) => Amounts,
    hasActiveFrameworks: (role: string) => boolean,
    /** What agents have available (read only when some role has quota). */
    available: () => Iterable<Resources>,
  ): QuotaCycle | null {
    if (quotas.size === 0) return null;
    const consumed = new Map<string, Amounts>();
    const required: Amounts = new Map();
    let stage1 = false;
    for (const [role, quota] of quotas) {
      const c = consumedOf(role);
      consumed.set(role, c);
      const unmet = minusAmounts(quota.guarantees, c);
      addAmounts(required, unmet);
      if (!isEmptyAmounts(unmet) && hasActiveFrameworks(role)) stage1 = true;
    }
    const headroom: Amounts = new Map();
    for (const res of available()) addAmounts(headroom, quotaAmounts(res));
    return new QuotaCycle(quotas, consumed, required, headroom, stage1);
  }

  /** Stage 1: the role's guarantee still unmet on this agent, or undefined when it has none left. */
  unsatisfied(role: string): Amounts | undefined {
    const q = this.quotas.get(role);
    if (q === undefined || q.guarantees.size === 0) return undefined;
    const unmet = minusAmounts(q.guarantees, this.consumed.get(role)!);
    return isEmptyAmounts(unmet) ? undefined : unmet;
  }

  private surplus(): Amounts | undefined {
    return isEmptyAmounts(this.required) ? undefined : minusAmounts(this.headroom, this.required);
  }

  /**
   * Stage 1: the unmet guarantee, the role's reservations and non-scalars, and beyond the guarantee
   * only what its limits and the surplus headroom allow. Undefined when the agent adds nothing to
   * the guarantee.
   */
  guaranteeOffer(available: Resources, role: string, unsatisfied: Amounts): QuotaOffer | undefined {
    const q = this.quotas.get(role)!;
    const quotaResources = available.filter(isQuotaResource);
    const guaranteedRes = shrink(quotaResources, unsatisfied, "zero");
    if (guaranteedRes.isEmpty) return undefined;
    const fixed = available.filter(
      (e) => e.type !== "SCALAR" || (e.reservationKey !== "" && reservationRoleOf(e) === role),
    );
    const guaranteed = quotaAmounts(guaranteedRes);
    let additional = quotaResources.minus(guaranteedRes);
    if (q.limits.size > 0) {
      const consumedPlus = new Map(this.consumed.get(role)!);
      addAmounts(consumedPlus, guaranteed);
      additional = shrink(additional, limitsLeft(q, consumedPlus), "unlimited");
    }
    const surplus = this.surplus();
    if (surplus !== undefined && !additional.isEmpty) additional = shrink(additional, surplus, "zero");
    return {
      toOffer: guaranteedRes.plus(fixed).plus(additional),
      gain: quotaAmounts(guaranteedRes.plus(additional)),
      guaranteed,
    };
  }

  /**
   * Stage 2: reservations and non-scalars always; unreserved scalars up to the role's limit and the
   * surplus headroom. Undefined when neither applies (the whole of `available` may be offered).
   */
  limitOffer(available: Resources, role: string): QuotaOffer | undefined {
    const q = this.quotas.get(role);
    const limited = q !== undefined && q.limits.size > 0;
    const surplus = this.surplus();
    if (!limited && surplus === undefined) return undefined;
    let additional = available.filter(isQuotaResource);
    const fixed = available.minus(additional);
    if (limited) additional = shrink(additional, limitsLeft(q, this.consumed.get(role)!), "unlimited");
    if (surplus !== undefined && !additional.isEmpty) additional = shrink(additional, surplus, "zero");
    return { toOffer: fixed.plus(additional), gain: quotaAmounts(additional) };
  }

  /** Record an offer made to `role` (and so to its ancestors' consumption). */
  commit(role: string, offer: QuotaOffer, unsatisfied?: Amounts): void {
    for (const r of [role, ...roleAncestors(role)]) {
      const c = this.consumed.get(r);
      if (c !== undefined) addAmounts(c, offer.gain);
    }
    addAmounts(this.headroom, offer.gain, -1);
    if (offer.guaranteed !== undefined) {
      addAmounts(this.required, offer.guaranteed, -1);
      for (const [k, v] of this.required) if (v <= 0) this.required.delete(k);
    }
    if (unsatisfied !== undefined) addAmounts(unsatisfied, offer.gain, -1);
  }
}
