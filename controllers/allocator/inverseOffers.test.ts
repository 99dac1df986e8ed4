import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Allocator } from "./allocator.ts";
import type { Unavailability } from "./inputModel.ts";
import { parseResources } from "./resourceText.ts";
import { agent } from "./testHarness.ts";

const DAY_S = 24 * 3600;
const window: Unavailability = { start: { nanoseconds: 2e18 }, duration: { nanoseconds: 3600e9 } };
const later: Unavailability = { start: { nanoseconds: 3e18 } };

/** An allocator with agents a1, a2 and framework fw holding a task on a1 (what S-90 starts from). */
function taskOnA1(offerTimeoutMs?: number) {
  const a = new Allocator({ offerIdPrefix: "m", offerTimeoutMs });
  a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
  a.upsertAgent(agent("a2", "cpus:2;mem:1024"));
  a.addFramework({ id: "fw", roles: ["*"] });
  const offers = a.allocate(0).offers;
  const o1 = offers.find((o) => o.agentId === "a1")!;
  const o2 = offers.find((o) => o.agentId === "a2")!;
  a.accept(
    {
      frameworkId: "fw",
      offerIds: [o1.id],
      operations: [
        {
          type: "LAUNCH",
          tasks: [{ taskId: "t", agentId: "a1", resources: parseResources("cpus:1;mem:512") }],
        },
      ],
    },
    0,
    () => false,
  );
  return { a, o2 };
}

