// A Framework as the allocator sees it, and the call that brings the allocator there. Suppress and
// revive follow spec.suppressedRoles: Allocator.updateFramework suppresses newly listed roles and
// revives (clearing their filters) the ones taken off the list, as SUPPRESS/REVIVE would.

import {
  type FrameworkSpec as AllocatorFrameworkSpec,
  type Quantities,
  quantitiesOf,
} from "../allocator/index.ts";
import type { Framework, FrameworkPhase } from "../api/index.ts";

export function allocatorFrameworkSpec(
  fw: Framework,
  frameworkId: string,
  phase: FrameworkPhase,
): AllocatorFrameworkSpec {
  const spec: AllocatorFrameworkSpec = {
    id: frameworkId,
    name: fw.spec.name ?? fw.metadata.name,
    roles: [...fw.spec.roles],
    capabilities: [...(fw.spec.capabilities ?? [])],
    suppressedRoles: [...(fw.spec.suppressedRoles ?? [])],
    active: phase === "Active",
  };
  const filters = fw.spec.offerFilters ?? [];
  if (filters.length > 0) {
    const min: Record<string, Quantities[]> = {};
    for (const f of filters) min[f.role] = (f.minAllocatableResources ?? []).map((q) => quantitiesOf(q));
    spec.minAllocatableResources = min;
  }
  return spec;
}

export type FrameworkAllocatorCall =
  | { kind: "none" }
  | { kind: "add"; spec: AllocatorFrameworkSpec }
  | { kind: "update"; spec: AllocatorFrameworkSpec }
  | { kind: "remove"; frameworkId: string };

/** Quantities are Maps, which JSON drops; compare them as entries. */
const comparable = (spec: AllocatorFrameworkSpec): string =>
  JSON.stringify(spec, (_k, v: unknown) => (v instanceof Map ? [...v] : v));

/**
 * From what the allocator holds for the framework (the spec last applied, undefined when none) to
 * `desired` (undefined: the framework must not be in the allocator — Completed, or invalid roles).
 */
export function frameworkAllocatorCall(
  applied: AllocatorFrameworkSpec | undefined,
  desired: AllocatorFrameworkSpec | undefined,
): FrameworkAllocatorCall {
  if (desired === undefined)
    return applied === undefined ? { kind: "none" } : { kind: "remove", frameworkId: applied.id };
  if (applied === undefined) return { kind: "add", spec: desired };
  if (comparable(applied) === comparable(desired)) return { kind: "none" };
  return { kind: "update", spec: desired };
}
