import { describe, expect, it } from "vitest";
import { parseResources } from "../../allocator/index.ts";
import type { Resource } from "./resource.ts";
import { endpointFormat, toAllocatorResources, toWireResources } from "./resourceConversion.ts";

const agent = parseResources("cpus:2;mem:1024;ports:[31000-32000];cpus(web):1");

describe("wire resources ⇄ allocator resources", () => {
  it('writes the pre-refinement format with `role` ("*" when unreserved) for frameworks without refinement', () => {
    expect(toWireResources(agent, { refinement: false, allocationRole: "web" })).toEqual([
      { name: "cpus", type: "SCALAR", scalar: { value: 2 }, role: "*", allocation_info: { role: "web" } },
      { name: "cpus", type: "SCALAR", scalar: { value: 1 }, role: "web", allocation_info: { role: "web" } },
      { name: "mem", type: "SCALAR", scalar: { value: 1024 }, role: "*", allocation_info: { role: "web" } },
      {
        name: "ports",
        type: "RANGES",
        ranges: { range: [{ begin: 31000, end: 32000 }] },
        role: "*",
        allocation_info: { role: "web" },
      },
    ]);
  });

  it("writes the reservation stack for frameworks with RESERVATION_REFINEMENT", () => {
    const wire = toWireResources(agent, { refinement: true });
    expect(wire.find((r) => r.reservations !== undefined)).toEqual({
      name: "cpus",
      type: "SCALAR",
      scalar: { value: 1 },
      reservations: [{ type: "STATIC", role: "web" }],
    });
  });

  it("reads both formats back to the same resources", () => {
    for (const refinement of [true, false])
      expect(toAllocatorResources(toWireResources(agent, { refinement })).equals(agent)).toBe(true);
  });

  it("reads a pre-refinement dynamic reservation with its principal and labels", () => {
    const wire: Resource[] = [
      {
        name: "mem",
        type: "SCALAR",
        scalar: { value: 512 },
        role: "db",
        reservation: { principal: "p", labels: { labels: [{ key: "k", value: "v" }] } },
      },
    ];
    const [entry] = toAllocatorResources(wire).entries;
    expect(entry?.reservations).toEqual([
      { type: "DYNAMIC", role: "db", principal: "p", labels: { k: "v" } },
    ]);
    expect(toWireResources(toAllocatorResources(wire), { refinement: false })).toEqual(wire);
  });

  it("leaves out what the allocator cannot hold (TEXT, negative scalars)", () => {
    const wire: Resource[] = [
      { name: "x", type: "TEXT" },
      { name: "cpus", type: "SCALAR", scalar: { value: -1 } },
      { name: "mem", type: "SCALAR", scalar: { value: 1 } },
    ];
    expect(toAllocatorResources(wire).names()).toEqual(["mem"]);
  });
});

describe("endpointFormat (convertResourceFormat ENDPOINT)", () => {
  const cpus = (extra: Partial<Resource>): Resource => ({
    name: "cpus",
    type: "SCALAR",
    scalar: { value: 1 },
    ...extra,
  });
  const dynamic = { type: "DYNAMIC" as const, role: "eng", principal: "P" };

  it('marks unreserved resources with role "*" and keeps their other fields', () => {
    expect(endpointFormat(cpus({ allocation_info: { role: "eng" } }))).toEqual(
      cpus({ role: "*", allocation_info: { role: "eng" } }),
    );
  });

  it("shows a single reservation both ways: role (+ reservation when dynamic) and the stack", () => {
    expect(endpointFormat(cpus({ reservations: [dynamic] }))).toEqual(
      cpus({ role: "eng", reservation: { principal: "P" }, reservations: [dynamic] }),
    );
    const fromOld = endpointFormat(cpus({ role: "eng", reservation: { principal: "P" } }));
    expect(fromOld).toEqual(cpus({ role: "eng", reservation: { principal: "P" }, reservations: [dynamic] }));
    const staticOnly = { type: "STATIC" as const, role: "web" };
    expect(endpointFormat(cpus({ role: "web" }))).toEqual(cpus({ role: "web", reservations: [staticOnly] }));
  });

  it("shows a refined reservation as its stack only", () => {
    const stack = [dynamic, { type: "DYNAMIC" as const, role: "eng/web", principal: "P" }];
    expect(endpointFormat(cpus({ reservations: stack }))).toEqual(cpus({ reservations: stack }));
  });
});
