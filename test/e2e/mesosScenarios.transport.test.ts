// Scenarios §6.1 (scheduler endpoint: transport, validation, status codes) against the operator
// process's Mesos API on the cluster-backed state. Each status code and message is Mesos's
// (semantics.md §1.2–1.4). S-20 (503 before recovery) is covered by the scheduler API's unit test:
// the operator only listens once its caches have synced and the allocator is built, so there is no
// window to observe it from outside.
import { beforeAll, describe, expect, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { encodeProtobuf, MESOS_MESSAGES } from "../../controllers/mesos-api/wire/protobufCodec.ts";
import type { SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";

const bed = mesosTestBed({ name: "mesos61", agents: { a: {} }, flags: ["--allocation-interval-ms", "1000"] });
const { run } = bed;
let fw: SchedulerSession;
beforeAll(async () => {
  fw = await bed.subscribe();
});

const subscribeBody = JSON.stringify({
  type: "SUBSCRIBE",
  subscribe: { framework_info: { user: "u", name: "default", roles: ["*"] } },
});

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(`${bed.base}/api/v1/scheduler`, { method: "POST", headers, body });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe("scheduler endpoint transport and validation (scenarios §6.1)", () => {
  it("S-02: a POST without Content-Type is 400", async () => {
    const res = await fetch(`${bed.base}/api/v1/scheduler`, {
      method: "POST",
      body: new Blob([subscribeBody]),
    });
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
    const res = await fetch(`${bed.base}/api/v1/scheduler`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    await res.text();
  });

  it("S-08: a SUBSCRIBE sent as protobuf without Accept streams application/json", async () => {
    const call = {
      type: "SUBSCRIBE",
      subscribe: { framework_info: { user: "u", name: "no-accept", roles: ["*"] } },
    };
    const stream = await EventStreamClient.open(
      bed.base,
      encodeProtobuf(MESOS_MESSAGES.schedulerCall, call),
      {
        headers: { "Content-Type": "application/x-protobuf" },
      },
    );
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
