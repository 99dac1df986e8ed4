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

const INT64_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INTEGER_TYPES = new Set([...INT64_TYPES, "int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const FLOAT_TYPES = new Set(["double", "float"]);

type Json = unknown;
type JsonObject = Record<string, unknown>;

// --- protobuf → JSON shape -------------------------------------------------------------------

/** Decode `bytes` as a message `typeName` into its JSON shape; throws ProtobufDecodeError. */
export function decodeProtobuf(typeName: MesosMessage, bytes: Uint8Array): JsonObject {
  let message: protobuf.Message;
  try {
    // Checks proto2 `required` fields too (ProtocolError), as ParseFromString does.
    message = type(typeName).decode(bytes);
  } catch (error) {
    throw new ProtobufDecodeError((error as Error).message);
  }
  return messageToJson(type(typeName), message as unknown as JsonObject);
}

function messageToJson(t: protobuf.Type, message: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const field of t.fieldsArray) {
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (field.map) {
      const entries = Object.entries(value as JsonObject);
      if (entries.length === 0) continue;
      const map: JsonObject = {};
      for (const [key, v] of entries) {
        const converted = valueToJson(field, v);
        if (converted !== undefined) map[key] = converted;
      }
      out[field.name] = map;
    } else if (field.repeated) {
      const items = (value as unknown[]).map((v) => valueToJson(field, v)).filter((v) => v !== undefined);
      // Protobuf cannot tell an empty list from an absent one; absent is the JSON shape's form.
      if (items.length > 0) out[field.name] = items;
    } else {
      const converted = valueToJson(field, value);
      if (converted !== undefined) out[field.name] = converted;
    }
  }
  return out;
}

function valueToJson(field: protobuf.Field, value: unknown): Json {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageToJson(resolved, value as JsonObject);
  if (resolved instanceof protobuf.Enum) {
    // An enum number this version does not know is an unknown field in proto2: absent.
    return typeof value === "number" ? resolved.valuesById[value] : undefined;
  }
  if (INT64_TYPES.has(field.type))
    return longToNumber(value, field.type.startsWith("u") || field.type === "fixed64");
  if (field.type === "bytes") return Buffer.from(value as Uint8Array).toString("base64");
  return value;
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
  const message = jsonToMessage(t, value, typeName);
  return t.encode(message).finish();
}

// google.protobuf.Duration in its JSON text form ("600s", "1.5s"), as DRAIN_AGENT's
// max_grace_period may be written.
const DURATION_TEXT = /^(-?)([0-9]+)(?:\.([0-9]{1,9}))?s$/;

function durationFromText(text: string, path: string): JsonObject {
  const match = DURATION_TEXT.exec(text);
  if (match === null) throw new ProtobufEncodeError(`${path}: '${text}' is not a duration`);
  const sign = match[1] === "-" ? -1 : 1;
  const nanos = Number((match[3] ?? "").padEnd(9, "0"));
  return { seconds: sign * Number(match[2]), ...(nanos > 0 ? { nanos: sign * nanos } : {}) };
}

function jsonToMessage(t: protobuf.Type, value: unknown, path: string): JsonObject {
  if (typeof value === "string" && t.fullName === ".google.protobuf.Duration")
    return jsonToMessage(t, durationFromText(value, path), path);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ProtobufEncodeError(`${path}: expected an object for ${t.fullName}`);
  const input = value as JsonObject;
  const out: JsonObject = {};
  for (const field of t.fieldsArray) {
    const v = input[field.name];
    const at = `${path}.${field.name}`;
    if (v === undefined || v === null) {
      if (field.required) throw new ProtobufEncodeError(`${at}: required field missing`);
      continue;
    }
    if (field.map) {
      const map: JsonObject = {};
      for (const [key, item] of Object.entries(v as JsonObject))
        map[key] = jsonToValue(field, item, `${at}[${key}]`);
      out[field.name] = map;
    } else if (field.repeated) {
      const items = Array.isArray(v) ? v : [v];
      out[field.name] = items.map((item, i) => jsonToValue(field, item, `${at}[${i}]`));
    } else {
      out[field.name] = jsonToValue(field, v, at);
    }
  }
  return out;
}

function jsonToValue(field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return jsonToMessage(resolved, value, path);
  if (resolved instanceof protobuf.Enum) {
    const number = typeof value === "string" ? resolved.values[value] : undefined;
    if (number === undefined)
      throw new ProtobufEncodeError(`${path}: '${String(value)}' is not a ${resolved.name}`);
    return number;
  }
  if (INTEGER_TYPES.has(field.type) || FLOAT_TYPES.has(field.type)) {
    // Mesos's JSON allows numeric strings, and doubles "Infinity"/"NaN" (toAsciiJson writes them so).
    const number = typeof value === "string" ? Number(value) : value;
    if (typeof number !== "number" || (INTEGER_TYPES.has(field.type) && !Number.isInteger(number)))
      throw new ProtobufEncodeError(`${path}: '${String(value)}' is not a ${field.type}`);
    return number;
  }
  if (field.type === "bytes") {
    if (typeof value !== "string") throw new ProtobufEncodeError(`${path}: bytes must be base64 text`);
    return Buffer.from(value, "base64");
  }
  if (field.type === "bool") {
    if (typeof value !== "boolean") throw new ProtobufEncodeError(`${path}: expected a bool`);
    return value;
  }
  if (typeof value !== "string") throw new ProtobufEncodeError(`${path}: expected a string`);
  return value;
}
