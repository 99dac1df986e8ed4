// The read-only endpoints tools read (semantics.md §3.4–3.5) through real HTTP.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { httpRequest } from "../testing/httpClient.ts";
import { TestFramework } from "../testing/testFramework.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";

let t: TestServer;
let f: TestFramework | undefined;

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  f?.close();
  f = undefined;
  await t.close();
});

async function get(path: string): Promise<Record<string, unknown>> {
  const r = await httpRequest(t.baseUrl, { path });
  expect(r.status, `${path}: ${r.body}`).toBe(200);
  expect(r.headers["content-type"]).toBe("application/json");
  return JSON.parse(r.body) as Record<string, unknown>;
}

async function withRunningTasks(ids: string[]): Promise<void> {
  f = await TestFramework.subscribe(t.baseUrl);
  await f.launch(ids);
}

describe("/master/state and /state", () => {
  it("has the top-level keys tools read, with float-second times and the leader's pid", async () => {
    await withRunningTasks(["t1"]);
    for (const path of ["/master/state", "/state", "/master/state/"]) {
      const state = await get(path);
      expect(state).toMatchObject({
        version: "1.11.0",
        id: "in-memory",
        pid: "master@127.0.0.1:5050",
        hostname: "127.0.0.1",
        leader: "master@127.0.0.1:5050",
        leader_info: { hostname: "127.0.0.1", port: 5050 },
        activated_slaves: 1,
        deactivated_slaves: 0,
        unreachable_slaves: 0,
        capabilities: ["AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"],
        orphan_tasks: [],
        unregistered_frameworks: [],
        completed_frameworks: [],
        recovered_slaves: [],
      });
      expect(typeof state.start_time).toBe("number");
      expect(state.start_time as number).toBeGreaterThan(1e9);
    }
  });

  it("shows agents with summary resources and frameworks with their tasks", async () => {
    await withRunningTasks(["t1"]);
    const state = await get("/master/state");
    const [agent] = state.slaves as Record<string, unknown>[];
    expect(agent).toMatchObject({
      id: "in-memory-S0",
      hostname: "node-0",
      pid: "slave(1)@127.0.0.1:5051",
      resources: { cpus: 4, gpus: 0, mem: 8192, disk: 10240, ports: "[31000-32000]" },
      used_resources: { cpus: 0.5, gpus: 0, mem: 64, disk: 0 },
      reserved_resources: {},
      unreserved_resources: { cpus: 4, gpus: 0, mem: 8192, disk: 10240, ports: "[31000-32000]" },
      attributes: {},
      active: true,
    });
    const [framework] = state.frameworks as Record<string, unknown>[];
    expect(framework).toMatchObject({
      id: f?.frameworkId,
      name: "test framework",
      user: "u",
      active: true,
      connected: true,
      failover_timeout: 0,
      checkpoint: false,
      roles: ["*"],
      capabilities: ["MULTI_ROLE"],
      used_resources: { cpus: 0.5, gpus: 0, mem: 64, disk: 0 },
    });
    expect(framework?.pid).toBeUndefined();
    const [task] = (framework?.tasks ?? []) as Record<string, unknown>[];
    expect(task).toMatchObject({
      id: "t1",
      framework_id: f?.frameworkId,
      executor_id: "",
      slave_id: "in-memory-S0",
      state: "TASK_RUNNING",
      resources: { cpus: 0.5, mem: 64, gpus: 0, disk: 0 },
    });
    const statuses = task?.statuses as { state: string; timestamp: number }[];
    expect(statuses[0]?.state).toBe("TASK_RUNNING");
    expect(statuses[0]?.timestamp).toBeGreaterThan(1e9);
  });

  it("answers JSONP with ?jsonp=", async () => {
    const r = await httpRequest(t.baseUrl, { path: "/master/state?jsonp=cb" });
    expect(r.headers["content-type"]).toBe("text/javascript");
    expect(r.body.startsWith("cb({")).toBe(true);
    expect(r.body.endsWith("});")).toBe(true);
    const script = await httpRequest(t.baseUrl, { path: "/master/state?jsonp=alert(1)//" });
    expect(script.status).toBe(400);
  });
});

