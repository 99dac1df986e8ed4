// GET /master/roles: roles with weight, quota, and allocated/offered/reserved summaries. Quota
// figures are ResourceQuantities in Mesos: only the names that are set (an absent limit is no
// limit, which a summary's zeros would misstate).
import type { MasterSnapshot } from "../backend.ts";
import type { Resource } from "../messages/resource.ts";
import { summary } from "./legacyResources.ts";

function quantities(map: Record<string, { value: number }> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([name, scalar]) => [name, scalar.value]));
}

function scalarQuantities(list: readonly Resource[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of list ?? [])
    if (r.type === "SCALAR" && r.scalar !== undefined) out[r.name] = (out[r.name] ?? 0) + r.scalar.value;
  return out;
}

export function rolesEndpoint(snapshot: MasterSnapshot): Record<string, unknown> {
  return {
    roles: snapshot.roles.map((role) => ({
      name: role.name,
      weight: role.weight,
      quota: {
        role: role.name,
        guarantee: quantities(role.quota?.guarantees),
        limit: quantities(role.quota?.limits),
        consumed: scalarQuantities(role.consumed_quota),
      },
      resources: summary(role.resources),
      allocated: summary(role.allocated),
      offered: summary(role.offered),
      reserved: summary(role.reserved),
      frameworks: role.frameworks.map((f) => f.value),
    })),
  };
}
