import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMilli, toMilli } from "./fixedPoint.ts";
import { Resources } from "./resources.ts";
import { formatResources, parseResources } from "./resourceText.ts";

const r = (text: string) => parseResources(text);

describe("fixed point", () => {
  it.each([
    [0.1, 100],
    [0.0005, 1],
    [0.0004, 0],
    [2, 2000],
    [1024, 1024000],
    [-0.0005, -1],
  ])("toMilli(%d) = %d", (v, m) => {
    expect(toMilli(v)).toBe(m);
  });

  it("sums 0.1 ten times to exactly 1 (floating point would not)", () => {
    let acc = Resources.EMPTY;
    for (let i = 0; i < 10; i++) acc = acc.plus(Resources.scalars({ cpus: 0.1 }));
    expect(acc.scalar("cpus")).toBe(1);
    expect(fromMilli(toMilli(0.1) * 3)).toBe(0.3);
  });
});

describe("Resources algebra", () => {
  it("adds scalars, ranges and sets, merging equal keys", () => {
    const sum = r("cpus:1;mem:512;ports:[31000-31005];disks:{a}").plus(
      r("cpus:1.5;ports:[31006-31010];disks:{b}"),
    );
    expect(formatResources(sum)).toBe("cpus:2.5;mem:512;ports:[31000-31010];disks:{a,b}");
  });

  it("sums many parts at once as it adds them one by one, sets and reservations included", () => {
    const parts = [
      r("cpus:1;ports:[1-3];disks:{a}"),
      r("cpus(r):2;disks:{c}"),
      r("cpus:0.5;ports:[4-6];disks:{b,a}"),
      r("cpus(r):1;ports:[10-12]"),
    ];
    expect(formatResources(Resources.sum(parts))).toBe(
      formatResources(parts.reduce((acc, p) => acc.plus(p), Resources.EMPTY)),
    );
    expect(formatResources(Resources.sum(parts))).toBe("cpus:1.5;cpus(r):3;ports:[1-6,10-12];disks:{a,b,c}");
  });

  it("keeps reserved and unreserved resources apart", () => {
    const res = r("cpus:4;mem:2048;cpus(ads):8;mem(ads):4096");
    expect(res.scalar("cpus")).toBe(12);
    expect(formatResources(res.unreserved())).toBe("cpus:4;mem:2048");
    expect(formatResources(res.reserved("ads"))).toBe("cpus(ads):8;mem(ads):4096");
    expect(res.reserved("other").isEmpty).toBe(true);
  });

  it("subtracts without going below zero and drops emptied entries", () => {
    const left = r("cpus:2;mem:1024;ports:[31000-32000]").minus(
      r("cpus:2;mem:2048;ports:[31000-31499,31600-32000]"),
    );
    expect(formatResources(left)).toBe("ports:[31500-31599]");
    // Reserved cpus are not unreserved cpus: nothing is taken from the other pool.
    expect(formatResources(r("cpus:2").minus(r("cpus(web):2")))).toBe("cpus:2");
  });

  it("contains checks per reservation, range and set", () => {
    const agent = r("cpus:2;mem:1024;ports:[31000-32000];cpus(web):1");
    expect(agent.contains(r("cpus:2;ports:[31000-31010,31500-31600]"))).toBe(true);
    expect(agent.contains(r("cpus:3"))).toBe(false);
    expect(agent.contains(r("cpus(web):1"))).toBe(true);
    expect(agent.contains(r("cpus(db):1"))).toBe(false);
    expect(agent.contains(r("ports:[30999-31000]"))).toBe(false);
    expect(r("s:{a,b,c}").contains(r("s:{a,c}"))).toBe(true);
    expect(r("s:{a,b}").contains(r("s:{a,z}"))).toBe(false);
  });

  it("allocatableTo gives unreserved plus the role's and its ancestors' reservations", () => {
    const res = r("cpus:1;cpus(eng):2;cpus(eng/web):4;cpus(ops):8");
    expect(res.allocatableTo("eng/web").scalar("cpus")).toBe(7);
    expect(res.allocatableTo("eng").scalar("cpus")).toBe(3);
    expect(res.allocatableTo("engineering").scalar("cpus")).toBe(1);
    expect(res.allocatableTo("*").scalar("cpus")).toBe(1);
  });

  it("counts range and set elements as quantities", () => {
    const res = r("ports:[1-5,10-14];disks:{a,b,c}");
    expect(res.amount("ports")).toBe(10_000);
    expect(res.amount("disks")).toBe(3_000);
  });

  it("pushes and pops reservations (dynamic, refined)", () => {
    const dyn = r("cpus:1").pushReservation({ type: "DYNAMIC", role: "eng", principal: "p" });
    const refined = dyn.pushReservation({ type: "DYNAMIC", role: "eng/web" });
    expect(refined.allocatableTo("eng/web").scalar("cpus")).toBe(1);
    expect(refined.allocatableTo("eng").isEmpty).toBe(true);
    expect(refined.withoutRefinedReservations().isEmpty).toBe(true);
    expect(refined.popReservation().equals(dyn)).toBe(true);
    expect(dyn.popReservation().equals(r("cpus:1"))).toBe(true);
  });

  it("round-trips through protobuf-shaped JSON", () => {
    const res = r("cpus:2.5;mem:1024;ports:[31000-32000];cpus(ads):8;disks:{a,b}");
    const json = res.toJSON({ allocationRole: "ads" });
    expect(json[0]).toEqual({ name: "cpus", type: "SCALAR", scalar: 2.5, allocationInfo: { role: "ads" } });
    expect(Resources.fromJSON(json).equals(res)).toBe(true);
  });
});

