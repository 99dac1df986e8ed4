// Mesos ACLs (--acls-file) on the operator process's Mesos API, with HTTP Basic authentication of
// frameworks and operators, and a framework namespace chosen by principal
// (--framework-namespace-from=principal): register_frameworks on SUBSCRIBE and UPDATE_FRAMEWORK,
// run_tasks on ACCEPT, S-98 (operator TEARDOWN 403 / 200 / 400), and a framework whose objects
// live outside the operator's namespace through launch, failover, GET_STATE and teardown.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { tool } from "./support/paths.ts";
import { waitFor } from "./support/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mesos-authz-"));
const credentialsFile = join(dir, "credentials.json");
const aclsFile = join(dir, "acls.json");
const sessions: SchedulerSession[] = [];
const bed = mesosTestBed({
  name: "mesosauthz",
  agents: { a: {} },
  extraNamespaces: ["team"],
  beforeStart: () => {
    writeFileSync(
      credentialsFile,
      JSON.stringify({
        credentials: ["alice", "bob", "ops"].map((p) => ({ principal: p, secret: `${p}-secret` })),
      }),
    );
    writeFileSync(aclsFile, JSON.stringify(ACLS));
  },
  flags: () => [
    "--authenticate-http-frameworks",
    "true",
    "--authenticate-http-operators",
    "true",
    "--credentials-file",
    credentialsFile,
    "--acls-file",
    aclsFile,
    "--framework-namespace-from",
    "principal",
    "--framework-namespaces",
    `alice=${teamNs}`,
  ],
  // Closed, not torn down: only ops may tear frameworks down; the bed deletes their objects.
  beforeTearDown: () => {
    for (const s of sessions) s.stream.close();
  },
});
const { c, ns } = bed;
/** Where alice's frameworks go (--framework-namespaces alice=<teamNs>). */
const teamNs = bed.namespace("team");

const auth = (user: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${user}-secret`).toString("base64")}`,
});

const ACLS = {
  permissive: false,
  register_frameworks: [
    { principals: { values: ["alice"] }, roles: { values: ["dev"] } },
    { principals: { values: ["bob"] }, roles: { values: ["prod"] } },
  ],
  teardown_frameworks: [{ principals: { values: ["ops"] }, framework_principals: { type: "ANY" } }],
  run_tasks: [{ principals: { values: ["alice"] }, users: { values: ["u"] } }],
  // Not permissive: without these, GET_STATE would show ops nothing (as in Mesos).
  view_frameworks: [{ principals: { values: ["ops"] }, users: { type: "ANY" } }],
  view_tasks: [{ principals: { values: ["ops"] }, users: { type: "ANY" } }],
};

