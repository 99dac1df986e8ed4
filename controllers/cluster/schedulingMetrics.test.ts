import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { SchedulingMetrics } from "./schedulingMetrics.ts";

const fresh = () => {
  const registry = new Registry();
  return { registry, m: new SchedulingMetrics(registry) };
};

describe("SchedulingMetrics", () => {
  it("maps offers by outcome onto Mesos per-framework counters; expired counts as rescinded", async () => {
    const { m } = fresh();
    m.offers("sent", "fw-1", 3);
    m.offers("accepted", "fw-1", 1);
    m.offers("declined", "fw-1", 1);
    m.offers("rescinded", "fw-1", 1);
    m.offers("expired", "fw-1", 1);
    m.offers("sent", "gone", 7);
    const snap = await m.mesosSnapshot([
      { id: "fw-1", name: "my fw" },
      { id: "fw-2", name: "idle" },
    ]);
    expect(snap).toMatchObject({
      "master/frameworks/my%20fw/fw-1/offers/sent": 3,
      "master/frameworks/my%20fw/fw-1/offers/accepted": 1,
      "master/frameworks/my%20fw/fw-1/offers/declined": 1,
      "master/frameworks/my%20fw/fw-1/offers/rescinded": 2,
      "master/frameworks/idle/fw-2/offers/sent": 0,
    });
    expect(Object.keys(snap).some((k) => k.includes("gone"))).toBe(false);
  });

  it("drops a removed framework's offer counters from the Prometheus registry", async () => {
    const { m, registry } = fresh();
    m.offers("sent", "fw-1", 3);
    m.offers("rescinded", "fw-1", 3);
    m.offers("sent", "fw-2", 1);
    m.forgetFramework("fw-1");
    const text = await registry.metrics();
    expect(text).not.toContain('framework_id="fw-1"');
    expect(text).toContain('framework_id="fw-2"');
  });

  it("counts terminal updates by state, source and reason under Mesos names", async () => {
    const { m } = fresh();
    m.taskUpdate("TASK_LOST", "SOURCE_MASTER", "REASON_INVALID_OFFERS");
    m.taskUpdate("TASK_LOST", "SOURCE_MASTER", "REASON_INVALID_OFFERS");
    m.taskUpdate("TASK_RUNNING", "SOURCE_EXECUTOR", undefined);
    m.taskUpdate("TASK_FINISHED", "SOURCE_EXECUTOR", undefined);
    const snap = await m.mesosSnapshot([]);
    expect(snap["master/task_lost/source_master/reason_invalid_offers"]).toBe(2);
    expect(Object.keys(snap).filter((k) => k.startsWith("master/task_"))).toHaveLength(1);
  });

  it("reports allocation runs and the last run's duration", async () => {
    const { m } = fresh();
    m.cycle("batch", 3);
    m.cycle("event", 1.5);
    const snap = await m.mesosSnapshot([]);
    expect(snap["allocator/mesos/allocation_runs"]).toBe(2);
    expect(snap["allocator/mesos/allocation_run_ms"]).toBe(1.5);
  });

  it("exposes tasks by state (unlaunched as TASK_PENDING) and API requests in Prometheus text", async () => {
    const { registry, m } = fresh();
    m.observeTasks(() => ["TASK_RUNNING", "TASK_RUNNING", undefined]);
    m.apiRequest("scheduler", "ACCEPT", 202, 0.002);
    const text = await registry.metrics();
    expect(text).toContain('mesos_operator_tasks{state="TASK_RUNNING"} 2');
    expect(text).toContain('mesos_operator_tasks{state="TASK_PENDING"} 1');
    expect(text).toContain('mesos_operator_tasks{state="TASK_LOST"} 0');
    expect(text).toContain('mesos_operator_api_requests_total{api="scheduler",call="ACCEPT",code="202"} 1');
    expect(text).toContain(
      'mesos_operator_api_request_duration_seconds_count{api="scheduler",call="ACCEPT"} 1',
    );
  });
});
