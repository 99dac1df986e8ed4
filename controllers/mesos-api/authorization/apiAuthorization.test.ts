// The ACLs at the Mesos API's doors, through real HTTP requests to the façade over the in-memory
// backend: SUBSCRIBE (ERROR event), UPDATE_FRAMEWORK (403), operator TEARDOWN (S-98) and the other
// state-changing operator calls (bare 403), each checked before the backend is reached.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { httpRequest, operatorCall, schedulerCall } from "../testing/httpClient.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";
import { parseAcls } from "./acls.ts";
import { type AuthorizationRequest, authorize } from "./localAuthorizer.ts";

const ACLS = parseAcls(
  JSON.stringify({
    permissive: false,
    register_frameworks: [
      { principals: { values: ["alice"] }, roles: { values: ["dev", "test"] } },
      { principals: { values: ["bob"] }, roles: { values: ["prod"] } },
    ],
    teardown_frameworks: [
      { principals: { values: ["ops"] }, framework_principals: { type: "ANY" } },
      { principals: { values: ["alice"] }, framework_principals: { values: ["alice"] } },
    ],
    update_weights: [{ principals: { values: ["ops"] }, roles: { type: "ANY" } }],
    update_quotas: [{ principals: { values: ["ops"] }, roles: { values: ["dev"] } }],
    mark_agents_gone: [{ principals: { values: ["ops"] }, agents: { type: "ANY" } }],
    drain_agents: [{ principals: { values: ["ops", "drainer"] }, agents: { type: "ANY" } }],
    run_tasks: [{ principals: { values: ["alice"] }, users: { values: ["alice"] } }],
    reserve_resources: [{ principals: { values: ["ops"] }, roles: { values: ["dev"] } }],
    view_frameworks: [
      { principals: { values: ["ops"] }, users: { type: "ANY" } },
      { principals: { values: ["alice"] }, users: { values: ["u"] } },
    ],
    view_flags: [{ principals: { values: ["ops"] }, flags: { type: "ANY" } }],
    view_tasks: [
      { principals: { values: ["ops"] }, users: { type: "ANY" } },
      { principals: { values: ["alice"] }, users: { values: ["alice"] } },
    ],
  }),
);

const basic = (user: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:secret`).toString("base64")}`,
});
const info = (principal: string | undefined, roles: string[]) => ({
  user: "u",
  name: "fw",
  roles,
  capabilities: [{ type: "MULTI_ROLE" }],
  ...(principal === undefined ? {} : { principal }),
});

let t: TestServer;
const open: EventStreamClient[] = [];

const SERVER_OPTIONS = {
  authentication: {
    frameworks: true,
    operators: true,
    authenticate: async ({ username, password }: { username: string; password: string }) =>
      password === "secret" ? username : undefined,
  },
  authorizer: { approver: async () => (request: AuthorizationRequest) => authorize(ACLS, request) },
};

beforeEach(async () => {
  t = await startTestServer({ server: SERVER_OPTIONS });
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await t.close();
});

async function subscribe(user: string, frameworkInfo: object): Promise<EventStreamClient> {
  const client = await EventStreamClient.open(
    t.baseUrl,
    { type: "SUBSCRIBE", subscribe: { framework_info: frameworkInfo } },
    { headers: basic(user) },
  );
  open.push(client);
  return client;
}

async function subscribed(user: string, frameworkInfo: object) {
  const client = await subscribe(user, frameworkInfo);
  const event = await client.waitFor("SUBSCRIBED");
  return {
    client,
    frameworkId: (event.subscribed as { framework_id: { value: string } }).framework_id.value,
  };
}

