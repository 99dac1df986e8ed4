// The allocator-level scenarios of shared/mesos/scenarios.md §6.3–6.4, with the same numbers, plus
// the Mesos allocator tests the semantics document cites (NestedRoleDRF, SameShareFairness,
// QuotaProvidesGuarantee). Each test is named after its scenario.
import { describe, expect, it } from "vitest";
import { Allocator } from "./allocator.ts";
import type { FrameworkCapability } from "./inputModel.ts";
import { Resources } from "./resources.ts";
import { formatResources, parseResources } from "./resourceText.ts";
import { agent, countByFramework, declineAll, describeOffers } from "./testHarness.ts";

const DEFAULT_AGENT = "cpus:2;gpus:0;mem:1024;disk:1024;ports:[31000-32000]";
const FW_CAPS: FrameworkCapability[] = ["MULTI_ROLE", "RESERVATION_REFINEMENT"];
const PA_CAPS: FrameworkCapability[] = [...FW_CAPS, "PARTITION_AWARE"];

describe("§6.3 offers, ACCEPT/DECLINE, filters, suppress/revive", () => {
  it("S-38 [SchedulerTest.Revive] a 3600 s decline holds for 30 min; REVIVE brings the same resources at once", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    a.addFramework({ id: "fw", roles: ["*"], capabilities: FW_CAPS });
    const [first] = a.allocate(0).offers;
    a.decline("fw", [first!.id], { refuseSeconds: 3600 }, 0);
    for (let t = 1000; t <= 30 * 60_000; t += 60_000) expect(a.allocate(t).offers).toEqual([]);
    a.reviveOffers("fw");
    expect(a.hasPendingAllocation()).toBe(true);
    const [again] = a.allocate(30 * 60_000 + 1, "pending").offers;
    expect(again!.resources.equals(first!.resources)).toBe(true);
  });

  it("S-40 [HierarchicalAllocatorTest.OfferFilter] refuse 2 s: no offer at +1 s, offer at +2 s; active filters 1 then 0", () => {
    const a = new Allocator({ allocationIntervalMs: 1000 });
    a.addFramework({ id: "fw", roles: ["role"] });
    a.upsertAgent(agent("a1", "cpus:1;mem:512"));
    const [offer] = a.allocate(0).offers;
    expect(formatResources(offer!.resources)).toBe("cpus:1;mem:512");
    a.decline("fw", [offer!.id], { refuseSeconds: 2 }, 0);
    expect(a.filterCount("role")).toBe(1);
    expect(a.allocate(1000).offers).toEqual([]);
    expect(describeOffers(a.allocate(2000).offers)).toEqual(["fw@a1(role) cpus:1;mem:512"]);
    expect(a.filterCount("role")).toBe(0);
  });

  it("S-40 a filter shorter than the interval still survives the next batch run (MESOS-4302)", () => {
    const a = new Allocator({ allocationIntervalMs: 1000 });
    a.addFramework({ id: "fw", roles: ["role"] });
    a.upsertAgent(agent("a1", "cpus:1;mem:512"));
    const [offer] = a.allocate(0).offers;
    a.decline("fw", [offer!.id], { refuseSeconds: 0.1 }, 500);
    expect(a.allocate(1000).offers).toEqual([]);
    expect(a.allocate(2000).offers).toHaveLength(1);
  });

  it("S-40 a filter blocks only subsets: an agent that grew is offered again", () => {
    const a = new Allocator();
    a.addFramework({ id: "fw", roles: ["role"] });
    a.upsertAgent(agent("a1", "cpus:1;mem:512"));
    const [offer] = a.allocate(0).offers;
    a.decline("fw", [offer!.id], { refuseSeconds: 3600 }, 0);
    expect(a.allocate(1000).offers).toEqual([]);
    a.upsertAgent(agent("a1", "cpus:2;mem:512"));
    expect(describeOffers(a.allocate(2000, "pending").offers)).toEqual(["fw@a1(role) cpus:2;mem:512"]);
  });

  it("S-42 [MasterTest.LaunchCombinedOfferTest] two 1 cpu/512 MB offers of one agent feed one 2 cpu/1024 MB task", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"], capabilities: FW_CAPS });
    const [o1] = a.allocate(0).offers;
    const first = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o1!.id],
        operations: [
          {
            type: "LAUNCH",
            tasks: [{ taskId: "t1", agentId: "a1", resources: parseResources("cpus:1;mem:512") }],
          },
        ],
        filters: { refuseSeconds: 0 },
      },
      0,
    );
    expect(first.launched.map((t) => t.taskId)).toEqual(["t1"]);
    const [o2] = a.allocate(1000).offers;
    expect(formatResources(o2!.resources)).toBe("cpus:1;mem:512");
    // The task is killed: its pod is gone.
    a.setPodUsage(first.launched[0]!.podKey, undefined);
    const [o3] = a.allocate(2000).offers;
    expect(formatResources(o3!.resources)).toBe("cpus:1;mem:512");
    expect(o3!.agentId).toBe(o2!.agentId);
    const combined = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o2!.id, o3!.id],
        operations: [
          {
            type: "LAUNCH",
            tasks: [{ taskId: "t2", agentId: "a1", resources: parseResources("cpus:2;mem:1024") }],
          },
        ],
      },
      2000,
    );
    expect(combined.updates).toEqual([]);
    expect(combined.launched.map((t) => [t.taskId, formatResources(t.resources)])).toEqual([
      ["t2", "cpus:2;mem:1024"],
    ]);
    expect(a.agent("a1")!.available.isEmpty).toBe(true);
  });

  describe("S-44 [MasterTest.LaunchDuplicateOfferLost / …Dropped] ACCEPT [O, O]", () => {
    it.each([
      ["non-PA", FW_CAPS, "TASK_LOST"],
      ["PA", PA_CAPS, "TASK_DROPPED"],
    ] as const)("%s framework: %s REASON_INVALID_OFFERS", (_kind, capabilities, state) => {
      const a = new Allocator();
      a.upsertAgent(agent("a1", DEFAULT_AGENT));
      a.addFramework({ id: "fw", roles: ["*"], capabilities });
      const [o] = a.allocate(0).offers;
      const r = a.accept(
        {
          frameworkId: "fw",
          offerIds: [o!.id, o!.id],
          operations: [
            {
              type: "LAUNCH",
              tasks: [{ taskId: "t", agentId: "a1", resources: parseResources("cpus:1;mem:128") }],
            },
          ],
        },
        0,
      );
      expect(r.launched).toEqual([]);
      expect(r.updates).toEqual([
        {
          taskId: "t",
          agentId: "a1",
          state,
          source: "SOURCE_MASTER",
          reason: "REASON_INVALID_OFFERS",
          message: `Task launched with invalid offers: Duplicate offer ${o!.id} in offer list`,
        },
      ]);
      // The offer is discarded without a filter: the next run offers the agent again.
      expect(a.offer(o!.id)).toBeUndefined();
      expect(a.allocate(1000).offers).toHaveLength(1);
    });
  });

  describe("S-46 [accept validation] an OfferID never issued or already used", () => {
    it.each([
      ["non-PA", FW_CAPS, "TASK_LOST"],
      ["PA", PA_CAPS, "TASK_DROPPED"],
    ] as const)(
      "%s framework: %s REASON_INVALID_OFFERS, 'Offer … is no longer valid'",
      (_kind, capabilities, state) => {
        const a = new Allocator();
        a.upsertAgent(agent("a1", DEFAULT_AGENT));
        a.addFramework({ id: "fw", roles: ["*"], capabilities });
        const [o] = a.allocate(0).offers;
        const task = { taskId: "t", agentId: "a1", resources: parseResources("cpus:1;mem:128") };
        const never = a.accept(
          { frameworkId: "fw", offerIds: ["nope-O99"], operations: [{ type: "LAUNCH", tasks: [task] }] },
          0,
        );
        expect(never.updates[0]).toMatchObject({
          state,
          reason: "REASON_INVALID_OFFERS",
          source: "SOURCE_MASTER",
        });
        expect(never.updates[0]!.message).toBe(
          "Task launched with invalid offers: Offer nope-O99 is no longer valid",
        );
        a.accept(
          { frameworkId: "fw", offerIds: [o!.id], operations: [{ type: "LAUNCH", tasks: [task] }] },
          0,
        );
        const reused = a.accept(
          {
            frameworkId: "fw",
            offerIds: [o!.id],
            operations: [{ type: "LAUNCH", tasks: [{ ...task, taskId: "t2" }] }],
          },
          0,
        );
        expect(reused.launched).toEqual([]);
        expect(reused.updates[0]!.message).toMatch(
          /^Task launched with invalid offers: Offer .* is no longer valid$/,
        );
        expect(reused.updates[0]!.state).toBe(state);
      },
    );
  });

  it("S-48 [task validation] a task id of a running task: TASK_ERROR REASON_TASK_INVALID 'Task has duplicate ID'", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    a.addFramework({ id: "fw", roles: ["*"], capabilities: FW_CAPS });
    const [o] = a.allocate(0).offers;
    const r = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [
          {
            type: "LAUNCH",
            tasks: [
              { taskId: "running", agentId: "a1", resources: parseResources("cpus:1") },
              { taskId: "fresh", agentId: "a1", resources: parseResources("cpus:0.5") },
              { taskId: "fresh", agentId: "a1", resources: parseResources("cpus:0.5") },
            ],
          },
        ],
      },
      0,
      (id) => id === "running",
    );
    expect(r.launched.map((t) => t.taskId)).toEqual(["fresh"]);
    expect(r.updates.map((u) => [u.taskId, u.state, u.reason, u.message])).toEqual([
      ["running", "TASK_ERROR", "REASON_TASK_INVALID", "Task has duplicate ID: running"],
      ["fresh", "TASK_ERROR", "REASON_TASK_INVALID", "Task has duplicate ID: fresh"],
    ]);
  });

  it("S-50 [MasterTest.OfferTimeout] an unanswered offer is rescinded after 30 s and re-offered one interval later", () => {
    const a = new Allocator({ offerTimeoutMs: 30_000 });
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    a.addFramework({ id: "fw", roles: ["*"], capabilities: FW_CAPS });
    let sent = 0;
    let rescinded = 0;
    const first = a.allocate(0);
    sent += first.offers.length;
    expect(first.offers[0]!.expiresAt).toBe(30_000);
    let again: (typeof first)["offers"] = [];
    for (let t = 1000; t <= 31_000; t += 1000) {
      const r = a.allocate(t);
      sent += r.offers.length;
      rescinded += r.rescinds.length;
      if (t < 30_000) expect(r.rescinds).toEqual([]);
      if (t === 30_000) {
        expect(r.rescinds.map((x) => [x.offer.id, x.reason])).toEqual([
          [first.offers[0]!.id, "offer-timeout"],
        ]);
        expect(r.offers).toEqual([]);
      }
      if (t === 31_000) again = r.offers;
    }
    expect(again[0]!.resources.equals(first.offers[0]!.resources)).toBe(true);
    expect({ sent, rescinded, accepted: 0 }).toEqual({ sent: 2, rescinded: 1, accepted: 0 });
  });

  it("S-52 [MasterTest.MultiRoleFrameworkReceivesOffers] two agents give two offers allocated to different roles", () => {
    const a = new Allocator();
    a.addFramework({ id: "fw", roles: ["role1", "role2"], capabilities: FW_CAPS });
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    const first = a.allocate(0, "pending").offers;
    a.upsertAgent(agent("a2", DEFAULT_AGENT));
    const second = a.allocate(10, "pending").offers;
    const offers = [...first, ...second];
    expect(offers).toHaveLength(2);
    expect(new Set(offers.map((o) => o.allocationInfo?.role))).toEqual(new Set(["role1", "role2"]));
  });

  it("S-52 allocation info is stripped for frameworks without MULTI_ROLE", () => {
    const a = new Allocator();
    a.addFramework({ id: "fw", roles: ["role1"] });
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    const [o] = a.allocate(0).offers;
    expect(o!.role).toBe("role1");
    expect(o!.allocationInfo).toBeUndefined();
  });

  it("S-54 [MasterTest.UnacknowledgedTerminalTask] a finished task's cpus:1;mem:64 is offered again without an ACK", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:1;mem:64"));
    a.addFramework({ id: "fw", roles: ["*"], capabilities: FW_CAPS });
    const [o] = a.allocate(0).offers;
    const r = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [{ type: "LAUNCH", tasks: [{ taskId: "t", agentId: "a1", resources: o!.resources }] }],
      },
      0,
    );
    expect(a.allocate(1000).offers).toEqual([]);
    // Terminal (pod Succeeded): the pod holds nothing; no acknowledgement is involved.
    a.setPodUsage(r.launched[0]!.podKey, undefined);
    expect(describeOffers(a.allocate(2000).offers)).toEqual(["fw@a1(*) cpus:1;mem:64"]);
  });

  it("S-56 [HierarchicalAllocatorTest.Allocatable] default min allocatable cpus:0.01|mem:32", () => {
    const a = new Allocator();
    a.addFramework({ id: "fw", roles: ["*"] });
    a.upsertAgent(agent("tiny", "cpus:0.005;mem:16"));
    a.upsertAgent(agent("cpu-ok", "cpus:0.01;mem:16"));
    a.upsertAgent(agent("mem-ok", "cpus:0.005;mem:32"));
    const offered = new Set<string>();
    for (let t = 0; t < 5000; t += 1000) {
      const offers = a.allocate(t).offers;
      for (const o of offers) offered.add(o.agentId);
      declineAll(a, offers, t);
    }
    expect([...offered].sort()).toEqual(["cpu-ok", "mem-ok"]);
  });

  it("S-56 [MasterAllocatorTest.MinAllocatableResources] cpus:1;mem:100|disk:100|cpus:1;ports:10", () => {
    const a = new Allocator({ minAllocatableResources: "cpus:1;mem:100|disk:100|cpus:1;ports:10" });
    a.addFramework({ id: "fw", roles: ["*"] });
    const never = [
      "cpus:1;mem:10;disk:10;ports:[1-5]",
      "cpus:0.5;mem:100;disk:10;ports:[6-10]",
      "cpus:0.5;mem:200;disk:10;ports:[11-15]",
      "cpus:0.5;mem:10;disk:50;ports:[16-20]",
    ];
    const always = [
      "cpus:1;mem:100;disk:0;ports:[1-5]",
      "cpus:0.5;mem:10;disk:100;ports:[1-5]",
      "cpus:1;mem:100;disk:50",
      "cpus:1;mem:10;disk:10;ports:[1-10]",
    ];
    for (const [i, r] of never.entries()) a.upsertAgent(agent(`never${i}`, r));
    for (const [i, r] of always.entries()) a.upsertAgent(agent(`always${i}`, r));
    const offers = a.allocate(0).offers;
    expect(offers.map((o) => o.agentId).sort()).toEqual(["always0", "always1", "always2", "always3"]);
  });
});

