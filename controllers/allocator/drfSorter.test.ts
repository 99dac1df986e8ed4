import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DrfSorter } from "./drfSorter.ts";
import type { ShareContext } from "./sorter.ts";

// Scalar index 0 = cpus, 1 = mem, in thousandths.
const ctx = (cpus: number, mem: number): ShareContext & { version: number; totals: number[] } => ({
  totals: [cpus * 1000, mem * 1000],
  excluded: [],
  version: 1,
});
const q = (cpus: number, mem: number) => [cpus * 1000, mem * 1000];

function sorterWith(c: ShareContext, paths: string[]): DrfSorter<string> {
  const s = new DrfSorter<string>(c);
  for (const p of paths) {
    s.add(p, p);
    s.activate(p);
  }
  return s;
}

describe("DrfSorter", () => {
  it("orders by dominant share", () => {
    const s = sorterWith(ctx(10, 100), ["a", "b", "c"]);
    s.allocated("a", q(5, 10)); // share 0.5 (cpus)
    s.allocated("b", q(1, 40)); // share 0.4 (mem)
    expect(s.sort()).toEqual(["c", "b", "a"]);
    expect(s.share("a")).toBeCloseTo(0.5);
    expect(s.share("b")).toBeCloseTo(0.4);
  });

  it("breaks equal shares by allocation count, then by name (SameShareFairness: 5/5 over 10 runs)", () => {
    const s = sorterWith(ctx(2, 1024), ["f2", "f1"]);
    expect(s.sort()).toEqual(["f1", "f2"]);
    const got: Record<string, number> = { f1: 0, f2: 0 };
    for (let run = 0; run < 10; run++) {
      const first = s.sort()[0]!;
      got[first]!++;
      // Offer the whole agent, then recover it (declined without a filter): the count remains.
      s.allocated(first, q(2, 1024));
      s.unallocated(first, q(2, 1024));
    }
    expect(got).toEqual({ f1: 5, f2: 5 });
  });

  it("divides shares by weight", () => {
    const s = sorterWith(ctx(12, 12), ["r1", "r2"]);
    s.updateWeight("r2", 2);
    s.allocated("r1", q(2, 0));
    s.allocated("r2", q(3, 0));
    // r1: 2/12 = 0.167; r2: 3/12/2 = 0.125
    expect(s.sort()).toEqual(["r2", "r1"]);
  });

  it("compares subtrees level by level (NestedRoleDRF: a/b holds 2 cpus, so d/e goes before a/c)", () => {
    const s = sorterWith(ctx(4, 2048), ["a/b", "a/c", "d/e"]);
    s.allocated("a/b", q(2, 1024));
    expect(s.sort()).toEqual(["d/e", "a/c", "a/b"]);
    expect(s.share("a")).toBeCloseTo(0.5);
  });

  it("keeps a role that is both a client and a parent as a virtual leaf", () => {
    const s = sorterWith(ctx(10, 10), ["a", "a/b"]);
    s.allocated("a", q(1, 0));
    expect(s.sort()).toEqual(["a/b", "a"]);
    expect(s.allocation("a")).toEqual(q(1, 0));
    s.remove("a/b");
    expect(s.sort()).toEqual(["a"]);
    expect(s.contains("a")).toBe(true);
  });

  it("leaves inactive clients out of the walk and remembers their allocation", () => {
    const s = sorterWith(ctx(10, 10), ["a", "b"]);
    s.allocated("a", q(1, 1));
    s.deactivate("a");
    expect(s.sort()).toEqual(["b"]);
    expect(s.activeCount).toBe(1);
    s.activate("a");
    expect(s.sort()).toEqual(["b", "a"]);
  });

  it("re-sorts when cluster totals change", () => {
    const c = ctx(10, 100);
    const s = sorterWith(c, ["cpu-heavy", "mem-heavy"]);
    s.allocated("cpu-heavy", q(5, 0)); // 0.5
    s.allocated("mem-heavy", q(0, 40)); // 0.4
    expect(s.sort()).toEqual(["mem-heavy", "cpu-heavy"]);
    c.totals = [100_000, 100_000];
    c.version++;
    // cpu-heavy 0.05, mem-heavy 0.4
    expect(s.sort()).toEqual(["cpu-heavy", "mem-heavy"]);
  });

  it("ignores resources excluded from fair sharing", () => {
    const s = new DrfSorter<string>({ totals: [10_000, 10_000], excluded: [false, true], version: 1 });
    for (const p of ["gpu-user", "cpu-user"]) {
      s.add(p, p);
      s.activate(p);
    }
    s.allocated("gpu-user", [0, 9000]);
    s.allocated("cpu-user", [1000, 0]);
    expect(s.sort()).toEqual(["gpu-user", "cpu-user"]);
  });

  it("stops walking when the visitor says so", () => {
    const s = sorterWith(ctx(1, 1), ["a", "b", "c"]);
    const seen: string[] = [];
    s.forEachActive((p) => {
      seen.push(p);
      return p === "b";
    });
    expect(seen).toEqual(["a", "b"]);
  });
});

