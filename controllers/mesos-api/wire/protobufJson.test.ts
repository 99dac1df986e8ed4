// Lenient reading of protobuf JSON, as real clients need it (clients.md §3.1, §3.4).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FrameworkInfoSchema } from "../messages/frameworkInfo.ts";
import { ResourceSchema } from "../messages/resource.ts";
import { TaskInfoSchema } from "../messages/taskInfo.ts";
import { SchedulerCallSchema } from "../scheduler/call.ts";
import { describeParseError } from "./parseError.ts";
import { bytes, double, int64, map, message, repeated, text } from "./protobufJson.ts";

describe("protobuf JSON fields", () => {
  it("reads null as absent, also for required fields (which then fail)", () => {
    const M = message({ a: text().optional(), b: repeated(text()) });
    expect(M.parse({ a: null, b: null })).toEqual({ b: [] });
    expect(message({ a: text() }).safeParse({ a: null }).success).toBe(false);
  });

  it("reads one value where a list is expected as a one-element list", () => {
    expect(repeated(text()).parse("x")).toEqual(["x"]);
    expect(repeated(message({ v: text() })).parse({ v: "x" })).toEqual([{ v: "x" }]);
  });

  it("reads slave_id as agent_id where the message has an agent_id", () => {
    const M = message({ agent_id: message({ value: text() }) });
    expect(M.parse({ slave_id: { value: "s1" } })).toEqual({ agent_id: { value: "s1" } });
    expect(M.parse({ slave_id: { value: "s1" }, agent_id: { value: "a1" } })).toEqual({
      agent_id: { value: "a1" },
    });
  });

  it("reads integers and doubles from numbers or numeric strings, doubles also from Infinity/NaN", () => {
    expect(int64().parse("1700000000000000000")).toBe(1.7e18);
    expect(int64().safeParse("1.5").success).toBe(false);
    expect(double().parse("2.5")).toBe(2.5);
    expect(double().parse("Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(double().parse("NaN"))).toBe(true);
    expect(double().safeParse("two").success).toBe(false);
  });

  it("keeps bytes as base64 and refuses what is not base64", () => {
    expect(bytes().parse("aGk=")).toBe("aGk=");
    expect(bytes().parse("aGk")).toBe("aGk");
    expect(bytes().safeParse("not base64!").success).toBe(false);
  });

  it("reads maps as objects and ignores unknown keys", () => {
    expect(map(double()).parse({ cpus: "Infinity" })).toEqual({ cpus: Number.POSITIVE_INFINITY });
    expect(message({ a: text() }).parse({ a: "x", extra: 1 })).toEqual({ a: "x" });
  });

  it("refuses unknown enum names", () => {
    expect(ResourceSchema.safeParse({ name: "cpus", type: "SCALARISH" }).success).toBe(false);
  });
});

describe("messages with proto defaults", () => {
  it("fills FrameworkInfo defaults Mesos echoes (failover_timeout 0, checkpoint false)", () => {
    const info = FrameworkInfoSchema.parse({ user: "u", name: "n", id: null, failover_timeout: null });
    expect(info).toMatchObject({ failover_timeout: 0, checkpoint: false, roles: [], capabilities: [] });
    expect(info.role).toBeUndefined();
  });

  it("fills CommandInfo.shell true and HealthCheck timings", () => {
    const task = TaskInfoSchema.parse({
      name: "t",
      task_id: { value: "t" },
      agent_id: { value: "a" },
      command: { value: "sleep 1" },
      health_check: { http: { port: 80, statuses: 200 } },
    });
    expect(task.command?.shell).toBe(true);
    expect(task.health_check).toMatchObject({
      delay_seconds: 15,
      interval_seconds: 10,
      consecutive_failures: 3,
    });
    expect(task.health_check?.http?.statuses).toEqual([200]);
  });

  it("gives ACCEPT and DECLINE the default filter (refuse 5 s) when filters is null or absent", () => {
    const call = SchedulerCallSchema.parse({
      type: "DECLINE",
      framework_id: { value: "f" },
      decline: { offer_ids: [{ value: "o" }], filters: null },
    });
    expect(call.decline?.filters).toEqual({ refuse_seconds: 5 });
  });
});

describe("parse errors", () => {
  it("names the missing required fields by path", () => {
    const r = SchedulerCallSchema.safeParse({ type: "SUBSCRIBE", subscribe: { framework_info: {} } });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(describeParseError(r.error)).toBe(
        "Missing required fields: subscribe.framework_info.user, subscribe.framework_info.name",
      );
  });

  it("names the first invalid value by path", () => {
    const r = z.object({ a: z.array(message({ b: double() })) }).safeParse({ a: [{ b: "x" }] });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeParseError(r.error)).toBe("Invalid value at 'a[0].b': Expected a number");
  });
});
