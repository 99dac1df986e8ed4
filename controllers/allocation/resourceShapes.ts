// The allocator's Resources ↔ the two resource shapes of the API: the compact form of Tasks, Roles and
// Framework status (cpus, mem, disk, gpus, ports) and the Mesos Resource list of Offers.

import { type Attribute, type ResourceJSON, Resources } from "../allocator/index.ts";
import type {
  Attribute as ApiAttribute,
  Resource as ApiResource,
  Resources as CompactResources,
} from "../api/index.ts";
import { roundMesos, SCALAR_NAMES } from "../api/index.ts";

/** Compact resources (unreserved) as allocator Resources. */
export function fromCompactResources(res: CompactResources): Resources {
  const scalars: Record<string, number> = {};
  for (const name of SCALAR_NAMES) {
    const v = res[name];
    if (v !== undefined && v > 0) scalars[name] = v;
  }
  const ports = res.ports ?? [];
  const base = Resources.scalars(scalars);
  return ports.length === 0 ? base : base.plus(Resources.ranges("ports", ports));
}

/**
 * Allocator Resources in the compact form: scalars summed over reservations, port ranges merged.
 * Custom names and sets have no compact form and are left out.
 */
export function toCompactResources(resources: Resources): CompactResources {
  const out: CompactResources = {};
  for (const name of SCALAR_NAMES) {
    const v = resources.scalar(name);
    if (v > 0) out[name] = roundMesos(v);
  }
  const ports = resources.rangesOf("ports");
  if (ports.length > 0) out.ports = ports.map((r) => ({ begin: r.begin, end: r.end }));
  return out;
}

/** Allocator Resources as the Offer's list of Mesos Resources (allocation role on every entry). */
export function toResourceList(resources: Resources, allocationRole?: string): ApiResource[] {
  return resources.toJSON({ allocationRole }).map((r) => {
    const out: ApiResource = { name: r.name, type: r.type };
    if (r.scalar !== undefined) out.scalar = r.scalar;
    if (r.ranges !== undefined) out.ranges = r.ranges.map((x) => ({ begin: x.begin, end: x.end }));
    if (r.set !== undefined) out.set = [...r.set];
    if (r.allocationInfo !== undefined) out.allocationInfo = { role: r.allocationInfo.role };
    if (r.reservations !== undefined)
      out.reservations = r.reservations.map((v) => {
        const reservation: NonNullable<ApiResource["reservations"]>[number] = { type: v.type, role: v.role };
        if (v.principal !== undefined) reservation.principal = v.principal;
        if (v.labels !== undefined) reservation.labels = { ...v.labels };
        return reservation;
      });
    return out;
  });
}

/** An Offer's list of Mesos Resources as allocator Resources (allocation info is dropped). */
export function fromResourceList(list: readonly ApiResource[]): Resources {
  return Resources.fromJSON(
    list.map((r): ResourceJSON => {
      const out: ResourceJSON = { name: r.name, type: r.type };
      if (r.scalar !== undefined) out.scalar = r.scalar;
      if (r.ranges !== undefined) out.ranges = r.ranges;
      if (r.set !== undefined) out.set = r.set;
      if (r.reservations !== undefined) out.reservations = r.reservations;
      return out;
    }),
  );
}

/** An allocator attribute as the Offer's attribute (absent values left out, not set to undefined). */
export function toApiAttribute(a: Attribute): ApiAttribute {
  const out: ApiAttribute = { name: a.name, type: a.type };
  if (a.text !== undefined) out.text = a.text;
  if (a.scalar !== undefined) out.scalar = a.scalar;
  if (a.ranges !== undefined) out.ranges = a.ranges.map((r) => ({ begin: r.begin, end: r.end }));
  if (a.set !== undefined) out.set = [...a.set];
  return out;
}
