import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatResources, type Offer, parseResources } from "../allocator/index.ts";
import type { Constraint } from "../api/index.ts";
import { placeTask } from "./placement.ts";
import { type AgentLocation, constraintAllows } from "./placementConstraints.ts";

let counter = 0;
function offer(agent: string, resources: string, extra: Partial<Offer> = {}): Offer {
  const n = counter++;
  return {
    id: `m-O${n}`,
    frameworkId: "fw",
    agentId: `${agent}-S0`,
    hostname: agent,
    nodeName: agent,
    role: "web",
    resources: parseResources(resources),
    attributes: [],
    createdAt: n,
    ...extra,
  };
}
const rack = (r: string) => [{ name: "rack", type: "TEXT" as const, text: r }];
const request = (over: Partial<Parameters<typeof placeTask>[0]> = {}) => ({
  role: "web",
  demand: { cpus: 1, mem: 128 },
  constraints: [] as Constraint[],
  peers: [] as AgentLocation[],
  ...over,
});

describe("placeTask", () => {
  it("takes the oldest fitting offer in the task's role", () => {
    const offers = [
      offer("a", "cpus:4;mem:1024", { role: "batch" }),
      offer("b", "cpus:0.5;mem:1024"),
      offer("c", "cpus:2;mem:512"),
      offer("d", "cpus:2;mem:512"),
    ];
    const r = placeTask(request(), offers);
    expect(r.placed && r.placement).toMatchObject({
      agentId: "c-S0",
      nodeName: "c",
      offerIds: [offers[2]!.id],
    });
    expect(r.placed && formatResources(r.placement.resources)).toBe("cpus:1;mem:128");
  });

  it("combines offers of one agent when one is not enough", () => {
    const o1 = offer("a", "cpus:1;mem:64");
    const o2 = offer("a", "cpus:1;mem:64");
    const o3 = offer("a", "cpus:1;mem:64");
    const r = placeTask(request({ demand: { cpus: 2, mem: 128 } }), [o3, o1, o2]);
    expect(r.placed && r.placement.offerIds).toEqual([o1.id, o2.id]);
  });

  it("says why each agent's offers did not do", () => {
    const offers = [
      offer("a", "cpus:4;mem:1024", { attributes: rack("r1") }),
      offer("b", "cpus:0.5;mem:64", { attributes: rack("r2") }),
    ];
    const r = placeTask(
      request({
        constraints: [{ field: "rack", operator: "UNIQUE" }],
        peers: [{ hostname: "x", attributes: rack("r1") }],
      }),
      offers,
    );
    expect(r).toEqual({
      placed: false,
      offersInRole: 2,
      rejections: [
        { agentId: "a-S0", hostname: "a", because: "rack:UNIQUE" },
        { agentId: "b-S0", hostname: "b", because: "resources" },
      ],
    });
  });

  it("spreads GROUP_BY groups: the emptiest group first", () => {
    const offers = [
      offer("a", "cpus:4;mem:1024", { attributes: rack("r1") }),
      offer("b", "cpus:4;mem:1024", { attributes: rack("r2") }),
    ];
    const peers = [{ hostname: "x", attributes: rack("r1") }];
    const r = placeTask(
      request({ constraints: [{ field: "rack", operator: "GROUP_BY", value: "2" }], peers }),
      offers,
    );
    expect(r.placed && r.placement.hostname).toBe("b");
  });

  it("takes reserved resources of its role first", () => {
    const r = placeTask(request(), [offer("a", "cpus:2;cpus(web):1;mem:1024")]);
    expect(r.placed && formatResources(r.placement.resources)).toBe("cpus(web):1;mem:128");
  });

  it("with no offers, says so", () => {
    expect(placeTask(request(), [])).toEqual({ placed: false, offersInRole: 0, rejections: [] });
  });
});

describe("placeTask properties", () => {
  const racks = ["r1", "r2", "r3"];
  const agentArb = fc.record({
    host: fc.constantFrom("a", "b", "c", "d", "e"),
    rack: fc.constantFrom(...racks),
    cpus: fc.integer({ min: 0, max: 4 }),
  });
  const constraintArb: fc.Arbitrary<Constraint> = fc.oneof(
    fc.constantFrom<Constraint>(
      { field: "hostname", operator: "UNIQUE" },
      { field: "rack", operator: "UNIQUE" },
      { field: "rack", operator: "GROUP_BY" },
    ),
    fc.record({
      field: fc.constantFrom("rack", "hostname"),
      operator: fc.constantFrom("CLUSTER", "LIKE", "UNLIKE" as const),
      value: fc.constantFrom("r1", "r[12]", "a", ".*"),
    }),
    fc.record({
      field: fc.constantFrom("rack", "hostname"),
      operator: fc.constantFrom("MAX_PER", "GROUP_BY" as const),
      value: fc.constantFrom("1", "2", "3"),
    }),
  );

  it("never violates a constraint, never overcommits an offer, and decides the same whatever the offers' order", () => {
    fc.assert(
      fc.property(
        fc.array(agentArb, { minLength: 1, maxLength: 8 }),
        fc.array(agentArb, { maxLength: 6 }),
        fc.array(constraintArb, { maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (agents, peerAgents, constraints, cpus) => {
          // An agent's attributes are the same in all its offers: the first mention of a host decides.
          const rackOf = new Map<string, string>();
          for (const a of agents) if (!rackOf.has(a.host)) rackOf.set(a.host, a.rack);
          const offers = agents.map((a, i) => ({
            ...offer(a.host, `cpus:${a.cpus};mem:512`, { attributes: rack(rackOf.get(a.host)!) }),
            id: `p-O${i}`,
            createdAt: i,
          }));
          const peers = peerAgents.map((p) => ({ hostname: p.host, attributes: rack(p.rack) }));
          const req = request({ demand: { cpus, mem: 64 }, constraints, peers });
          const r = placeTask(req, offers);
          expect(placeTask(req, [...offers].reverse())).toEqual(r);
          if (!r.placed) return;
          const chosen = offers.filter((o) => r.placement.offerIds.includes(o.id));
          expect(new Set(chosen.map((o) => o.agentId)).size).toBe(1);
          const where = { hostname: chosen[0]!.hostname, attributes: chosen[0]!.attributes };
          for (const c of constraints) expect(constraintAllows(c, where, peers)).toBe(true);
          const pooled = chosen.slice(1).reduce((acc, o) => acc.plus(o.resources), chosen[0]!.resources);
          expect(pooled.contains(r.placement.resources)).toBe(true);
          expect(r.placement.resources.scalar("cpus")).toBe(cpus);
        },
      ),
    );
  });
});
