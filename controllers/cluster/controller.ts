// How a reconciler plugs into the runtime: a Controller names the informers it watches (and how
// their objects map to its keys) and a reconcile function; a ControllerRunner connects the two
// through a WorkQueue while the replica leads.
//
// Reconcile is level-triggered: it receives a key, not an event, reads the current state from the
// informer caches, and makes the world match. It runs again for any later change of the key,
// after a failure (with backoff), or when it asks (`requeueAfterMs`). It must be idempotent.
import type { Logger } from "../logging.ts";
import type { Informer } from "./informer.ts";
import { keyOf, type ObjectWithMeta } from "./store.ts";
import { type ProcessResult, WorkQueue, type WorkQueueMetrics } from "./workQueue.ts";

export interface ReconcileContext {
  /** Aborted when this replica stops leading or shuts down: finish quickly, start no new writes. */
  signal: AbortSignal;
  /** Consecutive failures of this key before this run (0 = first try). */
  attempt: number;
  /** A logger carrying the controller name and the key. */
  log: Logger;
}

/** Nothing = done until the key changes again; `requeueAfterMs` = run again after that long. */
export type ReconcileResult = ProcessResult | undefined;

/** An informer watched by a controller, with the keys of its objects (see `watch`). */
export interface Watched {
  readonly resource: string;
  hasSynced(): boolean;
  /** Calls `enqueue` for every key affected by an add, update or delete; returns an unsubscribe. */
  subscribe(enqueue: (key: string) => void): () => void;
}

export interface Controller {
  /** Names the queue in logs and metrics ("task", "framework"). */
  name: string;
  /** What triggers a reconcile: usually the primary resource (own keys) and owned resources. */
  watches: readonly Watched[];
  reconcile(key: string, ctx: ReconcileContext): Promise<ReconcileResult>;
  /** Keys reconciled at once (default: the configured reconcileWorkers). */
  concurrency?: number;
  /** Give up on a key after this many consecutive failures (default: never). */
  maxRetries?: number;
}

/**
 * Watch `informer`; `keys` maps an object to the controller keys it affects (default: its own
 * `namespace/name`). For owned objects map to the owner, e.g. a pod to its Task's key. On an
 * update, keys of both the old and the new object are enqueued (an owner that changed hears of it).
 */
export function watch<T extends ObjectWithMeta>(
  informer: Informer<T>,
  keys: (obj: T) => readonly (string | undefined)[] = (o) => [keyOf(o)],
): Watched {
  return {
    resource: informer.name,
    hasSynced: () => informer.hasSynced(),
    subscribe(enqueue) {
      const add = (o: T) => {
        for (const k of keys(o)) if (k) enqueue(k);
      };
      return informer.addHandlers({
        onAdd: add,
        onUpdate: (oldObj, newObj) => {
          add(newObj);
          if (oldObj !== newObj) add(oldObj);
        },
        onDelete: add,
      });
    },
  };
}

/**
 * Wraps a reconcile so that errors `isStale` recognises (a write that lost a race with another
 * write, before the informer caught up) are retried after `afterMs` instead of with backoff: the
 * informer brings the news and the next try usually succeeds.
 */
export function requeueSoonWhen(
  isStale: (err: unknown) => boolean,
  reconcile: (key: string) => Promise<ReconcileResult>,
  afterMs = 100,
): (key: string) => Promise<ReconcileResult> {
  return async (key) => {
    try {
      return await reconcile(key);
    } catch (err) {
      if (isStale(err)) return { requeueAfterMs: afterMs };
      throw err;
    }
  };
}

export interface ControllerRunnerOptions {
  log: Logger;
  metrics?: WorkQueueMetrics;
  /** Used when the controller does not set its own. */
  defaultConcurrency: number;
}

/** Runs one controller: a fresh queue per leadership term, fed by its watches. */
export class ControllerRunner {
  private queue: WorkQueue | undefined;
  private unsubscribe: (() => void)[] = [];
  private readonly log: Logger;

  constructor(
    readonly controller: Controller,
    private readonly opts: ControllerRunnerOptions,
  ) {
    this.log = opts.log.child({ controller: controller.name });
  }

  get running(): boolean {
    return this.queue !== undefined;
  }

  /** Queue depth, for tests and diagnostics. */
  get depth(): number {
    return this.queue?.length ?? 0;
  }

  /** Starts the queue and subscribes; every cached object is enqueued once (a full pass). */
  start(): void {
    if (this.queue) return;
    const c = this.controller;
    const queue = new WorkQueue({
      name: c.name,
      concurrency: c.concurrency ?? this.opts.defaultConcurrency,
      maxRetries: c.maxRetries,
      log: this.log,
      metrics: this.opts.metrics,
      process: (key, p) =>
        c.reconcile(key, { signal: p.signal, attempt: p.attempt, log: this.log.child({ key }) }),
    });
    this.queue = queue;
    this.unsubscribe = c.watches.map((w) => w.subscribe((key) => queue.add(key)));
    this.log.info("controller started");
  }

  /** Enqueues a key now or after `afterMs` (for reconcilers that trigger one another). */
  enqueue(key: string, afterMs = 0): void {
    this.queue?.addAfter(key, afterMs);
  }

  /**
   * Stops: unsubscribes, drops queued keys, aborts in-flight reconciles and waits for them up to
   * `timeoutMs`. Returns false when some did not finish in time.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    const queue = this.queue;
    if (!queue) return true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.queue = undefined;
    const done = await queue.shutdown({ drain: false, timeoutMs });
    this.log.info({ clean: done }, "controller stopped");
    return done;
  }
}
