// A scripted framework for tests of the façade: subscribes, sends calls on its stream id, and
// launches command tasks on the offers it receives — in JSON, or in protobuf both ways.
import { APPLICATION_PROTOBUF } from "../wire/mediaType.ts";
import { encodeProtobuf, MESOS_MESSAGES } from "../wire/protobufCodec.ts";
import { EventStreamClient, type StreamedEvent } from "./eventStreamClient.ts";
import { type HttpAnswer, schedulerCall } from "./httpClient.ts";

export type TestEncoding = "json" | "protobuf";

const PROTOBUF_HEADERS = { "Content-Type": APPLICATION_PROTOBUF, Accept: APPLICATION_PROTOBUF };

/** A scheduler call as its encoding sends it: JSON as is, protobuf as bytes. */
function body(encoding: TestEncoding, call: Record<string, unknown>): unknown {
  return encoding === "protobuf" ? encodeProtobuf(MESOS_MESSAGES.schedulerCall, call) : call;
}

export const TEST_FRAMEWORK_INFO = {
  user: "u",
  name: "test framework",
  roles: ["*"],
  capabilities: [{ type: "MULTI_ROLE" }],
};

interface WireOffer {
  id: { value: string };
  agent_id: { value: string };
}

export class TestFramework {
  private constructor(
    readonly baseUrl: string,
    readonly stream: EventStreamClient,
    readonly frameworkId: string,
    readonly encoding: TestEncoding,
  ) {}

  static async subscribe(
    baseUrl: string,
    info: Record<string, unknown> = TEST_FRAMEWORK_INFO,
    encoding: TestEncoding = "json",
  ): Promise<TestFramework> {
    const stream = await EventStreamClient.open(
      baseUrl,
      body(encoding, { type: "SUBSCRIBE", subscribe: { framework_info: info } }),
      { headers: encoding === "protobuf" ? PROTOBUF_HEADERS : {} },
    );
    const subscribed = await stream.waitFor("SUBSCRIBED");
    const id = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
    return new TestFramework(baseUrl, stream, id, encoding);
  }

  /** Send a call of this framework (framework_id and Mesos-Stream-Id filled in). */
  call(type: string, fields: Record<string, unknown> = {}): Promise<HttpAnswer> {
    return schedulerCall(
      this.baseUrl,
      body(this.encoding, { type, framework_id: { value: this.frameworkId }, ...fields }),
      {
        ...(this.encoding === "protobuf" ? PROTOBUF_HEADERS : {}),
        "Mesos-Stream-Id": this.stream.streamId ?? "",
      },
    );
  }

  async firstOffer(): Promise<WireOffer> {
    const event = await this.stream.waitFor("OFFERS");
    const offer = (event.offers as { offers: WireOffer[] }).offers[0];
    if (offer === undefined) throw new Error("OFFERS without offers");
    return offer;
  }

  /** Launch one command task per id on the first offer; resolves when each has an UPDATE. */
  async launch(taskIds: string[], cpus = 0.5): Promise<StreamedEvent[]> {
    const offer = await this.firstOffer();
    const answer = await this.call("ACCEPT", {
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "LAUNCH",
            launch: {
              task_infos: taskIds.map((id) => ({
                name: id,
                task_id: { value: id },
                agent_id: offer.agent_id,
                resources: [
                  { name: "cpus", type: "SCALAR", scalar: { value: cpus } },
                  { name: "mem", type: "SCALAR", scalar: { value: 64 } },
                ],
                command: { value: "sleep 10" },
              })),
            },
          },
        ],
      },
    });
    if (answer.status !== 202) throw new Error(`ACCEPT answered ${answer.status}: ${answer.body}`);
    return Promise.all(taskIds.map((id) => this.stream.waitFor((e) => updateOf(e)?.task_id.value === id)));
  }

  close(): void {
    this.stream.close();
  }
}

export interface UpdateStatus {
  task_id: { value: string };
  agent_id?: { value: string };
  state: string;
  uuid?: string;
  reason?: string;
  source?: string;
  message?: string;
}

/** The status of an UPDATE event, or undefined for other events. */
export function updateOf(event: StreamedEvent): UpdateStatus | undefined {
  return event.type === "UPDATE" ? (event.update as { status: UpdateStatus }).status : undefined;
}
