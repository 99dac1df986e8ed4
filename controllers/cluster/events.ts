// Kubernetes Events (events.k8s.io/v1) about our objects, as `kubectl describe` and
// `kubectl events` show them.
//
// Recording never blocks and never throws: an Event is a courtesy, and a reconciler must not fail
// because the Events API is slow. Identical events (same object, type, reason, action and note)
// within `windowMs` become one Event whose `series` counts them (as client-go's events
// broadcaster does), so a reconcile loop that says the same thing every second produces one
// object, not thousands. Series updates are written at most every `flushIntervalMs`. A token
// bucket caps how many new Events per second we create.
import {
  type EventsV1Api,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type V1ObjectReference,
} from "@kubernetes/client-node";
import type { Logger } from "../logging.ts";
import { isNotFound, toKubeError } from "./kubeErrors.ts";
import { TokenBucket } from "./tokenBucket.ts";

/** Anything with type meta and a name: our CRs and the pods and nodes from the informers. */
export interface InvolvedObject {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata: {
    name?: string | undefined;
    namespace?: string | undefined;
    uid?: string | undefined;
    resourceVersion?: string | undefined;
  };
}

export interface EventSpec {
  type: "Normal" | "Warning";
  /** Why, in UpperCamelCase (e.g. "TaskRunning", "InsufficientResources"). ≤128 characters. */
  reason: string;
  /** What was done or failed, in UpperCamelCase (e.g. "Bind", "Launch"). ≤128 characters. */
  action: string;
  /** Human-readable detail; cut to 1 kB (the API limit). */
  note?: string;
  /** A second object involved (e.g. the Pod of a Task). */
  related?: InvolvedObject;
}

export interface EventMetrics {
  /** outcome: created a new Event, counted into a series, dropped by the rate limit, or failed. */
  event?(type: EventSpec["type"], outcome: "created" | "aggregated" | "dropped" | "failed"): void;
}

export interface EventRecorderOptions {
  events: EventsV1Api;
  /** reportingController, e.g. "mesos.operator.dev/mesos-operator". */
  controller: string;
  /** reportingInstance: this replica's identity. */
  instance: string;
  log: Logger;
  /** Identical events closer than this are one series (default 6 min, as client-go). */
  windowMs?: number;
  /** How often series counts are written (default 10 s). */
  flushIntervalMs?: number;
  /** New Events per second allowed, and burst (default 10/s, 100). */
  rate?: { perSecond: number; burst: number };
  metrics?: EventMetrics;
}

interface SeriesEntry {
  /** Event object name; undefined until created. */
  name: string | undefined;
  namespace: string;
  body: ReturnType<typeof eventBody>;
  count: number;
  /** count already written to the API server. */
  written: number;
  lastAt: number;
}

const NOTE_MAX_BYTES = 1024;
/** Series remembered at most (about 1 kB each). */
const MAX_SERIES = 4096;
const FIELD_MAX = 128;
const NAME_MAX = 253;

