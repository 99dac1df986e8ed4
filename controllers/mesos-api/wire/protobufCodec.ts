// The protobuf encoding of the Mesos v1 API (`application/x-protobuf`) as a codec at the wire edge:
// protobuf bytes are decoded into the same JSON shape a JSON request has (Mesos's JSON mapping,
// semantics.md §0.1: proto field names, enum names, int64 as numbers, bytes as base64), so the zod
// schemas and handlers see one shape whatever the encoding; events and responses, built as JSON
// values, are encoded into protobuf the other way round.
//
// The messages are those of the vendored Mesos 1.11.0 .proto files (wire/proto/README.md), loaded
// from their generated reflection descriptor. protobufjs does the wire format (varints, packed
// fields, required-field checks, unknown fields skipped); the walk between its message objects and
// the JSON shape is ours, so that the mapping is exactly Mesos's and not protobufjs's toObject.
import protobuf from "protobufjs";
import descriptor from "./proto/mesosV1.descriptor.json" with { type: "json" };

/** The messages that cross the wire as a whole. */
export const MESOS_MESSAGES = {
  schedulerCall: "mesos.v1.scheduler.Call",
  schedulerEvent: "mesos.v1.scheduler.Event",
  operatorCall: "mesos.v1.master.Call",
  operatorResponse: "mesos.v1.master.Response",
  operatorEvent: "mesos.v1.master.Event",
} as const;

export type MesosMessage = (typeof MESOS_MESSAGES)[keyof typeof MESOS_MESSAGES];

/** Bytes that are not a valid protobuf message of the expected type. */
export class ProtobufDecodeError extends Error {
  override readonly name = "ProtobufDecodeError";
}

/** A JSON value that has no protobuf form (a bug on our side: we only encode what we built). */
export class ProtobufEncodeError extends Error {
  override readonly name = "ProtobufEncodeError";
  /** Where in the message, outermost first (field names and [index]/[key]). */
  readonly path: string[] = [];

  constructor(readonly reason: string) {
    super(reason);
  }

  /** Prefix the path with the field or element that contains it. */
  within(segment: string): this {
    this.path.unshift(segment);
    this.message = `${this.path.join(".").replaceAll(".[", "[")}: ${this.reason}`;
    return this;
  }
}

// mesos-framework (a dev dependency) brings protobufjs 5; a node_modules installed before
// protobufjs 8 became a dependency may still have it at the top. Say so rather than fail obscurely.
if (typeof protobuf.Root?.fromJSON !== "function")
  throw new Error("protobufjs 8 is required but an older protobufjs is installed: run npm ci");
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
root.resolveAll();

function type(name: string): protobuf.Type {
  return root.lookupType(name);
}

type Json = unknown;
type JsonObject = Record<string, unknown>;

/** How one field's values convert, worked out once per field from the descriptor. */
interface FieldPlan {
  name: string;
  kind: "message" | "enum" | "int64" | "uint64" | "integer" | "float" | "bytes" | "bool" | "string";
  list: boolean;
  map: boolean;
  message?: MessagePlan;
  enumeration?: protobuf.Enum;
}

/** A message's fields by name, and its proto2 `required` ones. */
interface MessagePlan {
  type: protobuf.Type;
  fields: Map<string, FieldPlan>;
  required: string[];
}

const INTEGER_TYPES = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const PLANS = new Map<protobuf.Type, MessagePlan>();

function planOf(t: protobuf.Type): MessagePlan {
  let plan = PLANS.get(t);
  if (plan !== undefined) return plan;
  plan = { type: t, fields: new Map(), required: t.fieldsArray.filter((f) => f.required).map((f) => f.name) };
  // Registered before its fields are planned: messages nest recursively (Value, Resource…).
  PLANS.set(t, plan);
  for (const f of t.fieldsArray) {
    const resolved = f.resolvedType;
    const field: FieldPlan = { name: f.name, kind: "string", list: f.repeated, map: f.map };
    if (resolved instanceof protobuf.Type) {
      field.kind = "message";
      field.message = planOf(resolved);
    } else if (resolved instanceof protobuf.Enum) {
      field.kind = "enum";
      field.enumeration = resolved;
    } else if (f.type === "uint64" || f.type === "fixed64") field.kind = "uint64";
    else if (f.type === "int64" || f.type === "sint64" || f.type === "sfixed64") field.kind = "int64";
    else if (INTEGER_TYPES.has(f.type)) field.kind = "integer";
    else if (f.type === "double" || f.type === "float") field.kind = "float";
    else if (f.type === "bytes" || f.type === "bool") field.kind = f.type;
    plan.fields.set(f.name, field);
  }
  return plan;
}

// --- protobuf → JSON shape -------------------------------------------------------------------

/** Decode `bytes` as a message `typeName` into its JSON shape; throws ProtobufDecodeError. */
export function decodeProtobuf(typeName: MesosMessage, bytes: Uint8Array): JsonObject {
  const t = type(typeName);
  let message: protobuf.Message;
  try {
    // Checks proto2 `required` fields too (ProtocolError), as ParseFromString does.
    message = t.decode(bytes);
  } catch (error) {
    throw new ProtobufDecodeError((error as Error).message);
  }
  return messageToJson(planOf(t), message as unknown as JsonObject);
}

