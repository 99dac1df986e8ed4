// Scenarios §6.1 (scheduler endpoint: transport, validation, status codes) against the operator
// process's Mesos API on the cluster-backed state. Each status code and message is Mesos's
// (semantics.md §1.2–1.4). S-20 (503 before recovery) is covered by the scheduler API's unit test:
// the operator only listens once its caches have synced and the allocator is built, so there is no
// window to observe it from outside.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { encodeProtobuf, MESOS_MESSAGES } from "../../controllers/mesos-api/wire/protobufCodec.ts";
import { ensureCrds } from "./support/crds.ts";
import { removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import { addAgent, freePort, SchedulerSession } from "./support/mesosScheduler.ts";
import { deleteFrameworks, type OperatorProcess, startOperatorProcess } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const c = kubeClients();
const run = Date.now().toString(36);
const ns = `mesos61-${run}`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const node = `mesos61-${run}-a`;
let operator: OperatorProcess;
let base = "";
let fw: SchedulerSession;

const subscribeBody = JSON.stringify({
  type: "SUBSCRIBE",
  subscribe: { framework_info: { user: "u", name: "default", roles: ["*"] } },
});

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(`${base}/api/v1/scheduler`, { method: "POST", headers, body });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  await addAgent(c, node, agentLabel);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  operator = startOperatorProcess(ns, `mesos61-${run}`, agentLabel, [
    "--mesos-api-port",
    String(port),
    "--allocation-interval-ms",
    "1000",
  ]);
  await waitFor(
    "the Mesos API of the leader",
    async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
    { timeoutMs: 60_000, describe: async () => operator.output().slice(-3000) },
  );
  fw = await SchedulerSession.subscribe(base);
});

afterAll(async () => {
  await fw?.teardown();
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await removeNode(c, node);
});

describe("scheduler endpoint transport and validation (scenarios §6.1)", () => {
  it("S-02: a POST without Content-Type is 400", async () => {
    const res = await fetch(`${base}/api/v1/scheduler`, { method: "POST", body: new Blob([subscribeBody]) });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("Expecting 'Content-Type' to be present");
  });

  it("S-04: the body MALFORMED_CONTENT is 400, as JSON and as protobuf", async () => {
    const json = await post("MALFORMED_CONTENT", { "Content-Type": "application/json" });
    expect(json.status).toBe(400);
    expect(json.body).toContain("Failed to parse body into JSON");
    const proto = await post("MALFORMED_CONTENT", { "Content-Type": "application/x-protobuf" });
    expect(proto.status).toBe(400);
    expect(proto.body).toContain("Failed to parse body into Call protobuf");
  });

  it("S-06: GET is 405 with Allow: POST", async () => {
    const res = await fetch(`${base}/api/v1/scheduler`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    await res.text();
  });

  it("S-08: a SUBSCRIBE sent as protobuf without Accept streams application/json", async () => {
    const call = {
      type: "SUBSCRIBE",
      subscribe: { framework_info: { user: "u", name: "no-accept", roles: ["*"] } },
    };
    const stream = await EventStreamClient.open(base, encodeProtobuf(MESOS_MESSAGES.schedulerCall, call), {
      headers: { "Content-Type": "application/x-protobuf" },
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers["content-type"]).toBe("application/json");
      const subscribed = await stream.waitFor("SUBSCRIBED", { timeoutMs: 20_000 });
      const id = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
      const teardown = await post(JSON.stringify({ type: "TEARDOWN", framework_id: { value: id } }), {
        "Content-Type": "application/json",
        "Mesos-Stream-Id": stream.streamId ?? "",
      });
      expect(teardown.status).toBe(202);
    } finally {
      stream.close();
    }
  });

  it("S-10: a SUBSCRIBE carrying Mesos-Stream-Id is 400", async () => {
    const res = await post(subscribeBody, {
      "Content-Type": "application/json",
      "Mesos-Stream-Id": fw.streamId,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Subscribe calls should not include the 'Mesos-Stream-Id' header");
  });

  it("S-12: ACCEPT without an accept object is 400", async () => {
    const res = await fw.call({ type: "ACCEPT" });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Expecting 'accept' to be present");
  });

  it("S-14: TEARDOWN without Mesos-Stream-Id is 400 and the framework stays", async () => {
    const res = await post(JSON.stringify({ type: "TEARDOWN", framework_id: { value: fw.frameworkId } }), {
      "Content-Type": "application/json",
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Mesos-Stream-Id");
    expect((await fw.call({ type: "REVIVE" })).status).toBe(202);
    expect(fw.stream.ended).toBe(false);
  });

  it("S-16: any non-SUBSCRIBE call for an unknown framework id is 400 'Framework cannot be found'", async () => {
    for (const type of ["DECLINE", "REVIVE", "SUPPRESS", "TEARDOWN", "RECONCILE"]) {
      const body: Record<string, unknown> = { type, framework_id: { value: `no-such-${run}-0000` } };
      if (type === "DECLINE") body.decline = { offer_ids: [{ value: "o" }] };
      if (type === "RECONCILE") body.reconcile = { tasks: [] };
      const res = await post(JSON.stringify(body), {
        "Content-Type": "application/json",
        "Mesos-Stream-Id": fw.streamId,
      });
      expect(res.status, type).toBe(400);
      expect(res.body, type).toContain("Framework cannot be found");
    }
  });

  it("S-18: well-formed calls naming unknown offers and tasks are 202 with an empty body", async () => {
    const agent = { value: "no-such-agent-S0" };
    const task = { value: "no-such-task" };
    const calls: Record<string, unknown>[] = [
      { type: "DECLINE", decline: { offer_ids: [{ value: "no-such-offer" }] } },
      { type: "REVIVE" },
      { type: "SUPPRESS" },
      { type: "KILL", kill: { task_id: task, agent_id: agent } },
      { type: "RECONCILE", reconcile: { tasks: [{ task_id: task }] } },
      {
        type: "ACKNOWLEDGE",
        acknowledge: { agent_id: agent, task_id: task, uuid: "AAAAAAAAAAAAAAAAAAAAAA==" },
      },
    ];
    for (const body of calls) {
      const res = await fw.call(body);
      expect(res.status, String(body.type)).toBe(202);
      expect(res.body, String(body.type)).toBe("");
    }
  });
});
