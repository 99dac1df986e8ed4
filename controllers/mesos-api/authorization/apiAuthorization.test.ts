// The ACLs at the Mesos API's doors, through real HTTP requests to the façade over the in-memory
// backend: SUBSCRIBE (ERROR event), UPDATE_FRAMEWORK (403), operator TEARDOWN (S-98) and the other
// state-changing operator calls (bare 403), each checked before the backend is reached.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { operatorCall, schedulerCall } from "../testing/httpClient.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";
import { parseAcls } from "./acls.ts";
import { authorize } from "./localAuthorizer.ts";

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

beforeEach(async () => {
  t = await startTestServer({
    server: {
      authentication: {
        frameworks: true,
        operators: true,
        authenticate: async ({ username, password }) => (password === "secret" ? username : undefined),
      },
      authorizer: { authorized: async (request) => authorize(ACLS, request) },
    },
  });
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

  it("MARK_AGENT_GONE", async () => {
    const gone = { type: "MARK_AGENT_GONE", mark_agent_gone: { agent_id: { value: "a1" } } };
    expect((await call("alice", gone)).status).toBe(403);
    expect((await call("ops", gone)).status).not.toBe(403);
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
