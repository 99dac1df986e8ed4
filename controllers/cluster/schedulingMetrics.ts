// What the operator does as a Mesos master, counted once in Prometheus and read back under the
// Mesos names for /metrics/snapshot and GET_METRICS (semantics.md §3.4–3.5): allocation cycles,
// offers by outcome and framework, task status updates by state, source and reason, tasks by
// current state, and Mesos API requests by call and status code.
//
// Like a Mesos master's, the counters live in the leader's memory and start from zero when a
// replica starts leading; the task-state gauge is read from the informer cache, so it is right on
// every replica.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { TASK_STATES } from "../api/index.ts";

/** How an offer ended (or began: sent). Mesos's per-framework `offers/rescinded` adds `expired`. */
export type OfferOutcome = "sent" | "accepted" | "declined" | "rescinded" | "expired";

/** Hooks the allocation loop calls (see allocationLoop.ts). */
export interface AllocationLoopMetrics {
  cycle(kind: "batch" | "event", durationMs: number): void;
  offers(outcome: OfferOutcome, frameworkId: string, count: number): void;
  /** The framework is gone: its offer counters go too (as Mesos drops a removed framework's metrics). */
  forgetFramework(frameworkId: string): void;
}

const OFFER_OUTCOMES: readonly OfferOutcome[] = ["sent", "accepted", "declined", "rescinded", "expired"];

/** Which API a request went to: the scheduler API, the operator API, or a read-only endpoint. */
export type ApiKind = "scheduler" | "operator" | "endpoint";

const TERMINAL = new Set([
  "TASK_FINISHED",
  "TASK_FAILED",
  "TASK_KILLED",
  "TASK_LOST",
  "TASK_ERROR",
  "TASK_DROPPED",
  "TASK_GONE",
  "TASK_GONE_BY_OPERATOR",
]);

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class SchedulingMetrics implements AllocationLoopMetrics {
  private readonly allocationRuns: Histogram<"kind">;
  private readonly offerOutcomes: Counter<"outcome" | "framework_id">;
  private readonly taskUpdates: Counter<"state" | "source" | "reason">;
  private readonly apiRequests: Counter<"api" | "call" | "code">;
  private readonly apiLatency: Histogram<"api" | "call">;
  private lastAllocationMs = 0;
  private taskStates: () => Iterable<string | undefined> = () => [];

  constructor(registry: Registry) {
    this.allocationRuns = new Histogram({
      name: "mesos_operator_allocation_run_duration_seconds",
      help: "Duration of one allocation cycle (kind: batch = every agent, event = pending agents only).",
      labelNames: ["kind"],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    });
    this.offerOutcomes = new Counter({
      name: "mesos_operator_offers_total",
      help: "Offers by outcome (sent, accepted, declined, rescinded, expired = offer timeout) and framework; a framework's series go when it is removed.",
      labelNames: ["outcome", "framework_id"],
      registers: [registry],
    });
    this.taskUpdates = new Counter({
      name: "mesos_operator_task_status_updates_total",
      help: "Task state changes recorded, by new state, Mesos source and reason (empty when none).",
      labelNames: ["state", "source", "reason"],
      registers: [registry],
    });
    const states = () => this.taskStates();
    new Gauge({
      name: "mesos_operator_tasks",
      help: "Tasks by current Mesos state (PENDING: not launched yet).",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const counts = new Map<string, number>(["TASK_PENDING", ...TASK_STATES].map((s) => [s, 0]));
        for (const s of states()) {
          const key = s ?? "TASK_PENDING";
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    this.apiRequests = new Counter({
      name: "mesos_operator_api_requests_total",
      help: "Mesos HTTP API requests by API (scheduler, operator, endpoint), call type (or endpoint) and HTTP status.",
      labelNames: ["api", "call", "code"],
      registers: [registry],
    });
    this.apiLatency = new Histogram({
      name: "mesos_operator_api_request_duration_seconds",
      help: "Time from a Mesos API request to its response head (for SUBSCRIBE: until the stream opened).",
      labelNames: ["api", "call"],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    });
  }

  /** Where the current tasks' states come from (the informer cache); set once the cache exists. */
  observeTasks(states: () => Iterable<string | undefined>): void {
    this.taskStates = states;
  }

  cycle(kind: "batch" | "event", durationMs: number): void {
    this.lastAllocationMs = durationMs;
    this.allocationRuns.observe({ kind }, durationMs / 1000);
  }

  offers(outcome: OfferOutcome, frameworkId: string, count: number): void {
    if (count > 0) this.offerOutcomes.inc({ outcome, framework_id: frameworkId }, count);
  }

  forgetFramework(frameworkId: string): void {
    // Else every framework that ever subscribed stays a label set of the Prometheus counter.
    for (const outcome of OFFER_OUTCOMES) this.offerOutcomes.remove({ outcome, framework_id: frameworkId });
  }

  taskUpdate(state: string, source: string | undefined, reason: string | undefined): void {
    this.taskUpdates.inc({ state, source: source ?? "", reason: reason ?? "" });
  }

  apiRequest(api: ApiKind, call: string, code: number, seconds: number): void {
    this.apiRequests.inc({ api, call, code: String(code) });
    this.apiLatency.observe({ api, call }, seconds);
  }

  /**
   * The Mesos names of these counters (semantics.md §3.5), with per-framework offer counters for
   * `frameworks` (registered ones; Mesos drops a removed framework's metrics), zero until counted.
   */
  async mesosSnapshot(frameworks: readonly { id: string; name: string }[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const runs = await this.allocationRuns.get();
    const count = runs.values
      .filter((v) => v.metricName === "mesos_operator_allocation_run_duration_seconds_count")
      .reduce((n, v) => n + v.value, 0);
    out["allocator/mesos/allocation_runs"] = count;
    out["allocator/mesos/allocation_run_ms"] = this.lastAllocationMs;
    out["allocator/mesos/allocation_run_ms/count"] = count;

    const prefixById = new Map(
      frameworks.map((f) => [f.id, `master/frameworks/${encodeURIComponent(f.name)}/${f.id}/offers`]),
    );
    for (const prefix of prefixById.values())
      for (const outcome of ["sent", "accepted", "declined", "rescinded"]) out[`${prefix}/${outcome}`] = 0;
    for (const v of (await this.offerOutcomes.get()).values) {
      const prefix = prefixById.get(String(v.labels.framework_id ?? ""));
      if (prefix === undefined) continue;
      // Mesos counts an offer taken back by --offer_timeout as rescinded (S-50).
      const outcome = v.labels.outcome === "expired" ? "rescinded" : String(v.labels.outcome);
      out[`${prefix}/${outcome}`] = (out[`${prefix}/${outcome}`] ?? 0) + v.value;
    }

    for (const v of (await this.taskUpdates.get()).values) {
      const state = String(v.labels.state ?? "");
      if (!TERMINAL.has(state) || !v.labels.source || !v.labels.reason) continue;
      const key = `master/${state.toLowerCase()}/${String(v.labels.source).toLowerCase()}/${String(v.labels.reason).toLowerCase()}`;
      out[key] = (out[key] ?? 0) + v.value;
    }
    return out;
  }
}