async function operatorCall(user: string, body: object) {
  const res = await fetch(`${bed.base}/api/v1`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...auth(user) },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const teardown = (user: string, frameworkId: string) =>
  operatorCall(user, { type: "TEARDOWN", teardown: { framework_id: { value: frameworkId } } });

async function subscribe(user: string, info: Record<string, unknown>): Promise<SchedulerSession> {
  const session = await SchedulerSession.subscribe(
    bed.base,
    { name: `authz-${user}`, principal: user, failover_timeout: 3600, ...info },
    auth(user),
  );
  sessions.push(session);
  return session;
}

async function frameworkObjects(
  namespace: string,
): Promise<{ metadata: { name: string }; status?: unknown }[]> {
  return (await customResources(c, "frameworks").list(namespace)).items as { metadata: { name: string } }[];
}

/** The Framework object is written just after SUBSCRIBED (a Mesos master answers first). */
async function oneFrameworkObjectIn(namespace: string): Promise<void> {
  await waitFor(
    `one Framework object in ${namespace}`,
    async () => (await frameworkObjects(namespace)).length === 1,
    {
      timeoutMs: 10_000,
      describe: async () => JSON.stringify(await frameworkObjects(namespace)),
    },
  );
}

function kubectl(args: string[]): string {
  const r = spawnSync(process.env.KUBECTL ?? tool("kubectl"), args, {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: inject("kubeconfig") },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

describe("register_frameworks", () => {
  it("SUBSCRIBE with a role the principal may not use: one ERROR event with Mesos's message, no Framework object", async () => {
    const stream = await EventStreamClient.open(
      bed.base,
      {
        type: "SUBSCRIBE",
        subscribe: {
          framework_info: {
            user: "u",
            name: "authz-refused",
            principal: "alice",
            roles: ["prod"],
            capabilities: [{ type: "MULTI_ROLE" }],
          },
        },
      },
      { headers: auth("alice") },
    );
    expect(stream.status).toBe(200);
    const error = await stream.waitFor("ERROR", { timeoutMs: 10_000 });
    expect(error.error).toEqual({ message: "Not authorized to register framework  with roles { prod }" });
    await stream.waitForEnd();
    expect(stream.types()).toEqual(["ERROR"]);
    expect(await frameworkObjects(teamNs)).toEqual([]);
  });

  it("SUBSCRIBE with an allowed role subscribes; UPDATE_FRAMEWORK to a forbidden role is 403", async () => {
    const bob = await subscribe("bob", { roles: ["prod"] });
    // bob is not in the namespace map: his framework lands in the fallback (the lease namespace).
    await oneFrameworkObjectIn(ns);
    const update = await bob.call({
      type: "UPDATE_FRAMEWORK",
      update_framework: {
        framework_info: {
          user: "u",
          name: "authz-bob",
          principal: "bob",
          failover_timeout: 3600,
          id: { value: bob.frameworkId },
          roles: ["prod", "dev"],
          capabilities: [{ type: "MULTI_ROLE" }],
        },
      },
    });
    expect(update).toEqual({
      status: 403,
      body: `Not authorized to register framework ${bob.frameworkId} with roles { dev, prod }`,
    });
    await bob.teardown();
    await waitFor("bob's Framework object gone", async () => (await frameworkObjects(ns)).length === 0, {
      timeoutMs: 30_000,
    });
  });
});

describe("a framework in its principal's namespace, and S-98", () => {
  it("launches, fails over, shows in GET_STATE; TEARDOWN is 403 for alice, 200 for ops, 400 for an unknown id", async () => {
    const alice = (await subscribe("alice", { roles: ["dev"] })).acknowledgeUpdates();
    await oneFrameworkObjectIn(teamNs);

    const offer = await alice.nextOffer();
    // Two launches in one ACCEPT: as the framework's user "u" (allowed), and as root (run_tasks
    // refuses it: TASK_ERROR from the master, and no Task object).
    const taskInfo = (id: string, user?: string) => ({
      name: id,
      task_id: { value: id },
      agent_id: offer.agent_id,
      resources: [
        { name: "cpus", type: "SCALAR", scalar: { value: 0.1 } },
        { name: "mem", type: "SCALAR", scalar: { value: 32 } },
      ],
      command: { value: "sleep 3600", ...(user === undefined ? {} : { user }) },
    });
    const accepted = await alice.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH",
            launch: { task_infos: [taskInfo("authz-task"), taskInfo("authz-root", "root")] },
          },
        ],
      },
    });
    expect(accepted.status).toBe(202);
    expect(await alice.update("authz-root", "TASK_ERROR")).toMatchObject({
      source: "SOURCE_MASTER",
      reason: "REASON_TASK_UNAUTHORIZED",
      message: `Principal 'alice' no authorized to launch task authz-root of framework ${alice.frameworkId} under user 'root'`,
    });
    await alice.update("authz-task", "TASK_RUNNING");
    // The kubectl door sees the task where the framework lives.
    expect(kubectl(["get", "mtask", "-n", teamNs, "-o", "jsonpath={.items[*].spec.taskId}"])).toBe(
      "authz-task",
    );

    // Failover: a new stream for the same framework finds it in its namespace, with its task.
    alice.stream.close();
    const again = await SchedulerSession.subscribe(
      bed.base,
      {
        name: "authz-alice",
        principal: "alice",
        failover_timeout: 3600,
        roles: ["dev"],
        id: { value: alice.frameworkId },
      },
      auth("alice"),
    );
    sessions.push(again);
    expect(again.frameworkId).toBe(alice.frameworkId);
    await oneFrameworkObjectIn(teamNs);

    const state = await operatorCall("ops", { type: "GET_STATE" });
    expect(state.status).toBe(200);
    const getState = (
      JSON.parse(state.text) as {
        get_state: {
          get_frameworks: { frameworks: { framework_info: { id: { value: string }; principal: string } }[] };
          get_tasks: {
            tasks: { task_id: { value: string }; framework_id: { value: string }; state: string }[];
          };
        };
      }
    ).get_state;
    expect(getState.get_frameworks.frameworks.map((f) => f.framework_info.id.value)).toContain(
      alice.frameworkId,
    );
    expect(getState.get_tasks.tasks).toContainEqual(
      expect.objectContaining({
        task_id: { value: "authz-task" },
        framework_id: { value: alice.frameworkId },
        state: "TASK_RUNNING",
      }),
    );

    // S-98: not authorized (alice is not in teardown_frameworks; permissive false) → 403.
    expect(await teardown("alice", alice.frameworkId)).toEqual({ status: 403, text: "" });
    expect(await teardown("ops", "no-such-framework")).toEqual({
      status: 400,
      text: "No framework found with specified ID",
    });
    expect((await teardown("ops", alice.frameworkId)).status).toBe(200);
    await again.stream.waitForEnd(10_000);

    // The Framework object goes, then garbage collection removes its Task (owned by it); the
    // master's memory still lists the task, killed, among GET_STATE's completed tasks.
    await waitFor(
      "alice's Framework object and her Task gone",
      async () =>
        (await frameworkObjects(teamNs)).length === 0 &&
        kubectl(["get", "mtask", "-n", teamNs, "-o", "name"]).trim() === "",
      {
        timeoutMs: 30_000,
        describe: async () =>
          `frameworks: ${JSON.stringify(await frameworkObjects(teamNs))}, tasks: ${kubectl(["get", "mtask", "-n", teamNs, "-o", "name"])}`,
      },
    );
    const after = JSON.parse((await operatorCall("ops", { type: "GET_STATE" })).text) as {
      get_state: {
        get_frameworks: { frameworks?: { framework_info: { id: { value: string } } }[] };
        get_tasks: {
          completed_tasks?: {
            framework_id: { value: string };
            state: string;
            statuses: { reason?: string }[];
          }[];
        };
      };
    };
    expect(
      (after.get_state.get_frameworks.frameworks ?? []).map((f) => f.framework_info.id.value),
    ).not.toContain(alice.frameworkId);
    const killed = (after.get_state.get_tasks.completed_tasks ?? []).filter(
      (t) => t.framework_id.value === alice.frameworkId,
    );
    expect(killed.map((t) => [t.state, t.statuses.at(-1)?.reason])).toEqual([
      ["TASK_KILLED", "REASON_FRAMEWORK_REMOVED"],
    ]);
  });
});
