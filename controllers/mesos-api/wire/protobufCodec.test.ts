// The protobuf codec against the vendored Mesos 1.11.0 messages: the JSON mapping of semantics.md
// §0.1 in both directions, round trips of every call template and of randomly mutated calls, and
// malformed bytes refused with an error (never a crash).
import fc from "fast-check";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { descriptorIsStale } from "../../../hack/generate-proto-descriptor.ts";
import { OperatorCallSchema } from "../operator/call.ts";
import { SchedulerCallSchema } from "../scheduler/call.ts";
import { inverseOfferEvents } from "../state/inverseOfferEvents.ts";
import { FID, mutatedCall, OPERATOR_TEMPLATES, SCHEDULER_TEMPLATES } from "../testing/fuzzCalls.ts";
import { withoutEmpty } from "../testing/withoutEmpty.ts";
import {
  decodeProtobuf,
  encodeProtobuf,
  MESOS_MESSAGES,
  ProtobufDecodeError,
  ProtobufEncodeError,
} from "./protobufCodec.ts";

const { schedulerCall, schedulerEvent, operatorCall, operatorResponse } = MESOS_MESSAGES;

function roundTrip(type: Parameters<typeof encodeProtobuf>[0], json: Record<string, unknown>) {
  return decodeProtobuf(type, encodeProtobuf(type, json));
}

const withFrameworkId = (call: unknown) => JSON.parse(JSON.stringify(call).replaceAll(FID, "fw-0000"));

describe("the vendored descriptor", () => {
  it("is what the vendored .proto files generate (npm run generate)", () => {
    expect(descriptorIsStale()).toBe(false);
  });
});

describe("protobuf → JSON shape (semantics.md §0.1)", () => {
  it("names fields as the .proto does, enums by name, int64 as numbers, bytes as base64", () => {
    const event = {
      type: "UPDATE",
      update: {
        status: {
          task_id: { value: "t" },
          state: "TASK_RUNNING",
          source: "SOURCE_EXECUTOR",
          uuid: Buffer.alloc(16, 9).toString("base64"),
          data: Buffer.from([0, 255, 10]).toString("base64"),
          timestamp: 1732528800.25,
          agent_id: { value: "a" },
        },
      },
    };
    expect(roundTrip(schedulerEvent, event)).toEqual(event);
    const time = { type: "GET_HEALTH", get_health: { healthy: true } };
    expect(roundTrip(operatorResponse, time)).toEqual(time);
  });

  it("keeps int64 nanoseconds as numbers (precision as JSON numbers have it)", () => {
    const call = {
      type: "GET_METRICS",
      get_metrics: { timeout: { nanoseconds: 1_732_528_800_123_456_800 } },
    };
    const back = roundTrip(operatorCall, call) as { get_metrics: { timeout: { nanoseconds: unknown } } };
    expect(back.get_metrics.timeout.nanoseconds).toBe(1_732_528_800_123_456_800);
  });

  it("carries map fields and non-finite doubles (TaskInfo.limits)", () => {
    const call = withFrameworkId(SCHEDULER_TEMPLATES.find((c) => c.type === "ACCEPT"));
    call.accept.operations[0].launch.task_infos[0].limits = { cpus: { value: Number.POSITIVE_INFINITY } };
    const back = roundTrip(schedulerCall, call) as typeof call;
    expect(back.accept.operations[0].launch.task_infos[0].limits).toEqual({
      cpus: { value: Number.POSITIVE_INFINITY },
    });
  });

  it("reads google.protobuf.Duration into {seconds, nanos}, which DRAIN_AGENT's schema accepts", () => {
    const call = { type: "DRAIN_AGENT", drain_agent: { agent_id: { value: "a" }, max_grace_period: "1.5s" } };
    const back = roundTrip(operatorCall, call);
    expect(back).toEqual({
      type: "DRAIN_AGENT",
      drain_agent: { agent_id: { value: "a" }, max_grace_period: { seconds: 1, nanos: 500_000_000 } },
    });
    expect(OperatorCallSchema.parse(back).drain_agent?.max_grace_period).toBe(1.5);
  });

  it("drops an enum number this version does not know, as proto2 does (unknown field)", () => {
    // Call { type = 99 (unknown), framework_id { value: "f" } }
    const w = protobuf.Writer.create();
    w.uint32((2 << 3) | 0).int32(99);
    w.uint32((1 << 3) | 2)
      .fork()
      .uint32((1 << 3) | 2)
      .string("f")
      .ldelim();
    expect(decodeProtobuf(schedulerCall, w.finish())).toEqual({ framework_id: { value: "f" } });
  });

  it("refuses bytes that are not a message, and messages without their required fields", () => {
    expect(() => decodeProtobuf(schedulerCall, Buffer.from("MALFORMED_CONTENT"))).toThrow(
      ProtobufDecodeError,
    );
    // Call.Subscribe without its required framework_info.
    const w = protobuf.Writer.create();
    w.uint32((2 << 3) | 0).int32(1);
    w.uint32((3 << 3) | 2)
      .fork()
      .ldelim();
    expect(() => decodeProtobuf(schedulerCall, w.finish())).toThrow(/missing required 'framework_info'/);
  });

  it("answers random bytes with a decoded message or ProtobufDecodeError, nothing else", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom(schedulerCall, operatorCall),
        (bytes, type) => {
          try {
            decodeProtobuf(type, bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtobufDecodeError);
          }
        },
      ),
      { numRuns: 3000, seed: 6 },
    );
  });
});

