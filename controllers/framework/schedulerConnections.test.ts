import { describe, expect, it } from "vitest";
import { connectionInput, SchedulerConnections } from "./schedulerConnections.ts";

describe("connectionInput", () => {
  it.each([
    ["kubectl framework", false, "unknown", undefined, undefined, false],
    ["subscribed here", true, "connected", undefined, true, false],
    ["stream closed here", true, "disconnected", { status: "True", reason: "Subscribed" }, false, false],
    [
      "unseen, was subscribed to the old leader",
      true,
      "unknown",
      { status: "True", reason: "Subscribed" },
      false,
      true,
    ],
    [
      "unseen, its timer was running",
      true,
      "unknown",
      { status: "False", reason: "StreamClosed" },
      false,
      false,
    ],
    [
      "unseen, still waiting from an earlier failover",
      true,
      "unknown",
      { status: "False", reason: "OperatorFailover" },
      false,
      true,
    ],
    ["unseen, no condition yet", true, "unknown", undefined, false, true],
  ] as const)("%s", (_name, schedulerApi, state, persisted, connected, awaiting) => {
    expect(connectionInput(schedulerApi, state, persisted)).toEqual({
      connected,
      awaitingResubscription: awaiting,
    });
  });
});

describe("SchedulerConnections", () => {
  it("tells its listener about changes only, and forgets everything when leadership ends", () => {
    const c = new SchedulerConnections();
    const changes: string[] = [];
    c.onChange((id) => changes.push(id));
    c.connected("a");
    c.connected("a");
    c.disconnected("a");
    expect(changes).toEqual(["a", "a"]);
    expect(c.state("a")).toBe("disconnected");
    c.clear();
    expect(c.state("a")).toBe("unknown");
  });
});
