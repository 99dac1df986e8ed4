// Random and malformed Mesos API calls for fuzz tests (the in-memory fuzz beside the façade and
// the e2e fuzz against the operator process): templates of every call, mutated at random, under
// random paths, methods, content types, Accept headers, stream ids and framework ids.
import { type Agent, request } from "node:http";
import fc from "fast-check";
import { NOT_IMPLEMENTED } from "../operator/operatorApi.ts";

export const FID = "$FRAMEWORK_ID";
const UUID16 = Buffer.alloc(16, 3).toString("base64");
const id = (value: string) => ({ value });

export const SCHEDULER_TEMPLATES: Record<string, unknown>[] = [
  { type: "SUBSCRIBE", subscribe: { framework_info: { user: "u", name: "fuzz", roles: ["*"] } } },
  {
    type: "ACCEPT",
    framework_id: id(FID),
    accept: {
      offer_ids: [id("o1")],
      operations: [
        {
          type: "LAUNCH",
          launch: {
            task_infos: [
              {
                name: "t",
                task_id: id("t1"),
                agent_id: id("in-memory-S0"),
                resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 0.1 } }],
                command: { value: "true" },
              },
            ],
          },
        },
        {
          type: "RESERVE",
          id: id("op"),
          reserve: { resources: [{ name: "mem", type: "SCALAR", scalar: { value: 1 } }] },
        },
      ],
      filters: { refuse_seconds: 1 },
    },
  },
  {
    type: "DECLINE",
    framework_id: id(FID),
    decline: { offer_ids: [id("o1")], filters: { refuse_seconds: 0 } },
  },
  { type: "REVIVE", framework_id: id(FID), revive: { roles: ["*"] } },
  { type: "SUPPRESS", framework_id: id(FID), suppress: { roles: [] } },
  { type: "KILL", framework_id: id(FID), kill: { task_id: id("t1"), agent_id: id("in-memory-S0") } },
  { type: "SHUTDOWN", framework_id: id(FID), shutdown: { executor_id: id("e"), agent_id: id("a") } },
  {
    type: "ACKNOWLEDGE",
    framework_id: id(FID),
    acknowledge: { agent_id: id("a"), task_id: id("t1"), uuid: UUID16 },
  },
  {
    type: "ACKNOWLEDGE_OPERATION_STATUS",
    framework_id: id(FID),
    acknowledge_operation_status: { agent_id: id("a"), uuid: UUID16, operation_id: id("op") },
  },
  { type: "RECONCILE", framework_id: id(FID), reconcile: { tasks: [{ task_id: id("t1") }] } },
  {
    type: "RECONCILE_OPERATIONS",
    framework_id: id(FID),
    reconcile_operations: { operations: [{ operation_id: id("op") }] },
  },
  {
    type: "MESSAGE",
    framework_id: id(FID),
    message: { agent_id: id("a"), executor_id: id("e"), data: "aGk=" },
  },
  { type: "REQUEST", framework_id: id(FID), request: { requests: [{ agent_id: id("a"), resources: [] }] } },
  {
    type: "ACCEPT_INVERSE_OFFERS",
    framework_id: id(FID),
    accept_inverse_offers: { inverse_offer_ids: [id("i")] },
  },
  {
    type: "DECLINE_INVERSE_OFFERS",
    framework_id: id(FID),
    decline_inverse_offers: { inverse_offer_ids: [id("i")] },
  },
  {
    type: "UPDATE_FRAMEWORK",
    framework_id: id(FID),
    update_framework: { framework_info: { user: "u", name: "renamed", id: id(FID), roles: ["*"] } },
  },
  { type: "UNKNOWN", framework_id: id(FID) },
];

export const OPERATOR_TEMPLATES: Record<string, unknown>[] = [
  { type: "GET_HEALTH" },
  { type: "GET_STATE" },
  { type: "GET_METRICS", get_metrics: {} },
  { type: "GET_TASKS" },
  { type: "UPDATE_WEIGHTS", update_weights: { weight_infos: [{ role: "r", weight: 2 }] } },
  { type: "UPDATE_QUOTA", update_quota: { quota_configs: [{ role: "r", limits: { cpus: { value: 1 } } }] } },
  { type: "RESERVE_RESOURCES", reserve_resources: { agent_id: id("in-memory-S0"), resources: [] } },
  { type: "DRAIN_AGENT", drain_agent: { agent_id: id("in-memory-S0"), max_grace_period: "10s" } },
  { type: "MARK_AGENT_GONE", mark_agent_gone: { agent_id: id("x") } },
  { type: "UPDATE_MAINTENANCE_SCHEDULE", update_maintenance_schedule: { schedule: { windows: [] } } },
  { type: "LIST_FILES", list_files: { path: "/" } },
];

