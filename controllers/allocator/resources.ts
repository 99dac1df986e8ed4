// The Mesos resource algebra (src/common/resources.cpp): scalar, ranges and set resources, each
// unreserved or carrying a reservation stack (static, dynamic, refined). Values are immutable;
// every operation returns a new value, so offers, filters and agents can share them freely.
import { fromMilli, toMilli } from "./fixedPoint.ts";
import { isStrictSubrole } from "./roles.ts";

export type ValueType = "SCALAR" | "RANGES" | "SET";

export interface Reservation {
  readonly type: "STATIC" | "DYNAMIC";
  readonly role: string;
  readonly principal?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/** An inclusive range, as Mesos `Value.Range`. */
export interface Range {
  readonly begin: number;
  readonly end: number;
}

/** A Mesos `Resource` as plain data (camelCase, the shape of controllers/api ResourceSchema). */
export interface ResourceJSON {
  name: string;
  type: ValueType;
  scalar?: number | undefined;
  ranges?: Range[] | undefined;
  set?: string[] | undefined;
  reservations?: Reservation[] | undefined;
  allocationInfo?: { role: string } | undefined;
}

/** One normalized resource: at most one entry per (name, type, reservation stack). */
export interface ResourceEntry {
  readonly name: string;
  readonly type: ValueType;
  readonly reservations: readonly Reservation[];
  /** Canonical text of the reservation stack; "" when unreserved. */
  readonly reservationKey: string;
  /**
   * Quantity in thousandths: the fixed-point scalar, or for ranges and sets the number of elements
   * times 1000 (Mesos counts ranges and sets by their elements in quantities such as `ports:10`).
   */
  readonly amount: number;
  /** RANGES only: flat sorted, coalesced [begin0, end0, begin1, end1, …]. */
  readonly ranges: readonly number[];
  /** SET only: sorted, unique. */
  readonly items: readonly string[];
}

const NO_NUMBERS: readonly number[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);
const NO_RESERVATIONS: readonly Reservation[] = Object.freeze([]);

// Mesos agents list cpus, gpus, mem, disk, ports in this order; keeping it makes text stable and
// familiar. Other names follow alphabetically.
const NAME_RANK: Readonly<Record<string, number>> = { cpus: 0, gpus: 1, mem: 2, disk: 3, ports: 4 };
const rank = (name: string): number => NAME_RANK[name] ?? 5;

function compareEntries(a: ResourceEntry, b: ResourceEntry): number {
  if (a.name !== b.name) {
    const d = rank(a.name) - rank(b.name);
    if (d !== 0) return d;
    return a.name < b.name ? -1 : 1;
  }
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  if (a.reservationKey === b.reservationKey) return 0;
  return a.reservationKey < b.reservationKey ? -1 : 1;
}

/** Canonical key of a reservation stack ("" for unreserved). */
export function reservationKeyOf(reservations: readonly Reservation[]): string {
  if (reservations.length === 0) return "";
  return JSON.stringify(
    reservations.map((r) => [
      r.type,
      r.role,
      r.principal ?? null,
      r.labels ? Object.entries(r.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)) : null,
    ]),
  );
}

/** The role an entry is reserved for (the top of its stack), or "*" when unreserved. */
export function reservationRole(entry: ResourceEntry): string {
  const last = entry.reservations[entry.reservations.length - 1];
  return last === undefined ? "*" : last.role;
}

// ---------------------------------------------------------------------------------------------
// Ranges on flat arrays

function coalesceRanges(pairs: number[]): number[] {
  const n = pairs.length / 2;
  if (n <= 1) return pairs;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => pairs[2 * x]! - pairs[2 * y]! || pairs[2 * x + 1]! - pairs[2 * y + 1]!);
  const out: number[] = [];
  for (const i of idx) {
    const b = pairs[2 * i]!;
    const e = pairs[2 * i + 1]!;
    const last = out.length - 1;
    // Adjacent ranges merge too ([1-2] + [3-4] = [1-4]), as Mesos coalesces them.
    if (last > 0 && b <= out[last]! + 1) {
      if (e > out[last]!) out[last] = e;
    } else {
      out.push(b, e);
    }
  }
  return out;
}

