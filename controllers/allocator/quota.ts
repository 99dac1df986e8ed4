// Quota (semantics.md §4.3; hierarchical.cpp __generateOffers): guarantees and limits on scalar
// resources of top-level roles. Consumed quota = the role's reservations (allocated or not) plus
// its unreserved offered-or-allocated resources. Guarantees not yet met are held back from other
// roles as headroom.
import { toMilli } from "./fixedPoint.ts";
import type { QuotaConfig } from "./inputModel.ts";
import { type ResourceEntry, Resources, scalarEntry } from "./resources.ts";
import { roleNameError } from "./roles.ts";

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
