// When the allocator runs (semantics.md §4.1): a batch run over all agents every interval (1 s by
// default), and a prompt run when an event asks for one (framework added or revived, agent added
// or grown). Events that arrive while a run is queued only widen it, so a burst of any size costs
// one cycle. The timer functions are injected: the allocator itself never reads a clock.
import type { Allocator, CycleResult } from "./allocator.ts";

export interface TimerFunctions<H = unknown> {
  now(): number;
  setTimeout(run: () => void, ms: number): H;
  clearTimeout(handle: H): void;
}

export interface SchedulerOptions {
  /** Batch interval (--allocation_interval). Default 1000 ms. */
  intervalMs?: number | undefined;
  /** Delay before an event-driven run, letting a burst of events gather. Default 0. */
  eventDelayMs?: number | undefined;
}

export class AllocationScheduler<H = unknown> {
  private readonly intervalMs: number;
  private readonly eventDelayMs: number;
  private batchTimer: H | undefined;
  private eventTimer: H | undefined;
  private running = false;
  /** Cycles run so far (batch and event-driven). */
  cycles = 0;

  constructor(
    private readonly allocator: Allocator,
    private readonly timers: TimerFunctions<H>,
    /** Called after every cycle with how long the allocator took (ms, wall clock). */
    private readonly onCycle: (result: CycleResult, kind: "batch" | "event", durationMs: number) => void,
    options: SchedulerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.eventDelayMs = options.eventDelayMs ?? 0;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.batchTimer = this.timers.setTimeout(() => this.batch(), this.intervalMs);
    this.notify();
  }

  stop(): void {
    this.running = false;
    if (this.batchTimer !== undefined) this.timers.clearTimeout(this.batchTimer);
    if (this.eventTimer !== undefined) this.timers.clearTimeout(this.eventTimer);
    this.batchTimer = undefined;
    this.eventTimer = undefined;
  }

  /** Call after changing the allocator: queues one event-driven run if an event asked for it. */
  notify(): void {
    if (!this.running || this.eventTimer !== undefined || !this.allocator.hasPendingAllocation()) return;
    this.eventTimer = this.timers.setTimeout(() => this.event(), this.eventDelayMs);
  }

  private event(): void {
    this.eventTimer = undefined;
    if (!this.running) return;
    this.cycles++;
    const started = performance.now();
    const result = this.allocator.allocate(this.timers.now(), "pending");
    this.onCycle(result, "event", performance.now() - started);
  }

  private batch(): void {
    if (!this.running) return;
    this.batchTimer = this.timers.setTimeout(() => this.batch(), this.intervalMs);
    // The batch run covers every agent, so a queued event-driven run has nothing left to do.
    if (this.eventTimer !== undefined) {
      this.timers.clearTimeout(this.eventTimer);
      this.eventTimer = undefined;
    }
    this.cycles++;
    const started = performance.now();
    const result = this.allocator.allocate(this.timers.now(), "all");
    this.onCycle(result, "batch", performance.now() - started);
  }
}
