import { describe, expect, it } from "vitest";
import { Random } from "./random.ts";
import { RandomSorter } from "./randomSorter.ts";

const ctx = { totals: [1000], excluded: [], version: 1 };

function sorter(seed: number, clients: string[], weights: Record<string, number> = {}): RandomSorter<string> {
  const s = new RandomSorter<string>(ctx, new Random(seed));
  for (const c of clients) {
    s.add(c, c);
    s.activate(c);
  }
  for (const [p, w] of Object.entries(weights)) s.updateWeight(p, w);
  return s;
}

describe("RandomSorter", () => {
  it("visits every active client once per walk", () => {
    const s = sorter(7, ["a", "b", "c", "d/e", "d/f"]);
    s.deactivate("b");
    for (let i = 0; i < 20; i++) expect(s.sort().sort()).toEqual(["a", "c", "d/e", "d/f"]);
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const walks = (seed: number) => {
      const s = sorter(seed, ["a", "b", "c", "d", "e", "f"]);
      return Array.from({ length: 10 }, () => s.sort().join(","));
    };
    expect(walks(1)).toEqual(walks(1));
    expect(walks(1)).not.toEqual(walks(2));
  });

  it("puts each of n equal clients first about 1/n of the time", () => {
    const s = sorter(3, ["a", "b", "c", "d"]);
    const first: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const f = s.sort()[0]!;
      first[f] = (first[f] ?? 0) + 1;
    }
    for (const c of ["a", "b", "c", "d"]) expect(first[c]! / 4000).toBeCloseTo(0.25, 1);
  });

  it("puts a client first in proportion to its relative weight", () => {
    // Weights 1:3 at the top; a/x and a/y split a's quarter.
    const s = sorter(5, ["a/x", "a/y", "b"], { b: 3 });
    const first: Record<string, number> = {};
    for (let i = 0; i < 8000; i++) {
      const f = s.sort()[0]!;
      first[f] = (first[f] ?? 0) + 1;
    }
    expect(first.b! / 8000).toBeCloseTo(0.75, 1);
    expect(first["a/x"]! / 8000).toBeCloseTo(0.125, 1);
  });
});