describe("maintenance: inverse offers", () => {
  it("S-90: only the agent the framework holds resources on draws an inverse offer", () => {
    const { a, o2 } = taskOnA1();
    // Declined for a day: the framework holds nothing on a2.
    a.decline("fw", [o2.id], { refuseSeconds: DAY_S }, 0);
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    a.upsertAgent(agent("a2", "cpus:2;mem:1024", { unavailability: window }));
    const cycle = a.allocate(1000);
    expect(cycle.inverseOffers.map((io) => [io.frameworkId, io.agentId, io.unavailability])).toEqual([
      ["fw", "a1", window],
    ]);
    expect(a.inverseOffersOf("fw")).toHaveLength(1);
    // Outstanding: not sent again in the next cycles.
    expect(a.allocate(2000).inverseOffers).toEqual([]);
  });

  it("offers from an agent with maintenance carry its unavailability; a change rescinds them", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [plain] = a.allocate(0).offers;
    expect(plain!.unavailability).toBeUndefined();
    const rescinds = a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    expect(rescinds.map((r) => [r.offer.id, r.reason])).toEqual([[plain!.id, "agent-changed"]]);
    expect(a.hasPendingAllocation()).toBe(true);
    const [draining] = a.allocate(1, "pending").offers;
    expect(draining!.unavailability).toEqual(window);
    // The same unavailability again changes nothing.
    expect(a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }))).toEqual([]);
  });

  it("an outstanding offer counts as held: its framework gets an inverse offer too", () => {
    const a = new Allocator();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    a.addFramework({ id: "fw", roles: ["*"] });
    a.addFramework({ id: "idle", roles: ["*"], active: true });
    const cycle = a.allocate(0);
    const holder = cycle.offers[0]!.frameworkId;
    expect(cycle.inverseOffers.map((io) => io.frameworkId)).toEqual([holder]);
  });

  it("inactive frameworks get none; a cordoned agent still asks for its tasks back", () => {
    const { a } = taskOnA1();
    a.deactivateFramework("fw");
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    expect(a.allocate(1000).inverseOffers).toEqual([]);
    a.activateFramework("fw");
    // Cordoned (deactivated): no offers, but the framework holding a task there is told.
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window, unschedulable: true }));
    const cycle = a.allocate(2000);
    expect(cycle.offers.filter((o) => o.agentId === "a1")).toEqual([]);
    expect(cycle.inverseOffers.map((io) => [io.frameworkId, io.agentId])).toEqual([["fw", "a1"]]);
  });

  it("a cordoned agent is visited in batch runs, not in event-driven runs over other agents", () => {
    const { a } = taskOnA1();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window, unschedulable: true }));
    a.upsertAgent(agent("a3", "cpus:2;mem:1024"));
    expect(a.allocate(1000, "pending").inverseOffers).toEqual([]);
    expect(a.allocate(2000).inverseOffers.map((io) => io.agentId)).toEqual(["a1"]);
  });

  it.each([
    { answer: "ACCEPT" as const, refuse: undefined, again: [5_000, 6_001] },
    { answer: "DECLINE" as const, refuse: 60, again: [60_000, 61_001] },
    { answer: "DECLINE" as const, refuse: 0, again: [1_001, 1_001] },
    { answer: "ACCEPT" as const, refuse: -3, again: [5_000, 6_001] },
  ])(
    "an answer ($answer, refuse $refuse s) is recorded and filters until it expires",
    ({ answer, refuse, again }) => {
      const { a } = taskOnA1();
      a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
      const [io] = a.allocate(1000).inverseOffers;
      expect(a.respondToInverseOffers("fw", [io!.id], answer, refuse, 1000)).toHaveLength(1);
      expect(a.inverseOfferStatuses().get("a1")).toEqual([
        { frameworkId: "fw", status: answer, timestamp: 1000 },
      ]);
      expect(a.inverseOffersOf("fw")).toEqual([]);
      const [notYet, due] = again as [number, number];
      if (notYet < due) expect(a.allocate(notYet).inverseOffers).toEqual([]);
      const next = a.allocate(due).inverseOffers;
      expect(next.map((x) => x.agentId)).toEqual(["a1"]);
      expect(next[0]!.id).not.toBe(io!.id);
    },
  );

  it("--offer_timeout withdraws an unanswered inverse offer, records nothing, and a new one follows", () => {
    const { a } = taskOnA1(10_000);
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    const first = a.allocate(1000);
    const [io] = first.inverseOffers;
    expect(first.expiredInverseOffers).toEqual([]);
    // Still outstanding just before its timeout.
    expect(a.allocate(10_999).expiredInverseOffers).toEqual([]);
    expect(a.inverseOffersOf("fw").map((x) => x.id)).toEqual([io!.id]);
    const due = a.allocate(11_000);
    expect(due.expiredInverseOffers.map((x) => x.id)).toEqual([io!.id]);
    expect(a.inverseOffersOf("fw")).toEqual([]);
    expect(a.inverseOffer(io!.id)).toBeUndefined();
    // Not an answer: no status, no filter; an answer to the expired one is ignored.
    expect(a.inverseOfferStatuses().get("a1")).toEqual([]);
    expect(a.respondToInverseOffers("fw", [io!.id], "ACCEPT", 5, 11_000)).toEqual([]);
    const next = a.allocate(12_000).inverseOffers;
    expect(next.map((x) => [x.frameworkId, x.agentId])).toEqual([["fw", "a1"]]);
    expect(next[0]!.id).not.toBe(io!.id);
  });

  it("without --offer_timeout inverse offers stay outstanding until answered", () => {
    const { a } = taskOnA1();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    a.allocate(1000);
    expect(a.allocate(1000 + 365 * DAY_S * 1000).expiredInverseOffers).toEqual([]);
    expect(a.inverseOffersOf("fw")).toHaveLength(1);
  });

  it("answers for unknown or other frameworks' inverse offers are ignored", () => {
    const { a } = taskOnA1();
    a.addFramework({ id: "other", roles: ["*"] });
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    const io = a.allocate(1000).inverseOffers.find((x) => x.frameworkId === "fw");
    expect(a.respondToInverseOffers("other", [io!.id], "ACCEPT", 5, 1000)).toEqual([]);
    expect(a.respondToInverseOffers("fw", ["nope"], "ACCEPT", 5, 1000)).toEqual([]);
    expect(a.inverseOfferStatuses().get("a1")).toEqual([]);
    expect(a.inverseOffersOf("fw")).toHaveLength(1);
  });

  it("a new unavailability withdraws inverse offers, drops answers and filters", () => {
    const { a } = taskOnA1();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    const [io] = a.allocate(1000).inverseOffers;
    a.respondToInverseOffers("fw", [io!.id], "DECLINE", DAY_S, 1000);
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: later }));
    expect(a.inverseOfferStatuses().get("a1")).toEqual([]);
    const [again] = a.allocate(2000).inverseOffers;
    expect(again!.unavailability).toEqual(later);
    // Maintenance cancelled: the outstanding one is withdrawn, nothing more is sent.
    a.upsertAgent(agent("a1", "cpus:2;mem:1024"));
    expect(a.inverseOffer(again!.id)).toBeUndefined();
    expect(a.inverseOfferStatuses().has("a1")).toBe(false);
    expect(a.allocate(3000).inverseOffers).toEqual([]);
  });

  it("REVIVE drops inverse-offer filters; removing the agent or the framework withdraws its inverse offers", () => {
    const { a } = taskOnA1();
    a.upsertAgent(agent("a1", "cpus:2;mem:1024", { unavailability: window }));
    const [io] = a.allocate(1000).inverseOffers;
    a.respondToInverseOffers("fw", [io!.id], "DECLINE", DAY_S, 1000);
    expect(a.allocate(2000).inverseOffers).toEqual([]);
    a.reviveOffers("fw");
    const [io2] = a.allocate(3000).inverseOffers;
    expect(io2!.agentId).toBe("a1");
    a.removeAgent("a1");
    expect(a.inverseOffersOf("fw")).toEqual([]);
    a.upsertAgent(agent("a2", "cpus:2;mem:1024", { unavailability: window }));
    a.allocate(4000);
    expect(a.inverseOffersOf("fw").map((x) => x.agentId)).toEqual(["a2"]);
    a.removeFramework("fw");
    expect(a.inverseOffersOf("fw")).toEqual([]);
  });
});

