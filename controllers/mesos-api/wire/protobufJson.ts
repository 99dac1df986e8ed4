// zod building blocks for protobuf messages written as JSON, read the way Mesos's stout parser
// reads them (semantics.md §0.1), plus the leniency real clients need (clients.md §3.1, §3.4):
//
// - `null` means absent (mesos-framework serializes every unset field as null);
// - `slave_id` is read as `agent_id` (mesoshttp; the v0 name) when the message has an agent_id;
// - a single value where a list is expected is read as a one-element list (mesoshttp sends
//   `operations` as one object);
// - integers and doubles may be JSON numbers or numeric strings; doubles also "Infinity",
//   "-Infinity" and "NaN";
// - enums are symbolic names; an unknown name is an error (→ 400);
// - bytes are standard base64 and stay base64 strings in the parsed value;
// - unknown keys are ignored (dropped from the parsed value);
// - optional fields with an explicit proto `[default = …]` get it, so parsed messages carry
//   what Mesos would echo back (e.g. `FrameworkInfo.failover_timeout: 0`).
import { z } from "zod";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A protobuf message: object with the given fields; null-valued keys dropped, `slave_id` aliased. */
export function message<S extends z.ZodRawShape>(shape: S) {
  const hasAgentId = "agent_id" in shape;
  return z.preprocess((input) => {
    if (!isPlainObject(input)) return input;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) if (value !== null) out[key] = value;
    if (hasAgentId && out.agent_id === undefined && out.slave_id !== undefined) out.agent_id = out.slave_id;
    return out;
  }, z.object(shape));
}

/** A `repeated` field: absent or null is an empty list, a single value a one-element list. */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((input) => {
    if (input === undefined || input === null) return [];
    return Array.isArray(input) ? input : [input];
  }, z.array(item));
}

/** A `map<string, V>` field (a JSON object keyed by the map key). */
export function map<T extends z.ZodType>(value: T) {
  return z.preprocess((input) => (input === null ? undefined : input), z.record(z.string(), value));
}

const INTEGER_TEXT = /^-?[0-9]+$/;
const DECIMAL_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function integerFromText(input: unknown): unknown {
  return typeof input === "string" && INTEGER_TEXT.test(input.trim()) ? Number(input.trim()) : input;
}

/**
 * int64/uint64 and friends. Read into a JS number: values beyond 2^53 (nanosecond timestamps)
 * lose sub-microsecond precision, which no Mesos semantics depend on.
 */
export function integer(min: number, max: number) {
  // Not z.number().int(): zod limits that to safe integers, and int64 nanoseconds are larger.
  return z.preprocess(
    integerFromText,
    z.custom<number>((v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max, {
      message: `Expected an integer from ${min} to ${max}`,
    }),
  );
}
export const int32 = () => integer(-(2 ** 31), 2 ** 31 - 1);
export const uint32 = () => integer(0, 2 ** 32 - 1);
export const int64 = () => integer(Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024);
export const uint64 = () => integer(0, Number.MAX_SAFE_INTEGER * 2048);

function doubleFromText(input: unknown): unknown {
  if (typeof input !== "string") return input;
  const t = input.trim();
  if (t === "Infinity") return Number.POSITIVE_INFINITY;
  if (t === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (t === "NaN") return Number.NaN;
  return DECIMAL_TEXT.test(t) ? Number(t) : input;
}

/** A `double`: any JSON number, a numeric string, or "Infinity"/"-Infinity"/"NaN". */
export function double() {
  return z.preprocess(
    doubleFromText,
    z.custom<number>((v) => typeof v === "number", { message: "Expected a number" }),
  );
}

/** A `bool`. */
export const bool = () => z.boolean();

/** A `string`. */
export const text = () => z.string();

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** A `bytes` field: standard base64 (padding optional), kept as base64 text. */
export function bytes() {
  return z.string().regex(BASE64, { message: "Expected base64" });
}

/** An enum by symbolic name. */
export function enumeration<const T extends readonly [string, ...string[]]>(names: T) {
  return z.enum(names);
}

/** A message with no fields (`Resource.revocable`, `exists{}`), kept as `{}`. */
export function empty() {
  return message({});
}

/**
 * A message this façade passes through without looking inside (rare Mesos features such as
 * DiscoveryInfo or LinuxInfo): it must be an object; its fields are kept as they came.
 */
export function opaque() {
  return z.record(z.string(), z.unknown());
}
