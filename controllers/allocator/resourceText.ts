// Text and JSON forms of resources, both ways:
// - the agent flag form `cpus:2;mem:1024;ports:[31000-32000];cpus(ads):8` (Resources::parse),
// - Mesos's log form `cpus(reservations: [(STATIC,ads)]):8; mem:1024` (operator<<), used in
//   messages such as "Total resources … is more than available …",
// - the legacy JSON summary of /master/state `{"cpus":2,"gpus":0,"mem":1024,"disk":0,"ports":"[31000-32000]"}`,
// - the pre-refinement protobuf form (`role` + `reservation`) for frameworks without RESERVATION_REFINEMENT.
import { formatMilli, toMilli } from "./fixedPoint.ts";
import {
  type Range,
  type Reservation,
  type ResourceEntry,
  type ResourceJSON,
  Resources,
  reservationRole,
  scalarEntry,
} from "./resources.ts";
import { roleNameError } from "./roles.ts";

export class ResourceParseError extends Error {
  override readonly name = "ResourceParseError";
}

type ParsedValue =
  | { type: "SCALAR"; value: number }
  | { type: "RANGES"; ranges: Range[] }
  | { type: "SET"; items: string[] };

function bracketsBalanced(text: string): boolean {
  const pairs: Record<string, string> = { "]": "[", "}": "{", ")": "(" };
  const stack: string[] = [];
  for (const ch of text) {
    if (ch === "[" || ch === "{" || ch === "(") stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

/** Parse a Mesos `Value` text: `2.5`, `[1-10, 20-30]` or `{a,b}` (src/common/values.cpp parse). */
export function parseValue(text: string): ParsedValue {
  const t = text.replaceAll(" ", "");
  if (t.length === 0) throw new ResourceParseError("Expecting non-empty string");
  if (!bracketsBalanced(t)) throw new ResourceParseError("Mismatched brackets");
  if (t.startsWith("[")) {
    const tokens = t.split(/[[\]\-,\n]/).filter((s) => s.length > 0);
    if (tokens.length % 2 !== 0) throw new ResourceParseError('Expecting one or more "ranges"');
    const ranges: Range[] = [];
    for (let i = 0; i < tokens.length; i += 2) {
      const begin = Number(tokens[i]);
      const end = Number(tokens[i + 1]);
      if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < 0)
        throw new ResourceParseError(`Expecting non-negative integers in '${t}'`);
      ranges.push({ begin, end });
    }
    return { type: "RANGES", ranges };
  }
  if (t.startsWith("{")) {
    if (!t.endsWith("}")) throw new ResourceParseError(`Expecting a set in '${t}'`);
    const items = t.split(/[{},\n]/).filter((s) => s.length > 0);
    return { type: "SET", items };
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { type: "SCALAR", value: Number(t) };
  throw new ResourceParseError(`Failed to parse value '${text}'`);
}

function staticReservation(role: string): Reservation[] {
  if (role === "*") return [];
  const err = roleNameError(role);
  if (err !== undefined) throw new ResourceParseError(err);
  return [{ type: "STATIC", role }];
}

/**
 * Parse resources as `Resources::parse` does: a JSON array of `Resource` objects, or the flag form
 * `name(role):value;…`. `defaultRole` reserves resources written without a role (agent --default_role).
 */
export function parseResources(text: string, defaultRole = "*"): Resources {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") && trimmed.endsWith("]") && trimmed.includes('{"')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (Array.isArray(json)) return Resources.fromJSON(json as ResourceJSON[]);
  }
  const parts: Resources[] = [];
  for (const token of text.split(";")) {
    if (token.trim().length === 0) continue;
    const pair = token.split(":").filter((s) => s.length > 0);
    if (pair.length !== 2)
      throw new ResourceParseError(`Bad value for resources, missing or extra ':' in ${token}`);
    const [head, valueText] = pair as [string, string];
    let name: string;
    let role: string;
    const open = head.indexOf("(");
    if (open < 0) {
      name = head.trim();
      role = defaultRole;
    } else {
      const close = head.indexOf(")");
      if (close < 0 || close < open)
        throw new ResourceParseError(`Bad value for resources, mismatched parentheses in ${token}`);
      name = head.slice(0, open).trim();
      role = head.slice(open + 1, close).trim();
    }
    if (name.length === 0) throw new ResourceParseError("Empty resource name");
    const value = parseValue(valueText);
    const reservations = staticReservation(role);
    if (value.type === "SCALAR") {
      // Mesos refuses negative values and non-zero values that round to zero.
      if (value.value < 0 || (value.value !== 0 && toMilli(value.value) <= 0))
        throw new ResourceParseError(`Invalid scalar resource ${name}: value <= 0`);
      parts.push(Resources.fromEntries([scalarEntry(name, toMilli(value.value), reservations)]));
    } else if (value.type === "RANGES") {
      for (const r of value.ranges)
        if (r.begin > r.end) throw new ResourceParseError(`Invalid ranges resource ${name}: begin > end`);
      parts.push(Resources.ranges(name, value.ranges, reservations));
    } else {
      if (new Set(value.items).size !== value.items.length)
        throw new ResourceParseError(`Invalid set resource ${name}: duplicate items`);
      parts.push(Resources.set(name, value.items, reservations));
    }
  }
  return Resources.sum(parts);
}

