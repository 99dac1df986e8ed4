// Every status-code rule of the scheduler endpoint (semantics.md §1.2–1.4, scenarios S-02..S-20),
// through real HTTP requests to the façade on 127.0.0.1 over the in-memory backend.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { httpRequest, schedulerCall } from "../testing/httpClient.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";

const FRAMEWORK_INFO = { user: "u", name: "default", roles: ["*"], capabilities: [{ type: "MULTI_ROLE" }] };
const SUBSCRIBE = { type: "SUBSCRIBE", subscribe: { framework_info: FRAMEWORK_INFO } };
const UUID16 = Buffer.alloc(16, 7).toString("base64");

let t: TestServer;
const open: EventStreamClient[] = [];

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await t.close();
});

async function subscribed(info: Record<string, unknown> = FRAMEWORK_INFO) {
  const client = await EventStreamClient.open(t.baseUrl, {
    type: "SUBSCRIBE",
    subscribe: { framework_info: info },
  });
  open.push(client);
  const event = await client.waitFor("SUBSCRIBED");
  const frameworkId = (event.subscribed as { framework_id: { value: string } }).framework_id.value;
  return { client, frameworkId, streamId: client.streamId ?? "" };
}

describe("checks before the call is read", () => {
  it("answers 307 to the leader from a follower, with http://host:port and no path", async () => {
    t.backend.leadershipState = { leading: false, leader: { hostname: "10.0.0.7", port: 5050 } };
    const r = await schedulerCall(t.baseUrl, SUBSCRIBE);
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe("http://10.0.0.7:5050");
  });

  it("answers 503 when no leader is known, and when not recovered (S-20)", async () => {
    t.backend.leadershipState = { leading: false };
    expect((await schedulerCall(t.baseUrl, SUBSCRIBE)).body).toBe("No leader elected");
    t.backend.leadershipState = { leading: true };
    t.backend.isRecovered = false;
    const r = await schedulerCall(t.baseUrl, SUBSCRIBE);
    expect([r.status, r.body]).toEqual([503, "Master has not finished recovery"]);
  });

  it("answers 405 with Allow: POST to GET (S-06)", async () => {
    const r = await httpRequest(t.baseUrl, { path: "/api/v1/scheduler" });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("POST");
  });

  it("answers 400 without Content-Type (S-02)", async () => {
    const r = await httpRequest(t.baseUrl, { path: "/api/v1/scheduler", body: JSON.stringify(SUBSCRIBE) });
    expect([r.status, r.body]).toEqual([400, "Expecting 'Content-Type' to be present"]);
  });

  it.each([
    ["text/plain", 415],
    ["application/json; charset=utf-8", 200],
    ["APPLICATION/JSON", 200],
  ])("Content-Type %s → %i", async (contentType, status) => {
    const r = await EventStreamClient.open(t.baseUrl, SUBSCRIBE, {
      headers: { "Content-Type": contentType },
    });
    open.push(r);
    expect(r.status).toBe(status);
  });

  it.each([
    ["MALFORMED_CONTENT", "Failed to parse body into JSON"],
    ['{"type":"BOGUS"}', "Failed to convert JSON into Call protobuf"],
    ['{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"x"}}}', "subscribe.framework_info.user"],
    ["[1,2]", "Failed to convert JSON into Call protobuf"],
  ])("answers 400 to the body %s (S-04)", async (body, message) => {
    const r = await schedulerCall(t.baseUrl, body);
    expect(r.status).toBe(400);
    expect(r.body).toContain(message);
  });

  it("answers 413 to a body over the limit", async () => {
    await t.close();
    t = await startTestServer({ server: { maxRequestBytes: 64 } });
    const r = await schedulerCall(t.baseUrl, { ...SUBSCRIBE, padding: "x".repeat(100) });
    expect(r.status).toBe(413);
  });
});

