// Role objects → the allocator's weights and quota (semantics.md §4.2, §4.3). Two Role objects may
// not name the same Mesos role: the oldest one counts and the others are reported as conflicts.
// Changes are computed against what was applied before, so a deleted Role returns its role to
// weight 1 and no quota, and an unchanged one costs no allocator call (a weight update rescinds
// every outstanding offer, so it must not happen needlessly).

import type { QuotaConfig } from "../allocator/index.ts";
import type { Role } from "../api/index.ts";

/** The Mesos role a Role object configures (spec.name, defaulting to metadata.name). */
export const mesosRoleName = (role: Role): string => role.spec.name ?? role.metadata.name ?? "";

export interface RoleConfig {
  /** Weight by Mesos role (only roles with a Role object). */
  weights: ReadonlyMap<string, number>;
  /** Quota by Mesos role (only roles whose Role object sets one). */
  quotas: ReadonlyMap<string, QuotaConfig>;
  /** Role objects that lose to an older one naming the same role: object name → winner's object name. */
  conflicts: ReadonlyMap<string, string>;
}

function scalarsOf(
  q: Readonly<Record<string, number | undefined>> | undefined,
): Record<string, number> | undefined {
  if (q === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = v;
  return out;
}

export function quotaConfigOf(role: Role): QuotaConfig | undefined {
  const q = role.spec.quota;
  if (q === undefined) return undefined;
  const config: QuotaConfig = {};
  const guarantees = scalarsOf(q.guarantee);
  const limits = scalarsOf(q.limit);
  if (guarantees !== undefined) config.guarantees = guarantees;
  if (limits !== undefined) config.limits = limits;
  return config;
}

/** Oldest first (creation time, then name), so the winner of a conflict does not change. */
const olderFirst = (a: Role, b: Role): number => {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? "";
  const nb = b.metadata.name ?? "";
  return na < nb ? -1 : na > nb ? 1 : 0;
};

export function roleConfigOf(roles: readonly Role[]): RoleConfig {
  const weights = new Map<string, number>();
  const quotas = new Map<string, QuotaConfig>();
  const conflicts = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const role of [...roles].filter((r) => r.metadata.deletionTimestamp === undefined).sort(olderFirst)) {
    const name = mesosRoleName(role);
    const objectName = role.metadata.name ?? "";
    const winner = owner.get(name);
    if (winner !== undefined) {
      conflicts.set(objectName, winner);
      continue;
    }
    owner.set(name, objectName);
    weights.set(name, role.spec.weight);
    const quota = quotaConfigOf(role);
    if (quota !== undefined) quotas.set(name, quota);
  }
  return { weights, quotas, conflicts };
}

export interface RoleConfigCalls {
  /** One Allocator.setWeights call (empty: none); roles that lost their Role object go back to 1. */
  weights: Record<string, number>;
  /** Allocator.setQuota calls; undefined removes the quota. */
  quotas: [role: string, config: QuotaConfig | undefined][];
}

const sameQuota = (a: QuotaConfig | undefined, b: QuotaConfig | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The allocator calls that turn `applied` into `desired`. */
export function roleConfigCalls(applied: RoleConfig | undefined, desired: RoleConfig): RoleConfigCalls {
  const weights: Record<string, number> = {};
  const before = applied?.weights ?? new Map<string, number>();
  for (const [role, w] of desired.weights) if (before.get(role) !== w) weights[role] = w;
  for (const role of before.keys())
    if (!desired.weights.has(role) && before.get(role) !== 1) weights[role] = 1;
  const quotas: [string, QuotaConfig | undefined][] = [];
  const quotasBefore = applied?.quotas ?? new Map<string, QuotaConfig>();
  for (const [role, q] of desired.quotas) if (!sameQuota(quotasBefore.get(role), q)) quotas.push([role, q]);
  for (const role of quotasBefore.keys()) if (!desired.quotas.has(role)) quotas.push([role, undefined]);
  return { weights, quotas };
}