describe("JSON shape → protobuf", () => {
  it("refuses what protobuf cannot carry, naming the field", () => {
    expect(() => encodeProtobuf(schedulerEvent, { type: "NOT_AN_EVENT" })).toThrow(ProtobufEncodeError);
    expect(() => encodeProtobuf(schedulerEvent, { type: "RESCIND", rescind: {} })).toThrow(
      /rescind\.offer_id: required field missing/,
    );
    expect(() => encodeProtobuf(schedulerEvent, { type: "ERROR", error: { message: 5 } })).toThrow(
      /error\.message: expected a string/,
    );
    expect(() =>
      encodeProtobuf(operatorCall, {
        type: "GET_METRICS",
        get_metrics: { timeout: { nanoseconds: "soon" } },
      }),
    ).toThrow(/get_metrics\.timeout\.nanoseconds: 'soon' is not an integer/);
  });

  it("cuts the fraction off a non-integer number in an integer field", () => {
    const call = { type: "GET_METRICS", get_metrics: { timeout: { nanoseconds: 1.5e6 + 0.25 } } };
    expect(roundTrip(operatorCall, call)).toEqual({
      type: "GET_METRICS",
      get_metrics: { timeout: { nanoseconds: 1_500_000 } },
    });
  });
});

describe("round trips of calls", () => {
  it.each([
    ...SCHEDULER_TEMPLATES.map((c) => [schedulerCall, c] as const),
    ...OPERATOR_TEMPLATES.map((c) => [operatorCall, c] as const),
  ])("%s %j: JSON → protobuf → JSON is the identity", (type, template) => {
    const json = withFrameworkId(template);
    const back = roundTrip(type, json);
    // DRAIN_AGENT's "10s" comes back in Duration's message form.
    if (json.type === "DRAIN_AGENT") json.drain_agent.max_grace_period = { seconds: 10 };
    expect(withoutEmpty(back)).toEqual(withoutEmpty(json));
  });

  it("a valid call parses the same whether it came as JSON or as protobuf (random mutations)", () => {
    const schemas = { [schedulerCall]: SchedulerCallSchema, [operatorCall]: OperatorCallSchema };
    let compared = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedCall(SCHEDULER_TEMPLATES).map((c) => [schedulerCall, c] as const),
          mutatedCall(OPERATOR_TEMPLATES).map((c) => [operatorCall, c] as const),
        ),
        ([type, mutated]) => {
          const json = withFrameworkId(mutated);
          const schema = schemas[type];
          const direct = schema.safeParse(json);
          // `slave_id` is a JSON-only alias; protobuf has no such field.
          if (!direct.success || JSON.stringify(json).includes('"slave_id"')) return;
          let bytes: Uint8Array;
          try {
            bytes = encodeProtobuf(type, json);
          } catch (error) {
            // Lenient JSON that has no protobuf form (a number where a message is expected…).
            expect(error).toBeInstanceOf(ProtobufEncodeError);
            return;
          }
          compared++;
          // Empty maps and lists are absent on the wire: compared without them.
          expect(withoutEmpty(schema.parse(decodeProtobuf(type, bytes)))).toEqual(withoutEmpty(direct.data));
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
    expect(compared).toBeGreaterThan(500);
  });
});

describe("round trips of events the state side builds", () => {
  it("INVERSE_OFFERS and RESCIND_INVERSE_OFFER (maintenance) carry everything in protobuf", () => {
    const unavailability = { start: { nanoseconds: 1.7e18 }, duration: { nanoseconds: 3.6e12 } };
    const io = {
      id: "io-1",
      frameworkId: "fw-0000",
      agentId: "S0",
      hostname: "node-0",
      nodeName: "node-0",
      unavailability,
      createdAt: 0,
    };
    const sent = new Set(["io-0"]);
    const events = inverseOfferEvents([io], sent, () => "10.0.0.1");
    expect(events.map((e) => e.type)).toEqual(["RESCIND_INVERSE_OFFER", "INVERSE_OFFERS"]);
    for (const event of events)
      expect(withoutEmpty(roundTrip(schedulerEvent, event)), event.type).toEqual(withoutEmpty(event));
  });
});
