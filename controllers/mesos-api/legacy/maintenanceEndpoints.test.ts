// The v0 maintenance endpoints through real HTTP over the in-memory backend: what reaches the
// backend, the answers, and the refusals.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OperatorChange } from "../backend.ts";
import { httpRequest } from "../testing/httpClient.ts";
import { startTestServer, type TestServer } from "../testing/testServer.ts";

let t: TestServer;
let changes: OperatorChange[];

beforeEach(async () => {
  t = await startTestServer();
  changes = [];
  const change = t.backend.changeCluster.bind(t.backend);
  vi.spyOn(t.backend, "changeCluster").mockImplementation(async (c: OperatorChange) => {
    changes.push(c);
    return change(c);
  });
});
afterEach(async () => {
  await t.close();
});

const schedule = {
  windows: [
    {
      machine_ids: [{ hostname: "node-0", ip: "10.0.0.1" }],
      unavailability: { start: { nanoseconds: 2e18 }, duration: { nanoseconds: 3600e9 } },
    },
  ],
};

describe("/master/maintenance/schedule, /master/maintenance/status, /master/machine/{down,up}", () => {
  it("POST schedule is UPDATE_MAINTENANCE_SCHEDULE; GET reads it back (also without /master)", async () => {
    const posted = await httpRequest(t.baseUrl, {
      method: "POST",
      path: "/master/maintenance/schedule",
      body: schedule,
    });
    expect([posted.status, posted.body]).toEqual([200, ""]);
    expect(changes).toEqual([{ type: "UPDATE_MAINTENANCE_SCHEDULE", schedule }]);
    for (const path of ["/master/maintenance/schedule", "/maintenance/schedule"]) {
      const got = await httpRequest(t.baseUrl, { path });
      expect(got.status).toBe(200);
      expect(JSON.parse(got.body)).toEqual(schedule);
    }
    const status = await httpRequest(t.baseUrl, { path: "/master/maintenance/status?jsonp=cb" });
    expect(status.body).toBe('cb({"draining_machines":[],"down_machines":[]});');
  });

  it("machine/down and machine/up take a bare JSON array of MachineIDs", async () => {
    const machines = [{ hostname: "node-0", ip: "10.0.0.1" }];
    expect(
      (await httpRequest(t.baseUrl, { method: "POST", path: "/master/machine/down", body: machines })).status,
    ).toBe(200);
    expect(
      (await httpRequest(t.baseUrl, { method: "POST", path: "/master/machine/up", body: machines })).status,
    ).toBe(200);
    expect(changes).toEqual([
      { type: "START_MAINTENANCE", machines },
      { type: "STOP_MAINTENANCE", machines },
    ]);
  });

  it("refuses other methods (405) and bodies that are not JSON or not the message (400), changing nothing", async () => {
    const get = await httpRequest(t.baseUrl, { path: "/master/machine/down" });
    expect([get.status, get.headers.allow]).toEqual([405, "POST"]);
    const put = await httpRequest(t.baseUrl, {
      method: "PUT",
      path: "/master/maintenance/schedule",
      body: schedule,
    });
    expect([put.status, put.headers.allow]).toEqual([405, "GET, POST"]);
    const notJson = await httpRequest(t.baseUrl, { method: "POST", path: "/master/machine/up", body: "{" });
    expect(notJson.status).toBe(400);
    const notList = await httpRequest(t.baseUrl, {
      method: "POST",
      path: "/master/machine/up",
      body: { hostname: "x" },
    });
    expect(notList.status).toBe(400);
    expect(notList.body).toMatch(/^Failed to convert JSON into MachineID protobufs: /);
    const badSchedule = await httpRequest(t.baseUrl, {
      method: "POST",
      path: "/master/maintenance/schedule",
      body: { windows: [{ machine_ids: [{ hostname: 7 }] }] },
    });
    expect(badSchedule.status).toBe(400);
    expect(changes).toEqual([]);
  });
});