describe("call validation (400)", () => {
  it.each([
    [{ framework_id: { value: "f" } }, "Expecting 'type' to be present"],
    [{ type: "SUBSCRIBE" }, "Expecting 'subscribe' to be present"],
    [
      { ...SUBSCRIBE, framework_id: { value: "other" } },
      "'framework_id' differs from 'subscribe.framework_info.id'",
    ],
    [{ type: "TEARDOWN" }, "Expecting 'framework_id' to be present"],
    [{ type: "ACCEPT", framework_id: { value: "f" } }, "Expecting 'accept' to be present"],
    [{ type: "DECLINE", framework_id: { value: "f" } }, "Expecting 'decline' to be present"],
    [{ type: "KILL", framework_id: { value: "f" } }, "Expecting 'kill' to be present"],
    [{ type: "SHUTDOWN", framework_id: { value: "f" } }, "Expecting 'shutdown' to be present"],
    [{ type: "ACKNOWLEDGE", framework_id: { value: "f" } }, "Expecting 'acknowledge' to be present"],
    [{ type: "RECONCILE", framework_id: { value: "f" } }, "Expecting 'reconcile' to be present"],
    [{ type: "MESSAGE", framework_id: { value: "f" } }, "Expecting 'message' to be present"],
    [{ type: "REQUEST", framework_id: { value: "f" } }, "Expecting 'request' to be present"],
    [
      { type: "UPDATE_FRAMEWORK", framework_id: { value: "f" } },
      "Expecting 'update_framework' to be present",
    ],
    [
      { type: "ACCEPT_INVERSE_OFFERS", framework_id: { value: "f" } },
      "Expecting 'accept_inverse_offers' to be present",
    ],
    [
      { type: "ACKNOWLEDGE_OPERATION_STATUS", framework_id: { value: "f" } },
      "Expecting 'acknowledge_operation_status' to be present",
    ],
    [
      {
        type: "ACKNOWLEDGE",
        framework_id: { value: "f" },
        acknowledge: { agent_id: { value: "a" }, task_id: { value: "t" }, uuid: "AAAA" },
      },
      "Not a valid UUID",
    ],
    [
      {
        type: "ACKNOWLEDGE_OPERATION_STATUS",
        framework_id: { value: "f" },
        acknowledge_operation_status: { uuid: UUID16, operation_id: { value: "o" } },
      },
      "Expecting 'agent_id' to be present",
    ],
    [
      {
        type: "UPDATE_FRAMEWORK",
        framework_id: { value: "f" },
        update_framework: { framework_info: { ...FRAMEWORK_INFO, id: { value: "g" } } },
      },
      "'framework_id' differs from 'update_framework.framework_info.id'",
    ],
  ])("%j → %s", async (call, message) => {
    const r = await schedulerCall(t.baseUrl, call);
    expect(r.status).toBe(400);
    expect(r.body).toBe(`Failed to validate scheduler::Call: ${message}`);
  });
});

describe("SUBSCRIBE", () => {
  it("answers 200 with a chunked JSON stream and a Mesos-Stream-Id", async () => {
    const { client } = await subscribed();
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("application/json");
    expect(client.headers["transfer-encoding"]).toBe("chunked");
    expect(client.streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.types().slice(0, 2)).toEqual(["SUBSCRIBED", "HEARTBEAT"]);
  });

  it("answers 406 when Accept allows neither JSON nor protobuf", async () => {
    for (const accept of ["text/html", "application/json;q=0, application/x-protobuf;q=0"]) {
      const r = await schedulerCall(t.baseUrl, SUBSCRIBE, { Accept: accept });
      expect(r.status).toBe(406);
    }
  });

  it("streams application/recordio with Message-Content-Type when asked that way (mesos-go)", async () => {
    const client = await EventStreamClient.open(t.baseUrl, SUBSCRIBE, {
      headers: { Accept: "application/recordio", "Message-Accept": "application/json" },
    });
    open.push(client);
    expect(client.headers["content-type"]).toBe("application/recordio");
    expect(client.headers["message-content-type"]).toBe("application/json");
  });

  it("answers 400 to a SUBSCRIBE carrying Mesos-Stream-Id (S-10)", async () => {
    const r = await schedulerCall(t.baseUrl, SUBSCRIBE, { "Mesos-Stream-Id": "x" });
    expect([r.status, r.body]).toEqual([
      400,
      "Subscribe calls should not include the 'Mesos-Stream-Id' header",
    ]);
  });

  it("reports a refused subscription as ERROR inside a 200 stream, then closes (S-22, S-24)", async () => {
    for (const info of [
      { ...FRAMEWORK_INFO, roles: ["/test/test1"] },
      { ...FRAMEWORK_INFO, failover_timeout: 1e17 },
    ]) {
      const client = await EventStreamClient.open(t.baseUrl, {
        type: "SUBSCRIBE",
        subscribe: { framework_info: info },
      });
      expect(client.status).toBe(200);
      await client.waitForEnd();
      expect(client.types()).toEqual(["ERROR"]);
    }
  });
});