type Op =
  | { k: "allocate" }
  | { k: "schedule"; agent: number; start: number | undefined }
  | { k: "answer"; i: number; accept: boolean; refuse: number }
  | { k: "decline"; i: number }
  | { k: "toggle"; fw: number }
  | { k: "advance"; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ k: "allocate" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("schedule" as const),
      agent: fc.nat(2),
      start: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("answer" as const),
      i: fc.nat(5),
      accept: fc.boolean(),
      refuse: fc.nat(20),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("decline" as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("toggle" as const), fw: fc.nat(1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("advance" as const), ms: fc.integer({ min: 1, max: 30_000 }) }),
  },
);

describe("maintenance: properties", () => {
  it("inverse offers go only to active frameworks holding resources on agents with maintenance, one per pair", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const a = new Allocator({ seed: 7 });
        const agents = ["a0", "a1", "a2"];
        const schedule = new Map<string, Unavailability>();
        const active = new Map([
          ["f0", true],
          ["f1", true],
        ]);
        for (const id of agents) a.upsertAgent(agent(id, "cpus:2;mem:1024"));
        for (const id of active.keys()) a.addFramework({ id, roles: ["*"] });
        let now = 0;
        for (const op of ops) {
          switch (op.k) {
            case "allocate": {
              const cycle = a.allocate(now);
              for (const io of cycle.inverseOffers) {
                expect(active.get(io.frameworkId)).toBe(true);
                expect(io.unavailability).toEqual(schedule.get(io.agentId));
                expect(a.agent(io.agentId)).toBeDefined();
                const holds =
                  a.offersOf(io.frameworkId).some((o) => o.agentId === io.agentId) ||
                  (a.framework(io.frameworkId)?.roles.some((r) => !r.allocated.isEmpty) ?? false);
                expect(holds).toBe(true);
              }
              break;
            }
            case "schedule": {
              const id = agents[op.agent]!;
              const u = op.start === undefined ? undefined : { start: { nanoseconds: op.start * 1e18 } };
              if (u === undefined) schedule.delete(id);
              else schedule.set(id, u);
              a.upsertAgent(agent(id, "cpus:2;mem:1024", { unavailability: u }));
              break;
            }
            case "answer": {
              for (const fw of active.keys()) {
                const io = a.inverseOffersOf(fw)[op.i % 3];
                if (io !== undefined)
                  a.respondToInverseOffers(fw, [io.id], op.accept ? "ACCEPT" : "DECLINE", op.refuse, now);
              }
              break;
            }
            case "decline": {
              const all = [...active.keys()].flatMap((fw) => a.offersOf(fw));
              const o = all[op.i % Math.max(1, all.length)];
              if (o !== undefined) a.decline(o.frameworkId, [o.id], { refuseSeconds: 1 }, now);
              break;
            }
            case "toggle": {
              const fw = `f${op.fw}`;
              if (active.get(fw)) a.deactivateFramework(fw);
              else a.activateFramework(fw);
              active.set(fw, !active.get(fw));
              break;
            }
            case "advance":
              now += op.ms;
              break;
          }
          // At most one outstanding inverse offer per (framework, agent), only where maintenance is.
          for (const fw of active.keys()) {
            const outstanding = a.inverseOffersOf(fw);
            expect(new Set(outstanding.map((io) => io.agentId)).size).toBe(outstanding.length);
            for (const io of outstanding) expect(schedule.has(io.agentId)).toBe(true);
            if (!active.get(fw)) expect(outstanding).toEqual([]);
          }
          for (const agentId of a.inverseOfferStatuses().keys()) expect(schedule.has(agentId)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
