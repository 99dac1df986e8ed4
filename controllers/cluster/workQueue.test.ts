import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../logging.ts";
import { type ProcessContext, type ProcessResult, WorkQueue, type WorkQueueOptions } from "./workQueue.ts";

/** A reconcile function whose runs the test finishes by hand. */
class Runs {
  started: {
    key: string;
    ctx: ProcessContext;
    finish: (r?: ProcessResult) => void;
    fail: (e: Error) => void;
  }[] = [];
  process = (key: string, ctx: ProcessContext): Promise<ProcessResult> =>
    new Promise<ProcessResult>((resolve, reject) => {
      this.started.push({ key, ctx, finish: resolve, fail: reject });
    });
  keys(): string[] {
    return this.started.map((s) => s.key);
  }
  /** The n-th run of `key` (0-based). */
  run(key: string, n = 0) {
    const r = this.started.filter((s) => s.key === key)[n];
    if (!r) throw new Error(`no run ${n} of ${key}`);
    return r;
  }
}

function queue(runs: Runs, opts: Partial<WorkQueueOptions> = {}) {
  const metrics: Record<string, number> = {};
  const bump = (k: string) => {
    metrics[k] = (metrics[k] ?? 0) + 1;
  };
  let depth = 0;
  const q = new WorkQueue({
    name: "test",
    process: runs.process,
    log: silentLogger(),
    backoff: { initialMs: 100, maxMs: 1000 },
    retryRate: { perSecond: 1000, burst: 1000 },
    metrics: {
      add: () => bump("add"),
      retry: () => bump("retry"),
      drop: () => bump("drop"),
      depth: (_q, d) => {
        depth = d;
      },
      result: (_q, r) => bump(r),
    },
    ...opts,
  });
  return { q, metrics, depth: () => depth };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("WorkQueue", () => {
  it("queues a key once however often it is added, and respects the concurrency limit", async () => {
    const runs = new Runs();
    const { q, depth } = queue(runs, { concurrency: 2 });
    for (const k of ["a", "b", "a", "c", "b", "d"]) q.add(k);
    await flush();
    expect(runs.keys()).toEqual(["a", "b"]);
    expect(q.length).toBe(2);
    expect(depth()).toBe(2);
    runs.run("a").finish();
    await flush();
    expect(runs.keys()).toEqual(["a", "b", "c"]);
  });

  it("never runs a key twice at once; a key added while in flight runs again afterwards", async () => {
    const runs = new Runs();
    const { q } = queue(runs, { concurrency: 4 });
    q.add("a");
    await flush();
    q.add("a");
    q.add("a");
    await flush();
    expect(runs.keys()).toEqual(["a"]);
    runs.run("a").finish();
    await flush();
    expect(runs.keys()).toEqual(["a", "a"]);
    runs.run("a", 1).finish();
    await flush();
    expect(runs.keys()).toEqual(["a", "a"]);
  });

  it("retries failures with per-key exponential backoff and forgets them after a success", async () => {
    const runs = new Runs();
    const { q, metrics } = queue(runs);
    q.add("a");
    await flush();
    runs.run("a", 0).fail(new Error("conflict"));
    await flush();
    expect(q.retries("a")).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(runs.keys()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.keys()).toHaveLength(2);
    expect(runs.run("a", 1).ctx.attempt).toBe(1);
    runs.run("a", 1).fail(new Error("again"));
    await vi.advanceTimersByTimeAsync(199);
    expect(runs.keys()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.run("a", 2).ctx.attempt).toBe(2);
    runs.run("a", 2).finish();
    await flush();
    expect(q.retries("a")).toBe(0);
    expect(metrics.retry).toBe(2);
    expect(metrics.success).toBe(1);
  });

  it("caps the per-key backoff", async () => {
    const runs = new Runs();
    const { q } = queue(runs);
    q.add("a");
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      runs.run("a", i).fail(new Error("x"));
    }
    // 100, 200, 400, 800, 1000, 1000: the sixth retry comes 1000 ms after the sixth failure.
    await vi.advanceTimersByTimeAsync(999);
    expect(runs.keys()).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.keys()).toHaveLength(7);
  });

  it("limits the overall retry rate with a token bucket", async () => {
    const runs = new Runs();
    const { q } = queue(runs, {
      concurrency: 10,
      backoff: { initialMs: 1, maxMs: 1 },
      retryRate: { perSecond: 1, burst: 2 },
    });
    for (const k of ["a", "b", "c", "d"]) q.add(k);
    await flush();
    for (const k of ["a", "b", "c", "d"]) runs.run(k).fail(new Error("x"));
    await vi.advanceTimersByTimeAsync(1);
    // Two retries fit the burst; the others wait for refills, one per second.
    expect(runs.keys()).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs.keys()).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs.keys()).toHaveLength(8);
  });

  it("gives up after maxRetries and counts the drop", async () => {
    const runs = new Runs();
    const { q, metrics } = queue(runs, { maxRetries: 1 });
    q.add("a");
    await flush();
    runs.run("a", 0).fail(new Error("x"));
    await vi.advanceTimersByTimeAsync(100);
    runs.run("a", 1).fail(new Error("x"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.keys()).toHaveLength(2);
    expect(metrics.drop).toBe(1);
    expect(q.retries("a")).toBe(0);
  });

  it("re-adds after a delay; the earliest pending delay wins; requeueAfterMs works the same", async () => {
    const runs = new Runs();
    const { q, metrics } = queue(runs);
    q.addAfter("a", 500);
    q.addAfter("a", 1000);
    q.addAfter("a", 300);
    await vi.advanceTimersByTimeAsync(299);
    expect(runs.keys()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.keys()).toEqual(["a"]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs.keys()).toEqual(["a"]);
    runs.run("a").finish({ requeueAfterMs: 50 });
    await vi.advanceTimersByTimeAsync(50);
    expect(runs.keys()).toEqual(["a", "a"]);
    expect(metrics.requeue).toBe(1);
  });

  it("drains on shutdown: ignores new keys and delayed re-adds, finishes what was queued", async () => {
    const runs = new Runs();
    const { q } = queue(runs);
    q.add("a");
    q.add("b");
    q.addAfter("c", 10);
    await flush();
    let drained: boolean | undefined;
    void q.shutdown({ drain: true }).then((d) => {
      drained = d;
    });
    q.add("d");
    runs.run("a").finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs.keys()).toEqual(["a", "b"]);
    expect(drained).toBeUndefined();
    runs.run("b").fail(new Error("not retried while shutting down"));
    await flush();
    expect(drained).toBe(true);
    expect(runs.keys()).toEqual(["a", "b"]);
  });

  it("stops without draining: drops the queue, aborts in-flight runs and waits for them, within a deadline", async () => {
    const runs = new Runs();
    const { q } = queue(runs);
    q.add("a");
    q.add("b");
    await flush();
    const signal = runs.run("a").ctx.signal;
    const done = q.shutdown({ drain: false, timeoutMs: 1000 });
    expect(signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await done).toBe(false);
    expect(runs.keys()).toEqual(["a"]);
  });

  it("a shutdown with nothing in flight resolves at once", async () => {
    const runs = new Runs();
    const { q } = queue(runs);
    expect(await q.shutdown({ drain: true })).toBe(true);
  });
});