// Arbitrary small resource bags over a few names, reservations and port ranges.
const bag = fc
  .record({
    cpus: fc.integer({ min: 0, max: 4000 }),
    mem: fc.integer({ min: 0, max: 4000 }),
    resCpus: fc.integer({ min: 0, max: 2000 }),
    ports: fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 20 })), {
      maxLength: 4,
    }),
  })
  .map(({ cpus, mem, resCpus, ports }) =>
    Resources.scalars({ cpus: cpus / 1000, mem })
      .plus(Resources.scalars({ cpus: resCpus / 1000 }, [{ type: "STATIC", role: "r" }]))
      .plus(
        Resources.ranges(
          "ports",
          ports.map(([b, len]) => ({ begin: b, end: b + len })),
        ),
      ),
  );

describe("Resources laws (property)", () => {
  it("a + b contains a and b; (a + b) - b = a", () => {
    fc.assert(
      fc.property(bag, bag, (a, b) => {
        const sum = a.plus(b);
        expect(sum.contains(a) && sum.contains(b)).toBe(true);
        // Ranges may overlap, so only scalars are exactly recoverable.
        expect(sum.minus(b).scalarsOnly().equals(a.scalarsOnly())).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("a - b is contained in a and contains a only when b shares nothing with a", () => {
    fc.assert(
      fc.property(bag, bag, (a, b) => {
        const d = a.minus(b);
        expect(a.contains(d)).toBe(true);
        expect(d.plus(b).contains(a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("sum of many bags = adding them one by one", () => {
    fc.assert(
      fc.property(fc.array(bag, { maxLength: 12 }), (bags) => {
        const oneByOne = bags.reduce((acc, b) => acc.plus(b), Resources.EMPTY);
        expect(Resources.sum(bags).equals(oneByOne)).toBe(true);
        expect(formatResources(Resources.sum(bags))).toBe(formatResources(oneByOne));
      }),
      { numRuns: 300 },
    );
  });

  it("text form round-trips", () => {
    fc.assert(
      fc.property(bag, (a) => {
        expect(parseResources(formatResources(a)).equals(a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