/** Calls answered 501, as Mesos does for what it does not implement. */
export const NOT_IMPLEMENTED_CALLS = new Set(["UNKNOWN", ...Object.keys(NOT_IMPLEMENTED)]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Apply `op` at the node reached by following `steps` (indices into keys/elements). */
function mutate(value: Json, steps: number[], op: number, replacement: Json): Json {
  if (steps.length === 0 || value === null || typeof value !== "object") {
    switch (op % 6) {
      case 0:
        return null;
      case 1:
        return replacement;
      case 2:
        return [value];
      case 3:
        return typeof value === "string" ? `${value}\u00e9` : replacement;
      case 4:
        return Array.isArray(value) ? (value[0] ?? null) : value;
      default:
        return {};
    }
  }
  const [step = 0, ...rest] = steps;
  if (Array.isArray(value)) {
    if (value.length === 0) return mutate(null, [], op, replacement);
    const i = step % value.length;
    return value.map((v, j) => (j === i ? mutate(v, rest, op, replacement) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { [String(replacement)]: replacement };
  const key = keys[step % keys.length] ?? "";
  const copy: { [key: string]: Json } = { ...value };
  if (rest.length === 0 && op % 7 === 6) {
    delete copy[key];
    if (key === "agent_id") copy.slave_id = value[key] ?? null;
    return copy;
  }
  copy[key] = mutate(value[key] ?? null, rest, op, replacement);
  return copy;
}

/** Valid calls from `templates` with up to three random mutations (often no longer valid). */
export const mutatedCall = (templates: Record<string, unknown>[]) =>
  fc
    .tuple(
      fc.constantFrom(...templates),
      fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), fc.jsonValue({ maxDepth: 2 })), {
        maxLength: 3,
      }),
    )
    .map(([template, mutations]) =>
      mutations.reduce<Json>(
        (acc, [steps, op, replacement]) => mutate(acc, steps, op, replacement as Json),
        template as Json,
      ),
    );

const body = fc.oneof(
  { weight: 6, arbitrary: mutatedCall(SCHEDULER_TEMPLATES).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: mutatedCall(OPERATOR_TEMPLATES).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...SCHEDULER_TEMPLATES, ...OPERATOR_TEMPLATES).map((v) => JSON.stringify(v)),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")) },
);

export const fuzzRequest = fc.record({
  path: fc.constantFrom("/api/v1/scheduler", "/api/v1/scheduler", "/master/api/v1/scheduler", "/api/v1"),
  method: fc.oneof({ weight: 12, arbitrary: fc.constant("POST") }, fc.constantFrom("GET", "PUT", "DELETE")),
  contentType: fc.constantFrom(
    "application/json",
    "application/json",
    "application/json",
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/x-protobuf",
    "text/plain",
    undefined,
  ),
  accept: fc.constantFrom(
    undefined,
    undefined,
    "*/*",
    "application/json",
    "application/x-protobuf",
    "text/html",
  ),
  streamId: fc.constantFrom("current", "current", "current", "current", "none", "random"),
  /** Whose framework id the call names: the subscribed one, a disconnected one, or nobody's. */
  frameworkId: fc.constantFrom(
    "subscribed",
    "subscribed",
    "subscribed",
    "subscribed",
    "disconnected",
    "unknown",
  ),
  body,
});

export type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

export interface Answer {
  status: number;
  body: string;
}

/** Who the placeholders of a request stand for. */
export interface FuzzTargets {
  subscribed: string;
  disconnected: string;
  unknown: string;
  /** The subscribed framework's current Mesos-Stream-Id. */
  streamId: string;
}

/** Send one request; a 200 stream is read for its head only and then dropped. */
export function send(baseUrl: string, agent: Agent, r: FuzzRequest, targets: FuzzTargets): Promise<Answer> {
  const named = targets[r.frameworkId];
  const payload = r.body.replaceAll(FID, named);
  const headers: Record<string, string> = { "Content-Length": String(Buffer.byteLength(payload, "latin1")) };
  if (r.contentType !== undefined) headers["Content-Type"] = r.contentType;
  if (r.accept !== undefined) headers.Accept = r.accept;
  if (r.streamId === "current") headers["Mesos-Stream-Id"] = targets.streamId;
  if (r.streamId === "random") headers["Mesos-Stream-Id"] = "00000000-0000-0000-0000-000000000000";
  return new Promise((resolve, reject) => {
    const req = request(new URL(r.path, baseUrl), { method: r.method, headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status === 200 && res.headers["transfer-encoding"] === "chunked") {
        req.destroy();
        resolve({ status, body: "" });
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(Buffer.from(payload, "latin1"));
  });
}

/** Calls the backend may refuse with a 4xx of its own (CallOutcome). */
export const BACKEND_DECIDED = new Set([
  "UPDATE_FRAMEWORK",
  "UPDATE_WEIGHTS",
  "UPDATE_QUOTA",
  "SET_QUOTA",
  "REMOVE_QUOTA",
  "TEARDOWN",
  "MARK_AGENT_GONE",
  "UPDATE_MAINTENANCE_SCHEDULE",
  "START_MAINTENANCE",
  "STOP_MAINTENANCE",
  "DRAIN_AGENT",
  "DEACTIVATE_AGENT",
  "REACTIVATE_AGENT",
  "RESERVE_RESOURCES",
  "UNRESERVE_RESOURCES",
]);

/** The `type` of a JSON call body, if it parses. */
export function callType(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}