describe("calls of a subscribed framework", () => {
  it("answers 400 for an unknown framework (S-16)", async () => {
    const r = await schedulerCall(t.baseUrl, { type: "TEARDOWN", framework_id: { value: "Z" } });
    expect([r.status, r.body]).toEqual([400, "Framework cannot be found"]);
  });

  it("answers 400 without Mesos-Stream-Id (S-14) and with a stale one", async () => {
    const { frameworkId } = await subscribed();
    const call = { type: "REVIVE", framework_id: { value: frameworkId } };
    const missing = await schedulerCall(t.baseUrl, call);
    expect([missing.status, missing.body]).toEqual([
      400,
      "All non-subscribe calls should include the 'Mesos-Stream-Id' header",
    ]);
    const stale = await schedulerCall(t.baseUrl, call, { "Mesos-Stream-Id": "not-the-current-one" });
    expect(stale.status).toBe(400);
    expect(stale.body).toContain("didn't match the stream ID currently associated with framework ID");
  });

  it("answers 403 once the framework's stream is gone but it is still registered", async () => {
    const { client, frameworkId, streamId } = await subscribed({ ...FRAMEWORK_INFO, failover_timeout: 600 });
    client.close();
    await waitUntil(() => t.backend.calls.some((c) => c.method === "disconnected"));
    const r = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: frameworkId } },
      { "Mesos-Stream-Id": streamId },
    );
    expect([r.status, r.body]).toEqual([403, "Framework is not subscribed"]);
  });

  const fid = (id: string) => ({ framework_id: { value: id } });
  const ASYNC_CALLS: [string, (id: string) => Record<string, unknown>][] = [
    ["DECLINE", (id) => ({ type: "DECLINE", ...fid(id), decline: { offer_ids: [{ value: "nope" }] } })],
    ["ACCEPT", (id) => ({ type: "ACCEPT", ...fid(id), accept: { offer_ids: [{ value: "nope" }] } })],
    ["REVIVE", (id) => ({ type: "REVIVE", ...fid(id) })],
    ["SUPPRESS", (id) => ({ type: "SUPPRESS", ...fid(id), suppress: { roles: ["*"] } })],
    ["KILL", (id) => ({ type: "KILL", ...fid(id), kill: { task_id: { value: "nope" } } })],
    [
      "SHUTDOWN",
      (id) => ({
        type: "SHUTDOWN",
        ...fid(id),
        shutdown: { executor_id: { value: "e" }, agent_id: { value: "a" } },
      }),
    ],
    [
      "ACKNOWLEDGE",
      (id) => ({
        type: "ACKNOWLEDGE",
        ...fid(id),
        acknowledge: { agent_id: { value: "a" }, task_id: { value: "t" }, uuid: UUID16 },
      }),
    ],
    [
      "ACKNOWLEDGE_OPERATION_STATUS",
      (id) => ({
        type: "ACKNOWLEDGE_OPERATION_STATUS",
        ...fid(id),
        acknowledge_operation_status: {
          agent_id: { value: "a" },
          uuid: UUID16,
          operation_id: { value: "o" },
        },
      }),
    ],
    ["RECONCILE", (id) => ({ type: "RECONCILE", ...fid(id), reconcile: { tasks: [] } })],
    [
      "RECONCILE_OPERATIONS",
      (id) => ({ type: "RECONCILE_OPERATIONS", ...fid(id), reconcile_operations: {} }),
    ],
    [
      "MESSAGE",
      (id) => ({
        type: "MESSAGE",
        ...fid(id),
        message: { agent_id: { value: "a" }, executor_id: { value: "e" }, data: "aGk=" },
      }),
    ],
    ["REQUEST", (id) => ({ type: "REQUEST", ...fid(id), request: { requests: [] } })],
    [
      "ACCEPT_INVERSE_OFFERS",
      (id) => ({
        type: "ACCEPT_INVERSE_OFFERS",
        ...fid(id),
        accept_inverse_offers: { inverse_offer_ids: [] },
      }),
    ],
    [
      "DECLINE_INVERSE_OFFERS",
      (id) => ({
        type: "DECLINE_INVERSE_OFFERS",
        ...fid(id),
        decline_inverse_offers: { inverse_offer_ids: [] },
      }),
    ],
    ["TEARDOWN", (id) => ({ type: "TEARDOWN", ...fid(id) })],
  ];

  it.each(ASYNC_CALLS)(
    "answers %s with 202 and an empty body, even for unknown offers and tasks (S-18)",
    async (_, make) => {
      const { frameworkId, streamId } = await subscribed();
      const r = await schedulerCall(t.baseUrl, make(frameworkId), { "Mesos-Stream-Id": streamId });
      expect([r.status, r.body]).toEqual([202, ""]);
    },
  );

  it("answers 406 to RECONCILE_OPERATIONS that accepts neither JSON nor protobuf", async () => {
    const { frameworkId, streamId } = await subscribed();
    const r = await schedulerCall(
      t.baseUrl,
      { type: "RECONCILE_OPERATIONS", ...fid(frameworkId), reconcile_operations: {} },
      { "Mesos-Stream-Id": streamId, Accept: "text/html" },
    );
    expect(r.status).toBe(406);
  });

  it("answers UPDATE_FRAMEWORK with 200, and 400 for an immutable change (S-32, S-36)", async () => {
    const { frameworkId, streamId } = await subscribed();
    const headers = { "Mesos-Stream-Id": streamId };
    const update = (info: Record<string, unknown>, suppressed: string[] = []) =>
      schedulerCall(
        t.baseUrl,
        {
          type: "UPDATE_FRAMEWORK",
          ...fid(frameworkId),
          update_framework: {
            framework_info: { ...info, id: { value: frameworkId } },
            suppressed_roles: suppressed,
          },
        },
        headers,
      );
    expect((await update({ ...FRAMEWORK_INFO, name: "renamed" })).status).toBe(200);
    expect((await update({ ...FRAMEWORK_INFO, user: "other" })).status).toBe(400);
    expect((await update({ ...FRAMEWORK_INFO, checkpoint: true })).status).toBe(400);
    expect((await update(FRAMEWORK_INFO, ["r2"])).status).toBe(400);
  });

  it("answers 501 to type UNKNOWN of a subscribed framework", async () => {
    const { frameworkId, streamId } = await subscribed();
    const r = await schedulerCall(
      t.baseUrl,
      { type: "UNKNOWN", ...fid(frameworkId) },
      { "Mesos-Stream-Id": streamId },
    );
    expect(r.status).toBe(501);
  });

  it("is served on /master/api/v1/scheduler too", async () => {
    const r = await httpRequest(t.baseUrl, { path: "/master/api/v1/scheduler" });
    expect(r.status).toBe(405);
  });
});

