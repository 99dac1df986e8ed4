// The operator API through real HTTP (semantics.md §3.1–3.3; scenarios S-92..S-100).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { httpRequest, operatorCall } from "../testing/httpClient.ts";
import { ManualTimers } from "../testing/manualTimers.ts";
import { TestFramework, updateOf } from "../testing/testFramework.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";

let t: TestServer;
const closers: { close(): void }[] = [];

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  for (const c of closers.splice(0)) c.close();
  await t.close();
});

async function framework(info?: Record<string, unknown>): Promise<TestFramework> {
  const f = await TestFramework.subscribe(t.baseUrl, info);
  closers.push(f);
  return f;
}

async function json(call: unknown): Promise<Record<string, unknown>> {
  const r = await operatorCall(t.baseUrl, call);
  expect(r.status, r.body).toBe(200);
  expect(r.headers["content-type"]).toBe("application/json");
  return JSON.parse(r.body) as Record<string, unknown>;
}

describe("request checks", () => {
  it.each([
    [{ method: "GET" }, 405],
    [{ headers: {} }, 400],
    [{ headers: { "Content-Type": "text/plain" } }, 415],
    [{ headers: { "Content-Type": "application/json", Accept: "text/html" } }, 406],
    [{ body: "{" }, 400],
  ])("%j → %i", async (variant, status) => {
    const r = await httpRequest(t.baseUrl, {
      path: "/api/v1",
      headers: { "Content-Type": "application/json" },
      body: { type: "GET_HEALTH" },
      ...variant,
    });
    expect(r.status).toBe(status);
  });

  it("checks Accept for every call, after validation (406)", async () => {
    const r = await operatorCall(t.baseUrl, { type: "GET_VERSION" }, { Accept: "text/html" });
    expect([r.status, r.body]).toEqual([
      406,
      "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
    ]);
    const invalid = await operatorCall(t.baseUrl, { type: "GET_METRICS" }, { Accept: "text/html" });
    expect(invalid.status).toBe(400);
  });

  it("answers 400 to a call without its sub-message, 200 with an empty one (S-100)", async () => {
    const r = await operatorCall(t.baseUrl, { type: "GET_METRICS" });
    expect([r.status, r.body]).toEqual([
      400,
      "Failed to validate master::Call: Expecting 'get_metrics' to be present",
    ]);
    const body = await json({ type: "GET_METRICS", get_metrics: {} });
    const metrics = (body.get_metrics as { metrics: { name: string; value: number }[] }).metrics;
    expect(metrics).toContainEqual({ name: "master/elected", value: 1 });
  });

  it("redirects to the leader and is unavailable without one", async () => {
    t.backend.leadershipState = { leading: false, leader: { hostname: "leader.local", port: 5050 } };
    const r = await operatorCall(t.baseUrl, { type: "GET_HEALTH" });
    expect([r.status, r.headers.location]).toEqual([307, "http://leader.local:5050"]);
    t.backend.leadershipState = { leading: false };
    expect((await operatorCall(t.baseUrl, { type: "GET_HEALTH" })).status).toBe(503);
  });

  it("answers 501 to UNKNOWN and to calls this master does not implement, saying why", async () => {
    expect((await operatorCall(t.baseUrl, { type: "UNKNOWN" })).status).toBe(501);
    const r = await operatorCall(t.baseUrl, { type: "LIST_FILES", list_files: { path: "/" } });
    expect(r.status).toBe(501);
    expect(r.body).toContain("kubectl logs");
  });

  it("is served on /master/api/v1 too", async () => {
    const r = await httpRequest(t.baseUrl, {
      path: "/master/api/v1",
      headers: { "Content-Type": "application/json" },
      body: { type: "GET_HEALTH" },
    });
    expect(r.status).toBe(200);
  });
});

describe("read calls", () => {
  it("GET_HEALTH (S-92)", async () => {
    const r = await operatorCall(t.baseUrl, { type: "GET_HEALTH" });
    expect(r.body).toBe('{"type":"GET_HEALTH","get_health":{"healthy":true}}');
  });

  it("GET_VERSION, GET_FLAGS, GET_MASTER", async () => {
    expect(await json({ type: "GET_VERSION" })).toMatchObject({
      get_version: { version_info: { version: "1.11.0" } },
    });
    expect(await json({ type: "GET_FLAGS" })).toMatchObject({
      get_flags: { flags: expect.arrayContaining([{ name: "allocation_interval", value: "1secs" }]) },
    });
    const master = (await json({ type: "GET_MASTER" })).get_master as Record<string, unknown>;
    expect(master.master_info).toMatchObject({ id: "in-memory", port: 5050 });
    expect(typeof master.start_time).toBe("number");
  });

  it("GET_STATE, GET_FRAMEWORKS, GET_AGENTS, GET_TASKS, GET_EXECUTORS show the state", async () => {
    const f = await framework();
    await f.launch(["t1"]);
    const state = (await json({ type: "GET_STATE" })).get_state as Record<string, Record<string, unknown[]>>;
    expect(Object.keys(state).sort()).toEqual(["get_agents", "get_executors", "get_frameworks", "get_tasks"]);
    expect(state.get_tasks?.tasks).toHaveLength(1);
    expect(state.get_frameworks?.frameworks).toHaveLength(1);
    const tasks = (await json({ type: "GET_TASKS" })).get_tasks as Record<
      string,
      { task_id: { value: string } }[]
    >;
    expect(tasks.tasks?.[0]?.task_id.value).toBe("t1");
    expect(tasks.completed_tasks).toEqual([]);
    const agents = (await json({ type: "GET_AGENTS" })).get_agents as { agents: Record<string, unknown>[] };
    expect(agents.agents[0]).toMatchObject({ active: true, agent_info: { hostname: "node-0" } });
    expect(await json({ type: "GET_EXECUTORS" })).toEqual({
      type: "GET_EXECUTORS",
      get_executors: { executors: [] },
    });
    expect(await json({ type: "GET_ROLES" })).toEqual({ type: "GET_ROLES", get_roles: { roles: [] } });
  });
});

