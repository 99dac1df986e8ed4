// Subscription streams (semantics.md §1.5, §0.3–0.4; scenarios S-26, S-28, S-30): framing,
// ordering, heartbeats, failover to a new stream, disconnects and teardown.
import { afterEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { schedulerCall } from "../testing/httpClient.ts";
import { ManualTimers } from "../testing/manualTimers.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";

const INFO = { user: "u", name: "fw", roles: ["*"], capabilities: [{ type: "MULTI_ROLE" }] };
const subscribeCall = (info: Record<string, unknown> = INFO, id?: string) => ({
  type: "SUBSCRIBE",
  ...(id === undefined ? {} : { framework_id: { value: id } }),
  subscribe: { framework_info: { ...info, ...(id === undefined ? {} : { id: { value: id } }) } },
});

let t: TestServer | undefined;
const clients: EventStreamClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t?.close();
  t = undefined;
});

async function open(server: TestServer, call: unknown): Promise<EventStreamClient> {
  const client = await EventStreamClient.open(server.baseUrl, call);
  clients.push(client);
  return client;
}

function frameworkIdOf(client: EventStreamClient): string {
  const event = client.events.find((e) => e.type === "SUBSCRIBED");
  const subscribed = event?.subscribed as { framework_id: { value: string } } | undefined;
  if (!subscribed) throw new Error("no SUBSCRIBED event");
  return subscribed.framework_id.value;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("the event stream", () => {
  it("starts with SUBSCRIBED (framework_id, heartbeat interval, master_info), then HEARTBEAT, then OFFERS", async () => {
    t = await startTestServer();
    const client = await open(t, subscribeCall());
    await client.waitFor("OFFERS");
    expect(client.types().slice(0, 3)).toEqual(["SUBSCRIBED", "HEARTBEAT", "OFFERS"]);
    const subscribed = client.events[0]?.subscribed as Record<string, unknown>;
    expect(subscribed.heartbeat_interval_seconds).toBe(5);
    expect(subscribed.master_info).toMatchObject({ id: "in-memory", port: 5050, version: "1.11.0" });
    const offers =
      (client.events[2]?.offers as { offers: Record<string, unknown>[] } | undefined)?.offers ?? [];
    expect(offers[0]).toMatchObject({
      url: { address: { ip: "127.0.0.1" } },
      allocation_info: { role: "*" },
    });
  });

  it("writes exactly one record per HTTP chunk (what mesos-framework's parser needs)", async () => {
    t = await startTestServer();
    const client = await open(t, subscribeCall());
    await client.waitFor("OFFERS");
    expect(client.chunks).toHaveLength(client.events.length);
    for (const chunk of client.chunks) {
      const [length, json, ...rest] = chunk.split("\n");
      expect(rest).toEqual([]);
      expect(Number(length)).toBe(Buffer.byteLength(json ?? ""));
      expect(/^[\x20-\x7e]*$/.test(json ?? "")).toBe(true);
    }
  });

  it("sends HEARTBEAT right after SUBSCRIBED and then every interval, nothing in between", async () => {
    const timers = new ManualTimers();
    t = await startTestServer({ server: { timers, schedulerHeartbeatSeconds: 5 } });
    const client = await open(t, subscribeCall());
    await client.waitFor("OFFERS");
    const heartbeats = () => client.types().filter((x) => x === "HEARTBEAT").length;
    expect(heartbeats()).toBe(1);
    timers.advance(4999);
    await new Promise((r) => setTimeout(r, 30));
    expect(heartbeats()).toBe(1);
    timers.advance(1);
    await waitUntil(() => heartbeats() === 2);
    timers.advance(15_000);
    await waitUntil(() => heartbeats() === 5);
  });

  it("advertises and keeps a configured interval", async () => {
    t = await startTestServer({ server: { schedulerHeartbeatSeconds: 2 } });
    const client = await open(t, subscribeCall());
    const subscribed = await client.waitFor("SUBSCRIBED");
    expect((subscribed.subscribed as Record<string, unknown>).heartbeat_interval_seconds).toBe(2);
  });
});

describe("one live stream per framework", () => {
  it("fails the old stream over with ERROR and a new stream id when the framework re-subscribes (S-26)", async () => {
    t = await startTestServer();
    const a = await open(t, subscribeCall({ ...INFO, failover_timeout: 60 }));
    await a.waitFor("SUBSCRIBED");
    const id = frameworkIdOf(a);
    const b = await open(t, subscribeCall({ ...INFO, failover_timeout: 60 }, id));
    await b.waitFor("SUBSCRIBED");
    await a.waitForEnd();
    expect(a.events.at(-1)).toEqual({ type: "ERROR", error: { message: "Framework failed over" } });
    expect(frameworkIdOf(b)).toBe(id);
    expect(b.streamId).not.toBe(a.streamId);
    // Failing over is not a disconnect: the framework stays subscribed through B.
    expect(t.backend.calls.filter((c) => c.method === "disconnected")).toEqual([]);
    const stale = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: id } },
      { "Mesos-Stream-Id": a.streamId ?? "" },
    );
    expect(stale.status).toBe(400);
    const current = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: id } },
      { "Mesos-Stream-Id": b.streamId ?? "" },
    );
    expect(current.status).toBe(202);
  });

  it("tells the backend when the client drops the stream, once", async () => {
    t = await startTestServer();
    const a = await open(t, subscribeCall({ ...INFO, failover_timeout: 60 }));
    await a.waitFor("SUBSCRIBED");
    a.close();
    await waitUntil(() => t?.backend.calls.some((c) => c.method === "disconnected") ?? false);
    expect(t.backend.calls.filter((c) => c.method === "disconnected")).toEqual([
      { method: "disconnected", frameworkId: frameworkIdOf(a) },
    ]);
  });

  it("resumes a framework that re-subscribes within its failover timeout, with its tasks (S-30)", async () => {
    t = await startTestServer();
    const info = { ...INFO, failover_timeout: 60 };
    const a = await open(t, subscribeCall(info));
    const offers = await a.waitFor("OFFERS");
    const offer = (offers.offers as { offers: { id: { value: string }; agent_id: { value: string } }[] })
      .offers[0];
    const id = frameworkIdOf(a);
    const launch = await schedulerCall(
      t.baseUrl,
      {
        type: "ACCEPT",
        framework_id: { value: id },
        accept: {
          offer_ids: [offer?.id],
          operations: [
            {
              type: "LAUNCH",
              launch: {
                task_infos: [
                  {
                    name: "t",
                    task_id: { value: "t1" },
                    agent_id: offer?.agent_id,
                    resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 1 } }],
                    command: { value: "sleep 100" },
                  },
                ],
              },
            },
          ],
        },
      },
      { "Mesos-Stream-Id": a.streamId ?? "" },
    );
    expect(launch.status).toBe(202);
    await a.waitFor("UPDATE");
    a.close();
    await waitUntil(() => t?.backend.calls.some((c) => c.method === "disconnected") ?? false);
    const b = await open(t, subscribeCall(info, id));
    await b.waitFor("SUBSCRIBED");
    await schedulerCall(
      t.baseUrl,
      {
        type: "RECONCILE",
        framework_id: { value: id },
        reconcile: { tasks: [{ task_id: { value: "t1" } }] },
      },
      { "Mesos-Stream-Id": b.streamId ?? "" },
    );
    const update = await b.waitFor(
      (e) => e.type === "UPDATE" && (e.update as { status: { reason?: string } }).status.reason !== undefined,
    );
    expect((update.update as { status: Record<string, unknown> }).status).toMatchObject({
      state: "TASK_RUNNING",
      reason: "REASON_RECONCILIATION",
      source: "SOURCE_MASTER",
    });
    expect((update.update as { status: Record<string, unknown> }).status.uuid).toBeUndefined();
  });

  it("closes the stream on TEARDOWN; re-subscribing with the id then gets ERROR 'Framework has been removed' (S-28)", async () => {
    t = await startTestServer();
    const a = await open(t, subscribeCall());
    await a.waitFor("SUBSCRIBED");
    const id = frameworkIdOf(a);
    const r = await schedulerCall(
      t.baseUrl,
      { type: "TEARDOWN", framework_id: { value: id } },
      { "Mesos-Stream-Id": a.streamId ?? "" },
    );
    expect(r.status).toBe(202);
    await a.waitForEnd();
    expect((await schedulerCall(t.baseUrl, { type: "REVIVE", framework_id: { value: id } })).status).toBe(
      400,
    );
    const b = await open(t, subscribeCall(INFO, id));
    await b.waitForEnd();
    expect(b.events).toEqual([{ type: "ERROR", error: { message: "Framework has been removed" } }]);
    // The closed stream is not kept (it held the response of every framework ever torn down).
    expect(t.server.schedulerStreams).toBe(0);
  });

  it("ends every stream when leadership is lost, without reporting disconnects", async () => {
    t = await startTestServer();
    const a = await open(t, subscribeCall({ ...INFO, failover_timeout: 60 }));
    await a.waitFor("SUBSCRIBED");
    t.server.endAllStreams();
    await a.waitForEnd();
    expect(t.backend.calls.filter((c) => c.method === "disconnected")).toEqual([]);
    const r = await schedulerCall(
      t.baseUrl,
      { type: "REVIVE", framework_id: { value: frameworkIdOf(a) } },
      { "Mesos-Stream-Id": a.streamId ?? "" },
    );
    expect(r.status).toBe(403);
  });

  it("ends every stream when the server closes", async () => {
    t = await startTestServer();
    const a = await open(t, subscribeCall());
    await a.waitFor("SUBSCRIBED");
    await t.close();
    t = undefined;
    await a.waitForEnd();
  });
});
