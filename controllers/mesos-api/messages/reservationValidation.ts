// Validation of RESERVE and UNRESERVE resources with the Mesos master's messages
// (master/validation.cpp operation::validate for Reserve/Unreserve, resource::validate), for the
// operator calls RESERVE_RESOURCES / UNRESERVE_RESOURCES and the scheduler's ACCEPT operations.
// Pure: what is valid is decided here, whether it fits the agent is the allocator's business.

import { describeResources, type Resources } from "../../allocator/index.ts";
import { isValidRoleName } from "../../api/index.ts";
import type { Resource } from "./resource.ts";
import { toAllocatorResources } from "./resourceConversion.ts";

/** Who asks: the operator API (no framework) or a framework accepting an offer. */
export interface ReserveRequester {
  /** The authenticated principal (operator API) or FrameworkInfo.principal (scheduler API). */
  principal?: string | undefined;
  /** Set for a framework: its roles, and the role of the offer the resources come from. */
  framework?: { roles: readonly string[]; allocationRole: string } | undefined;
}

const describe = (r: Resource): string => describeResources(toAllocatorResources([r]));

/** The reservation stack of a wire resource, in either format (top last). */
function stackOf(r: Resource): { type: string; role: string; principal?: string | undefined }[] {
  if (r.reservations !== undefined && r.reservations.length > 0)
    return r.reservations.map((x) => ({
      type: x.type ?? "UNKNOWN",
      role: x.role ?? "",
      principal: x.principal,
    }));
  if (r.role === undefined || r.role === "*") return [];
  if (r.reservation === undefined) return [{ type: "STATIC", role: r.role }];
  return [{ type: "DYNAMIC", role: r.role, principal: r.reservation.principal }];
}

/** resource::validate: what makes a Resource invalid whatever the operation. */
function resourceError(list: readonly Resource[]): string | undefined {
  for (const r of list) {
    if (r.name === "") return "Empty resource name";
    if (r.type === "SCALAR" && (r.scalar === undefined || !(r.scalar.value >= 0)))
      return `Invalid scalar resource ${r.name}: value must be a non-negative number`;
    if (r.type === "TEXT") return `Resource ${r.name} has the unsupported type TEXT`;
    if (r.reservations !== undefined && r.reservations.length > 0 && r.role !== undefined)
      return "Resource with 'reservations' must not set 'role'";
    for (const x of stackOf(r)) {
      if (x.role === "*") return 'Invalid reservation: role "*" cannot be reserved';
      if (!isValidRoleName(x.role)) return `Invalid reservation: role '${x.role}' is not a valid role name`;
    }
  }
  return undefined;
}

/** Why these resources cannot be reserved (Mesos's message), or undefined. */
export function reserveError(list: readonly Resource[], who: ReserveRequester): string | undefined {
  if (list.length === 0) return "Invalid resources: no resources to reserve";
  const invalid = resourceError(list);
  if (invalid !== undefined) return `Invalid resources: ${invalid}`;
  for (const r of list) {
    const stack = stackOf(r);
    const top = stack.at(-1);
    if (top?.type !== "DYNAMIC") return `Resource ${describe(r)} is not dynamically reserved`;
    if (who.principal !== undefined) {
      if (top.principal === undefined)
        return `A reserve operation was attempted by principal '${who.principal}', but there is a reserved resource in the request with no principal set`;
      if (top.principal !== who.principal)
        return `A reserve operation was attempted by authenticated principal '${who.principal}', which does not match a reserved resource in the request with principal '${top.principal}'`;
    }
    const fw = who.framework;
    if (fw === undefined) {
      if (r.allocation_info !== undefined)
        return "A reserve operation was attempted with an allocated resource, but the operator API only allows reservations to be made to unallocated resources";
      continue;
    }
    // The master puts the offer's allocation role on resources that lack it.
    const allocated = r.allocation_info?.role ?? fw.allocationRole;
    if (allocated !== top.role)
      return `A reserve operation was attempted for a resource with role '${top.role}', but the resource was allocated to role '${allocated}'`;
    if (!fw.roles.includes(allocated))
      return `A reserve operation was attempted for a resource allocated to role '${allocated}', but the framework only has roles '{ ${fw.roles.join(", ")} }'`;
  }
  return undefined;
}

/** Two reservation stacks are the same layers (type, role, principal), bottom first. */
function sameStack(a: Resource, b: Resource): boolean {
  const x = stackOf(a);
  const y = stackOf(b);
  return (
    x.length === y.length &&
    x.every((l, i) => l.type === y[i]?.type && l.role === y[i]?.role && l.principal === y[i]?.principal)
  );
}

/**
 * A reservation update (RESERVE with `source`, Mesos 1.9+): why `source` cannot become `resources`
 * (validation.cpp operation::validate(Reserve) for a non-empty source), or undefined. The checks
 * every RESERVE gets (`reserveError`) come after.
 */
export function reservationUpdateError(
  source: readonly Resource[],
  resources: readonly Resource[],
): string | undefined {
  const invalidTarget = resourceError(resources);
  if (invalidTarget !== undefined) return `Invalid resources: ${invalidTarget}`;
  const invalidSource = resourceError(source);
  if (invalidSource !== undefined) return `Invalid source: ${invalidSource}`;
  const mixed = (list: readonly Resource[]): string | undefined => {
    if (list.length === 0) return "Resource cannot be empty";
    const first = list[0]!;
    if (!list.every((r) => sameStack(r, first)))
      return `Mixed reservations are not supported${describeResources(toAllocatorResources(list))}`;
    return undefined;
  };
  const mixedSource = mixed(source);
  if (mixedSource !== undefined) return `Invalid source: ${mixedSource}`;
  const mixedTarget = mixed(resources);
  if (mixedTarget !== undefined) return `Invalid resources: ${mixedTarget}`;
  const from = toAllocatorResources(source).flatten();
  const to = toAllocatorResources(resources).flatten();
  if (!from.equals(to))
    return `Source and target resources should refer to identical resource quantities: ${describeResources(from)} vs. ${describeResources(to)}`;
  return undefined;
}

/** Why these resources cannot be unreserved (Mesos's message), or undefined. */
export function unreserveError(list: readonly Resource[]): string | undefined {
  if (list.length === 0) return "Invalid resources: no resources to unreserve";
  const invalid = resourceError(list);
  if (invalid !== undefined) return `Invalid resources: ${invalid}`;
  for (const r of list) {
    if (stackOf(r).at(-1)?.type !== "DYNAMIC") return `Resource ${describe(r)} is not dynamically reserved`;
    if ((r.disk as { persistence?: unknown } | undefined)?.persistence !== undefined)
      return `A dynamically reserved persistent volume ${describe(r)} cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource`;
  }
  return undefined;
}

/** The allocator's form of validated wire resources (allocation info dropped). */
export const reservationResources = (list: readonly Resource[]): Resources => toAllocatorResources(list);