describe("§6.4 DRF, weights, quota, reservations", () => {
  it("S-58 [HierarchicalAllocatorTest.UnreservedDRF] each new agent goes to the role, then framework, with the lowest share", () => {
    const a = new Allocator();
    const add = (id: string, res: string, t: number) => {
      a.upsertAgent(agent(id, res));
      return describeOffers(a.allocate(t, "pending").offers);
    };
    a.addFramework({ id: "f1", roles: ["role1"] });
    expect(add("agent1", "cpus:2;mem:1024", 0)).toEqual(["f1@agent1(role1) cpus:2;mem:1024"]);
    a.addFramework({ id: "f2", roles: ["role2"] });
    expect(a.allocate(1, "pending").offers).toEqual([]);
    expect(add("agent2", "cpus:1;mem:512", 2)).toEqual(["f2@agent2(role2) cpus:1;mem:512"]);
    // role1 0.33 (cpus 2 of 6), role2 0.16
    expect(add("agent3", "cpus:3;mem:2048", 3)).toEqual(["f2@agent3(role2) cpus:3;mem:2048"]);
    a.addFramework({ id: "f3", roles: ["role1"] });
    expect(a.allocate(4, "pending").offers).toEqual([]);
    // role1 0.2, role2 0.4; f3 has nothing within role1
    expect(add("agent4", "cpus:4;mem:4096", 5)).toEqual(["f3@agent4(role1) cpus:4;mem:4096"]);
    a.addFramework({ id: "f4", roles: ["role1"] });
    expect(a.allocate(6, "pending").offers).toEqual([]);
    // role2 0.36 < role1 0.63: f2, regardless of f4 having nothing
    expect(add("agent5", "cpus:1;mem:512", 7)).toEqual(["f2@agent5(role2) cpus:1;mem:512"]);
    // Now role1 holds cpus 6 / mem 5120 and role2 cpus 5 / mem 3072 of cpus 11 / mem 8192.
    expect(a.role("role1").share).toBeCloseTo(5120 / 8192, 3);
    expect(a.role("role2").share).toBeCloseTo(5 / 11, 3);
  });

  it("S-60 [HierarchicalAllocatorTest.CoarseGrained] two equal agents, two roles: each framework gets one whole agent", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.upsertAgent(agent("a2", "cpus:2;mem:1024"));
    a.addFramework({ id: "f1", roles: ["role1"] });
    a.addFramework({ id: "f2", roles: ["role2"] });
    const offers = a.allocate(0).offers;
    expect(offers).toHaveLength(2);
    expect(countByFramework(offers)).toEqual({ f1: 1, f2: 1 });
    for (const o of offers) expect(formatResources(o.resources)).toBe("cpus:2;mem:1024");
  });

  it("S-62 [HierarchicalAllocatorTest.UpdateWeight] six agents: 3/3, then 2/4 with role2 weight 2, then 1:2:3", () => {
    const a = new Allocator();
    for (let i = 0; i < 6; i++) a.upsertAgent(agent(`a${i}`, "cpus:2;mem:1024"));
    a.addFramework({ id: "f1", roles: ["role1"] });
    declineAll(a, a.allocate(0).offers, 0);
    a.addFramework({ id: "f2", roles: ["role2"] });
    let t = 1000;
    const batch = () => {
      const offers = a.allocate(t);
      t += 1000;
      declineAll(a, offers.offers, t);
      return countByFramework(offers.offers);
    };
    expect(batch()).toEqual({ f1: 3, f2: 3 });
    a.setWeights({ role2: 2 });
    expect(batch()).toEqual({ f1: 2, f2: 4 });
    a.setWeights({ role3: 3 });
    a.addFramework({ id: "f3", roles: ["role3"] });
    expect(batch()).toEqual({ f1: 1, f2: 2, f3: 3 });
  });

  it("S-62 a weight update touching a role with frameworks rescinds every outstanding offer", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.addFramework({ id: "f1", roles: ["role1"] });
    const [o] = a.allocate(0).offers;
    expect(a.setWeights({ unused: 2 })).toEqual([]);
    expect(a.setWeights({ role1: 2 }).map((r) => [r.offer.id, r.reason])).toEqual([
      [o!.id, "weights-updated"],
    ]);
  });

  it("S-64 [HierarchicalAllocatorTest.Reservations] reserved resources go only to their role; role3's agent is never offered", () => {
    const a = new Allocator();
    a.upsertAgent(agent("agent1", "cpus(role1):2;mem(role1):1024;disk(role1):0"));
    a.upsertAgent(agent("agent2", "cpus(role2):2;mem(role2):1024;cpus:1;mem:1024;disk:0"));
    a.upsertAgent(agent("agent3", "cpus(role3):1;mem(role3):1024;disk(role3):0"));
    a.addFramework({ id: "f1", roles: ["role1"] });
    expect(describeOffers(a.allocate(0, "pending").offers)).toEqual([
      "f1@agent1(role1) cpus(role1):2;mem(role1):1024",
      "f1@agent2(role1) cpus:1;mem:1024",
    ]);
    a.addFramework({ id: "f2", roles: ["role2"] });
    expect(describeOffers(a.allocate(1, "pending").offers)).toEqual([
      "f2@agent2(role2) cpus(role2):2;mem(role2):1024",
    ]);
    expect(a.allocate(2).offers).toEqual([]);
    expect(a.agent("agent3")!.offered.isEmpty).toBe(true);
  });

  it("S-66 [HierarchicalAllocatorTest.QuotaProvidesLimit] a zero limit gets nothing; a half-agent limit chops agent2 in two", () => {
    const a = new Allocator();
    a.addFramework({ id: "f1", roles: ["*"] });
    a.setQuota("*", { limits: { cpus: 0, mem: 0, disk: 0 } });
    a.upsertAgent(agent("agent1", "cpus:2;mem:1024;disk:1024"));
    expect(a.allocate(0, "pending").offers).toEqual([]);
    a.addFramework({ id: "f2", roles: ["no-quota-role"] });
    expect(describeOffers(a.allocate(1, "pending").offers)).toEqual([
      "f2@agent1(no-quota-role) cpus:2;mem:1024;disk:1024",
    ]);
    a.setQuota("*", { limits: { cpus: 1, mem: 512, disk: 512 } });
    a.upsertAgent(agent("agent2", "cpus:2;mem:1024;disk:1024"));
    expect(describeOffers(a.allocate(2, "pending").offers)).toEqual([
      "f1@agent2(*) cpus:1;mem:512;disk:512",
      "f2@agent2(no-quota-role) cpus:1;mem:512;disk:512",
    ]);
  });

  it("S-68 [HierarchicalAllocatorTest.SuppressAndReviveOffers] suppressed: no offer; REVIVE: the whole agent at once", () => {
    const a = new Allocator();
    a.upsertAgent(agent("agent", "cpus:2;mem:1024;disk:0"));
    a.addFramework({ id: "f", roles: ["role1"] });
    const [o] = a.allocate(0, "pending").offers;
    expect(formatResources(o!.resources)).toBe("cpus:2;mem:1024");
    // A redundant REVIVE while holding the offer changes nothing.
    a.reviveOffers("f");
    expect(a.allocate(1, "pending").offers).toEqual([]);
    a.decline("f", [o!.id], { refuseSeconds: 0 }, 1);
    a.suppressOffers("f");
    expect(a.allocate(1000).offers).toEqual([]);
    a.reviveOffers("f");
    expect(describeOffers(a.allocate(1001, "pending").offers)).toEqual(["f@agent(role1) cpus:2;mem:1024"]);
  });

  it("S-70 [MasterAPITest.ReserveResources] an operator RESERVE rescinds the offer; after REVIVE the offer holds the dynamic reservation", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", DEFAULT_AGENT));
    a.addFramework({ id: "fw", roles: ["role"], capabilities: FW_CAPS });
    const [o] = a.allocate(0).offers;
    const reserved = Resources.scalars({ cpus: 1, mem: 512 }, [
      { type: "DYNAMIC", role: "role", principal: "P" },
    ]);
    const r = a.reserve("a1", reserved, 100);
    expect(r.error).toBeUndefined();
    expect(r.rescinds.map((x) => [x.offer.id, x.reason])).toEqual([[o!.id, "operator"]]);
    a.reviveOffers("fw");
    const [again] = a.allocate(1000, "pending").offers;
    expect(again!.resources.contains(reserved)).toBe(true);
    const json = again!.resources
      .toJSON({ allocationRole: "role" })
      .find((x) => x.reservations !== undefined)!;
    expect(json.reservations![0]).toEqual({ type: "DYNAMIC", role: "role", principal: "P" });
    expect(formatResources(again!.resources)).toBe(
      "cpus:1;cpus(role):1;mem:512;mem(role):512;disk:1024;ports:[31000-32000]",
    );
  });
});