describe("changes", () => {
  it("UPDATE_WEIGHTS answers 200 (not the docs' 202) and shows in GET_WEIGHTS; a bad weight is 400", async () => {
    const r = await operatorCall(t.baseUrl, {
      type: "UPDATE_WEIGHTS",
      update_weights: { weight_infos: [{ role: "r1", weight: 2 }] },
    });
    expect([r.status, r.body]).toEqual([200, ""]);
    expect(await json({ type: "GET_WEIGHTS" })).toEqual({
      type: "GET_WEIGHTS",
      get_weights: { weight_infos: [{ role: "r1", weight: 2 }] },
    });
    const bad = await operatorCall(t.baseUrl, {
      type: "UPDATE_WEIGHTS",
      update_weights: { weight_infos: [{ role: "r1", weight: 0 }] },
    });
    expect(bad.status).toBe(400);
  });

  it("UPDATE_QUOTA, GET_QUOTA, and the deprecated SET_QUOTA (409 when set) and REMOVE_QUOTA", async () => {
    const update = await operatorCall(t.baseUrl, {
      type: "UPDATE_QUOTA",
      update_quota: { quota_configs: [{ role: "dev", limits: { cpus: { value: 1 } } }] },
    });
    expect(update.status).toBe(200);
    expect(await json({ type: "GET_QUOTA" })).toEqual({
      type: "GET_QUOTA",
      get_quota: { status: { infos: [], configs: [{ role: "dev", limits: { cpus: { value: 1 } } }] } },
    });
    const set = (role: string) =>
      operatorCall(t.baseUrl, {
        type: "SET_QUOTA",
        set_quota: {
          quota_request: { role, guarantee: [{ name: "cpus", type: "SCALAR", scalar: { value: 2 } }] },
        },
      });
    expect((await set("dev")).status).toBe(409);
    expect((await set("ops")).status).toBe(200);
    expect(
      (await operatorCall(t.baseUrl, { type: "REMOVE_QUOTA", remove_quota: { role: "ops" } })).status,
    ).toBe(200);
    expect(
      (await operatorCall(t.baseUrl, { type: "REMOVE_QUOTA", remove_quota: { role: "ops" } })).status,
    ).toBe(400);
  });

  it("TEARDOWN: 400 for an unknown id; 200, stream closed and framework completed otherwise (S-98)", async () => {
    const unknown = await operatorCall(t.baseUrl, {
      type: "TEARDOWN",
      teardown: { framework_id: { value: "x" } },
    });
    expect([unknown.status, unknown.body]).toEqual([400, "No framework found with specified ID"]);
    const f = await framework();
    const r = await operatorCall(t.baseUrl, {
      type: "TEARDOWN",
      teardown: { framework_id: { value: f.frameworkId } },
    });
    expect(r.status).toBe(200);
    await f.stream.waitForEnd();
    const frameworks = (await json({ type: "GET_FRAMEWORKS" })).get_frameworks as Record<string, unknown[]>;
    expect(frameworks.frameworks).toEqual([]);
    expect(frameworks.completed_frameworks).toHaveLength(1);
  });

  it("MARK_AGENT_GONE 404 for an unknown agent; reservations 202, or 400 for an unknown agent", async () => {
    const gone = await operatorCall(t.baseUrl, {
      type: "MARK_AGENT_GONE",
      mark_agent_gone: { agent_id: { value: "x" } },
    });
    expect(gone.status).toBe(404);
    const reserve = (agent: string) =>
      operatorCall(t.baseUrl, {
        type: "RESERVE_RESOURCES",
        reserve_resources: {
          agent_id: { value: agent },
          resources: [
            {
              name: "cpus",
              type: "SCALAR",
              scalar: { value: 1 },
              reservations: [{ type: "DYNAMIC", role: "r", principal: "p" }],
            },
          ],
        },
      });
    expect((await reserve("in-memory-S0")).status).toBe(202);
    expect((await reserve("nope")).status).toBe(400);
    const unreserve = await operatorCall(t.baseUrl, {
      type: "UNRESERVE_RESOURCES",
      unreserve_resources: { agent_id: { value: "in-memory-S0" }, resources: [] },
    });
    expect(unreserve.status).toBe(202);
  });

  it("maintenance calls answer 200 and the schedule reads back", async () => {
    const schedule = {
      windows: [
        {
          machine_ids: [{ hostname: "node-0", ip: "127.0.0.1" }],
          unavailability: {
            start: { nanoseconds: 1_700_000_000_000_000_000 },
            duration: { nanoseconds: 3.6e12 },
          },
        },
      ],
    };
    const machines = { machines: [{ hostname: "node-0", ip: "127.0.0.1" }] };
    for (const call of [
      { type: "UPDATE_MAINTENANCE_SCHEDULE", update_maintenance_schedule: { schedule } },
      { type: "START_MAINTENANCE", start_maintenance: machines },
      { type: "STOP_MAINTENANCE", stop_maintenance: machines },
      { type: "DRAIN_AGENT", drain_agent: { agent_id: { value: "in-memory-S0" }, max_grace_period: "600s" } },
      { type: "DEACTIVATE_AGENT", deactivate_agent: { agent_id: { value: "in-memory-S0" } } },
      { type: "REACTIVATE_AGENT", reactivate_agent: { agent_id: { value: "in-memory-S0" } } },
    ]) {
      const r = await operatorCall(t.baseUrl, call);
      expect(r.status, call.type).toBe(200);
    }
    expect(await json({ type: "GET_MAINTENANCE_SCHEDULE" })).toEqual({
      type: "GET_MAINTENANCE_SCHEDULE",
      get_maintenance_schedule: { schedule },
    });
    expect(t.backend.calls.at(-3)?.method).toBe("changeCluster:DRAIN_AGENT");
  });
});