export class EventRecorder {
  private readonly series = new Map<string, SeriesEntry>();
  private readonly pending = new Set<Promise<void>>();
  private readonly bucket: TokenBucket;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: EventRecorderOptions) {
    this.bucket = new TokenBucket(opts.rate?.perSecond ?? 10, opts.rate?.burst ?? 100);
    this.log = opts.log.child({ component: "events" });
  }

  private get windowMs(): number {
    return this.opts.windowMs ?? 6 * 60_000;
  }

  /** Records an event about `regarding`. Returns at once; failures are logged. */
  record(regarding: InvolvedObject, spec: EventSpec): void {
    if (this.stopped || !regarding.metadata.name) return;
    const now = Date.now();
    const key = seriesKey(regarding, spec);
    const existing = this.series.get(key);
    if (existing && now - existing.lastAt < this.windowMs) {
      existing.count++;
      existing.lastAt = now;
      this.opts.metrics?.event?.(spec.type, "aggregated");
      this.scheduleFlush();
      return;
    }
    if (!this.bucket.tryTake()) {
      this.opts.metrics?.event?.(spec.type, "dropped");
      this.log.debug({ reason: spec.reason, object: regarding.metadata.name }, "event dropped by rate limit");
      return;
    }
    const entry: SeriesEntry = {
      name: undefined,
      namespace: regarding.metadata.namespace || "default",
      body: eventBody(regarding, spec, this.opts.controller, this.opts.instance, now),
      count: 1,
      written: 0,
      lastAt: now,
    };
    this.series.set(key, entry);
    this.forgetOld(now);
    this.track(this.create(key, entry));
  }

  /** Waits for pending writes and writes every unwritten series count. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.pending]);
    const now = Date.now();
    for (const [key, entry] of this.series) {
      if (entry.name && entry.count > entry.written) this.track(this.writeSeries(key, entry));
      else if (now - entry.lastAt >= this.windowMs) this.series.delete(key);
    }
    await Promise.all([...this.pending]);
  }

  /** Flushes and records nothing more. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Keeps the series map bounded: entries past the window go, and beyond MAX_SERIES the oldest go
   * (a Map iterates in insertion order). Their next occurrence simply starts a new Event.
   */
  private forgetOld(now: number): void {
    if (this.series.size <= MAX_SERIES) return;
    for (const [key, entry] of this.series) {
      if (this.series.size <= MAX_SERIES / 2) break;
      if (now - entry.lastAt >= this.windowMs || entry.count === entry.written) this.series.delete(key);
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private scheduleFlush(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.opts.flushIntervalMs ?? 10_000);
    this.timer.unref();
  }

  private async create(key: string, entry: SeriesEntry): Promise<void> {
    const name = eventName(entry.body.regarding.name ?? "object", entry.lastAt);
    const count = entry.count;
    try {
      await this.opts.events.createNamespacedEvent({
        namespace: entry.namespace,
        body: {
          ...entry.body,
          metadata: { name, namespace: entry.namespace },
          ...(count > 1 ? { series: { count, lastObservedTime: new V1MicroTime(entry.lastAt) } } : {}),
        },
      });
      entry.name = name;
      entry.written = count;
      this.opts.metrics?.event?.(entry.body.type, "created");
      // Occurrences counted while the create was in flight go out with the next flush.
      if (entry.count > entry.written) this.scheduleFlush();
    } catch (err) {
      this.series.delete(key);
      this.opts.metrics?.event?.(entry.body.type, "failed");
      this.log.warn(
        { err: toKubeError(err, "create event"), reason: entry.body.reason },
        "could not record event",
      );
    }
  }

  private async writeSeries(key: string, entry: SeriesEntry): Promise<void> {
    const count = entry.count;
    try {
      await this.opts.events.patchNamespacedEvent(
        {
          name: entry.name ?? "",
          namespace: entry.namespace,
          body: { series: { count, lastObservedTime: new V1MicroTime(entry.lastAt) } },
        },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      entry.written = count;
    } catch (err) {
      const e = toKubeError(err, "update event series");
      if (isNotFound(e)) {
        // The Event expired (the API server keeps them about an hour): start a new one.
        entry.name = undefined;
        await this.create(key, entry);
        return;
      }
      this.opts.metrics?.event?.(entry.body.type, "failed");
      this.log.warn({ err: e }, "could not update event series");
    }
  }
}

function reference(o: InvolvedObject): V1ObjectReference {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    uid: o.metadata.uid,
    resourceVersion: o.metadata.resourceVersion,
  };
}

function eventBody(
  regarding: InvolvedObject,
  spec: EventSpec,
  controller: string,
  instance: string,
  now: number,
) {
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    eventTime: new V1MicroTime(now),
    reportingController: controller.slice(0, FIELD_MAX),
    reportingInstance: instance.slice(0, FIELD_MAX),
    type: spec.type,
    reason: spec.reason.slice(0, FIELD_MAX),
    action: spec.action.slice(0, FIELD_MAX),
    note: spec.note === undefined ? undefined : truncateBytes(spec.note, NOTE_MAX_BYTES),
    regarding: reference(regarding),
    related: spec.related ? reference(spec.related) : undefined,
  };
}

function seriesKey(regarding: InvolvedObject, spec: EventSpec): string {
  const r = spec.related?.metadata;
  return JSON.stringify([
    regarding.kind,
    regarding.metadata.namespace,
    regarding.metadata.name,
    regarding.metadata.uid,
    spec.type,
    spec.reason,
    spec.action,
    spec.note,
    spec.related?.kind,
    r?.namespace,
    r?.name,
  ]);
}

/** `<object>.<hex time>`, as client-go names Events; cut so the whole stays a valid name. */
function eventName(objectName: string, now: number): string {
  const random = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  const suffix = `.${now.toString(16)}${random}`;
  return objectName.slice(0, NAME_MAX - suffix.length) + suffix;
}

function truncateBytes(s: string, max: number): string {
  const buf = Buffer.from(s, "utf8");
  if (buf.length <= max) return s;
  // Cut on a character boundary: decoding a cut multi-byte sequence would add U+FFFD (3 bytes).
  let end = max - 3;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString("utf8")}...`;
}
