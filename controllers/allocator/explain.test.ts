import { describe, expect, it } from "vitest";
import { Allocator } from "./allocator.ts";
import { quantitiesOf } from "./quantities.ts";
import { parseResources } from "./resourceText.ts";
import { agent } from "./testHarness.ts";

const kinds = (a: Allocator, fw: string, options = {}) =>
  a.explain(fw, options).flatMap((e) => e.reasons.map((r) => r.kind));

describe("explain: why a framework gets nothing", () => {
  it("unknown and disconnected frameworks", () => {
    const a = new Allocator();
    expect(a.explain("ghost")[0]!.message).toBe("framework ghost is not known to the allocator");
    a.addFramework({ id: "fw", roles: ["*"], active: false });
    expect(kinds(a, "fw")).toEqual(["framework-inactive"]);
  });

  it("suppressed role", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:1;mem:128"));
    a.addFramework({ id: "fw", roles: ["web"], suppressedRoles: ["web"] });
    const [e] = a.explain("fw");
    expect(e!.reasons).toEqual([{ kind: "role-suppressed", role: "web" }]);
    expect(e!.message).toBe(
      "framework fw in role web: offers for role web are suppressed (REVIVE to get offers again)",
    );
  });

  it("no agent with enough: names the closest agent and what it lacks, by how much", () => {
    const a = new Allocator();
    a.upsertAgent(agent("small", "cpus:1;mem:1024"));
    a.upsertAgent(agent("medium", "cpus:3;mem:2048"));
    a.setPodUsage("x/p", { nodeName: "medium", resources: parseResources("cpus:1") });
    a.addFramework({ id: "fw", roles: ["*"] });
    const [e] = a.explain("fw", { demand: quantitiesOf({ cpus: 4, mem: 1024 }) });
    expect(e!.eligible).toBe(false);
    expect(e!.reasons).toEqual([
      {
        kind: "insufficient-resources",
        agentId: "medium",
        hostname: "medium",
        shortages: [{ resource: "cpus", needed: 4, available: 2, shortBy: 2 }],
        agents: 2,
      },
    ]);
    expect(e!.message).toBe(
      "framework fw in role *: no agent has enough: the closest, medium, is short of cpus by 2 (has 2, needs 4)",
    );
  });

  it("declines: filtered agents until when", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:1;mem:128"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    a.decline("fw", [o!.id], { refuseSeconds: 60 }, 0);
    const [e] = a.explain("fw");
    expect(e!.reasons).toEqual([{ kind: "filtered", agents: 1, until: 60_000 }]);
    expect(e!.message).toContain("filtered by its own declines until 1970-01-01T00:01:00.000Z");
  });

  it("quota limit reached", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:128"));
    a.upsertAgent(agent("n2", "cpus:2;mem:128"));
    a.setQuota("q", { limits: { cpus: 2 } });
    a.addFramework({ id: "fw", roles: ["q"] });
    // One agent gives cpus:2;mem:128, the other only its mem (quota limits cpus, not mem).
    expect(a.allocate(0).offers).toHaveLength(2);
    const [e] = a.explain("fw");
    expect(e!.reasons).toEqual([
      { kind: "holds-offers", offers: 2 },
      {
        kind: "quota-limit",
        role: "q",
        limits: [{ resource: "cpus", limit: 2, consumed: 2 }],
        agents: 1,
      },
    ]);
  });

  it("resources held in other frameworks' offers", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "early", roles: ["*"] });
    a.allocate(0);
    a.addFramework({ id: "late", roles: ["*"] });
    expect(a.explain("late")[0]!.reasons).toEqual([
      { kind: "held-in-other-offers", agents: 1, frameworks: ["early"] },
    ]);
  });

  it("GPU agents, cordoned agents, and an eligible agent", () => {
    const a = new Allocator();
    a.upsertAgent(agent("gpu", "cpus:2;gpus:1;mem:1024"));
    a.upsertAgent(agent("off", "cpus:2;mem:1024", { unschedulable: true }));
    a.addFramework({ id: "fw", roles: ["*"] });
    expect(kinds(a, "fw")).toEqual(["agents-cordoned", "gpu-agents-only"]);
    a.upsertAgent(agent("ok", "cpus:2;mem:1024"));
    const [e] = a.explain("fw");
    expect(e!.eligible).toBe(true);
    expect(e!.reasons[0]).toEqual({ kind: "eligible", agents: 1 });
  });

  it("headroom held back for another role's guarantee", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:1;mem:512"));
    a.setQuota("vip", { guarantees: { cpus: 1, mem: 512 } });
    a.addFramework({ id: "vipfw", roles: ["vip"] });
    a.addFramework({ id: "other", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    expect(o!.frameworkId).toBe("vipfw");
    a.decline("vipfw", [o!.id], { refuseSeconds: 60 }, 0);
    expect(kinds(a, "other")).toEqual(["quota-headroom"]);
  });
});

describe("explainRole", () => {
  it("a role without frameworks, with all suppressed, and with an eligible framework", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:1;mem:128"));
    expect(a.explainRole("web").reasons).toEqual([{ kind: "no-frameworks" }]);
    a.addFramework({ id: "f1", roles: ["web"], suppressedRoles: ["web"] });
    a.addFramework({ id: "f2", roles: ["web"], active: false });
    const e = a.explainRole("web");
    expect(e.reasons).toEqual([{ kind: "all-suppressed", frameworks: 2 }]);
    expect(e.message.split("\n")).toEqual([
      "role web: all of its frameworks suppress offers for it or are not connected",
      "framework f1 in role web: offers for role web are suppressed (REVIVE to get offers again)",
      "framework f2 is not connected",
    ]);
    a.reviveOffers("f1");
    expect(a.explainRole("web").eligible).toBe(true);
  });
});
