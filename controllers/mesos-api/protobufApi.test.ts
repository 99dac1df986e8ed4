// The Mesos API spoken in protobuf (`application/x-protobuf`) over real HTTP, against the façade
// on the in-memory backend: Content-Type/Accept negotiation as Master::Http::scheduler and ::api do
// it (a JSON request may ask for protobuf answers and the other way round), a framework that
// subscribes, launches and acknowledges in protobuf, operator answers and events that carry the
// same content in both encodings, and malformed bytes answered 400.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "./testing/eventStreamClient.ts";
import {
  FID,
  mutatedCall,
  NOT_IMPLEMENTED_CALLS,
  OPERATOR_TEMPLATES,
  SCHEDULER_TEMPLATES,
} from "./testing/fuzzCalls.ts";
import { httpRequest, operatorCall } from "./testing/httpClient.ts";
import { TestFramework, updateOf } from "./testing/testFramework.ts";
import { startTestServer, type TestServer } from "./testing/testServer.ts";
import { withoutEmpty } from "./testing/withoutEmpty.ts";
import { decodeProtobuf, encodeProtobuf, MESOS_MESSAGES, ProtobufEncodeError } from "./wire/protobufCodec.ts";

const {
  schedulerCall,
  schedulerEvent,
  operatorCall: operatorCallType,
  operatorResponse,
  operatorEvent,
} = MESOS_MESSAGES;
const PROTOBUF = "application/x-protobuf";
const FRAMEWORK_INFO = { user: "u", name: "pb", roles: ["*"], capabilities: [{ type: "MULTI_ROLE" }] };
const SUBSCRIBE = { type: "SUBSCRIBE", subscribe: { framework_info: FRAMEWORK_INFO } };

let t: TestServer;
const closers: { close(): void }[] = [];

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  for (const c of closers.splice(0)) c.close();
  await t.close();
});

async function stream(call: unknown, headers: Record<string, string>, path = "/api/v1/scheduler") {
  const client = await EventStreamClient.open(t.baseUrl, call, { path, headers });
  closers.push(client);
  return client;
}

function operatorProtobuf(call: Record<string, unknown>, headers: Record<string, string> = {}) {
  return httpRequest(t.baseUrl, {
    path: "/api/v1",
    headers: { "Content-Type": PROTOBUF, Accept: PROTOBUF, ...headers },
    body: encodeProtobuf(operatorCallType, call),
  });
}

/**
 * The JSON answer without `Task.command`: the JSON shape carries it for the legacy executor view
 * (messages/task.ts), but mesos.v1.Task has no such field, so protobuf answers cannot.
 */
function withoutTaskCommand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTaskCommand);
  if (typeof value !== "object" || value === null) return value;
  const isTask = "task_id" in value && "framework_id" in value && "state" in value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !(isTask && key === "command"))
      .map(([key, v]) => [key, withoutTaskCommand(v)]),
  );
}