describe("operator SUBSCRIBE", () => {
  it("streams SUBSCRIBED (get_state, 15 s), HEARTBEAT, then one per 15 s and nothing in between (S-94)", async () => {
    await t.close();
    const timers = new ManualTimers();
    t = await startTestServer({ server: { timers } });
    const stream = await EventStreamClient.open(t.baseUrl, { type: "SUBSCRIBE" }, { path: "/api/v1" });
    closers.push(stream);
    await stream.waitFor("HEARTBEAT");
    expect(stream.status).toBe(200);
    expect(stream.headers["transfer-encoding"]).toBe("chunked");
    const subscribed = stream.events[0]?.subscribed as Record<string, unknown>;
    expect(subscribed.heartbeat_interval_seconds).toBe(15);
    expect(subscribed.get_state).toMatchObject({
      get_frameworks: { frameworks: [] },
      get_tasks: { tasks: [] },
    });
    timers.advance(14_999);
    await new Promise((r) => setTimeout(r, 30));
    expect(stream.types()).toEqual(["SUBSCRIBED", "HEARTBEAT"]);
    timers.advance(1);
    await stream.waitFor("HEARTBEAT", { from: 2 });
  });

  it("streams framework and task events as they happen", async () => {
    const stream = await EventStreamClient.open(t.baseUrl, { type: "SUBSCRIBE" }, { path: "/api/v1" });
    closers.push(stream);
    await stream.waitFor("HEARTBEAT");
    const f = await framework();
    const [update] = await f.launch(["t1"]);
    await stream.waitFor("TASK_UPDATED");
    await f.call("TEARDOWN");
    await stream.waitFor("FRAMEWORK_REMOVED");
    expect(stream.types()).toEqual([
      "SUBSCRIBED",
      "HEARTBEAT",
      "FRAMEWORK_ADDED",
      "TASK_ADDED",
      "TASK_UPDATED",
      "FRAMEWORK_REMOVED",
    ]);
    const taskUpdated = stream.events[4]?.task_updated as Record<string, unknown>;
    expect(taskUpdated).toMatchObject({ framework_id: { value: f.frameworkId }, state: "TASK_RUNNING" });
    expect(update && updateOf(update)?.state).toBe("TASK_RUNNING");
  });

  it("closes the oldest subscriber beyond the maximum and counts subscribers in the metrics", async () => {
    await t.close();
    t = await startTestServer({ server: { maxOperatorSubscribers: 2 } });
    const streams: EventStreamClient[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await EventStreamClient.open(t.baseUrl, { type: "SUBSCRIBE" }, { path: "/api/v1" });
      closers.push(s);
      await s.waitFor("HEARTBEAT");
      streams.push(s);
    }
    await streams[0]?.waitForEnd();
    const body = await json({ type: "GET_METRICS", get_metrics: {} });
    expect((body.get_metrics as { metrics: { name: string; value: number }[] }).metrics).toContainEqual({
      name: "master/operator_event_stream_subscribers",
      value: 2,
    });
  });
});
