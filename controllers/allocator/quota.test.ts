import { describe, expect, it } from "vitest";
import { QuotaCycle, shrink, toQuota } from "./quota.ts";
import { formatResources, parseResources } from "./resourceText.ts";

const r = parseResources;
const amounts = (rec: Record<string, number>) => new Map(Object.entries(rec).map(([k, v]) => [k, v * 1000]));

describe("shrink (Mesos shrinkResources)", () => {
  it.each([
    ["cpus:4;mem:1024", { cpus: 1 }, "zero", "cpus:1"],
    ["cpus:4;mem:1024", { cpus: 1 }, "unlimited", "cpus:1;mem:1024"],
    ["cpus:4;mem:1024", { cpus: 0, mem: 2048 }, "unlimited", "mem:1024"],
    ["cpus:0.5", { cpus: 1 }, "zero", "cpus:0.5"],
  ] as const)("%s to %j (absent = %s) → %s", (res, target, absent, out) => {
    expect(formatResources(shrink(r(res), amounts(target), absent))).toBe(out);
  });
});

describe("QuotaCycle", () => {
  const cycle = (config: Parameters<typeof toQuota>[0], consumed: Record<string, number>, free: string[]) =>
    QuotaCycle.prepare(
      new Map([["q", toQuota(config)]]),
      () => amounts(consumed),
      () => true,
      () => free.map((f) => r(f)),
    )!;

  it("stage 1 offers the unmet guarantee plus non-guaranteed resources, the role's reservations and ports", () => {
    const c = cycle({ guarantees: { cpus: 1 } }, {}, ["cpus:4;mem:1024"]);
    expect(c.stage1).toBe(true);
    const unsatisfied = c.unsatisfied("q")!;
    const offer = c.guaranteeOffer(
      r("cpus:4;mem:1024;cpus(q):1;cpus(other):1;ports:[1-2]"),
      "q",
      unsatisfied,
    )!;
    // Beyond the guarantee (1 cpu) the surplus headroom (4 − 1 cpus) allows the other 3 cpus.
    expect(formatResources(offer.toOffer)).toBe("cpus:4;cpus(q):1;mem:1024;ports:[1-2]");
    c.commit("q", offer, unsatisfied);
    expect(c.unsatisfied("q")).toBeUndefined();
  });

  it("stage 1 bursts beyond the guarantee only up to the surplus headroom", () => {
    const c = cycle({ guarantees: { cpus: 1 } }, {}, ["cpus:2;mem:1024"]);
    const offer = c.guaranteeOffer(r("cpus:4;mem:1024"), "q", c.unsatisfied("q")!)!;
    expect(formatResources(offer.toOffer)).toBe("cpus:2;mem:1024");
  });

  it("stage 1 skips an agent that adds nothing to the guarantee", () => {
    const c = cycle({ guarantees: { gpus: 1 } }, {}, ["cpus:4"]);
    expect(c.guaranteeOffer(r("cpus:4;mem:10"), "q", c.unsatisfied("q")!)).toBeUndefined();
  });

  it("stage 2 cuts unreserved scalars to the limit left, and leaves others alone", () => {
    const c = cycle({ limits: { cpus: 3 } }, { cpus: 2 }, ["cpus:4;mem:1024"]);
    expect(c.stage1).toBe(false);
    expect(formatResources(c.limitOffer(r("cpus:4;mem:1024;cpus(q):1"), "q")!.toOffer)).toBe(
      "cpus:1;cpus(q):1;mem:1024",
    );
    expect(c.limitOffer(r("cpus:4"), "other")).toBeUndefined();
  });

  it("stage 2 holds back headroom for unmet guarantees from every role", () => {
    const c = cycle({ guarantees: { cpus: 3 } }, {}, ["cpus:4;mem:100"]);
    expect(formatResources(c.limitOffer(r("cpus:4;mem:100"), "other")!.toOffer)).toBe("cpus:1;mem:100");
  });
});
