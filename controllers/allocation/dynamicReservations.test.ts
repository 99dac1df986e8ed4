import { describe, expect, it } from "vitest";
import { formatResources, parseResources, Resources } from "../allocator/index.ts";
import {
  decodeDynamicReservations,
  encodeDynamicReservations,
  restoreSteps,
  withPersistedReservations,
} from "./dynamicReservations.ts";

const P = { type: "DYNAMIC" as const, role: "role", principal: "P" };

describe("the dynamic reservations annotation", () => {
  it("round-trips an agent's dynamic reservations as Mesos v1 Resources with their reservation stack", () => {
    const set = Resources.scalars({ cpus: 1, mem: 512 }, [P]).plus(
      Resources.scalars({ cpus: 0.5 }, [P, { type: "DYNAMIC", role: "role/web", labels: { team: "a" } }]),
    );
    const text = encodeDynamicReservations(set);
    expect((JSON.parse(text) as { scalar: { value: number } }[]).find((r) => r.scalar.value === 1)).toEqual({
      name: "cpus",
      type: "SCALAR",
      scalar: { value: 1 },
      reservations: [{ type: "DYNAMIC", role: "role", principal: "P" }],
    });
    expect(decodeDynamicReservations(text).equals(set)).toBe(true);
  });

  it("leaves out unreserved and statically reserved resources when encoding", () => {
    const mixed = parseResources("cpus:4;mem(static):64").plus(Resources.scalars({ cpus: 1 }, [P]));
    expect(formatResources(decodeDynamicReservations(encodeDynamicReservations(mixed)))).toBe(
      formatResources(Resources.scalars({ cpus: 1 }, [P])),
    );
  });

  it("reads an absent or empty annotation as no reservations", () => {
    expect(decodeDynamicReservations(undefined).isEmpty).toBe(true);
    expect(decodeDynamicReservations(" ").isEmpty).toBe(true);
  });

  it("refuses malformed values with a message naming the annotation", () => {
    expect(() => decodeDynamicReservations("{")).toThrow(/dynamic-reservations is not JSON/);
    expect(() => decodeDynamicReservations('[{"name":"cpus"}]')).toThrow(/not a list of Mesos Resources/);
    expect(() => decodeDynamicReservations('[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]')).toThrow(
      /without a dynamic reservation on top/,
    );
  });

  it("restores parents before refinements", () => {
    const parent = Resources.scalars({ cpus: 1 }, [P]);
    const child = Resources.scalars({ cpus: 0.5 }, [P, { type: "DYNAMIC", role: "role/web" }]);
    const steps = restoreSteps(child.plus(parent));
    expect(steps.map((s) => formatResources(s))).toEqual([formatResources(parent), formatResources(child)]);
  });

  it("carves the persisted reservations out of a node's resources for the agent views", () => {
    const base = parseResources("cpus:2;mem:1024");
    const annotation = encodeDynamicReservations(Resources.scalars({ cpus: 1, mem: 512 }, [P]));
    const agent = withPersistedReservations(base, annotation);
    expect(agent.unreserved().equals(parseResources("cpus:1;mem:512"))).toBe(true);
    expect(agent.reserved("role").flatten().equals(parseResources("cpus:1;mem:512"))).toBe(true);
    // A reservation the node cannot hold any more is left out; an unreadable annotation changes nothing.
    const shrunk = withPersistedReservations(parseResources("cpus:0.5;mem:1024"), annotation);
    expect(shrunk.reserved().flatten().equals(parseResources("mem:512"))).toBe(true);
    expect(withPersistedReservations(base, "nonsense").equals(base)).toBe(true);
  });
});
