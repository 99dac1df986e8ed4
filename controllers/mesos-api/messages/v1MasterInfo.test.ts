// The v1 APIs name only the master capabilities of Mesos 1.11's v1 enum (mesos-go v0.0.11 rejects
// SUBSCRIBED otherwise); the v0 /master/state keeps the full list, as a 1.11 master does.
import { afterEach, describe, expect, it } from "vitest";
import { EventStreamClient } from "../testing/eventStreamClient.ts";
import { httpRequest, operatorCall } from "../testing/httpClient.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";
import { v1MasterInfo } from "./v1MasterInfo.ts";

let t: TestServer | undefined;
let stream: EventStreamClient | undefined;

afterEach(async () => {
  stream?.close();
  await t?.close();
  t = undefined;
});

describe("v1 MasterInfo capabilities", () => {
  it("drops QUOTA_V2 and keeps the rest of MasterInfo", () => {
    const info = {
      id: "m",
      ip: 1,
      port: 5050,
      capabilities: [{ type: "AGENT_UPDATE" as const }, { type: "QUOTA_V2" as const }],
    };
    expect(v1MasterInfo(info)).toEqual({
      id: "m",
      ip: 1,
      port: 5050,
      capabilities: [{ type: "AGENT_UPDATE" }],
    });
    expect(v1MasterInfo({ id: "m", ip: 1, port: 5050 })).toEqual({ id: "m", ip: 1, port: 5050 });
  });

  it("SUBSCRIBED and GET_MASTER omit QUOTA_V2; /master/state lists it", async () => {
    t = await startTestServer();
    stream = await EventStreamClient.open(
      t.baseUrl,
      { type: "SUBSCRIBE", subscribe: { framework_info: { user: "u", name: "fw" } } },
      { headers: { Accept: "application/json" } },
    );
    const subscribed = (await stream.waitFor("SUBSCRIBED")).subscribed as {
      master_info: { capabilities: { type: string }[] };
    };
    expect(subscribed.master_info.capabilities).toEqual([
      { type: "AGENT_UPDATE" },
      { type: "AGENT_DRAINING" },
    ]);

    const master = await operatorCall(t.baseUrl, { type: "GET_MASTER" });
    const body = JSON.parse(master.body) as { get_master: { master_info: { capabilities: unknown[] } } };
    expect(body.get_master.master_info.capabilities).toEqual([
      { type: "AGENT_UPDATE" },
      { type: "AGENT_DRAINING" },
    ]);

    const state = JSON.parse(
      (await httpRequest(t.baseUrl, { method: "GET", path: "/master/state" })).body,
    ) as {
      capabilities: string[];
    };
    expect(state.capabilities).toContain("QUOTA_V2");
  });
});
