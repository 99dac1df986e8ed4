import { describe, expect, it } from "vitest";
import { Allocator } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { roleObject } from "../task/testObjects.ts";
import { mesosRoleName, type RoleConfig, roleConfigCalls, roleConfigOf } from "./roleConfig.ts";

describe("roleConfigOf", () => {
  it("weights and quotas by Mesos role name", () => {
    const c = roleConfigOf([
      roleObject("analytics", {
        weight: 2,
        quota: { guarantee: { cpus: 2, mem: 4096 }, limit: { cpus: 8 } },
      }),
      roleObject("eng.web", { name: "eng/web", weight: 1.5 }),
    ]);
    expect([...c.weights]).toEqual([
      ["analytics", 2],
      ["eng/web", 1.5],
    ]);
    expect([...c.quotas]).toEqual([
      ["analytics", { guarantees: { cpus: 2, mem: 4096 }, limits: { cpus: 8 } }],
    ]);
    expect(c.conflicts.size).toBe(0);
    expect(mesosRoleName(roleObject("x", { name: "a/b" }))).toBe("a/b");
  });

  it("two Role objects for one role: the oldest counts, the other is a conflict", () => {
    const c = roleConfigOf([
      roleObject("web-new", { name: "web", weight: 5 }, { creationTimestamp: "2026-02-01T00:00:00Z" }),
      roleObject("web", { weight: 2 }, { creationTimestamp: "2026-01-01T00:00:00Z" }),
    ]);
    expect(c.weights.get("web")).toBe(2);
    expect([...c.conflicts]).toEqual([["web-new", "web"]]);
  });

  it("a Role being deleted no longer counts", () => {
    const c = roleConfigOf([roleObject("web", { weight: 3 }, { deletionTimestamp: "2026-03-01T00:00:00Z" })]);
    expect(c.weights.size).toBe(0);
  });
});

describe("roleConfigCalls", () => {
  const cfg = (
    weights: [string, number][],
    quotas: [string, { limits: Record<string, number> }][] = [],
  ): RoleConfig => ({
    weights: new Map(weights),
    quotas: new Map(quotas),
    conflicts: new Map(),
  });

  it.each<[string, RoleConfig | undefined, RoleConfig, ReturnType<typeof roleConfigCalls>]>([
    [
      "first time",
      undefined,
      cfg([["a", 2]], [["a", { limits: { cpus: 1 } }]]),
      { weights: { a: 2 }, quotas: [["a", { limits: { cpus: 1 } }]] },
    ],
    [
      "unchanged: no call (a weight update rescinds every offer)",
      cfg([["a", 2]]),
      cfg([["a", 2]]),
      { weights: {}, quotas: [] },
    ],
    ["weight changed", cfg([["a", 2]]), cfg([["a", 3]]), { weights: { a: 3 }, quotas: [] }],
    [
      "Role deleted: back to weight 1, quota removed",
      cfg([["a", 2]], [["a", { limits: { cpus: 1 } }]]),
      cfg([]),
      { weights: { a: 1 }, quotas: [["a", undefined]] },
    ],
    ["Role of weight 1 deleted: nothing to reset", cfg([["a", 1]]), cfg([]), { weights: {}, quotas: [] }],
    [
      "quota changed",
      cfg([], [["a", { limits: { cpus: 1 } }]]),
      cfg([], [["a", { limits: { cpus: 2 } }]]),
      { weights: {}, quotas: [["a", { limits: { cpus: 2 } }]] },
    ],
  ])("%s", (_name, applied, desired, want) => {
    expect(roleConfigCalls(applied, desired)).toEqual(want);
  });

  it("the calls apply to the allocator", () => {
    const a = new Allocator({ minAllocatableResources: null });
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    const desired = roleConfigOf([roleObject("analytics", { weight: 2, quota: { limit: { cpus: 1 } } })]);
    const calls = roleConfigCalls(undefined, desired);
    a.setWeights(calls.weights);
    for (const [role, q] of calls.quotas) a.setQuota(role, q);
    expect(a.role("analytics")).toMatchObject({ weight: 2, quota: { limits: { cpus: 1 } } });
  });
});
