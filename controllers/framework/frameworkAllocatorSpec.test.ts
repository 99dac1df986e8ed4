import { describe, expect, it } from "vitest";
import { Allocator, type FrameworkSpec } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { frameworkObject } from "../task/testObjects.ts";
import {
  allocatorFrameworkSpec,
  type FrameworkAllocatorCall,
  frameworkAllocatorCall,
} from "./frameworkAllocatorSpec.ts";

const fw = (spec: Record<string, unknown> = {}) =>
  frameworkObject("fw", { roles: ["web", "batch"], capabilities: ["MULTI_ROLE"], ...spec });

/** Apply a call as the wiring will. */
function apply(a: Allocator, call: FrameworkAllocatorCall): void {
  if (call.kind === "add") a.addFramework(call.spec);
  else if (call.kind === "update") a.updateFramework(call.spec);
  else if (call.kind === "remove") a.removeFramework(call.frameworkId);
}

describe("allocatorFrameworkSpec", () => {
  it("carries roles, capabilities, suppressed roles, offer filters and activity", () => {
    const spec = allocatorFrameworkSpec(
      fw({
        suppressedRoles: ["batch"],
        offerFilters: [{ role: "web", minAllocatableResources: [{ cpus: 0.5, mem: 256 }] }],
      }),
      "fw-1",
      "Disconnected",
    );
    expect({ ...spec, minAllocatableResources: undefined }).toEqual({
      id: "fw-1",
      name: "fw",
      roles: ["web", "batch"],
      capabilities: ["MULTI_ROLE"],
      suppressedRoles: ["batch"],
      active: false,
      minAllocatableResources: undefined,
    });
    expect([...spec.minAllocatableResources!.web![0]!]).toEqual([
      ["cpus", 500],
      ["mem", 256000],
    ]);
  });
});

describe("frameworkAllocatorCall", () => {
  const spec = (s: Record<string, unknown> = {}, phase: "Active" | "Disconnected" = "Active") =>
    allocatorFrameworkSpec(fw(s), "fw-1", phase);
  it.each<[string, FrameworkSpec | undefined, FrameworkSpec | undefined, FrameworkAllocatorCall["kind"]]>([
    ["new", undefined, spec(), "add"],
    ["unchanged", spec(), spec(), "none"],
    ["suppressed a role", spec(), spec({ suppressedRoles: ["batch"] }), "update"],
    [
      "offer filter changed",
      spec(),
      spec({ offerFilters: [{ role: "web", minAllocatableResources: [{ cpus: 1 }] }] }),
      "update",
    ],
    ["disconnected", spec(), spec({}, "Disconnected"), "update"],
    ["completed", spec(), undefined, "remove"],
    ["never added, not wanted", undefined, undefined, "none"],
  ])("%s → %s", (_name, applied, desired, kind) => {
    expect(frameworkAllocatorCall(applied, desired).kind).toBe(kind);
  });

  it("suppressing and reviving through the spec: no offers while suppressed, offers again (filters cleared) after", () => {
    const a = new Allocator({ minAllocatableResources: null });
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    let applied: FrameworkSpec | undefined;
    const reconcile = (s: Record<string, unknown>) => {
      const desired = allocatorFrameworkSpec(
        frameworkObject("fw", { roles: ["web"], ...s }),
        "fw-1",
        "Active",
      );
      apply(a, frameworkAllocatorCall(applied, desired));
      applied = desired;
    };
    reconcile({});
    const [o] = a.allocate(0).offers;
    a.decline("fw-1", [o!.id], { refuseSeconds: 3600 }, 0);
    reconcile({ suppressedRoles: ["web"] });
    expect(a.allocate(10_000).offers).toEqual([]);
    reconcile({});
    expect(a.allocate(20_000).offers.map((x) => x.frameworkId)).toEqual(["fw-1"]);
  });
});
