// Allocator benchmark scenarios, after Mesos's own (src/tests/hierarchical_allocator_tests.cpp,
// semantics.md §5.1). Each builds a cluster in memory and times `allocate()` only, with a paused
// clock as Mesos does: set-up and recovering offers between rounds are not timed.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Allocator } from "../controllers/allocator/allocator.ts";
import type { Offer } from "../controllers/allocator/offers.ts";
import { parseResources } from "../controllers/allocator/resourceText.ts";

export type ScenarioName = "full cycle" | "decline offers" | "suppress";

export interface BenchResult {
  scenario: ScenarioName;
  agents: number;
  frameworks: number;
  cycleMsMedian: number;
  cycleMsP95: number;
  /** Offers made per cycle (median over the timed cycles). */
  offers: number;
  heapMB: number;
}

// Mesos's benchmark agent: cpus:24;mem:4096;disk:4096;ports:[31000-32000]. One immutable value,
// shared by every agent.
const AGENT_RESOURCES = parseResources("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
const INTERVAL_MS = 1000;

// A collector to call before reading the heap, so heapMB is the live state of this allocator and
// not garbage left by the previous scenario (`tsx` gives no way to pass --expose-gc).
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
const A_YEAR_S = 365 * 24 * 3600;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

function build(agents: number, frameworks: number, seed: number): Allocator {
  const a = new Allocator({ seed, allocationIntervalMs: INTERVAL_MS });
  // All frameworks in one role, as in the Mesos allocation-cycle benchmark.
  for (let f = 0; f < frameworks; f++) a.addFramework({ id: `framework-${f}`, roles: ["*"] });
  for (let i = 0; i < agents; i++)
    a.upsertAgent({
      id: `agent-${i}`,
      hostname: `host-${i}`,
      nodeName: `node-${i}`,
      resources: AGENT_RESOURCES,
    });
  return a;
}

function recoverAll(a: Allocator, offers: readonly Offer[], now: number, refuseSeconds: number): void {
  for (const o of offers) a.decline(o.frameworkId, [o.id], { refuseSeconds }, now);
}

interface Options {
  agents: number;
  frameworks: number;
  rounds: number;
  seed?: number;
}

function summarize(scenario: ScenarioName, o: Options, times: number[], offers: number[]): BenchResult {
  collect();
  const sorted = [...times].sort((x, y) => x - y);
  return {
    scenario,
    agents: o.agents,
    frameworks: o.frameworks,
    cycleMsMedian: round(quantile(sorted, 0.5)),
    cycleMsP95: round(quantile(sorted, 0.95)),
    offers: median(offers),
    heapMB: round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

function timed<T>(f: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const out = f();
  return [out, Number(process.hrtime.bigint() - start) / 1e6];
}

/** Time `rounds` cycles (after `warmUp` untimed ones), recovering every offer with `refuseSeconds` after each. */
function run(
  a: Allocator,
  o: Options,
  scenario: ScenarioName,
  refuseSeconds: number,
  warmUp: number,
): BenchResult {
  const times: number[] = [];
  const offers: number[] = [];
  let now = 0;
  for (let r = -warmUp; r < o.rounds; r++) {
    const [result, ms] = timed(() => a.allocate(now));
    if (r >= 0) {
      times.push(ms);
      offers.push(result.offers.length);
    }
    recoverAll(a, result.offers, now, refuseSeconds);
    now += INTERVAL_MS;
  }
  return summarize(scenario, o, times, offers);
}

/**
 * Full cycle: every agent free, every framework active; allocate, then recover every offer without
 * a filter and advance one interval (Mesos PersistentVolumes / allocation-cycle benchmark). One
 * untimed warm-up round first.
 */
export function fullCycle(o: Options): BenchResult {
  return run(build(o.agents, o.frameworks, o.seed ?? 1), o, "full cycle", 0, 1);
}

/**
 * Decline offers: every offer is declined with a year-long filter, so each round the allocator
 * must skip the frameworks that refused an agent before it finds one that has not (Mesos
 * DeclineOffers; it runs 2 × frameworks rounds, we run `rounds`, all timed).
 */
export function declineOffers(o: Options): BenchResult {
  return run(build(o.agents, o.frameworks, o.seed ?? 1), o, "decline offers", A_YEAR_S, 0);
}

/**
 * Suppress: 99 % of the frameworks (all but max(1, 1 %)) have suppressed offers; the rest take
 * every agent each round (Mesos ExtremeSuppressOffers).
 */
export function suppress(o: Options): BenchResult {
  const a = build(o.agents, o.frameworks, o.seed ?? 1);
  const active = Math.max(1, Math.floor(o.frameworks / 100));
  for (let f = active; f < o.frameworks; f++) a.suppressOffers(`framework-${f}`);
  return run(a, o, "suppress", 0, 1);
}

export const SCENARIOS: Readonly<Record<ScenarioName, (o: Options) => BenchResult>> = {
  "full cycle": fullCycle,
  "decline offers": declineOffers,
  suppress,
};
