import { describe, expect, it } from "vitest";
import { Allocator, parseResources } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { findCondition, RoleStatusSchema } from "../api/index.ts";
import { roleObject } from "../task/testObjects.ts";
import { roleStatus } from "./roleStatus.ts";

const now = new Date("2026-03-01T12:00:00Z");

function allocator() {
  const a = new Allocator({ minAllocatableResources: null });
  a.upsertAgent(agent("n1", "cpus:3;mem:3072;cpus(web):1"));
  a.addFramework({ id: "fw-1", roles: ["web"] });
  a.setPodUsage("ns/p/t", {
    nodeName: "n1",
    resources: parseResources("cpus:1;mem:1024"),
    owner: { frameworkId: "fw-1", role: "web" },
  });
  return a;
}

describe("roleStatus", () => {
  it("allocated, offered, reserved, share and frameworks from the allocator", () => {
    const a = allocator();
    a.allocate(0);
    const role = roleObject("web", { weight: 2 });
    const s = roleStatus({
      role,
      view: a.role("web"),
      frameworkName: (id) => (id === "fw-1" ? "ns/fw" : undefined),
      now,
    });
    expect(RoleStatusSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({
      allocated: { cpus: 1, mem: 1024 },
      offered: { cpus: 3, mem: 2048 },
      reserved: { cpus: 1 },
      frameworks: ["ns/fw"],
      observedGeneration: 1,
    });
    expect(s.dominantShare).toBe(1);
    expect(findCondition(s.conditions, "Ready")).toMatchObject({
      status: "True",
      reason: "Applied",
      message: "Weight 2 in force for role web.",
    });
  });

  it("shares are rounded so they do not churn the status", () => {
    const a = allocator();
    const s = roleStatus({
      role: roleObject("web"),
      view: a.role("web"),
      frameworkName: () => undefined,
      now,
    });
    expect(s.dominantShare).toBe(0.3333);
    expect(s.frameworks).toEqual(["fw-1"]);
  });

  it("a conflicting Role object says which one holds the role", () => {
    const a = allocator();
    const s = roleStatus({
      role: roleObject("web-2", { name: "web" }),
      view: a.role("web"),
      conflictsWith: "web",
      frameworkName: () => undefined,
      now,
    });
    expect(findCondition(s.conditions, "Ready")).toMatchObject({
      status: "False",
      reason: "DuplicateRole",
      message: "Role web is configured by the older Role web; this one is ignored.",
    });
  });

  it("carries the waiting-tasks summary", () => {
    const a = allocator();
    const s = roleStatus({
      role: roleObject("web"),
      view: a.role("web"),
      frameworkName: () => undefined,
      tasksScheduled: {
        type: "TasksScheduled",
        status: "False",
        reason: "QuotaLimitReached",
        message: "1 task waiting.",
      },
      now,
    });
    expect(findCondition(s.conditions, "TasksScheduled")?.reason).toBe("QuotaLimitReached");
  });
});
