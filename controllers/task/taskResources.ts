// A Task asks for resources in the compact form (no reservations); an offer may hold them reserved
// for its role. This takes what the task asks for out of what is offered, as Mesos frameworks do:
// reserved resources first (they are of no use to anyone else), then unreserved ones.

import { fromMilli, type ResourceEntry, Resources, toMilli } from "../allocator/index.ts";
import { type Resources as CompactResources, SCALAR_NAMES } from "../api/index.ts";

/** Reserved entries first, then by reservation, so the choice is deterministic. */
const reservedFirst = (a: ResourceEntry, b: ResourceEntry): number => {
  if ((a.reservationKey === "") !== (b.reservationKey === "")) return a.reservationKey === "" ? 1 : -1;
  return a.reservationKey < b.reservationKey ? -1 : a.reservationKey > b.reservationKey ? 1 : 0;
};

/** The resources (with their reservations) the task would hold from `offered`, or undefined if they do not fit. */
export function takeTaskResources(demand: CompactResources, offered: Resources): Resources | undefined {
  const parts: Resources[] = [];
  for (const name of SCALAR_NAMES) {
    const want = demand[name];
    if (want === undefined || want <= 0) continue;
    let need = toMilli(want);
    const entries = offered.entries.filter((e) => e.name === name && e.type === "SCALAR").sort(reservedFirst);
    for (const e of entries) {
      if (need === 0) break;
      const take = Math.min(need, e.amount);
      parts.push(Resources.scalars({ [name]: fromMilli(take) }, e.reservations));
      need -= take;
    }
    if (need > 0) return undefined;
  }
  const portEntries = offered.entries
    .filter((e) => e.name === "ports" && e.type === "RANGES")
    .sort(reservedFirst);
  for (const range of demand.ports ?? []) {
    const entry = portEntries.find((e) =>
      Resources.fromEntries([e]).contains(Resources.ranges("ports", [range], e.reservations)),
    );
    if (entry === undefined) return undefined;
    parts.push(Resources.ranges("ports", [range], entry.reservations));
  }
  return Resources.sum(parts);
}