describe("SUBSCRIBE", () => {
  it("refuses roles the principal may not use with Mesos's ERROR, and registers nothing", async () => {
    const client = await subscribe("alice", info("alice", ["dev", "prod"]));
    expect(client.status).toBe(200);
    const error = await client.waitFor("ERROR");
    expect(error.error).toEqual({
      message: "Not authorized to register framework  with roles { dev, prod }",
    });
    await client.waitForEnd();
    expect(client.types()).toEqual(["ERROR"]);
    expect(t.backend.calls.filter((c) => c.method === "subscribe")).toEqual([]);
  });

  it("subscribes with roles the principal may use", async () => {
    const { frameworkId } = await subscribed("alice", info("alice", ["test", "dev"]));
    expect(t.backend.registeredFramework(frameworkId)?.principal).toBe("alice");
  });

  it("checks an authenticated framework without a principal as the principal it authenticated with", async () => {
    const refused = await subscribe("bob", info(undefined, ["dev"]));
    expect((await refused.waitFor("ERROR")).error).toEqual({
      message: "Not authorized to register framework  with roles { dev }",
    });
    const { frameworkId } = await subscribed("bob", info(undefined, ["prod"]));
    expect(t.backend.registeredFramework(frameworkId)?.principal).toBe("bob");
  });

  it("checks a re-subscription too, naming the framework", async () => {
    const { client, frameworkId } = await subscribed("alice", info("alice", ["dev"]));
    client.close();
    const again = await EventStreamClient.open(
      t.baseUrl,
      {
        type: "SUBSCRIBE",
        framework_id: { value: frameworkId },
        subscribe: { framework_info: { ...info("alice", ["dev", "prod"]), id: { value: frameworkId } } },
      },
      { headers: basic("alice") },
    );
    open.push(again);
    expect((await again.waitFor("ERROR")).error).toEqual({
      message: `Not authorized to register framework ${frameworkId} with roles { dev, prod }`,
    });
  });

  it("uses the old single role of a framework without MULTI_ROLE", async () => {
    const single = { user: "u", name: "fw", principal: "alice", role: "prod" };
    const refused = await subscribe("alice", single);
    expect((await refused.waitFor("ERROR")).error).toEqual({
      message: "Not authorized to register framework  with roles { prod }",
    });
  });
});

describe("UPDATE_FRAMEWORK", () => {
  it("answers 403 for roles the principal may not use, and 200 for allowed ones", async () => {
    const { client, frameworkId } = await subscribed("alice", info("alice", ["dev"]));
    const update = (roles: string[]) =>
      schedulerCall(
        t.baseUrl,
        {
          type: "UPDATE_FRAMEWORK",
          framework_id: { value: frameworkId },
          update_framework: { framework_info: { ...info("alice", roles), id: { value: frameworkId } } },
        },
        { ...basic("alice"), "Mesos-Stream-Id": client.streamId ?? "" },
      );
    const refused = await update(["dev", "prod"]);
    expect([refused.status, refused.body]).toEqual([
      403,
      `Not authorized to register framework ${frameworkId} with roles { dev, prod }`,
    ]);
    expect(t.backend.calls.some((c) => c.method === "updateFramework")).toBe(false);
    expect((await update(["dev", "test"])).status).toBe(200);
  });
});

