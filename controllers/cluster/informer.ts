// A list-watch cache of one resource (client-go's Reflector + Indexer + shared informer, reduced
// to what the operator needs), hardened against the failure modes listed in ts-ecosystem.md §1.6:
//
// - resourceVersion tracking: every event, bookmark and list moves the resume point, so a
//   reconnect neither replays nor misses events;
// - bookmarks are requested (client-node's informer never asks for them), which keeps the resume
//   point fresh on quiet resources and doubles as a heartbeat for the watchdog;
// - 410 Gone (on open or as an ERROR event) → full relist, diffed against the cache so objects
//   deleted while we were away produce delete events (client-go's DeletedFinalStateUnknown);
// - any other watch or list error → reconnect with exponential backoff and jitter (#1933: the
//   client must own its reconnect loop), never "emit error and stop" as client-node's ListWatch;
// - an inactivity watchdog: a watch that delivers nothing (not even a bookmark) for
//   `stallTimeoutMs` is dropped and reopened (#364, #596, #958: silently stalled watches);
// - server-side `timeoutSeconds` with jitter, so every watch is renewed regularly;
// - optional periodic relist (missed deletes) and resync (re-deliver every object as an update);
// - a generation counter so callbacks of a stopped or replaced watch are ignored (PR #3052);
// - handlers never throw into the watch: each call is guarded and counted (#1598: the Watch
//   class swallows callback exceptions and loses the event's resourceVersion).
//
// Handlers should only enqueue keys; reconcilers read the store (level-triggered), because
// after a relist or reconnect the same object may be delivered again.
import { z } from "zod";
import type { Logger } from "../logging.ts";
import { Backoff, type BackoffPolicy } from "./backoff.ts";
import { isGone, KubeError, kubeErrorFromStatus, StatusSchema } from "./kubeErrors.ts";
import type { ListWatchSource, RawWatchEvent } from "./listWatchSource.ts";
import { type IndexFunc, keyOf, type ObjectWithMeta, type ReadonlyStore, Store } from "./store.ts";

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  /** `oldObj` and `newObj` are the same object on a resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  /**
   * `finalStateUnknown`: the delete was inferred from a relist (the watch missed it), so `obj` is
   * the last state we saw, not the state at deletion.
   */
  onDelete?(obj: T, info: { finalStateUnknown: boolean }): void;
}

export type RelistReason = "initial" | "gone" | "periodic" | "error";
export type WatchRestartReason = "closed" | "error" | "stalled";

/** Hooks for Prometheus (see metrics.ts); every method optional so tests can pass `{}`. */
export interface InformerMetrics {
  relist?(resource: string, reason: RelistReason): void;
  watchRestart?(resource: string, reason: WatchRestartReason): void;
  event?(resource: string, type: RawWatchEvent["type"]): void;
  decodeError?(resource: string): void;
  handlerError?(resource: string): void;
  synced?(resource: string, synced: boolean): void;
}

export interface InformerOptions<T> {
  /** Resource name for logs and metrics ("pods", "tasks"). */
  name: string;
  source: ListWatchSource;
  /** Validates a raw object (zod) into T; throws when it is not one. */
  decode: (raw: unknown) => T;
  indexers?: Readonly<Record<string, IndexFunc<T>>>;
  /** LIST page size. */
  pageSize?: number;
  /** Server-side watch timeout, drawn uniformly from [min, max] seconds for each watch. */
  watchTimeoutSeconds?: { min: number; max: number };
  /** Reopen a watch that has delivered nothing, not even a bookmark, for this long. */
  stallTimeoutMs?: number;
  /** Full relist every this many ms (0 = never). */
  relistIntervalMs?: number;
  /** Re-deliver every cached object as an update every this many ms (0 = never). */
  resyncIntervalMs?: number;
  /** Reconnect backoff after watch or list errors. */
  backoff?: BackoffPolicy;
  log: Logger;
  metrics?: InformerMetrics;
  /** [0, 1) source for jitter; injectable for deterministic tests. */
  random?: () => number;
}