function messageToJson(plan: MessagePlan, message: JsonObject): JsonObject {
  const out: JsonObject = {};
  // The decoded message's own properties are the fields on the wire (plus empty lists and maps).
  for (const name of Object.keys(message)) {
    const field = plan.fields.get(name);
    const value = message[name];
    if (field === undefined || value === undefined || value === null) continue;
    if (field.map) {
      const entries = Object.entries(value as JsonObject);
      if (entries.length === 0) continue;
      const map: JsonObject = {};
      for (const [key, v] of entries) {
        const converted = valueToJson(field, v);
        if (converted !== undefined) map[key] = converted;
      }
      out[name] = map;
    } else if (field.list) {
      const items: unknown[] = [];
      for (const v of value as unknown[]) {
        const converted = valueToJson(field, v);
        if (converted !== undefined) items.push(converted);
      }
      // Protobuf cannot tell an empty list from an absent one; absent is the JSON shape's form.
      if (items.length > 0) out[name] = items;
    } else {
      const converted = valueToJson(field, value);
      if (converted !== undefined) out[name] = converted;
    }
  }
  return out;
}

function valueToJson(field: FieldPlan, value: unknown): Json {
  switch (field.kind) {
    case "message":
      return messageToJson(field.message as MessagePlan, value as JsonObject);
    case "enum":
      // An enum number this version does not know is an unknown field in proto2: absent.
      return typeof value === "number" ? field.enumeration?.valuesById[value] : undefined;
    case "int64":
    case "uint64":
      return longToNumber(value, field.kind === "uint64");
    case "bytes":
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      return value;
  }
}

function longToNumber(value: unknown, unsigned: boolean): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Number(value);
  return protobuf.util.LongBits.from(value as protobuf.Long).toNumber(unsigned);
}

// --- JSON shape → protobuf -------------------------------------------------------------------

/** Encode the JSON shape `value` as a message `typeName`; throws ProtobufEncodeError. */
export function encodeProtobuf(typeName: MesosMessage, value: JsonObject): Uint8Array {
  const t = type(typeName);
  let message: JsonObject;
  try {
    message = jsonToMessage(planOf(t), value);
  } catch (error) {
    if (error instanceof ProtobufEncodeError) throw error.within(typeName);
    throw error;
  }
  return t.encode(message).finish();
}

// google.protobuf.Duration in its JSON text form ("600s", "1.5s"), as DRAIN_AGENT's
// max_grace_period may be written.
const DURATION_TEXT = /^(-?)([0-9]+)(?:\.([0-9]{1,9}))?s$/;

function durationFromText(text: string): JsonObject {
  const match = DURATION_TEXT.exec(text);
  if (match === null) throw new ProtobufEncodeError(`'${text}' is not a duration`);
  const sign = match[1] === "-" ? -1 : 1;
  const nanos = Number((match[3] ?? "").padEnd(9, "0"));
  return { seconds: sign * Number(match[2]), ...(nanos > 0 ? { nanos: sign * nanos } : {}) };
}

// Paths are put together only on error (ProtobufEncodeError.within), as the error unwinds.
function jsonToMessage(plan: MessagePlan, value: unknown): JsonObject {
  if (typeof value === "string" && plan.type.fullName === ".google.protobuf.Duration")
    return jsonToMessage(plan, durationFromText(value));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ProtobufEncodeError(`expected an object for ${plan.type.fullName}`);
  const input = value as JsonObject;
  const out: JsonObject = {};
  // Keys that are not fields of the message (none in what we build) are left out.
  for (const name of Object.keys(input)) {
    const field = plan.fields.get(name);
    const v = input[name];
    if (field === undefined || v === undefined || v === null) continue;
    try {
      out[name] = jsonToField(field, v);
    } catch (error) {
      if (error instanceof ProtobufEncodeError) throw error.within(name);
      throw error;
    }
  }
  for (const name of plan.required)
    if (out[name] === undefined) throw new ProtobufEncodeError("required field missing").within(name);
  return out;
}

function jsonToField(field: FieldPlan, v: unknown): unknown {
  if (field.map) {
    const map: JsonObject = {};
    for (const [key, item] of Object.entries(v as JsonObject)) map[key] = element(field, item, key);
    return map;
  }
  if (field.list) {
    const items = Array.isArray(v) ? v : [v];
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = element(field, items[i], i);
    return out;
  }
  return jsonToValue(field, v);
}

function element(field: FieldPlan, item: unknown, at: string | number): unknown {
  try {
    return jsonToValue(field, item);
  } catch (error) {
    if (error instanceof ProtobufEncodeError) throw error.within(`[${at}]`);
    throw error;
  }
}

function jsonToValue(field: FieldPlan, value: unknown): unknown {
  switch (field.kind) {
    case "message":
      return jsonToMessage(field.message as MessagePlan, value);
    case "enum": {
      const number = typeof value === "string" ? field.enumeration?.values[value] : undefined;
      if (number === undefined)
        throw new ProtobufEncodeError(`'${String(value)}' is not a ${field.enumeration?.name}`);
      return number;
    }
    case "int64":
    case "uint64":
    case "integer": {
      // Mesos's JSON allows numeric strings. A fraction (a nanosecond count computed from
      // milliseconds, say) is cut off, as the JSON shape's readers would read it.
      const number = typeof value === "string" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isFinite(number))
        throw new ProtobufEncodeError(`'${String(value)}' is not an integer`);
      return Math.trunc(number);
    }
    case "float": {
      // Doubles may also be "Infinity"/"-Infinity"/"NaN" (toAsciiJson writes them so).
      const number = typeof value === "string" ? Number(value) : value;
      if (typeof number !== "number") throw new ProtobufEncodeError(`'${String(value)}' is not a number`);
      return number;
    }
    case "bytes":
      if (typeof value !== "string") throw new ProtobufEncodeError("bytes must be base64 text");
      return Buffer.from(value, "base64");
    case "bool":
      if (typeof value !== "boolean") throw new ProtobufEncodeError("expected a bool");
      return value;
    default:
      if (typeof value !== "string") throw new ProtobufEncodeError("expected a string");
      return value;
  }
}
