import { describe, expect, it } from "vitest";
import type { FrameworkPhase } from "../api/index.ts";
import { frameworkObject } from "../task/testObjects.ts";
import { decidePhase, frameworkIdOf } from "./frameworkPhase.ts";

const now = new Date("2026-03-01T12:00:00Z");
const disconnectedAt = (iso: string) => ({
  type: "Connected",
  status: "False",
  reason: "StreamClosed",
  message: "",
  lastTransitionTime: iso,
});

describe("frameworkIdOf", () => {
  it("keeps an assigned ID, else derives one from the UID that survives restarts", () => {
    expect(frameworkIdOf(frameworkObject("fw"))).toBe("uid-fw-0000");
    expect(frameworkIdOf(frameworkObject("fw"))).toBe(frameworkIdOf(frameworkObject("fw")));
    expect(frameworkIdOf(frameworkObject("fw", {}, { frameworkId: "given-0001" }))).toBe("given-0001");
  });
});

describe("decidePhase", () => {
  it.each<[string, ReturnType<typeof frameworkObject>, boolean | undefined, FrameworkPhase, string]>([
    ["kubectl framework is active", frameworkObject(), undefined, "Active", "Subscribed"],
    ["subscribed scheduler", frameworkObject(), true, "Active", "Subscribed"],
    ["never subscribed", frameworkObject(), false, "Registered", "NeverSubscribed"],
    [
      "disconnected within the failover timeout",
      frameworkObject(
        "fw",
        { failoverTimeout: 3600 },
        { registeredTime: "2026-03-01T00:00:00Z", conditions: [disconnectedAt("2026-03-01T11:30:00Z")] },
      ),
      false,
      "Disconnected",
      "Disconnected",
    ],
    [
      "disconnected past the failover timeout",
      frameworkObject(
        "fw",
        { failoverTimeout: 600 },
        { registeredTime: "2026-03-01T00:00:00Z", conditions: [disconnectedAt("2026-03-01T11:50:00Z")] },
      ),
      false,
      "Completed",
      "FailoverTimeout",
    ],
    [
      "failover timeout 0: torn down at once",
      frameworkObject("fw", {}, { registeredTime: "2026-03-01T00:00:00Z", phase: "Active" }),
      false,
      "Completed",
      "FailoverTimeout",
    ],
    [
      "reconnects",
      frameworkObject(
        "fw",
        { failoverTimeout: 3600 },
        { registeredTime: "2026-03-01T00:00:00Z", phase: "Disconnected" },
      ),
      true,
      "Active",
      "Subscribed",
    ],
    [
      "being deleted",
      frameworkObject("fw", {}, undefined, { deletionTimestamp: "2026-03-01T11:00:00Z" }),
      true,
      "Completed",
      "TornDown",
    ],
    [
      "completed never returns",
      frameworkObject("fw", {}, { phase: "Completed" }),
      true,
      "Completed",
      "Completed",
    ],
  ])("%s", (_name, fw, connected, phase, reason) => {
    const d = decidePhase({ framework: fw, connected, now });
    expect([d.phase, d.reason]).toEqual([phase, reason]);
  });

  it("gives the failover deadline, counted from the disconnection, which a restart does not reset", () => {
    const fw = frameworkObject(
      "fw",
      { failoverTimeout: 3600 },
      { registeredTime: "2026-03-01T00:00:00Z", conditions: [disconnectedAt("2026-03-01T11:30:00Z")] },
    );
    expect(decidePhase({ framework: fw, connected: false, now }).failoverDeadline?.toISOString()).toBe(
      "2026-03-01T12:30:00.000Z",
    );
    // Still connected per its status: the disconnection is now.
    const fresh = frameworkObject("fw", { failoverTimeout: 60 }, { registeredTime: "2026-03-01T00:00:00Z" });
    expect(decidePhase({ framework: fresh, connected: false, now }).failoverDeadline?.toISOString()).toBe(
      "2026-03-01T12:01:00.000Z",
    );
  });
});