describe("ACCEPT (run_tasks)", () => {
  const task = (id: string, agentId: unknown, user?: string) => ({
    name: id,
    task_id: { value: id },
    agent_id: agentId,
    resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 0.1 } }],
    command: { value: "sleep 100", ...(user === undefined ? {} : { user }) },
  });

  it("answers a task whose user the principal may not run as with TASK_ERROR, and launches the others", async () => {
    const { client, frameworkId } = await subscribed("alice", info("alice", ["dev"]));
    const offers = await client.waitFor("OFFERS");
    const offer = (offers.offers as { offers: { id: unknown; agent_id: unknown }[] }).offers[0];
    const from = client.events.length;
    const r = await schedulerCall(
      t.baseUrl,
      {
        type: "ACCEPT",
        framework_id: { value: frameworkId },
        accept: {
          offer_ids: [offer?.id],
          operations: [
            {
              type: "LAUNCH",
              launch: {
                task_infos: [task("as-u", offer?.agent_id), task("as-alice", offer?.agent_id, "alice")],
              },
            },
          ],
        },
      },
      { ...basic("alice"), "Mesos-Stream-Id": client.streamId ?? "" },
    );
    expect(r.status).toBe(202);
    const refused = await client.waitFor(
      (e) => e.type === "UPDATE" && (e.update as { status: { state: string } }).status.state === "TASK_ERROR",
      { from },
    );
    // The framework's user ("u") applies to a task that names none.
    expect((refused.update as { status: object }).status).toMatchObject({
      task_id: { value: "as-u" },
      state: "TASK_ERROR",
      source: "SOURCE_MASTER",
      reason: "REASON_TASK_UNAUTHORIZED",
      message: `Principal 'alice' no authorized to launch task as-u of framework ${frameworkId} under user 'u'`,
      agent_id: offer?.agent_id,
    });
    expect((refused.update as { status: { uuid?: string } }).status.uuid).toBeUndefined();
    expect([...t.backend.tasks.keys()]).toEqual([`${frameworkId}/as-alice`]);
  });

  it("refuses a whole LAUNCH_GROUP when one of its tasks is refused", async () => {
    const { client, frameworkId } = await subscribed("alice", info("alice", ["dev"]));
    const offers = await client.waitFor("OFFERS");
    const offer = (offers.offers as { offers: { id: unknown; agent_id: unknown }[] }).offers[0];
    const from = client.events.length;
    await schedulerCall(
      t.baseUrl,
      {
        type: "ACCEPT",
        framework_id: { value: frameworkId },
        accept: {
          offer_ids: [offer?.id],
          operations: [
            {
              type: "LAUNCH_GROUP",
              launch_group: {
                executor: { type: "DEFAULT", executor_id: { value: "e" }, command: { user: "alice" } },
                task_group: {
                  tasks: [task("g1", offer?.agent_id, "alice"), task("g2", offer?.agent_id, "root")],
                },
              },
            },
          ],
        },
      },
      { ...basic("alice"), "Mesos-Stream-Id": client.streamId ?? "" },
    );
    await client.waitFor(
      (e) =>
        e.type === "UPDATE" &&
        (e.update as { status: { task_id: { value: string } } }).status.task_id.value === "g2",
      { from },
    );
    const statuses = client.events
      .slice(from)
      .filter((e) => e.type === "UPDATE")
      .map(
        (e) =>
          (e.update as { status: { task_id: { value: string }; reason: string; message: string } }).status,
      );
    expect(statuses.map((s) => [s.task_id.value, s.reason])).toEqual([
      ["g1", "REASON_TASK_GROUP_UNAUTHORIZED"],
      ["g2", "REASON_TASK_GROUP_UNAUTHORIZED"],
    ]);
    expect(statuses[0]?.message).toContain("under user 'root'");
    expect(t.backend.tasks.size).toBe(0);
  });
});

describe("operator TEARDOWN (S-98)", () => {
  it("403 for an unauthorized principal, 200 for an authorized one, 400 for an unknown id", async () => {
    const { frameworkId } = await subscribed("bob", info("bob", ["prod"]));
    const teardown = (user: string, id: string) =>
      operatorCall(t.baseUrl, { type: "TEARDOWN", teardown: { framework_id: { value: id } } }, basic(user));

    const forbidden = await teardown("alice", frameworkId);
    expect([forbidden.status, forbidden.body]).toEqual([403, ""]);
    expect(t.backend.registeredFramework(frameworkId)).toBeDefined();

    const unknown = await teardown("alice", "no-such-framework");
    expect([unknown.status, unknown.body]).toEqual([400, "No framework found with specified ID"]);

    expect((await teardown("ops", frameworkId)).status).toBe(200);
    expect(t.backend.registeredFramework(frameworkId)).toBeUndefined();
  });

  it("lets a principal tear down its own framework when the ACL says so", async () => {
    const { frameworkId } = await subscribed("alice", info("alice", ["dev"]));
    const r = await operatorCall(
      t.baseUrl,
      { type: "TEARDOWN", teardown: { framework_id: { value: frameworkId } } },
      basic("alice"),
    );
    expect(r.status).toBe(200);
  });
});