describe("the other endpoints", () => {
  it("/master/state-summary counts tasks per agent and framework", async () => {
    await withRunningTasks(["t1", "t2"]);
    const summary = await get("/master/state-summary");
    expect(summary.hostname).toBe("127.0.0.1");
    const [agent] = summary.slaves as Record<string, unknown>[];
    expect(agent).toMatchObject({ TASK_RUNNING: 2, TASK_FINISHED: 0, framework_ids: [f?.frameworkId] });
    const [framework] = summary.frameworks as Record<string, unknown>[];
    expect(framework).toMatchObject({ TASK_RUNNING: 2, slave_ids: ["in-memory-S0"], active: true });
  });

  it("/master/frameworks filters by framework_id and takes a trailing slash (avmesos-cli)", async () => {
    await withRunningTasks(["t1"]);
    expect(((await get("/master/frameworks/")).frameworks as unknown[]).length).toBe(1);
    expect(await get("/master/frameworks?framework_id=nope")).toEqual({
      frameworks: [],
      completed_frameworks: [],
      unregistered_frameworks: [],
    });
  });

  it("/master/slaves and /slaves add the protobuf resource forms", async () => {
    for (const path of ["/master/slaves", "/slaves"]) {
      const [agent] = (await get(path)).slaves as Record<string, unknown>[];
      expect(agent?.reserved_resources_full).toEqual({});
      expect(agent?.unreserved_resources_full).toHaveLength(4);
    }
    expect((await get("/slaves?slave_id=nope")).slaves).toEqual([]);
  });

  it("/master/tasks and /tasks page by limit/offset, newest first unless order=asc; limit=-1 is all", async () => {
    await withRunningTasks(["a", "b", "c"]);
    const ids = async (q: string) => ((await get(`/tasks${q}`)).tasks as { id: string }[]).map((x) => x.id);
    expect(await ids("?order=asc&limit=-1")).toHaveLength(3);
    expect(await ids("?limit=1")).toHaveLength(1);
    expect(await ids("?task_id=b")).toEqual(["b"]);
    expect((await httpRequest(t.baseUrl, { path: "/master/tasks?order=sideways" })).status).toBe(400);
  });

  it("/master/roles lists roles with quota as quantities", async () => {
    expect(await get("/master/roles")).toEqual({ roles: [] });
  });

  it("/version, /health, /metrics/snapshot, /master/flags", async () => {
    expect(await get("/version")).toMatchObject({ version: "1.11.0", build_user: "mesos-operator" });
    const health = await httpRequest(t.baseUrl, { path: "/health" });
    expect([health.status, health.body]).toEqual([200, ""]);
    const metrics = await get("/metrics/snapshot?timeout=5secs");
    expect(metrics["master/elected"]).toBe(1);
    expect(Object.values(metrics).every((v) => typeof v === "number")).toBe(true);
    expect((await get("/master/flags")).flags).toMatchObject({ port: "5050" });
  });

  it("/master/redirect answers 307 to the leader; 503 without one; /redirect/<x> is 404", async () => {
    const self = await httpRequest(t.baseUrl, { path: "/master/redirect" });
    expect([self.status, self.headers.location]).toEqual([307, "http://127.0.0.1:5050"]);
    t.backend.leadershipState = { leading: false, leader: { hostname: "10.1.2.3", port: 5050 } };
    expect((await httpRequest(t.baseUrl, { path: "/redirect" })).headers.location).toBe(
      "http://10.1.2.3:5050",
    );
    t.backend.leadershipState = { leading: false };
    expect((await httpRequest(t.baseUrl, { path: "/redirect" })).status).toBe(503);
    expect((await httpRequest(t.baseUrl, { path: "/master/redirect/x" })).status).toBe(404);
  });

  it("refuses other methods (405) and unknown paths (404)", async () => {
    expect((await httpRequest(t.baseUrl, { path: "/master/state", method: "DELETE" })).status).toBe(405);
    expect((await httpRequest(t.baseUrl, { path: "/nope" })).status).toBe(404);
  });
});

describe("metrics the HTTP layer observes", () => {
  it("counts per-framework calls and events (S-76)", async () => {
    f = await TestFramework.subscribe(t.baseUrl);
    const [update] = await f.launch(["t1"]);
    const status = update?.update as { status: { uuid: string; agent_id: unknown; task_id: unknown } };
    const ack = await f.call("ACKNOWLEDGE", {
      acknowledge: {
        agent_id: status.status.agent_id,
        task_id: status.status.task_id,
        uuid: status.status.uuid,
      },
    });
    expect(ack.status).toBe(202);
    const metrics = await get("/metrics/snapshot");
    const prefix = `master/frameworks/test%20framework/${f.frameworkId}`;
    expect(metrics).toMatchObject({
      [`${prefix}/subscribed`]: 1,
      [`${prefix}/calls`]: 2,
      [`${prefix}/calls/accept`]: 1,
      [`${prefix}/calls/acknowledge`]: 1,
      [`${prefix}/events/update`]: 1,
      [`${prefix}/events/subscribed`]: 1,
      "master/messages_launch_tasks": 1,
      "master/messages_status_update_acknowledgement": 1,
      "master/messages_register_framework": 1,
    });
  });

  it("counts acknowledgements valid or invalid as Master::acknowledge does", async () => {
    const before = await get("/metrics/snapshot");
    expect(before).toMatchObject({
      "master/valid_status_update_acknowledgements": 0,
      "master/invalid_status_update_acknowledgements": 0,
      "master/valid_operation_status_update_acknowledgements": 0,
      "master/invalid_operation_status_update_acknowledgements": 0,
    });
    const framework = await TestFramework.subscribe(t.baseUrl);
    f = framework;
    const [update] = await framework.launch(["t1"]);
    const status = update?.update as { status: { uuid: string; agent_id: unknown; task_id: unknown } };
    const ack = (agentId: unknown, uuid: string) =>
      framework.call("ACKNOWLEDGE", {
        acknowledge: { agent_id: agentId, task_id: status.status.task_id, uuid },
      });
    // Valid: the update's own uuid; also a uuid the master never sent (Mesos forwards it to the agent).
    expect((await ack(status.status.agent_id, status.status.uuid)).status).toBe(202);
    expect((await ack(status.status.agent_id, Buffer.alloc(16, 7).toString("base64"))).status).toBe(202);
    // Invalid: an agent that is not registered (202: dropped), and a uuid that is not one (400).
    expect((await ack({ value: "no-such-agent" }, status.status.uuid)).status).toBe(202);
    expect((await ack(status.status.agent_id, "bm90LWEtdXVpZA==")).status).toBe(400);
    const opAck = await framework.call("ACKNOWLEDGE_OPERATION_STATUS", {
      acknowledge_operation_status: {
        agent_id: status.status.agent_id,
        operation_id: { value: "never-launched" },
        uuid: status.status.uuid,
      },
    });
    expect(opAck.status).toBe(202);
    expect(await get("/metrics/snapshot")).toMatchObject({
      "master/messages_status_update_acknowledgement": 3,
      "master/valid_status_update_acknowledgements": 2,
      "master/invalid_status_update_acknowledgements": 2,
      "master/valid_operation_status_update_acknowledgements": 0,
      "master/invalid_operation_status_update_acknowledgements": 1,
    });
  });
});
