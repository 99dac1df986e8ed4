// Opens a SUBSCRIBE stream (scheduler or operator) and reads its RecordIO events, keeping each
// HTTP 'data' chunk too so tests can check one record per chunk. Protobuf streams (by their
// Content-Type or Message-Content-Type) are decoded into the same JSON shape as JSON ones.
import { type ClientRequest, type IncomingHttpHeaders, request } from "node:http";
import { APPLICATION_PROTOBUF } from "../wire/mediaType.ts";
import { decodeProtobuf, MESOS_MESSAGES } from "../wire/protobufCodec.ts";
import { RecordIoDecoder } from "../wire/recordIo.ts";

export interface StreamedEvent {
  type: string;
  [field: string]: unknown;
}

export class EventStreamClient {
  readonly events: StreamedEvent[] = [];
  readonly chunks: string[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  body = "";
  ended = false;
  private readonly decoder = new RecordIoDecoder();
  private readonly waiters = new Set<() => void>();
  private req: ClientRequest | undefined;
  private path = "/api/v1/scheduler";

  /** POST `call` (JSON, or bytes as they are) to `path`; resolves once the response head has arrived. */
  static open(
    baseUrl: string,
    call: unknown,
    options: { path?: string; headers?: Record<string, string> } = {},
  ): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    client.path = options.path ?? client.path;
    const payload = call instanceof Uint8Array ? call : JSON.stringify(call);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(client.path, baseUrl),
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Content-Length": String(Buffer.byteLength(payload)),
            ...options.headers,
          },
          agent: false,
        },
        (res) => {
          client.status = res.statusCode ?? 0;
          client.headers = res.headers;
          res.on("data", (chunk: Buffer) => client.receive(chunk));
          res.on("end", () => client.finish());
          res.on("close", () => client.finish());
          res.on("error", () => client.finish());
          resolve(client);
        },
      );
      client.req = req;
      req.on("error", reject);
      req.end(payload);
    });
  }

  get streamId(): string | undefined {
    const value = this.headers["mesos-stream-id"];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Resolve with the first event (from index `from` on) that matches. */
  async waitFor(
    match: string | ((event: StreamedEvent) => boolean),
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<StreamedEvent> {
    const test = typeof match === "string" ? (e: StreamedEvent) => e.type === match : match;
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      const found = this.events.slice(options.from ?? 0).find(test);
      if (found !== undefined) return found;
      if (this.ended)
        throw new Error(`stream ended without the awaited event; got ${this.types().join(",")}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for an event; got ${this.types().join(",")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Resolve when the server has ended the stream. */
  async waitForEnd(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error("stream did not end");
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Close the connection from the client side. */
  close(): void {
    this.req?.destroy();
  }

  private receive(chunk: Buffer): void {
    const text = chunk.toString("utf8");
    this.chunks.push(text);
    if (this.status !== 200) {
      this.body += text;
      return;
    }
    for (const record of this.decoder.pushBytes(chunk)) this.events.push(this.decode(record));
    this.wake();
  }

  /** True when the events are protobuf messages. */
  get protobuf(): boolean {
    return [this.headers["content-type"], this.headers["message-content-type"]].includes(
      APPLICATION_PROTOBUF,
    );
  }

  private decode(record: Buffer): StreamedEvent {
    if (!this.protobuf) return JSON.parse(record.toString("utf8")) as StreamedEvent;
    const type = this.path.endsWith("/scheduler")
      ? MESOS_MESSAGES.schedulerEvent
      : MESOS_MESSAGES.operatorEvent;
    return decodeProtobuf(type, record) as StreamedEvent;
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
    this.waiters.clear();
  }
}
