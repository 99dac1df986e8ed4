import { describe, expect, it } from "vitest";
import type { AllocationAccess } from "../../allocation/allocationLoop.ts";
import {
  DYNAMIC_RESERVATIONS_ANNOTATION,
  decodeDynamicReservations,
} from "../../allocation/dynamicReservations.ts";
import { Allocator, agentIdForNode, Resources } from "../../allocator/index.ts";
import { agent } from "../../allocator/testHarness.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import { silentLogger } from "../../logging.ts";
import { ReservationChanges } from "./reservationChanges.ts";

const node = { metadata: { name: "n1", uid: "u1" }, status: {} } as unknown as Node;
const AGENT = agentIdForNode(node);
const reserved = (cpus: number, principal = "P", role = "role") => [
  {
    name: "cpus",
    type: "SCALAR" as const,
    scalar: { value: cpus },
    reservations: [{ type: "DYNAMIC" as const, role, principal }],
  },
];
const unreserved = (cpus: number) => [{ name: "cpus", type: "SCALAR" as const, scalar: { value: cpus } }];

/** The allocation loop's reservation calls on a real Allocator, the node writes recorded. */
function setup(failWrites = false) {
  const allocator = new Allocator();
  allocator.upsertAgent({ ...agent("n1", "cpus:2;mem:1024"), id: AGENT });
  const writes: (string | null)[] = [];
  const access = {
    ready: true,
    changeReservation: (kind: "RESERVE" | "UNRESERVE", id: string, r: Resources, source?: Resources) =>
      kind === "UNRESERVE"
        ? allocator.unreserve(id, r, 0)
        : source !== undefined
          ? allocator.updateReservation(id, source, r, 0)
          : allocator.reserve(id, r, 0),
    dynamicReservationsOf: (id: string) => allocator.agent(id)?.dynamicReservations,
  } as unknown as AllocationAccess;
  const changes = new ReservationChanges({
    access,
    nodes: () => [node],
    annotate: async (_name, annotations) => {
      if (failWrites) throw new Error("etcd is down");
      writes.push(annotations[DYNAMIC_RESERVATIONS_ANNOTATION] ?? null);
    },
    log: silentLogger(),
  });
  return { allocator, writes, changes };
}

describe("operator RESERVE_RESOURCES / UNRESERVE_RESOURCES", () => {
  it("reserves, writes the agent's whole set, and unreserves down to no annotation", async () => {
    const { allocator, writes, changes } = setup();
    const r = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1) },
      "P",
    );
    expect(r).toEqual({ ok: true });
    expect(decodeDynamicReservations(writes.at(-1) ?? undefined).scalar("cpus")).toBe(1);
    await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(0.5) },
      "P",
    );
    // Whole sets, never deltas: the second write holds both reservations (merged).
    expect(decodeDynamicReservations(writes.at(-1) ?? undefined).scalar("cpus")).toBe(1.5);
    const un = await changes.operatorChange(
      { type: "UNRESERVE_RESOURCES", agentId: AGENT, resources: reserved(1.5) },
      "P",
    );
    expect(un).toEqual({ ok: true });
    expect(writes.at(-1)).toBeNull();
    expect(allocator.agent(AGENT)!.dynamicReservations.isEmpty).toBe(true);
  });

  it("answers 400 for an unknown agent or invalid resources, 409 when the agent lacks them", async () => {
    const { writes, changes } = setup();
    expect(
      await changes.operatorChange(
        { type: "RESERVE_RESOURCES", agentId: "nope", source: [], resources: reserved(1) },
        undefined,
      ),
    ).toEqual({ ok: false, status: 400, message: "No agent found with specified ID" });
    const wrongPrincipal = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1, "Q") },
      "P",
    );
    expect(wrongPrincipal).toMatchObject({ ok: false, status: 400 });
    expect(wrongPrincipal.ok ? "" : wrongPrincipal.message).toMatch(
      /^Invalid RESERVE operation on agent .* \(n1\): A reserve operation was attempted by authenticated principal 'P'/,
    );
    const tooMuch = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(3) },
      undefined,
    );
    expect(tooMuch).toMatchObject({ ok: false, status: 409 });
    expect(writes).toEqual([]);
  });

  it("undoes the change in memory when the write fails", async () => {
    const { allocator, changes } = setup(true);
    const r = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1) },
      undefined,
    );
    expect(r).toMatchObject({ ok: false, status: 503 });
    expect(allocator.agent(AGENT)!.dynamicReservations.isEmpty).toBe(true);
    expect(allocator.agent(AGENT)!.total.equals(Resources.scalars({ cpus: 2, mem: 1024 }))).toBe(true);
  });
});

