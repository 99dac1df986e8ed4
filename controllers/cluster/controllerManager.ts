// Starts the controllers (and other leader-only work, such as the allocation loop) when this
// replica becomes leader, and stops them when it stops leading. Starting waits until every cache
// has synced, so a reconciler never mistakes a cache that is still filling for an empty cluster
// (it would, say, see a Task without its Pod and create the Pod again).
import type { Logger } from "../logging.ts";
import { type Controller, ControllerRunner } from "./controller.ts";
import type { WorkQueueMetrics } from "./workQueue.ts";

/** Leader-only work that is not a key-driven controller (e.g. the periodic allocator). */
export interface LeaderRunnable {
  name: string;
  /** Called once leading and synced. */
  start(): void | Promise<void>;
  /** Called when leadership ends or on shutdown; must stop all writes before resolving. */
  stop(): Promise<void>;
}

export interface ControllerManagerOptions {
  log: Logger;
  metrics?: WorkQueueMetrics;
  defaultConcurrency: number;
  /** Resolves when every informer has synced; rejects when `signal` aborts. */
  waitForCaches: (signal: AbortSignal) => Promise<void>;
}

export class ControllerManager {
  private readonly runners = new Map<string, ControllerRunner>();
  private readonly runnables: LeaderRunnable[] = [];
  private leading: AbortController | undefined;
  private starting: Promise<void> | undefined;
  private started = false;
  private readonly log: Logger;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.log = opts.log.child({ component: "controller-manager" });
  }

  addController(controller: Controller): void {
    if (this.runners.has(controller.name)) throw new Error(`duplicate controller name ${controller.name}`);
    this.runners.set(
      controller.name,
      new ControllerRunner(controller, {
        log: this.opts.log,
        metrics: this.opts.metrics,
        defaultConcurrency: this.opts.defaultConcurrency,
      }),
    );
  }

  addRunnable(runnable: LeaderRunnable): void {
    this.runnables.push(runnable);
  }

  /** True while controllers run (leading and synced). */
  get running(): boolean {
    return this.started;
  }

  /** Enqueues `key` on controller `name` (no-op while not leading). */
  enqueue(name: string, key: string, afterMs = 0): void {
    this.runners.get(name)?.enqueue(key, afterMs);
  }

  /** Leadership gained: wait for the caches, then start everything. */
  startLeading(): Promise<void> {
    if (!this.starting) {
      const abort = new AbortController();
      this.leading = abort;
      this.starting = this.start(abort.signal);
    }
    return this.starting;
  }

  private async start(signal: AbortSignal): Promise<void> {
    try {
      await this.opts.waitForCaches(signal);
    } catch {
      return; // leadership ended while waiting
    }
    if (signal.aborted) return;
    for (const r of this.runners.values()) r.start();
    this.started = true;
    for (const r of this.runnables) {
      try {
        await r.start();
      } catch (err) {
        this.log.error({ err, runnable: r.name }, "leader runnable failed to start");
      }
    }
    this.log.info(
      { controllers: [...this.runners.keys()], runnables: this.runnables.map((r) => r.name) },
      "leading",
    );
  }

  /** Leadership lost or shutting down: stop everything within `timeoutMs`. */
  async stopLeading(timeoutMs: number): Promise<void> {
    this.leading?.abort();
    this.leading = undefined;
    // A start still in progress finishes first (it stops early once aborted), so nothing it
    // starts is left running.
    await this.starting;
    this.starting = undefined;
    const wasStarted = this.started;
    this.started = false;
    if (!wasStarted) return;
    const results = await Promise.allSettled([
      ...[...this.runners.values()].map((r) => r.stop(timeoutMs)),
      ...this.runnables.map((r) => r.stop()),
    ]);
    for (const r of results)
      if (r.status === "rejected") this.log.error({ err: r.reason }, "stopping failed");
    this.log.info("stopped leading");
  }
}