export const DEFAULT_INFORMER_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, jitter: 1 };
/**
 * The API server sends a bookmark to an idle watch about once a minute (measured on 1.36: at 60 s
 * and 120 s), so three minutes of silence means the stream is dead.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 180_000;
/** client-go's reflector draws its watch timeout from [5, 10) minutes. */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = { min: 300, max: 600 } as const;
/** A watch that ends sooner than this without a single event counts as a failure (no tight loop). */
const MIN_HEALTHY_WATCH_MS = 1_000;

const MetaOnlySchema = z.looseObject({
  metadata: z
    .looseObject({
      name: z.string().optional(),
      namespace: z.string().optional(),
      resourceVersion: z.string().optional(),
    })
    .optional(),
});

type WatchOutcome =
  | { kind: "closed"; healthy: boolean }
  | { kind: "error"; err: KubeError }
  | { kind: "gone" }
  | { kind: "stalled" }
  | { kind: "relistDue" }
  | { kind: "stopped" };

class Stopped extends Error {}

/** The type-independent side of an informer: lifecycle and health. */
export interface InformerControl {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
  hasSynced(): boolean;
  waitForSync(signal?: AbortSignal): Promise<void>;
  lastActivityAt(): number;
}

export class Informer<T extends ObjectWithMeta> implements InformerControl {
  readonly name: string;
  private readonly store: Store<T>;
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private resourceVersion = "";
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  /** Bumped on every start/stop: callbacks from an older generation are ignored. */
  private generation = 0;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private lastListAt = 0;
  private lastActivity = 0;