// A from-scratch model: at every level, sort siblings by (share, count, path).
interface Model {
  alloc: Map<string, number[]>;
  count: Map<string, number>;
  active: Set<string>;
  weights: Map<string, number>;
}

function naiveOrder(m: Model, totals: number[], clients: string[]): string[] {
  const subtreeAlloc = (prefix: string): number[] => {
    const out = [0, 0];
    for (const c of clients)
      if (c === prefix || c.startsWith(`${prefix}/`)) {
        const a = m.alloc.get(c) ?? [0, 0];
        out[0]! += a[0]!;
        out[1]! += a[1]!;
      }
    return out;
  };
  const share = (path: string, alloc: number[]) =>
    Math.max(alloc[0]! / totals[0]!, alloc[1]! / totals[1]!) / (m.weights.get(path) ?? 1);
  const walk = (prefix: string): string[] => {
    const names = new Set<string>();
    for (const c of clients) {
      if (!m.active.has(c)) continue;
      if (prefix === "") names.add(c.split("/")[0]!);
      else if (c.startsWith(`${prefix}/`)) names.add(c.slice(prefix.length + 1).split("/")[0]!);
      else if (c === prefix) names.add(".");
    }
    const nodes = [...names].map((n) => {
      const path = n === "." ? `${prefix}/.` : prefix === "" ? n : `${prefix}/${n}`;
      const clientPath = n === "." ? prefix : path;
      const isClientLeaf =
        n === "." || (clients.includes(path) && !clients.some((c) => c.startsWith(`${path}/`)));
      const alloc = n === "." ? (m.alloc.get(prefix) ?? [0, 0]) : subtreeAlloc(path);
      const count = n === "." ? (m.count.get(`${prefix}/.`) ?? 0) : (m.count.get(path) ?? 0);
      return { path, clientPath, isClientLeaf, share: share(path, alloc), count };
    });
    nodes.sort((a, b) => a.share - b.share || a.count - b.count || (a.path < b.path ? -1 : 1));
    return nodes.flatMap((n) => (n.isClientLeaf ? [n.clientPath] : walk(n.clientPath)));
  };
  return walk("");
}

describe("DrfSorter against a from-scratch model (property)", () => {
  const CLIENTS = ["a", "b", "c/x", "c/y", "d/e/f", "d/g"];
  const op = fc.oneof(
    fc.record({
      kind: fc.constant("alloc" as const),
      c: fc.constantFrom(...CLIENTS),
      cpu: fc.nat(3),
      mem: fc.nat(3),
    }),
    fc.record({ kind: fc.constant("free" as const), c: fc.constantFrom(...CLIENTS) }),
    fc.record({ kind: fc.constant("toggle" as const), c: fc.constantFrom(...CLIENTS) }),
    fc.record({
      kind: fc.constant("weight" as const),
      p: fc.constantFrom("a", "c", "d", "d/e"),
      w: fc.integer({ min: 1, max: 4 }),
    }),
  );

  it("walks clients in the same order as a full re-sort after any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const c = ctx(20, 20);
        const s = sorterWith(c, CLIENTS);
        const m: Model = { alloc: new Map(), count: new Map(), active: new Set(CLIENTS), weights: new Map() };
        const bumpCount = (client: string) => {
          const parts = client.split("/");
          for (let i = 1; i <= parts.length; i++) {
            const p = parts.slice(0, i).join("/");
            m.count.set(p, (m.count.get(p) ?? 0) + 1);
          }
        };
        for (const o of ops) {
          if (o.kind === "alloc") {
            s.allocated(o.c, q(o.cpu, o.mem));
            const a = m.alloc.get(o.c) ?? [0, 0];
            m.alloc.set(o.c, [a[0]! + o.cpu * 1000, a[1]! + o.mem * 1000]);
            bumpCount(o.c);
          } else if (o.kind === "free") {
            const a = m.alloc.get(o.c) ?? [0, 0];
            s.unallocated(o.c, a);
            m.alloc.set(o.c, [0, 0]);
          } else if (o.kind === "toggle") {
            if (m.active.has(o.c)) {
              s.deactivate(o.c);
              m.active.delete(o.c);
            } else {
              s.activate(o.c);
              m.active.add(o.c);
            }
          } else {
            s.updateWeight(o.p, o.w);
            m.weights.set(o.p, o.w);
          }
          expect(s.sort()).toEqual(naiveOrder(m, c.totals, CLIENTS));
        }
      }),
      { numRuns: 150 },
    );
  });
});
