// A per-key work queue with client-go's semantics, driving a reconcile function:
//
// - de-duplication: a key waiting in the queue is queued once however often it is added;
// - a key is never processed twice at once: added while in flight, it is queued again when the
//   current run ends (so the run sees the latest state, and nothing is lost);
// - at most `concurrency` keys in flight;
// - failures retry with per-key exponential backoff, capped overall by a token bucket
//   (client-go's MaxOf(ItemExponentialFailureRateLimiter, BucketRateLimiter)); success forgets
//   the key's failures;
// - delayed re-adds (`addAfter`, or `requeueAfterMs` from the reconcile result); the earliest
//   pending time wins;
// - shutdown either drains (finishes what is queued) or stops (finishes only what is in flight and
//   aborts its signal), within a deadline.
import type { Logger } from "../logging.ts";
import { type BackoffPolicy, backoffDelay } from "./backoff.ts";
import { TokenBucket } from "./tokenBucket.ts";

export interface ProcessContext {
  /** Failures of this key since its last success (0 on a first try). */
  attempt: number;
  /** Aborted when the queue stops without draining (lost leadership): stop writing. */
  signal: AbortSignal;
}

/** What a run asks for next; nothing = done until the key is added again. */
export type ProcessResult = undefined | { requeueAfterMs?: number };

/** Hooks for Prometheus (see metrics.ts); every method optional. */
export interface WorkQueueMetrics {
  depth?(queue: string, depth: number): void;
  add?(queue: string): void;
  retry?(queue: string): void;
  drop?(queue: string): void;
  queueLatency?(queue: string, seconds: number): void;
  workDuration?(queue: string, seconds: number): void;
  result?(queue: string, result: "success" | "requeue" | "error"): void;
}

export interface WorkQueueOptions {
  /** For logs and metric labels. */
  name: string;
  process: (key: string, ctx: ProcessContext) => Promise<ProcessResult>;
  /** Keys processed at once (default 1). */
  concurrency?: number;
  /** Per-key retry delays (default 5 ms doubling to 5 min). */
  backoff?: BackoffPolicy;
  /** Overall retry rate (default 10/s with a burst of 100). */
  retryRate?: { perSecond: number; burst: number };
  /** Give up on a key after this many consecutive failures (default: never). */
  maxRetries?: number;
  log: Logger;
  metrics?: WorkQueueMetrics;
  /** Clock in ms, injectable (defaults to Date.now, which fake timers also drive). */
  now?: () => number;
}

export const DEFAULT_QUEUE_BACKOFF: BackoffPolicy = { initialMs: 5, maxMs: 300_000 };

export class WorkQueue {
  readonly name: string;
  private readonly queue: string[] = [];
  /** Keys that need processing (queued, or re-added while in flight). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly addedAt = new Map<string, number>();
  private readonly bucket: TokenBucket;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private shuttingDown = false;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WorkQueueOptions) {
    this.name = opts.name;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.backoff = opts.backoff ?? DEFAULT_QUEUE_BACKOFF;
    this.now = opts.now ?? Date.now;
    this.bucket = new TokenBucket(opts.retryRate?.perSecond ?? 10, opts.retryRate?.burst ?? 100, this.now);
    this.log = opts.log.child({ component: "workqueue", queue: opts.name });
  }

  /** Keys waiting to be processed (not counting those in flight). */
  get length(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Consecutive failures of `key`. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  add(key: string): void {
    if (this.shuttingDown) return;
    this.opts.metrics?.add?.(this.name);
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, this.now());
    if (this.processing.has(key)) return; // re-queued when the current run ends
    this.queue.push(key);
    this.reportDepth();
    this.pump();
  }

  /** Adds `key` after `ms`; an earlier pending add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Re-adds `key` after its backoff (and the overall retry budget) allow. */
  addRateLimited(key: string): void {
    if (this.shuttingDown) return;
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.opts.metrics?.retry?.(this.name);
    this.addAfter(key, Math.max(backoffDelay(this.backoff, n), this.bucket.reserve()));
  }

  /** Clears the failure count of `key` (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /**
   * Stops taking new keys and resolves when the work is done or `timeoutMs` passed (false then).
   * `drain: true` processes what is already queued; `drain: false` drops it and aborts the signal
   * of the runs in flight (they should return quickly), then waits for them.
   */
  async shutdown(opts: { drain: boolean; timeoutMs?: number }): Promise<boolean> {
    this.shuttingDown = true;
    this.draining = opts.drain;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    if (!opts.drain) {
      this.queue.length = 0;
      this.dirty.clear();
      this.abort.abort();
      this.reportDepth();
    }
    const idle = new Promise<boolean>((resolve) => {
      if (this.isIdle()) return resolve(true);
      this.idleWaiters.push(() => resolve(true));
    });
    if (opts.timeoutMs === undefined) return idle;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), opts.timeoutMs);
    });
    const done = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    if (!done) {
      this.abort.abort();
      this.log.warn(
        { inFlight: [...this.processing], queued: this.queue.length },
        "shutdown deadline passed",
      );
    }
    return done;
  }

  // -------------------------------------------------------------------------------------------

  private isIdle(): boolean {
    return this.processing.size === 0 && (this.queue.length === 0 || !this.draining);
  }

  private reportDepth(): void {
    this.opts.metrics?.depth?.(this.name, this.queue.length);
  }

  private pump(): void {
    if (this.shuttingDown && !this.draining) return;
    while (this.processing.size < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.processing.add(key);
      const added = this.addedAt.get(key);
      this.addedAt.delete(key);
      if (added !== undefined) this.opts.metrics?.queueLatency?.(this.name, (this.now() - added) / 1000);
      this.reportDepth();
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    const started = this.now();
    try {
      const result = await this.opts.process(key, { attempt: this.retries(key), signal: this.abort.signal });
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) {
        this.opts.metrics?.result?.(this.name, "requeue");
        this.addAfter(key, result.requeueAfterMs);
      } else {
        this.opts.metrics?.result?.(this.name, "success");
      }
    } catch (err) {
      this.opts.metrics?.result?.(this.name, "error");
      const failures = this.retries(key) + 1;
      if (this.opts.maxRetries !== undefined && failures > this.opts.maxRetries) {
        this.opts.metrics?.drop?.(this.name);
        this.log.error({ err, key, failures }, "giving up on key after too many failures");
        this.forget(key);
      } else {
        this.log.warn({ err, key, failures }, "processing failed; will retry");
        this.addRateLimited(key);
      }
    } finally {
      this.opts.metrics?.workDuration?.(this.name, (this.now() - started) / 1000);
      this.processing.delete(key);
      if (this.dirty.has(key)) {
        this.queue.push(key);
        this.reportDepth();
      }
      this.pump();
      if (this.shuttingDown && this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