function countRanges(r: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < r.length; i += 2) n += r[i + 1]! - r[i]! + 1;
  return n;
}

function subtractRanges(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let begin = a[i]!;
    const end = a[i + 1]!;
    while (j < b.length && b[j + 1]! < begin) j += 2;
    let k = j;
    while (begin <= end && k < b.length && b[k]! <= end) {
      if (b[k]! > begin) out.push(begin, b[k]! - 1);
      begin = Math.max(begin, b[k + 1]! + 1);
      k += 2;
    }
    if (begin <= end) out.push(begin, end);
  }
  return out;
}

function rangesContain(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  for (let j = 0; j < b.length; j += 2) {
    while (i < a.length && a[i + 1]! < b[j]!) i += 2;
    if (i >= a.length || a[i]! > b[j]! || a[i + 1]! < b[j + 1]!) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sets on sorted arrays

function unionItems(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function itemsContain(a: readonly string[], b: readonly string[]): boolean {
  if (b.length > a.length) return false;
  const have = new Set(a);
  return b.every((x) => have.has(x));
}

// ---------------------------------------------------------------------------------------------
// Entry constructors and per-entry arithmetic

function makeEntry(
  name: string,
  type: ValueType,
  reservations: readonly Reservation[],
  reservationKey: string,
  amount: number,
  ranges: readonly number[],
  items: readonly string[],
): ResourceEntry {
  return { name, type, reservations, reservationKey, amount, ranges, items };
}

export function scalarEntry(
  name: string,
  milli: number,
  reservations: readonly Reservation[] = NO_RESERVATIONS,
  reservationKey = reservationKeyOf(reservations),
): ResourceEntry {
  return makeEntry(name, "SCALAR", reservations, reservationKey, milli, NO_NUMBERS, NO_STRINGS);
}

function rangesEntry(
  name: string,
  flat: readonly number[],
  reservations: readonly Reservation[],
  reservationKey = reservationKeyOf(reservations),
): ResourceEntry {
  return makeEntry(name, "RANGES", reservations, reservationKey, countRanges(flat) * 1000, flat, NO_STRINGS);
}

function setEntry(name: string, items: readonly string[], like: ResourceEntry): ResourceEntry {
  return makeEntry(
    name,
    "SET",
    like.reservations,
    like.reservationKey,
    items.length * 1000,
    NO_NUMBERS,
    items,
  );
}

function isEmptyEntry(e: ResourceEntry): boolean {
  return e.amount <= 0;
}

function addEntry(a: ResourceEntry, b: ResourceEntry): ResourceEntry {
  switch (a.type) {
    case "SCALAR":
      return scalarEntry(a.name, a.amount + b.amount, a.reservations, a.reservationKey);
    case "RANGES":
      return rangesEntry(
        a.name,
        coalesceRanges([...a.ranges, ...b.ranges]),
        a.reservations,
        a.reservationKey,
      );
    case "SET":
      return setEntry(a.name, unionItems(a.items, b.items), a);
  }
}

/** The sum of entries that compare equal (same name, type and reservations). */
function addEntries(group: readonly ResourceEntry[]): ResourceEntry {
  const first = group[0]!;
  switch (first.type) {
    case "SCALAR": {
      let amount = 0;
      for (const e of group) amount += e.amount;
      return scalarEntry(first.name, amount, first.reservations, first.reservationKey);
    }
    case "RANGES": {
      const pairs: number[] = [];
      for (const e of group) for (const x of e.ranges) pairs.push(x);
      return rangesEntry(first.name, coalesceRanges(pairs), first.reservations, first.reservationKey);
    }
    case "SET": {
      let items = first.items;
      for (let k = 1; k < group.length; k++) items = unionItems(items, group[k]!.items);
      return setEntry(first.name, items, first);
    }
  }
}

function subtractEntry(a: ResourceEntry, b: ResourceEntry): ResourceEntry {
  switch (a.type) {
    case "SCALAR":
      return scalarEntry(a.name, a.amount - b.amount, a.reservations, a.reservationKey);
    case "RANGES":
      return rangesEntry(a.name, subtractRanges(a.ranges, b.ranges), a.reservations, a.reservationKey);
    case "SET": {
      const drop = new Set(b.items);
      return setEntry(
        a.name,
        a.items.filter((x) => !drop.has(x)),
        a,
      );
    }
  }
}

function entryContains(a: ResourceEntry, b: ResourceEntry): boolean {
  switch (a.type) {
    case "SCALAR":
      return a.amount >= b.amount;
    case "RANGES":
      return rangesContain(a.ranges, b.ranges);
    case "SET":
      return itemsContain(a.items, b.items);
  }
}

// ---------------------------------------------------------------------------------------------

export interface ToJSONOptions {
  /** Set `allocationInfo.role` on every resource (offers to MULTI_ROLE frameworks). */
  allocationRole?: string | undefined;
}

/** An immutable, normalized bag of resources. */
export class Resources {
  static readonly EMPTY = new Resources(Object.freeze([]));

  private constructor(readonly entries: readonly ResourceEntry[]) {}

  /** Normalize arbitrary entries: sort, merge equal keys, drop empty ones. */
  static fromEntries(entries: readonly ResourceEntry[]): Resources {
    const sorted = entries.filter((e) => !isEmptyEntry(e)).sort(compareEntries);
    const out: ResourceEntry[] = [];
    for (const e of sorted) {
      const last = out[out.length - 1];
      if (last !== undefined && compareEntries(last, e) === 0) out[out.length - 1] = addEntry(last, e);
      else out.push(e);
    }
    return out.length === 0 ? Resources.EMPTY : new Resources(out);
  }

  /** From sorted, merged, non-empty entries (internal fast path). */
  private static wrap(entries: ResourceEntry[]): Resources {
    return entries.length === 0 ? Resources.EMPTY : new Resources(entries);
  }

  /** Unreserved (or `reservations`-reserved) scalars, e.g. `Resources.scalars({ cpus: 2, mem: 1024 })`. */
  static scalars(
    values: Readonly<Record<string, number>>,
    reservations: readonly Reservation[] = NO_RESERVATIONS,
  ): Resources {
    const key = reservationKeyOf(reservations);
    return Resources.fromEntries(
      Object.entries(values).map(([name, v]) => scalarEntry(name, toMilli(v), reservations, key)),
    );
  }

  /** A ranges resource, e.g. `Resources.ranges("ports", [{ begin: 31000, end: 32000 }])`. */
  static ranges(
    name: string,
    ranges: readonly Range[],
    reservations: readonly Reservation[] = NO_RESERVATIONS,
  ): Resources {
    const flat: number[] = [];
    for (const r of ranges) {
      if (!Number.isInteger(r.begin) || !Number.isInteger(r.end) || r.begin < 0 || r.end < r.begin)
        throw new RangeError(`invalid range [${r.begin}-${r.end}] for ${name}`);
      flat.push(r.begin, r.end);
    }
    return Resources.fromEntries([rangesEntry(name, coalesceRanges(flat), reservations)]);
  }

  /** A set resource, e.g. `Resources.set("disks", ["sda", "sdb"])`. */
  static set(
    name: string,
    items: readonly string[],
    reservations: readonly Reservation[] = NO_RESERVATIONS,
  ): Resources {
    const sorted = [...new Set(items)].sort();
    const key = reservationKeyOf(reservations);
    return Resources.fromEntries([
      makeEntry(name, "SET", reservations, key, sorted.length * 1000, NO_NUMBERS, sorted),
    ]);
  }

  /** From Mesos `Resource` objects (camelCase). Throws on malformed input. */
  static fromJSON(list: readonly ResourceJSON[]): Resources {
    const parts: Resources[] = [];
    for (const r of list) {
      if (!r.name) throw new RangeError("Empty resource name");
      const reservations = r.reservations ?? NO_RESERVATIONS;
      if (r.type === "SCALAR") {
        if (r.scalar === undefined || r.scalar < 0 || !Number.isFinite(r.scalar))
          throw new RangeError(`Invalid scalar resource ${r.name}`);
        parts.push(Resources.fromEntries([scalarEntry(r.name, toMilli(r.scalar), reservations)]));
      } else if (r.type === "RANGES") {
        parts.push(Resources.ranges(r.name, r.ranges ?? [], reservations));
      } else if (r.type === "SET") {
        parts.push(Resources.set(r.name, r.set ?? [], reservations));
      } else {
        throw new RangeError(`Invalid resource type for ${r.name}`);
      }
    }
    return Resources.sum(parts);
  }

  /**
   * `parts[0] + parts[1] + …`, merging each kind of entry once (ranges coalesced once, not per
   * part): a framework's 1,000 offers sum in one pass instead of 1,000 copies.
   */
  static sum(parts: readonly Resources[]): Resources {
    if (parts.length <= 2)
      return parts.length === 0 ? Resources.EMPTY : parts[0]!.plus(parts[1] ?? Resources.EMPTY);
    // Grouped by a Map and only the groups sorted: a framework's 1,000 offers are 4,000 entries
    // but a handful of kinds. Entries compare equal (compareEntries) exactly when name, type and
    // reservation key agree; the type (an enum without "|") makes the inner key unambiguous.
    const groups = new Map<string, Map<string, ResourceEntry[]>>();
    for (const p of parts)
      for (const e of p.entries) {
        let byKind = groups.get(e.name);
        if (byKind === undefined) {
          byKind = new Map();
          groups.set(e.name, byKind);
        }
        const kind = `${e.type}|${e.reservationKey}`;
        const group = byKind.get(kind);
        if (group === undefined) byKind.set(kind, [e]);
        else group.push(e);
      }
    const out: ResourceEntry[] = [];
    for (const byKind of groups.values())
      for (const group of byKind.values()) out.push(group.length === 1 ? group[0]! : addEntries(group));
    out.sort(compareEntries);
    return Resources.wrap(out);
  }

  /** Mesos `Resource` objects (post-refinement format: `reservations` stack). */
  toJSON(options: ToJSONOptions = {}): ResourceJSON[] {
    return this.entries.map((e) => {
      const out: ResourceJSON = { name: e.name, type: e.type };
      if (e.type === "SCALAR") out.scalar = fromMilli(e.amount);
      else if (e.type === "RANGES") out.ranges = this.rangeList(e);
      else out.set = [...e.items];
      if (e.reservations.length > 0) out.reservations = e.reservations.map((r) => ({ ...r }));
      if (options.allocationRole !== undefined) out.allocationInfo = { role: options.allocationRole };
      return out;
    });
  }

  private rangeList(e: ResourceEntry): Range[] {
    const out: Range[] = [];
    for (let i = 0; i < e.ranges.length; i += 2) out.push({ begin: e.ranges[i]!, end: e.ranges[i + 1]! });
    return out;
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  get size(): number {
    return this.entries.length;
  }

  plus(other: Resources): Resources {
    if (other.entries.length === 0) return this;
    if (this.entries.length === 0) return other;
    const a = this.entries;
    const b = other.entries;
    const out: ResourceEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const c = compareEntries(a[i]!, b[j]!);
      if (c < 0) out.push(a[i++]!);
      else if (c > 0) out.push(b[j++]!);
      else out.push(addEntry(a[i++]!, b[j++]!));
    }
    while (i < a.length) out.push(a[i++]!);
    while (j < b.length) out.push(b[j++]!);
    return Resources.wrap(out);
  }

  /** Subtraction that never goes below zero: what `other` has and `this` lacks is ignored. */
  minus(other: Resources): Resources {
    if (other === this) return Resources.EMPTY;
    if (other.entries.length === 0 || this.entries.length === 0) return this;
    const a = this.entries;
    const b = other.entries;
    const out: ResourceEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length) {
      if (j >= b.length) {
        out.push(a[i++]!);
        continue;
      }
      const c = compareEntries(a[i]!, b[j]!);
      if (c < 0) out.push(a[i++]!);
      else if (c > 0) j++;
      else {
        const d = subtractEntry(a[i++]!, b[j++]!);
        if (!isEmptyEntry(d)) out.push(d);
      }
    }
    return Resources.wrap(out);
  }

  /** True when every resource of `other` (same name, type and reservation) is in `this`. */
  contains(other: Resources): boolean {
    if (other === this || other.entries.length === 0) return true;
    const a = this.entries;
    const b = other.entries;
    let i = 0;
    for (let j = 0; j < b.length; j++) {
      while (i < a.length && compareEntries(a[i]!, b[j]!) < 0) i++;
      if (i >= a.length || compareEntries(a[i]!, b[j]!) !== 0 || !entryContains(a[i]!, b[j]!)) return false;
    }
    return true;
  }

  equals(other: Resources): boolean {
    return (
      this === other ||
      (this.entries.length === other.entries.length && this.contains(other) && other.contains(this))
    );
  }

  /** Keep the entries for which `keep` holds (returns `this` when all are kept). */
  filter(keep: (e: ResourceEntry) => boolean): Resources {
    let all = true;
    for (const e of this.entries) {
      if (!keep(e)) {
        all = false;
        break;
      }
    }
    return all ? this : Resources.wrap(this.entries.filter(keep));
  }

  /** Apply `f` to every entry and normalize (used to change reservations in bulk). */
  map(f: (e: ResourceEntry) => ResourceEntry): Resources {
    return Resources.fromEntries(this.entries.map(f));
  }

  unreserved(): Resources {
    return this.filter((e) => e.reservationKey === "");
  }

  /** Reserved resources; with `role`, only those whose reservation stack ends in exactly that role. */
  reserved(role?: string): Resources {
    return role === undefined
      ? this.filter((e) => e.reservationKey !== "")
      : this.filter((e) => e.reservationKey !== "" && reservationRole(e) === role);
  }

  /** What a framework in `role` may be offered: unreserved plus reservations for the role or an ancestor. */
  allocatableTo(role: string): Resources {
    return this.filter((e) => {
      if (e.reservationKey === "") return true;
      const r = reservationRole(e);
      return r === role || isStrictSubrole(role, r);
    });
  }

  scalarsOnly(): Resources {
    return this.filter((e) => e.type === "SCALAR");
  }

  nonScalars(): Resources {
    return this.filter((e) => e.type !== "SCALAR");
  }

  /** Resources without refined reservations (stacks deeper than one), for frameworks lacking RESERVATION_REFINEMENT. */
  withoutRefinedReservations(): Resources {
    return this.filter((e) => e.reservations.length <= 1);
  }

  get hasReservations(): boolean {
    return this.entries.some((e) => e.reservationKey !== "");
  }

  /** Quantity of `name` in thousandths, summed over reservations (ranges/sets: elements × 1000). */
  amount(name: string): number {
    let total = 0;
    for (const e of this.entries) if (e.name === name) total += e.amount;
    return total;
  }

  /** Scalar value of `name` summed over reservations, as Mesos reports it. */
  scalar(name: string): number {
    return fromMilli(this.amount(name));
  }

  /** Ranges of `name` merged over reservations. */
  rangesOf(name: string): Range[] {
    const flat: number[] = [];
    for (const e of this.entries) if (e.name === name && e.type === "RANGES") flat.push(...e.ranges);
    const merged = coalesceRanges(flat);
    const out: Range[] = [];
    for (let i = 0; i < merged.length; i += 2) out.push({ begin: merged[i]!, end: merged[i + 1]! });
    return out;
  }

  /** Items of the set resource `name` merged over reservations. */
  setOf(name: string): string[] {
    const items: string[] = [];
    for (const e of this.entries) if (e.name === name && e.type === "SET") items.push(...e.items);
    return [...new Set(items)].sort();
  }

  names(): string[] {
    return [...new Set(this.entries.map((e) => e.name))];
  }

  /** The same resources with every reservation removed (merged into unreserved). */
  flatten(): Resources {
    if (!this.hasReservations) return this;
    return this.map((e) => ({ ...e, reservations: NO_RESERVATIONS, reservationKey: "" }));
  }

  /** Push `reservation` on top of every entry's stack (RESERVE, refinement). */
  pushReservation(reservation: Reservation): Resources {
    return this.map((e) => {
      const reservations = Object.freeze([...e.reservations, reservation]);
      return { ...e, reservations, reservationKey: reservationKeyOf(reservations) };
    });
  }

  /** Pop the top reservation of every entry (UNRESERVE). */
  popReservation(): Resources {
    return this.map((e) => {
      const reservations = Object.freeze(e.reservations.slice(0, -1));
      return { ...e, reservations, reservationKey: reservationKeyOf(reservations) };
    });
  }
}