describe("authentication", () => {
  beforeEach(async () => {
    await t.close();
    t = await startTestServer({
      server: {
        authentication: {
          frameworks: true,
          operators: false,
          authenticate: async ({ username, password }) => (password === "secret" ? username : undefined),
        },
      },
    });
  });
  const basic = (user: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
  });

  it("answers 401 with a challenge without or with wrong credentials", async () => {
    for (const headers of [{}, basic("p", "wrong")]) {
      const r = await schedulerCall(t.baseUrl, SUBSCRIBE, headers);
      expect(r.status).toBe(401);
      expect(r.headers["www-authenticate"]).toBe('Basic realm="mesos-master-scheduler"');
    }
  });

  it("refuses a SUBSCRIBE whose principal differs from the authenticated one (400)", async () => {
    const call = { type: "SUBSCRIBE", subscribe: { framework_info: { ...FRAMEWORK_INFO, principal: "q" } } };
    const r = await schedulerCall(t.baseUrl, call, basic("p", "secret"));
    expect(r.status).toBe(400);
    expect(r.body).toContain("does not match principal 'q'");
  });

  it("refuses calls by another principal than the framework's (400)", async () => {
    const client = await EventStreamClient.open(
      t.baseUrl,
      { type: "SUBSCRIBE", subscribe: { framework_info: { ...FRAMEWORK_INFO, principal: "p" } } },
      { headers: basic("p", "secret") },
    );
    open.push(client);
    const event = await client.waitFor("SUBSCRIBED");
    const frameworkId = (event.subscribed as { framework_id: { value: string } }).framework_id.value;
    const r = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: frameworkId } },
      { ...basic("q", "secret"), "Mesos-Stream-Id": client.streamId ?? "" },
    );
    expect(r.status).toBe(400);
    const ok = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: frameworkId } },
      { ...basic("p", "secret"), "Mesos-Stream-Id": client.streamId ?? "" },
    );
    expect(ok.status).toBe(202);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 5));
  }
}
