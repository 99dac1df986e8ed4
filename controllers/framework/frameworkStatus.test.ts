import { describe, expect, it } from "vitest";
import { Allocator, parseResources } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { FrameworkStatusSchema, findCondition } from "../api/index.ts";
import { frameworkObject } from "../task/testObjects.ts";
import { frameworkPhaseEvent } from "./frameworkEvents.ts";
import { decidePhase } from "./frameworkPhase.ts";
import { checkFrameworkRoles } from "./frameworkRoles.ts";
import { frameworkStatus } from "./frameworkStatus.ts";

const t0 = new Date("2026-03-01T12:00:00Z");
const later = new Date("2026-03-01T12:05:00Z");

function statusOf(
  fw: ReturnType<typeof frameworkObject>,
  connected: boolean | undefined,
  now: Date,
  a?: Allocator,
) {
  const phase = decidePhase({ framework: fw, connected, now });
  return frameworkStatus({
    framework: fw,
    frameworkId: "fw-1",
    phase,
    connected,
    roles: checkFrameworkRoles(fw, []),
    view: a?.framework("fw-1"),
    activeTasks: 2,
    now,
  });
}

describe("frameworkStatus", () => {
  it("a kubectl framework: Active, registered now, resources per role from the allocator", () => {
    const a = new Allocator({ minAllocatableResources: null });
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw-1", roles: ["web", "batch"] });
    a.setPodUsage("ns/p/t", {
      nodeName: "n1",
      resources: parseResources("cpus:0.5;mem:128"),
      owner: { frameworkId: "fw-1", role: "web" },
    });
    a.allocate(0);
    const fw = frameworkObject("fw", { roles: ["web", "batch"], capabilities: ["MULTI_ROLE"] });
    const s = statusOf(fw, undefined, t0, a);
    expect(FrameworkStatusSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({
      frameworkId: "fw-1",
      phase: "Active",
      registeredTime: "2026-03-01T12:00:00Z",
      activeTasks: 2,
      observedGeneration: 1,
    });
    expect(s.connected).toBeUndefined();
    const web = s.resources?.find((r) => r.role === "web");
    expect(web?.allocated).toEqual({ cpus: 0.5, mem: 128 });
    expect(s.resources?.map((r) => r.role).sort()).toEqual(["batch", "web"]);
    expect(findCondition(s.conditions, "Ready")).toMatchObject({ status: "True", reason: "Subscribed" });
    expect(findCondition(s.conditions, "RolesValid")?.status).toBe("True");
    expect(findCondition(s.conditions, "Connected")).toBeUndefined();
  });

  it("a Mesos API framework: connected, disconnected (the condition keeps when), reconnected", () => {
    let fw = frameworkObject("fw", { failoverTimeout: 3600 });
    const connected = statusOf(fw, true, t0);
    expect(connected.connected).toBe(true);
    fw = { ...fw, status: connected };
    const gone = statusOf(fw, false, t0);
    expect(gone.phase).toBe("Disconnected");
    expect(findCondition(gone.conditions, "Connected")).toMatchObject({
      status: "False",
      lastTransitionTime: "2026-03-01T12:00:00Z",
    });
    expect(findCondition(gone.conditions, "Ready")).toMatchObject({
      status: "False",
      reason: "Disconnected",
    });
    fw = { ...fw, status: gone };
    // Five minutes on, still disconnected: the transition time does not move.
    const still = statusOf(fw, false, later);
    expect(findCondition(still.conditions, "Connected")?.lastTransitionTime).toBe("2026-03-01T12:00:00Z");
    fw = { ...fw, status: still };
    const back = statusOf(fw, true, later);
    expect(back).toMatchObject({
      phase: "Active",
      reregisteredTime: "2026-03-01T12:05:00Z",
      registeredTime: "2026-03-01T12:00:00Z",
    });
  });

  it("completed: unregistered time set once", () => {
    const fw = frameworkObject("fw", {}, undefined, { deletionTimestamp: "2026-03-01T11:00:00Z" });
    const s = statusOf(fw, undefined, t0);
    expect(s).toMatchObject({ phase: "Completed", unregisteredTime: "2026-03-01T12:00:00Z" });
    expect(statusOf({ ...fw, status: s }, undefined, later).unregisteredTime).toBe("2026-03-01T12:00:00Z");
  });

  it("the same inputs give the same status (no needless writes)", () => {
    const fw = frameworkObject("fw");
    const s = statusOf(fw, undefined, t0);
    expect(statusOf({ ...fw, status: s }, undefined, later)).toEqual(s);
  });
});

describe("frameworkPhaseEvent", () => {
  it("fires on phase changes only", () => {
    const fw = frameworkObject("fw", {}, { phase: "Active" });
    expect(
      frameworkPhaseEvent(fw, decidePhase({ framework: fw, connected: undefined, now: t0 })),
    ).toBeUndefined();
    const e = frameworkPhaseEvent(fw, { phase: "Disconnected", reason: "Disconnected", message: "gone" });
    expect(e).toMatchObject({
      type: "Warning",
      reason: "FrameworkDisconnected",
      action: "Disconnect",
      note: "Active → Disconnected (Disconnected): gone",
    });
    expect(
      frameworkPhaseEvent(frameworkObject("fw"), { phase: "Active", reason: "Subscribed", message: "ok" }),
    ).toMatchObject({
      type: "Normal",
      reason: "FrameworkActive",
      note: "New → Active (Subscribed): ok",
    });
  });
});
