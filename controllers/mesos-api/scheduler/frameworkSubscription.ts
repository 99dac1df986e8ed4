// One SUBSCRIBE response: the FrameworkEventStream the state side writes to (backend.ts), plus
// what the stream itself owns — SUBSCRIBED, the first and periodic HEARTBEATs, and the ERROR
// that ends a refused or failed-over subscription.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { FrameworkEventStream } from "../backend.ts";
import type { ApiMetrics } from "../http/apiMetrics.ts";
import type { ApiLogger } from "../http/logger.ts";
import { type IntervalTimers, RecordIoStream, type StreamRecord } from "../http/recordIoStream.ts";
import type { MasterInfo } from "../messages/masterInfo.ts";
import { contentTypeHeaders, type ResponseEncoding } from "../wire/mediaType.ts";
import { encodeMessage } from "../wire/messageCodec.ts";
import { MESOS_MESSAGES } from "../wire/protobufCodec.ts";
import type { FrameworkEvent, SchedulerEvent } from "./event.ts";

export interface FrameworkSubscriptionOptions {
  /** The negotiated encoding of the stream and its events. */
  encoding: ResponseEncoding;
  log: ApiLogger;
  heartbeatSeconds: number;
  timers: IntervalTimers;
  maxBufferedBytes: number;
  metrics: ApiMetrics;
  /** The client or the network closed the stream. */
  onClientGone: (subscription: FrameworkSubscription) => void;
  /** We ended the stream (close or ERROR): it must not stay registered as the framework's. */
  onEndedHere: (subscription: FrameworkSubscription) => void;
}

function record(event: SchedulerEvent): StreamRecord {
  return { type: event.type, message: event };
}

const HEARTBEAT = record({ type: "HEARTBEAT" });

export class FrameworkSubscription implements FrameworkEventStream {
  readonly streamId = randomUUID();
  private subscribedAs: string | undefined;
  private readonly stream: RecordIoStream;

  constructor(
    res: ServerResponse,
    private readonly options: FrameworkSubscriptionOptions,
  ) {
    this.stream = new RecordIoStream(res, {
      encode: (message) => encodeMessage(options.encoding.message, MESOS_MESSAGES.schedulerEvent, message),
      onEncodeError: (error, type) =>
        options.log.error({ err: error, event: type, frameworkId: this.subscribedAs }, "event not encodable"),
      heartbeatMs: options.heartbeatSeconds * 1000,
      heartbeat: HEARTBEAT,
      timers: options.timers,
      maxBufferedBytes: options.maxBufferedBytes,
      onClientGone: () => options.onClientGone(this),
      onWritten: (type) => {
        if (this.subscribedAs !== undefined) options.metrics.frameworkEvent(this.subscribedAs, type);
      },
    });
  }

  /** The framework this stream belongs to, once confirmed. */
  get frameworkId(): string | undefined {
    return this.subscribedAs;
  }

  get closed(): boolean {
    return this.stream.closed;
  }

  /** Closed by the client or the network, rather than by us or the state side. */
  get closedByClient(): boolean {
    return this.stream.closedByClient;
  }

  /** Send the 200 head with the Mesos-Stream-Id. */
  start(): void {
    this.stream.start({ ...contentTypeHeaders(this.options.encoding), "Mesos-Stream-Id": this.streamId });
  }

  send(event: FrameworkEvent): void {
    this.stream.send(record(event));
  }

  close(): void {
    if (this.stream.closed) return;
    this.stream.end();
    this.options.onEndedHere(this);
  }

  /** SUBSCRIBED, HEARTBEAT, then whatever the state side already sent. */
  confirm(frameworkId: string, masterInfo: MasterInfo): void {
    this.subscribedAs = frameworkId;
    const subscribed = record({
      type: "SUBSCRIBED",
      subscribed: {
        framework_id: { value: frameworkId },
        heartbeat_interval_seconds: this.options.heartbeatSeconds,
        master_info: masterInfo,
      },
    });
    this.stream.open([subscribed, HEARTBEAT]);
  }

  /** The only event of a refused subscription, or the last of a superseded one. */
  endWithError(message: string): void {
    if (this.stream.closed) return;
    this.stream.sendLastAndEnd(record({ type: "ERROR", error: { message } }));
    this.options.onEndedHere(this);
  }
}
