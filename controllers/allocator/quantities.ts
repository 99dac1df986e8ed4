// Resource quantities: name → amount in thousandths, without reservations or identities
// (Mesos ResourceQuantities). Used by quota, by --min_allocatable_resources and by explanations.
import { fromMilli, toMilli } from "./fixedPoint.ts";
import type { Resources } from "./resources.ts";
import { parseValue, ResourceParseError } from "./resourceText.ts";

export type Quantities = ReadonlyMap<string, number>;

/** From plain numbers in Mesos units, e.g. `{ cpus: 1, mem: 512 }`. */
export function quantitiesOf(values: Readonly<Record<string, number | undefined>>): Quantities {
  const out = new Map<string, number>();
  for (const [name, v] of Object.entries(values)) if (v !== undefined) out.set(name, toMilli(v));
  return out;
}

/** Plain numbers in Mesos units. */
export function quantitiesToRecord(q: Quantities): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, milli] of q) out[name] = fromMilli(milli);
  return out;
}

/** `cpus:1;mem:100` → quantities (a ranges or set value counts its elements, as `ports:[1-10]` → 10). */
export function parseQuantities(text: string): Quantities {
  const out = new Map<string, number>();
  for (const token of text.split(";")) {
    if (token.trim() === "") continue;
    const pair = token.split(":");
    if (pair.length !== 2)
      throw new ResourceParseError(`Bad value for quantities, missing or extra ':' in ${token}`);
    const name = pair[0]!.trim();
    const value = parseValue(pair[1]!);
    let milli: number;
    if (value.type === "SCALAR") milli = toMilli(value.value);
    else if (value.type === "RANGES")
      milli = value.ranges.reduce((n, r) => n + r.end - r.begin + 1, 0) * 1000;
    else milli = value.items.length * 1000;
    if (milli < 0) throw new ResourceParseError(`Negative quantity for ${name}`);
    out.set(name, (out.get(name) ?? 0) + milli);
  }
  return out;
}

/** `cpus:0.01|mem:32` → alternatives (the --min_allocatable_resources syntax). */
export function parseQuantityAlternatives(text: string): Quantities[] {
  return text
    .split("|")
    .filter((s) => s.trim() !== "")
    .map(parseQuantities);
}

export function formatQuantities(q: Quantities): string {
  return [...q].map(([name, milli]) => `${name}:${fromMilli(milli)}`).join(";");
}

/** True when `resources` hold at least every quantity of `q` (summed over reservations). */
export function containsQuantities(resources: Resources, q: Quantities): boolean {
  for (const [name, milli] of q) if (resources.amount(name) < milli) return false;
  return true;
}

/** What `resources` lack to reach `q`, by name (empty when they are enough). */
export function shortfall(resources: Resources, q: Quantities): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, milli] of q) {
    const have = resources.amount(name);
    if (have < milli) out.set(name, milli - have);
  }
  return out;
}