describe("other operator changes", () => {
  const call = (user: string, body: object) => operatorCall(t.baseUrl, body, basic(user));
  const weights = { type: "UPDATE_WEIGHTS", update_weights: { weight_infos: [{ role: "dev", weight: 2 }] } };
  const quota = (role: string) => ({
    type: "UPDATE_QUOTA",
    update_quota: { quota_configs: [{ role, limits: { cpus: { value: 1 } } }] },
  });

  it("UPDATE_WEIGHTS and UPDATE_QUOTA per role, 403 before the backend is asked", async () => {
    expect((await call("alice", weights)).status).toBe(403);
    expect((await call("ops", weights)).status).toBe(200);
    expect((await call("ops", quota("prod"))).status).toBe(403);
    expect((await call("ops", quota("dev"))).status).toBe(200);
    expect(t.backend.calls.map((c) => c.method)).toEqual([
      "changeCluster:UPDATE_WEIGHTS",
      "changeCluster:UPDATE_QUOTA",
    ]);
  });

  it("leaves an invalid role to the backend's 400, as Mesos validates before it authorizes", async () => {
    const bad = { type: "UPDATE_WEIGHTS", update_weights: { weight_infos: [{ role: "../x", weight: 2 }] } };
    expect((await call("alice", bad)).status).toBe(400);
  });

  it("RESERVE_RESOURCES by the reserve_resources ACLs, before the backend is asked", async () => {
    const reserve = (role: string) => ({
      type: "RESERVE_RESOURCES",
      reserve_resources: {
        agent_id: { value: "in-memory-S0" },
        resources: [
          {
            name: "cpus",
            type: "SCALAR",
            scalar: { value: 1 },
            reservations: [{ type: "DYNAMIC", role, principal: "ops" }],
          },
        ],
      },
    });
    expect((await call("ops", reserve("prod"))).status).toBe(403);
    expect(t.backend.calls).toEqual([]);
    expect((await call("ops", reserve("dev"))).status).not.toBe(403);
  });

  it("MARK_AGENT_GONE", async () => {
    const gone = { type: "MARK_AGENT_GONE", mark_agent_gone: { agent_id: { value: "a1" } } };
    expect((await call("alice", gone)).status).toBe(403);
    expect((await call("ops", gone)).status).not.toBe(403);
  });

  it("DRAIN_AGENT: drain_agents, and mark_agents_gone too when mark_gone (http.cpp _drainAgent)", async () => {
    const drain = (markGone: boolean) => ({
      type: "DRAIN_AGENT",
      drain_agent: { agent_id: { value: "in-memory-S0" }, mark_gone: markGone },
    });
    expect((await call("alice", drain(false))).status).toBe(403);
    expect((await call("drainer", drain(true))).status).toBe(403);
    expect(t.backend.calls).toEqual([]);
    expect((await call("drainer", drain(false))).status).toBe(200);
    expect((await call("ops", drain(true))).status).toBe(200);
  });
});

