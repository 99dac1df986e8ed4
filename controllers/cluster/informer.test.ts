import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../logging.ts";
import { Informer } from "./informer.ts";
import { KubeError } from "./kubeErrors.ts";
import type { ListPage, ListWatchSource, RawWatchEvent, WatchRequest } from "./listWatchSource.ts";
import { countingInformerMetrics } from "./testing.ts";

// A scripted ListWatchSource: the test decides what each LIST returns and drives each watch.
interface Obj {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  spec?: { node?: string };
}

class FakeWatch {
  stopped = false;
  constructor(
    readonly request: WatchRequest,
    private readonly onEvent: (e: RawWatchEvent) => void,
    private readonly onClose: (err: KubeError | undefined) => void,
  ) {}
  emit(type: RawWatchEvent["type"], object: unknown): void {
    if (!this.stopped) this.onEvent({ type, object });
  }
  close(err?: KubeError): void {
    if (!this.stopped) this.onClose(err);
  }
}

class FakeSource implements ListWatchSource {
  description = "fake";
  /** Each LIST call takes the next entry; a function can answer by page. */
  lists: (ListPage[] | KubeError)[] = [];
  listCalls: (string | undefined)[] = [];
  watches: FakeWatch[] = [];
  private pages: ListPage[] = [];

  async list(_limit: number, continueToken: string | undefined): Promise<ListPage> {
    this.listCalls.push(continueToken);
    if (!continueToken) {
      const next = this.lists.shift();
      if (!next) throw new KubeError(500, "InternalError", "no list scripted");
      if (next instanceof KubeError) throw next;
      this.pages = [...next];
    }
    const page = this.pages.shift();
    if (!page) throw new KubeError(410, "Expired", "continue token expired");
    return page;
  }

  watch(
    request: WatchRequest,
    onEvent: (e: RawWatchEvent) => void,
    onClose: (err: KubeError | undefined) => void,
  ): { stop(): void } {
    const w = new FakeWatch(request, onEvent, onClose);
    this.watches.push(w);
    return {
      stop() {
        w.stopped = true;
      },
    };
  }

  get current(): FakeWatch {
    const w = this.watches.at(-1);
    if (!w) throw new Error("no watch opened");
    return w;
  }
}

const obj = (name: string, rv: string, node?: string, namespace = "ns"): Obj => ({
  metadata: { name, namespace, resourceVersion: rv },
  ...(node ? { spec: { node } } : {}),
});
const page = (rv: string, items: Obj[], continueToken?: string): ListPage => ({
  items,
  resourceVersion: rv,
  continueToken,
});

function decode(raw: unknown): Obj {
  const o = raw as Obj;
  if (!o?.metadata?.name || (o as { bad?: boolean }).bad) throw new Error("invalid");
  return o;
}

