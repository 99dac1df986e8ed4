// The operator API in protobuf against the operator process on the cluster-backed state: GET_HEALTH
// as exact bytes, GET_STATE and the other read calls answering in protobuf the same content as in
// JSON while a framework has a running task, and the event stream (SUBSCRIBED with the state,
// FRAMEWORK_ADDED, TASK_ADDED, TASK_UPDATED) in RecordIO-framed protobuf. (mesos-go's default
// codec runs the scheduler API in protobuf: mesosGoFramework.test.ts.)
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { withoutEmpty } from "../../controllers/mesos-api/testing/withoutEmpty.ts";
import {
  decodeProtobuf,
  encodeProtobuf,
  MESOS_MESSAGES,
} from "../../controllers/mesos-api/wire/protobufCodec.ts";
import { operatorApiCall } from "./support/mesosOperator.ts";
import { SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";

const PROTOBUF = "application/x-protobuf";
const bed = mesosTestBed({ name: "mesospb", agents: { a: {} } });

/** POST raw protobuf bytes to the operator API, asking for protobuf. */
async function protobufCall(
  body: Uint8Array,
): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${bed.operator.base}/api/v1`, {
    method: "POST",
    headers: { "Content-Type": PROTOBUF, Accept: PROTOBUF },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** mesos.v1.Task has no `command`; the JSON shape carries it for the legacy executor view. */
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

describe("operator API in protobuf", () => {
  it("GET_HEALTH: Call bytes in, the exact Response bytes out", async () => {
    // Call { type: GET_HEALTH (1) }
    const r = await protobufCall(Uint8Array.of(0x08, 0x01));
    expect(r.status).toBe(200);
    expect(r.type).toBe(PROTOBUF);
    // Response { type: GET_HEALTH (1), get_health (2) { healthy (1): true } }
    expect([...r.bytes]).toEqual([0x08, 0x01, 0x12, 0x02, 0x08, 0x01]);
  });

  it("answers malformed bytes 400, not 5xx", async () => {
    const r = await protobufCall(Buffer.from("MALFORMED_CONTENT"));
    expect(r.status).toBe(400);
    expect(r.bytes.toString()).toContain("Failed to parse body into Call protobuf");
  });

  it("streams events and answers read calls with the same content as JSON, a task running", async () => {
    const events = await EventStreamClient.open(
      bed.operator.base,
      encodeProtobuf(MESOS_MESSAGES.operatorCall, { type: "SUBSCRIBE" }),
      { path: "/api/v1", headers: { "Content-Type": PROTOBUF, Accept: PROTOBUF } },
    );
    bed.closeLater(events);
    expect(events.status).toBe(200);
    expect(events.headers["content-type"]).toBe(PROTOBUF);
    const subscribed = await events.waitFor("SUBSCRIBED", { timeoutMs: 10_000 });
    expect(subscribed.subscribed).toMatchObject({
      heartbeat_interval_seconds: 15,
      get_state: { get_agents: { agents: [expect.objectContaining({ active: true })] } },
    });

    const fw = (
      await SchedulerSession.subscribe(bed.operator.base, { name: "pb-state" })
    ).acknowledgeUpdates();
    bed.closeLater(fw.stream);
    const offer = await fw.nextOffer();
    expect(await fw.launch([offer], [{ id: "pb-task", cpus: 0.5, mem: 64 }])).toBe(202);
    await fw.update("pb-task", "TASK_RUNNING");
    const updated = await events.waitFor(
      (e) => e.type === "TASK_UPDATED" && (e.task_updated as { state: string }).state === "TASK_RUNNING",
      { timeoutMs: 20_000 },
    );
    expect(updated.task_updated).toMatchObject({ framework_id: { value: fw.frameworkId } });
    expect(events.types()).toEqual(expect.arrayContaining(["FRAMEWORK_ADDED", "TASK_ADDED"]));

    for (const type of [
      "GET_STATE",
      "GET_TASKS",
      "GET_FRAMEWORKS",
      "GET_AGENTS",
      "GET_EXECUTORS",
      "GET_OPERATIONS",
      "GET_ROLES",
      "GET_WEIGHTS",
      "GET_QUOTA",
      "GET_MASTER",
      "GET_FLAGS",
      "GET_VERSION",
      "GET_MAINTENANCE_SCHEDULE",
      "GET_MAINTENANCE_STATUS",
    ]) {
      // Offers come and go between two calls: compare a protobuf answer taken between two equal
      // JSON answers.
      let compared = false;
      for (let attempt = 0; attempt < 10 && !compared; attempt++) {
        const before = await operatorApiCall(bed.operator.base, { type });
        const pb = await protobufCall(encodeProtobuf(MESOS_MESSAGES.operatorCall, { type }));
        const after = await operatorApiCall(bed.operator.base, { type });
        expect(pb.status, pb.bytes.toString()).toBe(200);
        if (!isDeepStrictEqual(before.json, after.json)) continue;
        expect(withoutEmpty(decodeProtobuf(MESOS_MESSAGES.operatorResponse, pb.bytes)), type).toEqual(
          withoutEmpty(withoutTaskCommand(before.json)),
        );
        compared = true;
      }
      expect(compared, `${type}: the state kept changing`).toBe(true);
    }
    const state = decodeProtobuf(
      MESOS_MESSAGES.operatorResponse,
      (await protobufCall(encodeProtobuf(MESOS_MESSAGES.operatorCall, { type: "GET_STATE" }))).bytes,
    ) as { get_state: { get_tasks: { tasks: { task_id: { value: string }; state: string }[] } } };
    expect(state.get_state.get_tasks.tasks).toContainEqual(
      expect.objectContaining({ task_id: { value: "pb-task" }, state: "TASK_RUNNING" }),
    );

    // The scheduler events the cluster-backed state sent this (JSON) framework carry nothing that
    // protobuf would lose: SUBSCRIBED, HEARTBEAT, OFFERS, UPDATEs.
    expect(new Set(fw.stream.types())).toEqual(new Set(["SUBSCRIBED", "HEARTBEAT", "OFFERS", "UPDATE"]));
    for (const event of fw.stream.events) {
      const back = decodeProtobuf(
        MESOS_MESSAGES.schedulerEvent,
        encodeProtobuf(MESOS_MESSAGES.schedulerEvent, event),
      );
      expect(withoutEmpty(back), event.type).toEqual(withoutEmpty(event));
    }

    await fw.teardown();
    await events.waitFor("FRAMEWORK_REMOVED", { timeoutMs: 20_000 });
    expect(bed.operator.process.output()).not.toContain("not encodable");
  }, 120_000);
});
