import { describe, expect, it } from "vitest";
import { type AgentHealth, AgentHealthTracker, agentTransition } from "./agentHealth.ts";

describe("agentTransition", () => {
  const cases: [AgentHealth | undefined, AgentHealth | undefined, boolean, string[], boolean][] = [
    // before, after, replaying, counters, lost
    [undefined, "registered", false, ["master/slave_registrations"], false],
    [undefined, "registered", true, [], false],
    [undefined, "unreachable", false, [], false],
    [undefined, "unreachable", true, [], false],
    ["registered", "registered", false, [], false],
    [
      "registered",
      "unreachable",
      false,
      [
        "master/slave_unreachable_scheduled",
        "master/slave_unreachable_completed",
        "master/slave_removals",
        "master/slave_removals/reason_unhealthy",
      ],
      true,
    ],
    ["unreachable", "unreachable", false, [], false],
    ["unreachable", "registered", false, ["master/slave_reregistrations"], false],
    [
      "registered",
      undefined,
      false,
      ["master/slave_removals", "master/slave_removals/reason_unregistered"],
      true,
    ],
    ["unreachable", undefined, false, [], false],
    [undefined, undefined, false, [], false],
  ];
  it.each(cases)("%s → %s (replaying %s)", (before, after, replaying, counters, lost) => {
    expect(agentTransition(before, after, replaying)).toEqual({ counters, lost });
  });

  it("an agent removed by START_MAINTENANCE counts a removal without a reason, and is lost", () => {
    expect(agentTransition("registered", undefined, false, "maintenance")).toEqual({
      counters: ["master/slave_removals"],
      lost: true,
    });
    expect(agentTransition("unreachable", undefined, false, "maintenance")).toEqual({
      counters: [],
      lost: false,
    });
  });
});

describe("AgentHealthTracker", () => {
  it("S-84: a registered agent that becomes unreachable counts one unhealthy removal and is lost", () => {
    const t = new AgentHealthTracker();
    t.observe("a1", "registered", true);
    expect(t.observe("a1", "unreachable").lost).toBe(true);
    // Seen again while still unreachable: nothing more.
    expect(t.observe("a1", "unreachable").lost).toBe(false);
    expect(t.metrics()).toMatchObject({
      "master/slave_unreachable_scheduled": 1,
      "master/slave_unreachable_completed": 1,
      "master/slave_removals": 1,
      "master/slave_removals/reason_unhealthy": 1,
      "master/slave_removals/reason_unregistered": 0,
      "master/slave_registrations": 0,
      "master/slaves_unreachable": 1,
    });
    expect(t.unreachable()).toEqual(["a1"]);
    expect(t.knows("a1")).toBe(true);
    expect(t.knows("a2")).toBe(false);
  });

  it("S-86: the partition heals — a re-registration, and the agent is no longer unreachable", () => {
    const t = new AgentHealthTracker();
    t.observe("a1", "registered");
    t.observe("a1", "unreachable");
    t.observe("a1", "registered");
    expect(t.metrics()).toMatchObject({
      "master/slave_registrations": 1,
      "master/slave_reregistrations": 1,
      "master/slave_removals": 1,
      "master/slaves_unreachable": 0,
    });
    expect(t.unreachable()).toEqual([]);
  });

  it("an agent that shuts down is removed as unregistered; clear() forgets everything", () => {
    const t = new AgentHealthTracker();
    t.observe("a1", "registered");
    expect(t.observe("a1", undefined)).toEqual({
      counters: ["master/slave_removals", "master/slave_removals/reason_unregistered"],
      lost: true,
    });
    expect(t.metrics()["master/slave_removals/reason_unregistered"]).toBe(1);
    t.clear();
    expect(Object.values(t.metrics()).every((v) => v === 0)).toBe(true);
  });
});