function setup(opts: { relistIntervalMs?: number; resyncIntervalMs?: number } = {}) {
  const source = new FakeSource();
  const { counts, metrics } = countingInformerMetrics();
  const informer = new Informer<Obj>({
    name: "things",
    source,
    decode,
    indexers: { node: (o) => (o.spec?.node ? [o.spec.node] : []) },
    log: silentLogger(),
    metrics,
    backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 },
    stallTimeoutMs: 60_000,
    watchTimeoutSeconds: { min: 300, max: 300 },
    random: () => 0,
    ...opts,
  });
  const seen: string[] = [];
  informer.addHandlers({
    onAdd: (o) => seen.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (a, b) =>
      seen.push(`update ${a.metadata.name}@${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o, i) => seen.push(`delete ${o.metadata.name}${i.finalStateUnknown ? " (unknown)" : ""}`),
  });
  return { source, informer, seen, counts };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

/** Starts and returns once the first list is applied and the watch is open. */
async function startSynced(informer: Informer<Obj>): Promise<void> {
  informer.start();
  await informer.waitForSync();
  await flush();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Informer", () => {
  it("lists all pages, fills the cache and its indexes, syncs, then watches from the list's version", async () => {
    const { source, informer, seen } = setup();
    source.lists.push([
      page("10", [obj("a", "5", "n1")], "c1"),
      page("10", [obj("b", "6", "n1"), obj("c", "7", "n2", "other")]),
    ]);
    await startSynced(informer);
    expect(informer.hasSynced()).toBe(true);
    expect(source.listCalls).toEqual([undefined, "c1"]);
    expect(seen).toEqual(["add a@5", "add b@6", "add c@7"]);
    expect(informer.cache.get("ns/a")?.metadata.resourceVersion).toBe("5");
    expect(informer.cache.getByName("other", "c")).toBeDefined();
    expect(
      informer.cache
        .listByNamespace("ns")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(
      informer.cache
        .byIndex("node", "n1")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(source.current.request).toEqual({ resourceVersion: "10", timeoutSeconds: 300 });
    await informer.stop();
  });

  it("applies watch events with old and new objects, skips same-version updates, and tracks the version", async () => {
    const { source, informer, seen } = setup();
    source.lists.push([page("10", [obj("a", "5", "n1")])]);
    await startSynced(informer);
    const w = source.current;
    w.emit("ADDED", obj("b", "11", "n2"));
    w.emit("MODIFIED", obj("a", "12", "n2"));
    w.emit("MODIFIED", obj("a", "12", "n2")); // replayed: no update
    w.emit("DELETED", obj("b", "13", "n2"));
    w.emit("BOOKMARK", { metadata: { resourceVersion: "20" } });
    expect(seen).toEqual(["add a@5", "add b@11", "update a@5->12", "delete b"]);
    expect(informer.cache.byIndex("node", "n1")).toEqual([]);
    expect(informer.cache.byIndex("node", "n2").map((o) => o.metadata.name)).toEqual(["a"]);
    expect(informer.lastResourceVersion()).toBe("20");
    // A normal close by the server resumes from the bookmark, without a relist.
    await vi.advanceTimersByTimeAsync(5_000);
    w.close();
    await flush();
    expect(source.watches).toHaveLength(2);
    expect(source.current.request.resourceVersion).toBe("20");
    expect(source.listCalls).toHaveLength(1);
    await informer.stop();
  });

  it("relists on a 410 ERROR event and turns objects missing from the new list into deletes", async () => {
    const { source, informer, seen, counts } = setup();
    source.lists.push([page("10", [obj("a", "5"), obj("b", "6")])]);
    source.lists.push([page("30", [obj("a", "25"), obj("c", "26")])]);
    await startSynced(informer);
    source.current.emit("ERROR", {
      kind: "Status",
      code: 410,
      reason: "Expired",
      message: "too old resource version",
    });
    await flush();
    expect(seen.slice(2)).toEqual(["update a@5->25", "add c@26", "delete b (unknown)"]);
    expect(informer.cache.keys().sort()).toEqual(["ns/a", "ns/c"]);
    expect(counts["relist:gone"]).toBe(1);
    expect(source.current.request.resourceVersion).toBe("30");
    await informer.stop();
  });

  it("relists when opening the watch answers 410", async () => {
    const { source, informer, counts } = setup();
    source.lists.push([page("10", [obj("a", "5")])], [page("40", [])]);
    await startSynced(informer);
    source.current.close(new KubeError(410, "Gone", "gone"));
    await flush();
    expect(counts["relist:gone"]).toBe(1);
    expect(informer.cache.size).toBe(0);
    expect(source.current.request.resourceVersion).toBe("40");
    await informer.stop();
  });

  it("reconnects after watch errors with growing backoff from the last version, and resets after an event", async () => {
    const { source, informer, counts } = setup();
    source.lists.push([page("10", [])]);
    await startSynced(informer);
    source.current.emit("ADDED", obj("a", "11"));
    const fail = () => source.current.close(new KubeError(0, "NetworkError", "ECONNRESET"));
    fail();
    await vi.advanceTimersByTimeAsync(999);
    expect(source.watches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(2);
    fail();
    await vi.advanceTimersByTimeAsync(1999);
    expect(source.watches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(3);
    // A 500 inside the stream is an error too.
    source.current.emit("ERROR", { kind: "Status", code: 500, reason: "InternalError", message: "boom" });
    await vi.advanceTimersByTimeAsync(4000);
    expect(source.watches).toHaveLength(4);
    expect(source.current.request.resourceVersion).toBe("11");
    expect(source.listCalls).toHaveLength(1);
    expect(counts["restart:error"]).toBe(3);
    // One event resets the backoff: the next failure waits the initial delay again.
    source.current.emit("BOOKMARK", { metadata: { resourceVersion: "12" } });
    fail();
    await vi.advanceTimersByTimeAsync(1000);
    expect(source.watches).toHaveLength(5);
    await informer.stop();
  });

  it("does not loop tightly when the server keeps closing fresh watches at once", async () => {
    const { source, informer } = setup();
    source.lists.push([page("10", [])]);
    await startSynced(informer);
    source.current.close();
    await flush();
    expect(source.watches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(source.watches).toHaveLength(2);
    await informer.stop();
  });

  it("reopens a watch that stays silent past the stall timeout; bookmarks keep it alive", async () => {
    const { source, informer, counts } = setup();
    source.lists.push([page("10", [])]);
    await startSynced(informer);
    await vi.advanceTimersByTimeAsync(50_000);
    source.current.emit("BOOKMARK", { metadata: { resourceVersion: "15" } });
    await vi.advanceTimersByTimeAsync(50_000);
    expect(source.watches).toHaveLength(1);
    const stalled = source.current;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stalled.stopped).toBe(true);
    expect(source.watches).toHaveLength(2);
    expect(source.current.request.resourceVersion).toBe("15");
    expect(counts["restart:stalled"]).toBe(1);
    await informer.stop();
  });

  it("survives handlers that throw and objects that fail validation", async () => {
    const { source, informer, seen, counts } = setup();
    source.lists.push([page("10", [obj("a", "5"), { ...obj("bad", "6"), bad: true } as Obj])]);
    informer.addHandlers({
      onAdd: () => {
        throw new Error("handler bug");
      },
    });
    await startSynced(informer);
    expect(counts.decodeError).toBe(1);
    expect(counts.handlerError).toBe(1);
    source.current.emit("ADDED", { ...obj("bad2", "11"), bad: true });
    source.current.emit("ADDED", obj("b", "12"));
    expect(informer.cache.keys().sort()).toEqual(["ns/a", "ns/b"]);
    expect(seen).toEqual(["add a@5", "add b@12"]);
    expect(informer.lastResourceVersion()).toBe("12");
    expect(counts.handlerError).toBe(2);
    await informer.stop();
  });

  it("keeps the cache and retries with backoff when a list fails", async () => {
    const { source, informer } = setup();
    source.lists.push(new KubeError(503, "ServiceUnavailable", "down"), [page("10", [obj("a", "5")])]);
    informer.start();
    await flush();
    expect(informer.hasSynced()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.cache.size).toBe(1);
    await informer.stop();
  });

  it("restarts a paged list from the beginning when its continue token expires", async () => {
    const { source, informer } = setup();
    // First page, then the continue call finds no page (410); the second script answers the restart.
    source.lists.push([page("10", [obj("a", "5")], "c1")], [page("11", [obj("a", "5"), obj("b", "6")])]);
    await startSynced(informer);
    expect(source.listCalls).toEqual([undefined, "c1", undefined]);
    expect(informer.cache.size).toBe(2);
    await informer.stop();
  });

  it("relists periodically and re-delivers every object on resync", async () => {
    const { source, informer, seen, counts } = setup({ relistIntervalMs: 100_000, resyncIntervalMs: 30_000 });
    source.lists.push([page("10", [obj("a", "5")])], [page("20", [obj("a", "5")])]);
    await startSynced(informer);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(seen).toEqual(["add a@5", "update a@5->5"]);
    // Keep the watch alive past the stall timeout so only the relist timer ends it.
    source.current.emit("BOOKMARK", { metadata: { resourceVersion: "12" } });
    await vi.advanceTimersByTimeAsync(50_000);
    source.current.emit("BOOKMARK", { metadata: { resourceVersion: "13" } });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(counts["relist:periodic"]).toBe(1);
    expect(source.current.request.resourceVersion).toBe("20");
    await informer.stop();
  });

  it("replays adds to handlers registered after sync, and ignores a stopped watch", async () => {
    const { source, informer } = setup();
    source.lists.push([page("10", [obj("a", "5"), obj("b", "6")])]);
    await startSynced(informer);
    const late: string[] = [];
    const remove = informer.addHandlers({ onAdd: (o) => late.push(o.metadata.name) });
    expect(late.sort()).toEqual(["a", "b"]);
    remove();
    const w = source.current;
    await informer.stop();
    expect(w.stopped).toBe(true);
    w.emit("ADDED", obj("c", "11"));
    expect(informer.cache.size).toBe(2);
    expect(late).toHaveLength(2);
  });
});