describe("scheduler API negotiation (semantics.md §0.2, §1.2)", () => {
  it("S-08: a SUBSCRIBE sent as protobuf without Accept streams JSON", async () => {
    const client = await stream(encodeProtobuf(schedulerCall, SUBSCRIBE), { "Content-Type": PROTOBUF });
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("application/json");
    await client.waitFor("HEARTBEAT");
    expect(client.types().slice(0, 2)).toEqual(["SUBSCRIBED", "HEARTBEAT"]);
  });

  it("a JSON SUBSCRIBE that accepts only protobuf streams RecordIO-framed protobuf events", async () => {
    const client = await stream(SUBSCRIBE, { Accept: PROTOBUF });
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe(PROTOBUF);
    expect(client.headers["message-content-type"]).toBeUndefined();
    expect(client.streamId).toMatch(/^[0-9a-f-]{36}$/);
    const subscribed = await client.waitFor("SUBSCRIBED");
    expect(subscribed.subscribed).toMatchObject({
      framework_id: { value: expect.stringMatching(/-0000$/) },
      heartbeat_interval_seconds: 5,
      master_info: { port: 5050 },
    });
    await client.waitFor("OFFERS");
  });

  it("prefers JSON when both are acceptable, protobuf when JSON is refused", async () => {
    const both = await stream(SUBSCRIBE, { Accept: `${PROTOBUF}, application/json` });
    expect(both.headers["content-type"]).toBe("application/json");
    const notJson = await stream(SUBSCRIBE, { Accept: `*/*, application/json;q=0` });
    expect(notJson.headers["content-type"]).toBe(PROTOBUF);
  });

  it("streams application/recordio with Message-Content-Type protobuf when asked so (mesos-go streaming)", async () => {
    const client = await stream(SUBSCRIBE, { Accept: "application/recordio", "Message-Accept": PROTOBUF });
    expect(client.headers["content-type"]).toBe("application/recordio");
    expect(client.headers["message-content-type"]).toBe(PROTOBUF);
    await client.waitFor("SUBSCRIBED");
  });

  it("answers 406 with Mesos's message when Accept allows neither", async () => {
    const r = await httpRequest(t.baseUrl, {
      path: "/api/v1/scheduler",
      headers: { "Content-Type": PROTOBUF, Accept: "text/html" },
      body: encodeProtobuf(schedulerCall, SUBSCRIBE),
    });
    expect([r.status, r.body]).toEqual([
      406,
      "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
    ]);
  });

  it("S-04: answers 400 to bytes that are not a Call, and to a Call without its required fields", async () => {
    const malformed = await httpRequest(t.baseUrl, {
      path: "/api/v1/scheduler",
      headers: { "Content-Type": PROTOBUF },
      body: "MALFORMED_CONTENT",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatch(/^Failed to parse body into Call protobuf/);
    // Call { type: SUBSCRIBE, subscribe {} }: Subscribe.framework_info is required.
    const missing = await httpRequest(t.baseUrl, {
      path: "/api/v1/scheduler",
      headers: { "Content-Type": PROTOBUF },
      body: Buffer.from([0x10, 0x01, 0x1a, 0x00]),
    });
    expect([missing.status, missing.body]).toEqual([
      400,
      "Failed to parse body into Call protobuf: missing required 'framework_info'",
    ]);
    // A well-formed Call without a type fails validation as JSON would.
    const untyped = await httpRequest(t.baseUrl, {
      path: "/api/v1/scheduler",
      headers: { "Content-Type": PROTOBUF },
      body: encodeProtobuf(schedulerCall, { framework_id: { value: "f" } }),
    });
    expect([untyped.status, untyped.body]).toEqual([
      400,
      "Failed to validate scheduler::Call: Expecting 'type' to be present",
    ]);
  });

  it("answers 415 to a Content-Type that is neither, naming both", async () => {
    const r = await httpRequest(t.baseUrl, {
      path: "/api/v1/scheduler",
      headers: { "Content-Type": "text/plain" },
      body: "x",
    });
    expect([r.status, r.body]).toEqual([
      415,
      "Expecting 'Content-Type' of application/json or application/x-protobuf",
    ]);
  });
});

describe("a framework speaking protobuf", () => {
  it("subscribes, launches on an offer, sees TASK_RUNNING, acknowledges it and tears down", async () => {
    const f = await TestFramework.subscribe(t.baseUrl, FRAMEWORK_INFO, "protobuf");
    closers.push(f);
    expect(f.stream.headers["content-type"]).toBe(PROTOBUF);
    const [update] = await f.launch(["pb-task"]);
    const status = update && updateOf(update);
    expect(status).toMatchObject({ task_id: { value: "pb-task" }, state: "TASK_RUNNING" });
    // The uuid is bytes on the wire and base64 in the JSON shape, as it is in JSON.
    expect(Buffer.from(status?.uuid ?? "", "base64")).toHaveLength(16);
    const ack = await f.call("ACKNOWLEDGE", {
      acknowledge: { agent_id: status?.agent_id, task_id: status?.task_id, uuid: status?.uuid },
    });
    expect(ack.status).toBe(202);
    expect(t.backend.calls.some((c) => c.method === "acknowledge")).toBe(true);
    expect((await f.call("TEARDOWN")).status).toBe(202);
    await f.stream.waitForEnd();
  });

  it("every event a JSON framework sees has the same content in protobuf", async () => {
    const f = await TestFramework.subscribe(t.baseUrl, { ...FRAMEWORK_INFO, failover_timeout: 10 });
    closers.push(f);
    const [running] = await f.launch(["t1"]);
    const status = running && updateOf(running);
    await f.call("ACKNOWLEDGE", {
      acknowledge: { agent_id: status?.agent_id, task_id: status?.task_id, uuid: status?.uuid },
    });
    await f.call("RECONCILE", { reconcile: { tasks: [] } });
    await f.stream.waitFor((e) => updateOf(e)?.reason === "REASON_RECONCILIATION");
    await f.call("KILL", { kill: { task_id: { value: "t1" } } });
    await f.stream.waitFor((e) => updateOf(e)?.state === "TASK_KILLED");
    expect(new Set(f.stream.types())).toEqual(new Set(["SUBSCRIBED", "HEARTBEAT", "OFFERS", "UPDATE"]));
    for (const event of f.stream.events) {
      const back = decodeProtobuf(schedulerEvent, encodeProtobuf(schedulerEvent, event));
      expect(withoutEmpty(back), event.type).toEqual(withoutEmpty(event));
    }
  });
});

describe("operator API in protobuf (semantics.md §3.1)", () => {
  it("GET_HEALTH: protobuf in, the exact protobuf Response out", async () => {
    const r = await operatorProtobuf({ type: "GET_HEALTH" });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe(PROTOBUF);
    // Response { type: GET_HEALTH (1), get_health (2) { healthy (1): true } }
    expect([...r.bytes]).toEqual([0x08, 0x01, 0x12, 0x02, 0x08, 0x01]);
  });

  it("a JSON request may ask for a protobuf answer and a protobuf request for a JSON one", async () => {
    const protobufAnswer = await operatorCall(t.baseUrl, { type: "GET_VERSION" }, { Accept: PROTOBUF });
    expect(protobufAnswer.headers["content-type"]).toBe(PROTOBUF);
    const jsonAnswer = await operatorProtobuf({ type: "GET_VERSION" }, { Accept: "application/json" });
    expect(jsonAnswer.headers["content-type"]).toBe("application/json");
    expect(decodeProtobuf(operatorResponse, protobufAnswer.bytes)).toEqual(JSON.parse(jsonAnswer.body));
  });

  it("every read call answers the same content in protobuf as in JSON", async () => {
    const f = await TestFramework.subscribe(t.baseUrl, FRAMEWORK_INFO);
    closers.push(f);
    await f.launch(["t1"]);
    for (const change of [
      { type: "UPDATE_WEIGHTS", update_weights: { weight_infos: [{ role: "r", weight: 2.5 }] } },
      {
        type: "UPDATE_QUOTA",
        update_quota: {
          quota_configs: [{ role: "r", guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 } } }],
        },
      },
      {
        type: "UPDATE_MAINTENANCE_SCHEDULE",
        update_maintenance_schedule: {
          schedule: {
            windows: [
              {
                machine_ids: [{ hostname: "node-0", ip: "127.0.0.1" }],
                unavailability: { start: { nanoseconds: 1.7e18 }, duration: { nanoseconds: 3.6e12 } },
              },
            ],
          },
        },
      },
    ]) {
      const r = await operatorProtobuf(change);
      expect(r.status, `${change.type}: ${r.body}`).toBe(200);
    }
    for (const type of [
      "GET_HEALTH",
      "GET_FLAGS",
      "GET_VERSION",
      "GET_MASTER",
      "GET_STATE",
      "GET_AGENTS",
      "GET_FRAMEWORKS",
      "GET_EXECUTORS",
      "GET_TASKS",
      "GET_OPERATIONS",
      "GET_ROLES",
      "GET_WEIGHTS",
      "GET_QUOTA",
      "GET_MAINTENANCE_SCHEDULE",
      "GET_MAINTENANCE_STATUS",
    ]) {
      const json = await operatorCall(t.baseUrl, { type });
      const pb = await operatorProtobuf({ type });
      expect(pb.status, `${type}: ${pb.body}`).toBe(200);
      expect(withoutEmpty(decodeProtobuf(operatorResponse, pb.bytes)), type).toEqual(
        withoutEmpty(withoutTaskCommand(JSON.parse(json.body))),
      );
    }
    const metrics = decodeProtobuf(
      operatorResponse,
      (await operatorProtobuf({ type: "GET_METRICS", get_metrics: {} })).bytes,
    ) as { get_metrics: { metrics: { name: string; value: number }[] } };
    expect(metrics.get_metrics.metrics).toContainEqual({ name: "master/elected", value: 1 });
  });

  it("SUBSCRIBE streams protobuf events: SUBSCRIBED with the state, HEARTBEAT, then changes", async () => {
    const events = await stream(
      encodeProtobuf(operatorCallType, { type: "SUBSCRIBE" }),
      { "Content-Type": PROTOBUF, Accept: PROTOBUF },
      "/api/v1",
    );
    expect(events.headers["content-type"]).toBe(PROTOBUF);
    await events.waitFor("HEARTBEAT");
    expect(events.events[0]?.subscribed).toMatchObject({ heartbeat_interval_seconds: 15, get_state: {} });
    const f = await TestFramework.subscribe(t.baseUrl, FRAMEWORK_INFO);
    closers.push(f);
    await f.launch(["t1"]);
    const updated = await events.waitFor("TASK_UPDATED");
    expect(updated.task_updated).toMatchObject({
      framework_id: { value: f.frameworkId },
      state: "TASK_RUNNING",
    });
    for (const event of events.events) {
      const back = decodeProtobuf(operatorEvent, encodeProtobuf(operatorEvent, event));
      expect(withoutEmpty(back)).toEqual(withoutEmpty(event));
    }
  });

  it("answers 400 to malformed protobuf, never 5xx", async () => {
    const r = await httpRequest(t.baseUrl, {
      path: "/api/v1",
      headers: { "Content-Type": PROTOBUF },
      body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^Failed to parse body into Call protobuf/);
  });
});

describe("fuzzing the protobuf door", () => {
  it("answers 1,000 mutated protobuf calls and random bytes without a 5xx (but Mesos's 501s)", async () => {
    const f = await TestFramework.subscribe(
      t.baseUrl,
      { ...FRAMEWORK_INFO, failover_timeout: 3600 },
      "protobuf",
    );
    closers.push(f);
    const statuses = new Map<number, number>();
    const body = fc.oneof(
      mutatedCall(SCHEDULER_TEMPLATES).map((call) => ({
        path: "/api/v1/scheduler",
        type: schedulerCall,
        call,
      })),
      mutatedCall(OPERATOR_TEMPLATES).map((call) => ({ path: "/api/v1", type: operatorCallType, call })),
      fc
        .uint8Array({ maxLength: 64 })
        .map((bytes) => ({ path: "/api/v1/scheduler", type: undefined, call: bytes })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ path, type, call }) => {
        let bytes: Uint8Array;
        if (type === undefined) bytes = call as Uint8Array;
        else {
          const named = JSON.parse(JSON.stringify(call).replaceAll(FID, f.frameworkId));
          try {
            bytes = encodeProtobuf(type, named);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtobufEncodeError);
            return;
          }
        }
        const r = await httpRequest(t.baseUrl, {
          path,
          headers: { "Content-Type": PROTOBUF, Accept: PROTOBUF, "Mesos-Stream-Id": f.stream.streamId ?? "" },
          body: bytes,
        });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500) {
          expect(r.status, r.body).toBe(501);
          expect(NOT_IMPLEMENTED_CALLS.has(String((call as { type?: unknown }).type))).toBe(true);
        }
      }),
      { numRuns: 1000, seed: 20261125 },
    );
    for (const status of [200, 202, 400]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