describe("view ACLs", () => {
  const frameworkIds = (body: string) =>
    (
      JSON.parse(body) as { get_frameworks: { frameworks?: { framework_info: { id: { value: string } } }[] } }
    ).get_frameworks.frameworks?.map((f) => f.framework_info.id.value) ?? [];

  it("GET_FRAMEWORKS and /master/frameworks show only the frameworks whose user the principal may view", async () => {
    const alices = await subscribed("alice", info("alice", ["dev"]));
    const bobs = await subscribed("bob", { ...info("bob", ["prod"]), user: "bob-user" });
    const get = async (user: string) =>
      frameworkIds((await operatorCall(t.baseUrl, { type: "GET_FRAMEWORKS" }, basic(user))).body).sort();
    expect(await get("ops")).toEqual([alices.frameworkId, bobs.frameworkId].sort());
    expect(await get("alice")).toEqual([alices.frameworkId]);
    expect(await get("bob")).toEqual([]);

    const legacy = await httpRequest(t.baseUrl, { path: "/master/frameworks", headers: basic("alice") });
    const listed = (JSON.parse(legacy.body) as { frameworks: { id: string }[] }).frameworks.map((f) => f.id);
    expect(listed).toEqual([alices.frameworkId]);
  });

  it("operator SUBSCRIBE: the snapshot and the events leave out what the subscriber may not view", async () => {
    // alice first: the one agent is offered to her.
    const alice = await subscribed("alice", info("alice", ["dev"]));
    const offers = await alice.client.waitFor("OFFERS");
    await subscribed("bob", { ...info("bob", ["prod"]), user: "bob-user" });
    const stream = (who: string) =>
      EventStreamClient.open(t.baseUrl, { type: "SUBSCRIBE" }, { path: "/api/v1", headers: basic(who) });
    const opsStream = await stream("ops");
    const aliceStream = await stream("alice");
    open.push(opsStream, aliceStream);
    for (const s of [opsStream, aliceStream]) await s.waitFor("HEARTBEAT");
    const frameworksIn = (s: EventStreamClient) => {
      const subscribed = s.events[0]?.subscribed as
        | { get_state: { get_frameworks: { frameworks?: { framework_info: { id: { value: string } } }[] } } }
        | undefined;
      return subscribed?.get_state.get_frameworks.frameworks?.map((f) => f.framework_info.id.value) ?? [];
    };
    expect(frameworksIn(opsStream)).toHaveLength(2);
    expect(frameworksIn(aliceStream)).toEqual([alice.frameworkId]);

    const later = await subscribed("bob", { ...info("bob", ["prod"]), user: "bob-user" });
    const offer = (offers.offers as { offers: { id: unknown; agent_id: unknown }[] }).offers[0];
    await schedulerCall(
      t.baseUrl,
      {
        type: "ACCEPT",
        framework_id: { value: alice.frameworkId },
        accept: {
          offer_ids: [offer?.id],
          operations: [
            {
              type: "LAUNCH",
              launch: {
                task_infos: [
                  {
                    name: "v",
                    task_id: { value: "visible" },
                    agent_id: offer?.agent_id,
                    resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 0.1 } }],
                    command: { value: "sleep 100", user: "alice" },
                  },
                ],
              },
            },
          ],
        },
      },
      { ...basic("alice"), "Mesos-Stream-Id": alice.client.streamId ?? "" },
    );
    // Events go to every subscriber at once, in order: once both saw the task, alice's stream
    // has had its chance to show bob's second framework.
    for (const s of [opsStream, aliceStream]) await s.waitFor("TASK_ADDED");
    const added = (s: EventStreamClient) =>
      s.events
        .filter((e) => e.type === "FRAMEWORK_ADDED")
        .map(
          (e) =>
            (e.framework_added as { framework: { framework_info: { id: { value: string } } } }).framework
              .framework_info.id.value,
        );
    expect(added(opsStream)).toEqual([later.frameworkId]);
    expect(added(aliceStream)).toEqual([]);
  });

  it("GET_FLAGS and /flags are 403 without view_flags; /master/state then shows no flags", async () => {
    expect((await operatorCall(t.baseUrl, { type: "GET_FLAGS" }, basic("ops"))).status).toBe(200);
    expect((await operatorCall(t.baseUrl, { type: "GET_FLAGS" }, basic("alice"))).status).toBe(403);
    expect((await httpRequest(t.baseUrl, { path: "/flags", headers: basic("alice") })).status).toBe(403);
    const state = (who: string) => httpRequest(t.baseUrl, { path: "/master/state", headers: basic(who) });
    expect((JSON.parse((await state("alice")).body) as { flags: object }).flags).toEqual({});
    expect(Object.keys((JSON.parse((await state("ops")).body) as { flags: object }).flags)).not.toEqual([]);
  });
});

describe("without ACLs", () => {
  it("allows everything, as Mesos without --acls", async () => {
    await t.close();
    t = await startTestServer();
    const client = await EventStreamClient.open(t.baseUrl, {
      type: "SUBSCRIBE",
      subscribe: { framework_info: info("anyone", ["prod"]) },
    });
    open.push(client);
    await client.waitFor("SUBSCRIBED");
  });
});
