// The resource forms of the legacy JSON endpoints (semantics.md §3.4): the summary object
// (`{"cpus":2,"gpus":0,"mem":1024,"disk":0,"ports":"[31000-32000]"}`, via the allocator's
// toSummary) and the per-role grouping of reservations.
import { type ResourceSummary, toSummary } from "../../allocator/index.ts";
import type { Resource } from "../messages/resource.ts";
import { toAllocatorResources } from "../messages/resourceConversion.ts";

export type { ResourceSummary };

export function summary(list: readonly Resource[] | undefined): ResourceSummary {
  return toSummary(toAllocatorResources(list ?? []));
}

/** The role a resource is reserved for (top of its stack), or undefined when unreserved. */
export function reservationRole(r: Resource): string | undefined {
  const top = r.reservations?.[r.reservations.length - 1];
  if (top !== undefined) return top.role;
  return r.role === undefined || r.role === "*" ? undefined : r.role;
}

/** Reserved resources grouped by reservation role, as protobuf Resource lists. */
export function reservedByRole(list: readonly Resource[] | undefined): Record<string, Resource[]> {
  const out: Record<string, Resource[]> = {};
  for (const r of list ?? []) {
    const role = reservationRole(r);
    if (role === undefined) continue;
    const group = out[role] ?? [];
    group.push(r);
    out[role] = group;
  }
  return out;
}

/** Reserved resources grouped by reservation role, as summaries. */
export function reservedSummaries(list: readonly Resource[] | undefined): Record<string, ResourceSummary> {
  return Object.fromEntries(Object.entries(reservedByRole(list)).map(([role, rs]) => [role, summary(rs)]));
}

export function unreserved(list: readonly Resource[] | undefined): Resource[] {
  return (list ?? []).filter((r) => reservationRole(r) === undefined);
}