function formatRanges(flat: readonly number[], sep: string): string {
  const parts: string[] = [];
  for (let i = 0; i < flat.length; i += 2) parts.push(`${flat[i]}-${flat[i + 1]}`);
  return `[${parts.join(sep)}]`;
}

function formatEntryValue(e: ResourceEntry, sep: string): string {
  switch (e.type) {
    case "SCALAR":
      return formatMilli(e.amount);
    case "RANGES":
      return formatRanges(e.ranges, sep);
    case "SET":
      return `{${e.items.join(sep)}}`;
  }
}

/**
 * The flag form, `cpus:2;mem:1024;ports:[31000-32000];cpus(ads):8`. Exact for unreserved and
 * statically reserved resources; a dynamic or refined reservation is written with its role only
 * (use `Resources.toJSON` when the reservation details matter).
 */
export function formatResources(resources: Resources): string {
  return resources.entries
    .map((e) => {
      const role = e.reservationKey === "" ? "" : `(${reservationRole(e)})`;
      return `${e.name}${role}:${formatEntryValue(e, ",")}`;
    })
    .join(";");
}

function describeReservation(r: Reservation): string {
  let s = `${r.type},${r.role}`;
  if (r.principal !== undefined) s += `,${r.principal}`;
  if (r.labels !== undefined)
    s += `,{${Object.entries(r.labels)
      .map(([k, v]) => (v === "" ? k : `${k}: ${v}`))
      .join(", ")}}`;
  return s;
}

/** Mesos's log form (operator<<), e.g. `cpus(allocated: web)(reservations: [(STATIC,web)]):2; mem:1024`. */
export function describeResources(resources: Resources, allocationRole?: string): string {
  if (resources.isEmpty) return "{}";
  return resources.entries
    .map((e) => {
      let s = e.name;
      if (allocationRole !== undefined) s += `(allocated: ${allocationRole})`;
      if (e.reservations.length > 0)
        s += `(reservations: [${e.reservations.map((r) => `(${describeReservation(r)})`).join(",")}])`;
      return `${s}:${formatEntryValue(e, ", ")}`;
    })
    .join("; ");
}

export type ResourceSummary = Record<string, number | string>;

/**
 * The legacy JSON summary of /master/state and /roles: cpus, gpus, mem and disk always present,
 * other scalars by name, ranges and sets as strings; reservations are summed in.
 */
export function toSummary(resources: Resources): ResourceSummary {
  const out: ResourceSummary = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  for (const name of resources.names()) {
    const entry = resources.entries.find((e) => e.name === name)!;
    if (entry.type === "SCALAR") out[name] = resources.scalar(name);
    else if (entry.type === "RANGES") {
      const ranges = resources.rangesOf(name);
      out[name] = `[${ranges.map((r) => `${r.begin}-${r.end}`).join(", ")}]`;
    } else out[name] = `{${resources.setOf(name).join(", ")}}`;
  }
  return out;
}

/** Read a legacy JSON summary back into unreserved resources (zero scalars are dropped). */
export function fromSummary(summary: Readonly<Record<string, number | string>>): Resources {
  const parts: Resources[] = [];
  for (const [name, value] of Object.entries(summary)) {
    if (typeof value === "number") {
      if (value !== 0) parts.push(Resources.scalars({ [name]: value }));
      continue;
    }
    const parsed = parseValue(value);
    if (parsed.type === "SCALAR") {
      if (parsed.value !== 0) parts.push(Resources.scalars({ [name]: parsed.value }));
    } else if (parsed.type === "RANGES") parts.push(Resources.ranges(name, parsed.ranges));
    else parts.push(Resources.set(name, parsed.items));
  }
  return Resources.sum(parts);
}

/** A `Resource` in the pre-refinement format (`role` and `reservation` instead of `reservations`). */
export interface PreRefinementResourceJSON extends Omit<ResourceJSON, "reservations"> {
  role: string;
  reservation?:
    | { principal?: string | undefined; labels?: Readonly<Record<string, string>> | undefined }
    | undefined;
}

/**
 * Downgrade to the pre-refinement format that frameworks without RESERVATION_REFINEMENT receive.
 * Refined reservations have no such form; callers strip them first (`withoutRefinedReservations`).
 */
export function toPreRefinementJSON(
  resources: Resources,
  allocationRole?: string,
): PreRefinementResourceJSON[] {
  return resources.toJSON({ allocationRole }).map(({ reservations, ...rest }) => {
    const top = reservations?.[reservations.length - 1];
    const out: PreRefinementResourceJSON = { ...rest, role: top?.role ?? "*" };
    if (top?.type === "DYNAMIC") {
      out.reservation = {};
      if (top.principal !== undefined) out.reservation.principal = top.principal;
      if (top.labels !== undefined) out.reservation.labels = top.labels;
    }
    return out;
  });
}

/** Upgrade pre-refinement `Resource` objects (as Mesos `upgradeResource` does). */
export function fromPreRefinementJSON(list: readonly PreRefinementResourceJSON[]): Resources {
  return Resources.fromJSON(
    list.map(({ role, reservation, ...rest }) => {
      const out: ResourceJSON = { ...rest };
      if (role !== "*") {
        const r: Reservation =
          reservation === undefined
            ? { type: "STATIC", role }
            : { type: "DYNAMIC", role, principal: reservation.principal, labels: reservation.labels };
        out.reservations = [r];
      }
      return out;
    }),
  );
}
