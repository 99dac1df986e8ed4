// Mesos wire Resources ⇄ the allocator's Resources (controllers/allocator), both ways:
// - wire → allocator reads both reservation formats (pre-refinement `role` + `reservation`, and
//   the `reservations` stack), for sums and the legacy summaries;
// - allocator → wire writes the format a framework asked for: the `reservations` stack for
//   frameworks with RESERVATION_REFINEMENT, otherwise `role` (always, "*" when unreserved:
//   mesos-rxjava's example filters offers on it) and `reservation`;
// - `endpointFormat` is the master's third format (convertResourceFormat ENDPOINT), in which
//   GET_AGENTS, GET_FRAMEWORKS and the `_full` resources of /master/slaves show resources.
import { type Reservation, type ResourceJSON, Resources } from "../../allocator/index.ts";
import type { Labels } from "./labels.ts";
import type { ReservationInfo, Resource } from "./resource.ts";

function labelsRecord(labels: Labels | undefined): Record<string, string> | undefined {
  if (labels === undefined || labels.labels.length === 0) return undefined;
  return Object.fromEntries(labels.labels.map((l) => [l.key, l.value ?? ""]));
}

function labelsMessage(labels: Readonly<Record<string, string>> | undefined): Labels | undefined {
  if (labels === undefined) return undefined;
  return { labels: Object.entries(labels).map(([key, value]) => ({ key, value })) };
}

function reservationsOf(r: Resource): Reservation[] {
  if (r.reservations !== undefined && r.reservations.length > 0)
    return r.reservations.map((info: ReservationInfo) => ({
      type: info.type === "STATIC" ? "STATIC" : "DYNAMIC",
      role: info.role ?? "*",
      principal: info.principal,
      labels: labelsRecord(info.labels),
    }));
  if (r.role === undefined || r.role === "*") return [];
  if (r.reservation === undefined) return [{ type: "STATIC", role: r.role }];
  return [
    {
      type: "DYNAMIC",
      role: r.role,
      principal: r.reservation.principal,
      labels: labelsRecord(r.reservation.labels),
    },
  ];
}

function toJson(r: Resource): ResourceJSON | undefined {
  if (r.type === "TEXT") return undefined;
  const reservations = reservationsOf(r);
  const out: ResourceJSON = { name: r.name, type: r.type };
  if (r.type === "SCALAR") {
    if (r.scalar === undefined || !Number.isFinite(r.scalar.value) || r.scalar.value < 0) return undefined;
    out.scalar = r.scalar.value;
  } else if (r.type === "RANGES") out.ranges = r.ranges?.range ?? [];
  else out.set = r.set?.item ?? [];
  if (reservations.length > 0) out.reservations = reservations;
  return out;
}

/**
 * The allocator's Resources of wire resources. Entries the allocator cannot represent (TEXT,
 * negative or non-finite scalars) are left out; revocable and shared markers and disk info are
 * not kept.
 */
export function toAllocatorResources(list: readonly Resource[]): Resources {
  const parts: Resources[] = [];
  for (const r of list) {
    const json = toJson(r);
    if (json === undefined) continue;
    try {
      parts.push(Resources.fromJSON([json]));
    } catch {
      // Not representable (e.g. an empty name): skipped, as documented above.
    }
  }
  return Resources.sum(parts);
}

export interface WireResourceOptions {
  /** Set `allocation_info.role` (offers and allocations of MULTI_ROLE frameworks). */
  allocationRole?: string | undefined;
  /** The framework has RESERVATION_REFINEMENT: write the `reservations` stack. */
  refinement: boolean;
}

/** Wire resources for the allocator's Resources, in the format the framework understands. */
export function toWireResources(resources: Resources, options: WireResourceOptions): Resource[] {
  return resources.toJSON().map((json) => {
    const out: Resource = { name: json.name, type: json.type };
    if (json.type === "SCALAR") out.scalar = { value: json.scalar ?? 0 };
    else if (json.type === "RANGES") out.ranges = { range: (json.ranges ?? []).map((r) => ({ ...r })) };
    else out.set = { item: [...(json.set ?? [])] };
    const stack = json.reservations ?? [];
    if (options.refinement) {
      if (stack.length > 0)
        out.reservations = stack.map((r) => ({
          type: r.type,
          role: r.role,
          ...(r.principal === undefined ? {} : { principal: r.principal }),
          ...(r.labels === undefined ? {} : { labels: labelsMessage(r.labels) }),
        }));
    } else {
      const top = stack[stack.length - 1];
      out.role = top?.role ?? "*";
      if (top?.type === "DYNAMIC")
        out.reservation = {
          ...(top.principal === undefined ? {} : { principal: top.principal }),
          ...(top.labels === undefined ? {} : { labels: labelsMessage(top.labels) }),
        };
    }
    if (options.allocationRole !== undefined) out.allocation_info = { role: options.allocationRole };
    return out;
  });
}

/**
 * A wire resource in the master's ENDPOINT format (resources_utils.cpp convertResourceFormat):
 * the `reservations` stack, plus for an unreserved resource `role: "*"` and for a single
 * reservation its `role` (and `reservation` with principal and labels when dynamic); a refined
 * reservation (a stack of two or more) has the stack only. Other fields are kept.
 */
export function endpointFormat(r: Resource): Resource {
  const { role: _role, reservation: _reservation, reservations: _stack, ...rest } = r;
  const stack: ReservationInfo[] =
    r.reservations !== undefined && r.reservations.length > 0
      ? r.reservations
      : r.role === undefined || r.role === "*"
        ? []
        : [
            {
              type: r.reservation === undefined ? "STATIC" : "DYNAMIC",
              role: r.role,
              ...(r.reservation?.principal === undefined ? {} : { principal: r.reservation.principal }),
              ...(r.reservation?.labels === undefined ? {} : { labels: r.reservation.labels }),
            },
          ];
  if (stack.length === 0) return { ...rest, role: "*" };
  if (stack.length > 1) return { ...rest, reservations: stack };
  const only = stack[0]!;
  return {
    ...rest,
    role: only.role ?? "*",
    ...(only.type === "DYNAMIC"
      ? {
          reservation: {
            ...(only.principal === undefined ? {} : { principal: only.principal }),
            ...(only.labels === undefined ? {} : { labels: only.labels }),
          },
        }
      : {}),
    reservations: stack,
  };
}
