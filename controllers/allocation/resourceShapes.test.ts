import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseResources, Resources } from "../allocator/index.ts";
import { OfferSpecSchema } from "../api/index.ts";
import {
  fromCompactResources,
  fromResourceList,
  toApiAttribute,
  toCompactResources,
  toResourceList,
} from "./resourceShapes.ts";

describe("resource shapes", () => {
  it("compact ↔ allocator", () => {
    const r = fromCompactResources({ cpus: 1.5, mem: 256, disk: 0, ports: [{ begin: 31000, end: 31002 }] });
    expect(r.equals(parseResources("cpus:1.5;mem:256;ports:[31000-31002]"))).toBe(true);
    expect(toCompactResources(r)).toEqual({ cpus: 1.5, mem: 256, ports: [{ begin: 31000, end: 31002 }] });
  });

  it("compact sums reservations", () => {
    expect(toCompactResources(parseResources("cpus(web):1;cpus:2;mem(web):100"))).toEqual({
      cpus: 3,
      mem: 100,
    });
  });

  it("offer resource lists keep reservations and carry the allocation role, valid for the Offer schema", () => {
    const r = Resources.scalars({ cpus: 2 }, [
      { type: "DYNAMIC", role: "web", principal: "p", labels: { k: "v" } },
    ]).plus(parseResources("mem:512;ports:[31000-31009];disks:{a,b}"));
    const list = toResourceList(r, "web");
    expect(list.every((x) => x.allocationInfo?.role === "web")).toBe(true);
    expect(list.find((x) => x.name === "cpus")).toEqual({
      name: "cpus",
      type: "SCALAR",
      scalar: 2,
      allocationInfo: { role: "web" },
      reservations: [{ type: "DYNAMIC", role: "web", principal: "p", labels: { k: "v" } }],
    });
    expect(fromResourceList(list).equals(r)).toBe(true);
    const spec = {
      offerId: "o",
      frameworkName: "fw",
      agentId: "a",
      nodeName: "n",
      hostname: "n",
      role: "web",
    };
    expect(OfferSpecSchema.safeParse({ ...spec, resources: list }).success).toBe(true);
  });

  it("attributes lose no value", () => {
    expect(toApiAttribute({ name: "rack", type: "TEXT", text: "r1", scalar: undefined })).toEqual({
      name: "rack",
      type: "TEXT",
      text: "r1",
    });
    expect(toApiAttribute({ name: "p", type: "RANGES", ranges: [{ begin: 1, end: 2 }] })).toEqual({
      name: "p",
      type: "RANGES",
      ranges: [{ begin: 1, end: 2 }],
    });
  });

  it("compact → allocator → compact is the identity on Mesos-precision values", () => {
    const scalar = fc.integer({ min: 1, max: 10_000_000 }).map((m) => m / 1000);
    fc.assert(
      fc.property(
        fc.record(
          { cpus: scalar, mem: scalar, disk: scalar, gpus: fc.integer({ min: 1, max: 8 }) },
          { requiredKeys: [] },
        ),
        (compact) => {
          expect(toCompactResources(fromCompactResources(compact))).toEqual(compact);
        },
      ),
    );
  });
});