describe("reservation updates: RESERVE_RESOURCES with a source", () => {
  const roleOf = (r: Resources) => r.entries.map((e) => `${e.reservations.map((x) => x.role).join(">")}`);

  it("moves a dynamic reservation to another role and writes the agent's new set", async () => {
    const { allocator, writes, changes } = setup();
    await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1, "P", "a") },
      "P",
    );
    const r = await changes.operatorChange(
      {
        type: "RESERVE_RESOURCES",
        agentId: AGENT,
        source: reserved(1, "P", "a"),
        resources: reserved(1, "P", "b"),
      },
      "P",
    );
    expect(r).toEqual({ ok: true });
    expect(roleOf(allocator.agent(AGENT)!.dynamicReservations)).toEqual(["b"]);
    expect(roleOf(decodeDynamicReservations(writes.at(-1) ?? undefined))).toEqual(["b"]);
    expect(allocator.agent(AGENT)!.total.scalar("cpus")).toBe(2);
  });

  it("an unreserved source is reserved as by a plain RESERVE", async () => {
    const { allocator, changes } = setup();
    const r = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: unreserved(1), resources: reserved(1) },
      "P",
    );
    expect(r).toEqual({ ok: true });
    expect(allocator.agent(AGENT)!.dynamicReservations.scalar("cpus")).toBe(1);
  });

  it("answers 400 with the master's messages for different quantities or mixed reservations", async () => {
    const { writes, changes } = setup();
    const quantities = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: unreserved(1), resources: reserved(2) },
      "P",
    );
    expect(quantities.ok ? "" : quantities.message).toMatch(
      /^Invalid RESERVE operation on agent .* \(n1\): Source and target resources should refer to identical resource quantities: cpus:1 vs\. cpus:2$/,
    );
    const mixed = await changes.operatorChange(
      {
        type: "RESERVE_RESOURCES",
        agentId: AGENT,
        source: [...reserved(0.5, "P", "a"), ...reserved(0.5, "P", "b").map((x) => ({ ...x, name: "mem" }))],
        resources: reserved(1),
      },
      "P",
    );
    expect(mixed).toMatchObject({ ok: false, status: 400 });
    expect(mixed.ok ? "" : mixed.message).toContain(": Invalid source: Mixed reservations are not supported");
    expect(writes).toEqual([]);
  });

  it("answers 409 when the agent does not hold the source", async () => {
    const { writes, changes } = setup();
    const r = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: reserved(1, "P", "a"), resources: reserved(1) },
      "P",
    );
    expect(r).toMatchObject({ ok: false, status: 409 });
    expect(r.ok ? "" : r.message).toMatch(/^Invalid RESERVE Operation: .* does not contain /);
    expect(writes).toEqual([]);
  });

  it("answers 409 for an update a restart could not restore (dropping a refinement)", async () => {
    const { allocator, changes } = setup();
    const refined = [
      {
        name: "cpus",
        type: "SCALAR" as const,
        scalar: { value: 1 },
        reservations: [
          { type: "DYNAMIC" as const, role: "a", principal: "P" },
          { type: "DYNAMIC" as const, role: "a/b", principal: "P" },
        ],
      },
    ];
    await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1, "P", "a") },
      "P",
    );
    await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: refined },
      "P",
    );
    const r = await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: refined, resources: reserved(1, "P", "c") },
      "P",
    );
    expect(r).toMatchObject({ ok: false, status: 409 });
    expect(r.ok ? "" : r.message).toContain("must add a dynamic reservation to");
    expect(roleOf(allocator.agent(AGENT)!.dynamicReservations)).toEqual(["a>a/b"]);
  });

  it("undoes an update in memory when the write fails", async () => {
    const { allocator, changes } = setup();
    await changes.operatorChange(
      { type: "RESERVE_RESOURCES", agentId: AGENT, source: [], resources: reserved(1, "P", "a") },
      "P",
    );
    const failing = setup(true);
    failing.allocator.reserve(AGENT, allocator.agent(AGENT)!.dynamicReservations, 0);
    const r = await failing.changes.operatorChange(
      {
        type: "RESERVE_RESOURCES",
        agentId: AGENT,
        source: reserved(1, "P", "a"),
        resources: reserved(1, "P", "b"),
      },
      "P",
    );
    expect(r).toMatchObject({ ok: false, status: 503 });
    expect(roleOf(failing.allocator.agent(AGENT)!.dynamicReservations)).toEqual(["a"]);
  });
});
