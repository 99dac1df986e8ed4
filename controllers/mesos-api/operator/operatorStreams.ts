// Operator SUBSCRIBE streams (semantics.md §3.3): SUBSCRIBED with a full GetState, HEARTBEAT right
// after and then periodically, then every cluster event. At most `maxSubscribers` at once; the
// oldest is closed to make room (Mesos --max_operator_event_stream_subscribers).
import type { ServerResponse } from "node:http";
import type { Authorizer } from "../authorization/aclsFile.ts";
import { EventView } from "../authorization/eventView.ts";
import { filterSnapshot } from "../authorization/stateView.ts";
import type { MesosBackend } from "../backend.ts";
import type { ApiLogger } from "../http/logger.ts";
import { type IntervalTimers, RecordIoStream, type StreamRecord } from "../http/recordIoStream.ts";
import { contentTypeHeaders, type ResponseEncoding } from "../wire/mediaType.ts";
import { encodeMessage } from "../wire/messageCodec.ts";
import { MESOS_MESSAGES } from "../wire/protobufCodec.ts";
import type { ClusterEvent, OperatorEvent } from "./event.ts";
import { getState } from "./responses.ts";

export interface OperatorStreamsOptions {
  backend: MesosBackend;
  heartbeatSeconds: number;
  maxSubscribers: number;
  timers: IntervalTimers;
  maxBufferedBytes: number;
  log: ApiLogger;
  /** The view ACLs filter each subscriber's state and events; undefined: everything is shown. */
  authorizer?: Authorizer | undefined;
}

/** How often a subscriber's view picks up a changed ACLs file (it is checked between events). */
const VIEW_REFRESH_MS = 1000;

function record(event: OperatorEvent): StreamRecord {
  return { type: event.type, message: event };
}

const HEARTBEAT = record({ type: "HEARTBEAT" });

interface OperatorSubscriber {
  stream: RecordIoStream;
  unwatch: () => void;
}

export class OperatorStreams {
  private readonly subscribers = new Set<OperatorSubscriber>();

  constructor(private readonly options: OperatorStreamsOptions) {}

  get size(): number {
    return this.subscribers.size;
  }

  async subscribe(
    res: ServerResponse,
    encoding: ResponseEncoding,
    principal?: string | undefined,
  ): Promise<void> {
    const authorizer = this.options.authorizer;
    const subscriber: OperatorSubscriber = {
      stream: new RecordIoStream(res, {
        encode: (message) => encodeMessage(encoding.message, MESOS_MESSAGES.operatorEvent, message),
        onEncodeError: (error, type) =>
          this.options.log.error({ err: error, event: type }, "event not encodable"),
        heartbeatMs: this.options.heartbeatSeconds * 1000,
        heartbeat: HEARTBEAT,
        timers: this.options.timers,
        maxBufferedBytes: this.options.maxBufferedBytes,
        onClientGone: () => this.forget(subscriber),
      }),
      unwatch: () => {},
    };
    this.subscribers.add(subscriber);
    while (this.subscribers.size > this.options.maxSubscribers) {
      const oldest = this.subscribers.values().next().value;
      if (oldest === undefined) break;
      this.close(oldest);
    }
    subscriber.stream.start(contentTypeHeaders(encoding));
    // Watch before taking the snapshot so no change falls between them; changes seen meanwhile
    // are held by the stream and written after SUBSCRIBED.
    // With ACLs, events wait until the view is built from the snapshot, then pass through it.
    let view: EventView | undefined;
    const early: ClusterEvent[] = [];
    let refreshed = 0;
    const deliver = (event: ClusterEvent) => {
      if (authorizer === undefined) return subscriber.stream.send(record(event));
      if (view === undefined) return void early.push(event);
      const now = Date.now();
      if (now - refreshed >= VIEW_REFRESH_MS) {
        refreshed = now;
        const current = view;
        authorizer.approver().then(
          (approve) => {
            current.approve = approve;
          },
          () => undefined,
        );
      }
      if (view.visible(event)) subscriber.stream.send(record(event));
    };
    const unwatch = this.options.backend.watchCluster(deliver);
    if (!this.subscribers.has(subscriber)) {
      unwatch();
      return;
    }
    subscriber.unwatch = unwatch;
    let snapshot: Awaited<ReturnType<MesosBackend["snapshot"]>>;
    try {
      snapshot = await this.options.backend.snapshot();
    } catch (error) {
      this.close(subscriber);
      throw error;
    }
    if (authorizer !== undefined) {
      const approve = await authorizer.approver();
      // The view learns users from everything, so a later ACL change can show more.
      view = new EventView(approve, principal, snapshot);
      snapshot = filterSnapshot(approve, principal, snapshot);
      refreshed = Date.now();
      for (const event of early.splice(0)) deliver(event);
    }
    subscriber.stream.open([
      record({
        type: "SUBSCRIBED",
        subscribed: {
          get_state: getState(snapshot),
          heartbeat_interval_seconds: this.options.heartbeatSeconds,
        },
      }),
      HEARTBEAT,
    ]);
  }

  closeAll(): void {
    for (const subscriber of [...this.subscribers]) this.close(subscriber);
  }

  private close(subscriber: OperatorSubscriber): void {
    subscriber.stream.end();
    this.forget(subscriber);
  }

  private forget(subscriber: OperatorSubscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    subscriber.unwatch();
  }
}
