// A long-lived RecordIO response (scheduler and operator SUBSCRIBE): 200, chunked, one record per
// write() — Node's HTTP server turns each write into its own chunk and Node's HTTP client hands
// each chunk to 'data' separately, which is what mesos-framework's parser needs (clients.md §3.1).
//
// Lifecycle: `start` sends the head at once (clients see 200 and Mesos-Stream-Id before
// anything is decided); records sent before `open` are held; `open` writes the opening records
// (SUBSCRIBED, HEARTBEAT), then the held ones, then starts the heartbeat. `end` closes from our
// side; a close from the client or network calls `onClientGone` once.
import type { ServerResponse } from "node:http";
import { encodeRecord } from "../wire/recordIo.ts";

/** setInterval/clearInterval, injectable so heartbeat tests need no real time. */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const REAL_INTERVAL_TIMERS: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** One event: its JSON shape and its type (for metrics). */
export interface StreamRecord {
  type: string;
  message: object;
}

/** A record encoded for the wire (JSON text or protobuf bytes). */
interface EncodedRecord {
  type: string;
  data: Buffer;
}

export interface RecordIoStreamOptions {
  /** A message in the negotiated encoding. */
  encode: (message: object) => Buffer;
  /**
   * A message the encoding cannot carry (a bug on our side): logged by the owner; the record is
   * skipped rather than the stream or the sender broken.
   */
  onEncodeError: (error: unknown, type: string) => void;
  heartbeatMs: number;
  heartbeat: StreamRecord;
  timers: IntervalTimers;
  /**
   * A reader that stops reading must not grow our memory without bound: past this many
   * unsent bytes the connection is dropped (and reported as gone).
   */
  maxBufferedBytes: number;
  onClientGone: () => void;
  /** Called for every record written (for metrics). */
  onWritten?: ((type: string) => void) | undefined;
}

export class RecordIoStream {
  private held: EncodedRecord[] | undefined = [];
  private heartbeat: unknown;
  private ended = false;
  private endedByClient = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: RecordIoStreamOptions,
  ) {
    res.on("close", () => {
      if (this.ended) return;
      this.ended = true;
      this.endedByClient = true;
      this.stopHeartbeat();
      options.onClientGone();
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Closed by the client or the network (not by `end`). */
  get closedByClient(): boolean {
    return this.endedByClient;
  }

  /** Send the 200 head now. */
  start(headers: Record<string, string>): void {
    this.res.writeHead(200, { "Cache-Control": "no-cache", ...headers });
    this.res.flushHeaders();
    // Records are small and latency matters more than packets (heartbeats, offers).
    this.res.socket?.setNoDelay(true);
  }

  /** Write the opening records and anything held, then start heartbeats. */
  open(opening: readonly StreamRecord[]): void {
    if (this.ended || this.held === undefined) return;
    const held = this.held;
    this.held = undefined;
    for (const record of [...opening.map((r) => this.encode(r)), ...held]) this.write(record);
    if (this.ended) return;
    const heartbeat = this.encode(this.options.heartbeat);
    this.heartbeat = this.options.timers.setInterval(() => this.write(heartbeat), this.options.heartbeatMs);
  }

  /** Write one record, or hold it until `open`. Dropped once the stream has ended. */
  send(record: StreamRecord): void {
    if (this.ended) return;
    // Encoded now: the message is the sender's and may change once this returns.
    const encoded = this.encode(record);
    if (encoded === undefined) return;
    if (this.held !== undefined) this.held.push(encoded);
    else this.write(encoded);
  }

  /** Write `record` as the last one, dropping anything held, and end the stream. */
  sendLastAndEnd(record: StreamRecord): void {
    if (this.ended) return;
    this.held = undefined;
    this.write(this.encode(record));
    this.end();
  }

  /** End the stream from our side (onClientGone is not called). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopHeartbeat();
    this.res.end();
  }

  private encode(record: StreamRecord): EncodedRecord | undefined {
    try {
      return { type: record.type, data: this.options.encode(record.message) };
    } catch (error) {
      this.options.onEncodeError(error, record.type);
      return undefined;
    }
  }

  private write(record: EncodedRecord | undefined): void {
    if (this.ended || record === undefined) return;
    this.res.write(encodeRecord(record.data));
    this.options.onWritten?.(record.type);
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      // Not reading: treat as gone, like a dropped connection.
      this.res.destroy();
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== undefined) this.options.timers.clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