describe("Mesos allocator tests cited by semantics.md §4.2–4.3", () => {
  it("NestedRoleDRF: with a/b holding 2 cpus, a new agent goes to d/e", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fab", roles: ["a/b"] });
    expect(describeOffers(a.allocate(0).offers)).toEqual(["fab@a1(a/b) cpus:2;mem:1024"]);
    a.addFramework({ id: "fac", roles: ["a/c"] });
    a.addFramework({ id: "fde", roles: ["d/e"] });
    a.upsertAgent(agent("a2", "cpus:1;mem:512"));
    expect(describeOffers(a.allocate(1, "pending").offers)).toEqual(["fde@a2(d/e) cpus:1;mem:512"]);
  });

  it("SameShareFairness: two frameworks with equal shares alternate, 5/5 over 10 runs", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.addFramework({ id: "f1", roles: ["*"] });
    a.addFramework({ id: "f2", roles: ["*"] });
    const got: Record<string, number> = {};
    for (let i = 0; i < 10; i++) {
      const offers = a.allocate(i * 1000).offers;
      for (const o of offers) got[o.frameworkId] = (got[o.frameworkId] ?? 0) + 1;
      declineAll(a, offers, i * 1000);
    }
    expect(got).toEqual({ f1: 5, f2: 5 });
  });

  it("QuotaProvidesGuarantee: declined resources the quota role still needs are held back from other roles", () => {
    const a = new Allocator();
    a.addFramework({ id: "f1", roles: ["quota-role"] });
    a.setQuota("quota-role", { guarantees: { cpus: 2, mem: 1024 } });
    a.addFramework({ id: "f2", roles: ["no-quota-role"] });
    a.upsertAgent(agent("agent1", "cpus:1;mem:512"));
    expect(describeOffers(a.allocate(0, "pending").offers)).toEqual(["f1@agent1(quota-role) cpus:1;mem:512"]);
    a.upsertAgent(agent("agent2", "cpus:1;mem:512"));
    const [o2] = a.allocate(0, "pending").offers;
    expect(describeOffers([o2!])).toEqual(["f1@agent2(quota-role) cpus:1;mem:512"]);
    a.decline("f1", [o2!.id], { refuseSeconds: 2 }, 0);
    // f2 gets nothing at +1 s: agent2 is headroom for quota-role's guarantee.
    expect(a.allocate(1000).offers).toEqual([]);
    expect(describeOffers(a.allocate(2000).offers)).toEqual(["f1@agent2(quota-role) cpus:1;mem:512"]);
  });
});