  constructor(private readonly opts: InformerOptions<T>) {
    this.name = opts.name;
    this.store = new Store<T>(opts.indexers);
    this.log = opts.log.child({ component: "informer", resource: opts.name });
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_INFORMER_BACKOFF, this.random);
  }

  /** The cache. Read-only for everyone but the informer. */
  get cache(): ReadonlyStore<T> {
    return this.store;
  }

  /** Adds a custom index (e.g. tasks by framework); cached objects are indexed at once. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  /** True once the first complete list is in the cache (stays true across relists). */
  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion a reconnect would resume from ("" before the first list). */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** When the informer last heard from the API server (ms since epoch; 0 = never). */
  lastActivityAt(): number {
    return this.lastActivity;
  }

  /** Resolves once synced; rejects when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new Error(`informer ${this.name}: stopped waiting for sync`));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  /**
   * Registers handlers; when already synced, `onAdd` is called at once for every cached object
   * (as client-go does for late handlers), so a controller started later sees everything.
   * Returns a function that removes them.
   */
  addHandlers(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced && handlers.onAdd) {
      for (const obj of this.store.list()) this.call(() => handlers.onAdd?.(obj));
    }
    return () => {
      this.handlers.delete(handlers);
    };
  }

  start(): void {
    if (this.loop) return;
    const gen = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(gen, abort.signal).catch((err: unknown) => {
      // run() handles its own errors; reaching here is a bug, so say so loudly.
      this.log.error({ err }, "informer loop crashed");
    });
    if ((this.opts.resyncIntervalMs ?? 0) > 0) {
      this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncIntervalMs);
      this.resyncTimer.unref();
    }
  }

  /** Stops watching; the cache keeps its content. Resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.generation++;
    this.abort?.abort();
    clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    const loop = this.loop;
    this.loop = undefined;
    await loop;
  }

  // -------------------------------------------------------------------------------------------

  private async run(gen: number, signal: AbortSignal): Promise<void> {
    let relist: RelistReason | undefined = "initial";
    while (gen === this.generation) {
      try {
        if (relist) {
          await this.list(gen, relist, signal);
          relist = undefined;
        }
        const outcome = await this.watchOnce(gen, signal);
        switch (outcome.kind) {
          case "stopped":
            return;
          case "gone":
            this.log.info(
              { resourceVersion: this.resourceVersion },
              "watch resourceVersion expired (410); relisting",
            );
            relist = "gone";
            break;
          case "relistDue":
            relist = "periodic";
            break;
          case "stalled":
            this.opts.metrics?.watchRestart?.(this.name, "stalled");
            this.log.warn({ stallTimeoutMs: this.stallTimeoutMs }, "watch silent for too long; reopening");
            break;
          case "closed":
            this.opts.metrics?.watchRestart?.(this.name, "closed");
            if (outcome.healthy) {
              this.log.debug("watch closed by the server; resuming");
            } else {
              await this.sleep(this.backoff.next(), signal);
            }
            break;
          case "error": {
            this.opts.metrics?.watchRestart?.(this.name, "error");
            const delay = this.backoff.next();
            this.log.warn({ err: outcome.err, retryInMs: delay }, "watch failed; reconnecting");
            await this.sleep(delay, signal);
            break;
          }
        }
      } catch (err) {
        if (err instanceof Stopped || gen !== this.generation) return;
        // A failed list: keep the cache as it is (stale beats empty) and try again later.
        const delay = this.backoff.next();
        this.log.warn({ err, retryInMs: delay }, "list failed; retrying");
        relist = "error";
        try {
          await this.sleep(delay, signal);
        } catch {
          return;
        }
      }
    }
  }

  private get stallTimeoutMs(): number {
    return this.opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new Stopped());
      const t = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(new Stopped());
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Rejects with Stopped as soon as `signal` aborts, whatever `p` does. */
  private abortable<R>(p: Promise<R>, signal: AbortSignal): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (signal.aborted) return reject(new Stopped());
      const onAbort = () => reject(new Stopped());
      signal.addEventListener("abort", onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }

  /** Full paged LIST, then the cache is made equal to it (adds, updates, inferred deletes). */
  private async list(gen: number, reason: RelistReason, signal: AbortSignal): Promise<void> {
    this.opts.metrics?.relist?.(this.name, reason);
    const items: unknown[] = [];
    let resourceVersion = "";
    let continueToken: string | undefined;
    for (;;) {
      let page: Awaited<ReturnType<ListWatchSource["list"]>>;
      try {
        page = await this.abortable(this.opts.source.list(this.opts.pageSize ?? 500, continueToken), signal);
      } catch (err) {
        // An expired continue token (410) only means the snapshot is gone: start over at once.
        if (continueToken && isGone(err)) {
          items.length = 0;
          continueToken = undefined;
          continue;
        }
        throw err;
      }
      if (gen !== this.generation) throw new Stopped();
      items.push(...page.items);
      resourceVersion = page.resourceVersion || resourceVersion;
      continueToken = page.continueToken;
      if (!continueToken) break;
    }

    this.lastActivity = Date.now();
    this.backoff.reset();
    const seen = new Set<string>();
    for (const raw of items) {
      const key = rawKey(raw);
      if (!key) {
        this.decodeFailed(raw, new Error("object without metadata.name"));
        continue;
      }
      seen.add(key);
      const obj = this.tryDecode(raw);
      if (obj === undefined) continue; // keep what we had (if anything) rather than invent a delete
      this.upsert(key, obj);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.remove(key);
      if (old) this.notify((h) => h.onDelete?.(old, { finalStateUnknown: true }));
    }
    this.resourceVersion = resourceVersion;
    this.lastListAt = Date.now();
    this.log.debug({ reason, count: items.length, resourceVersion }, "listed");
    if (!this.synced) {
      this.synced = true;
      this.opts.metrics?.synced?.(this.name, true);
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  private watchOnce(gen: number, signal: AbortSignal): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let finished = false;
      let watchdog: NodeJS.Timeout | undefined;
      let relistTimer: NodeJS.Timeout | undefined;
      const openedAt = Date.now();
      let sawEvent = false;
      const finish = (o: WatchOutcome) => {
        if (finished) return;
        finished = true;
        clearTimeout(watchdog);
        clearTimeout(relistTimer);
        signal.removeEventListener("abort", onAbort);
        handle?.stop();
        resolve(o);
      };
      const onAbort = () => finish({ kind: "stopped" });
      if (signal.aborted) return finish({ kind: "stopped" });
      signal.addEventListener("abort", onAbort, { once: true });
      const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish({ kind: "stalled" }), this.stallTimeoutMs);
      };
      armWatchdog();
      const relistEvery = this.opts.relistIntervalMs ?? 0;
      if (relistEvery > 0) {
        const due = Math.max(0, this.lastListAt + relistEvery - Date.now());
        relistTimer = setTimeout(() => finish({ kind: "relistDue" }), due);
      }
      const t = this.opts.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
      let handle: { stop(): void } | undefined;
      handle = this.opts.source.watch(
        {
          resourceVersion: this.resourceVersion,
          timeoutSeconds: Math.round(t.min + this.random() * (t.max - t.min)),
        },
        (event) => {
          if (finished || gen !== this.generation) return;
          armWatchdog();
          sawEvent = true;
          this.lastActivity = Date.now();
          this.backoff.reset();
          const problem = this.applyEvent(event);
          if (problem) finish(problem);
        },
        (err) => {
          if (finished || gen !== this.generation) return;
          if (err === undefined) {
            finish({ kind: "closed", healthy: sawEvent || Date.now() - openedAt >= MIN_HEALTHY_WATCH_MS });
          } else if (isGone(err)) {
            finish({ kind: "gone" });
          } else {
            finish({ kind: "error", err });
          }
        },
      );
      // The source may have failed synchronously and called onClose before `handle` was set.
      if (finished) handle.stop();
    });
  }

  /** Applies one watch event to the cache; returns why the watch must end, if it must. */
  private applyEvent(event: RawWatchEvent): WatchOutcome | undefined {
    this.opts.metrics?.event?.(this.name, event.type);
    if (event.type === "ERROR") {
      const status = StatusSchema.safeParse(event.object);
      const err = status.success
        ? kubeErrorFromStatus(status.data, `watch ${this.name}`)
        : new KubeError(500, "InternalError", `watch ${this.name}: malformed ERROR event`);
      return isGone(err) ? { kind: "gone" } : { kind: "error", err };
    }
    const meta = MetaOnlySchema.safeParse(event.object);
    const rv = meta.success ? meta.data.metadata?.resourceVersion : undefined;
    if (event.type !== "BOOKMARK") {
      const key = rawKey(event.object);
      if (!key) {
        this.decodeFailed(event.object, new Error("object without metadata.name"));
      } else if (event.type === "DELETED") {
        const old = this.store.remove(key);
        // Prefer the deleted object as the server sent it (its final state); fall back to ours.
        const last = this.tryDecode(event.object) ?? old;
        if (old && last) this.notify((h) => h.onDelete?.(last, { finalStateUnknown: false }));
      } else {
        const obj = this.tryDecode(event.object);
        if (obj !== undefined) this.upsert(key, obj);
      }
    }
    // Advance even past objects we could not decode: resuming before them would replay them forever.
    if (rv) this.resourceVersion = rv;
    return undefined;
  }

  private upsert(key: string, obj: T): void {
    const old = this.store.upsert(key, obj);
    if (!old) {
      this.notify((h) => h.onAdd?.(obj));
    } else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
      this.notify((h) => h.onUpdate?.(old, obj));
    }
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.store.list()) this.notify((h) => h.onUpdate?.(obj, obj));
  }

  private tryDecode(raw: unknown): T | undefined {
    try {
      return this.opts.decode(raw);
    } catch (err) {
      this.decodeFailed(raw, err);
      return undefined;
    }
  }

  private decodeFailed(raw: unknown, err: unknown): void {
    this.opts.metrics?.decodeError?.(this.name);
    this.log.warn({ err, key: rawKey(raw) }, "object does not match its schema; not cached");
  }

  private notify(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.metrics?.handlerError?.(this.name);
      this.log.error({ err }, "informer handler threw; event handling continues");
    }
  }
}

function rawKey(raw: unknown): string | undefined {
  const meta = MetaOnlySchema.safeParse(raw);
  return meta.success && meta.data.metadata ? keyOf(meta.data) : undefined;
}
