// `npm run bench:allocator [-- --quick]`: the allocator benchmark grid (agents × frameworks ×
// scenarios), printed as a table and written to bench/results/allocator.json. Not a test: numbers
// depend on the machine; see bench/README.md for measured results beside Mesos's.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchResult, SCENARIOS, type ScenarioName } from "./allocator.bench.ts";

const quick = process.argv.includes("--quick");
const AGENTS = quick ? [1000] : [1000, 5000, 10000, 20000];
const FRAMEWORKS = quick ? [1, 100] : [1, 100, 500, 1000];
const ROUNDS = quick ? 3 : 20;
const names = Object.keys(SCENARIOS) as ScenarioName[];

// Mesos allocation-cycle times (one role, no filters; semantics.md §5.2, read off the 1.7 blog chart).
const MESOS: Readonly<Record<string, { v16: string; v18: string }>> = {
  "1000x100": { v16: "~200", v18: "~50" },
  "5000x500": { v16: "~1900", v18: "~400" },
  "10000x1000": { v16: "~6300", v18: "~1100" },
};

const results: BenchResult[] = [];
const header = [
  "scenario",
  "agents",
  "frameworks",
  "median ms",
  "p95 ms",
  "offers",
  "heap MB",
  "Mesos 1.6 / 1.8 ms",
];
console.log(header.join("\t"));
for (const scenario of names)
  for (const agents of AGENTS)
    for (const frameworks of FRAMEWORKS) {
      const r = SCENARIOS[scenario]({ agents, frameworks, rounds: ROUNDS });
      results.push(r);
      const mesos = scenario === "full cycle" ? MESOS[`${agents}x${frameworks}`] : undefined;
      console.log(
        [
          r.scenario,
          r.agents,
          r.frameworks,
          r.cycleMsMedian.toFixed(1),
          r.cycleMsP95.toFixed(1),
          r.offers,
          r.heapMB.toFixed(0),
          mesos === undefined ? "" : `${mesos.v16} / ${mesos.v18}`,
        ].join("\t"),
      );
    }

const out = join(
  dirname(fileURLToPath(import.meta.url)),
  "results",
  quick ? "allocator-quick.json" : "allocator.json",
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
