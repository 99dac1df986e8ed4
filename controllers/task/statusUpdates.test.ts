import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isTerminalTaskState,
  MAX_TASK_STATUS_UPDATES,
  TASK_REASONS,
  TASK_SOURCES,
  TASK_STATES,
  type TaskStatus,
  TaskStatusSchema,
  type TaskStatusUpdate,
} from "../api/index.ts";
import {
  acknowledgeUpdate,
  boundUpdates,
  type RecordContext,
  recordLaunch,
  recordTaskUpdate,
  unacknowledgedUpdates,
} from "./statusUpdates.ts";
import type { TaskObservation } from "./taskStateFromPod.ts";

function context(start = Date.parse("2026-03-01T12:00:00Z")): RecordContext & { tick(): void } {
  let n = 0;
  const ctx = {
    now: new Date(start),
    newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    tick() {
      ctx.now = new Date(ctx.now.getTime() + 1000);
    },
  };
  return ctx;
}

const launch = { agentId: "a-S0", nodeName: "n1", podName: "p", offerIds: ["o1"], role: "web" };

describe("recordTaskUpdate", () => {
  it("records a launch as TASK_STAGING from the master, without uuid, with where it goes", () => {
    const ctx = context();
    const s = recordLaunch(undefined, launch, ctx)!;
    expect(s).toEqual({
      state: "TASK_STAGING",
      source: "SOURCE_MASTER",
      stagingTime: "2026-03-01T12:00:00.000Z",
      updates: [
        {
          state: "TASK_STAGING",
          source: "SOURCE_MASTER",
          timestamp: "2026-03-01T12:00:00.000Z",
          acknowledged: false,
        },
      ],
      ...launch,
    });
    expect(TaskStatusSchema.safeParse(s).success).toBe(true);
    expect(recordLaunch(s, launch, ctx)).toBeUndefined();
  });

  it("agent and executor updates get a uuid; master updates none", () => {
    const ctx = context();
    let s = recordLaunch(undefined, launch, ctx)!;
    s = recordTaskUpdate(s, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" }, ctx)!;
    expect(s.updates!.at(-1)!.uuid).toBe("00000000-0000-4000-8000-000000000001");
    s = recordTaskUpdate(
      s,
      { state: "TASK_FAILED", source: "SOURCE_AGENT", reason: "REASON_CONTAINER_LIMITATION_MEMORY" },
      ctx,
    )!;
    expect(s.updates!.at(-1)!.uuid).toBe("00000000-0000-4000-8000-000000000002");
    expect(s.completionTime).toBe(ctx.now.toISOString());
    const lost = recordTaskUpdate(undefined, { state: "TASK_LOST", source: "SOURCE_MASTER" }, ctx)!;
    expect(lost.updates![0]!.uuid).toBeUndefined();
  });

  it("sets start and completion times once", () => {
    const ctx = context();
    let s = recordLaunch(undefined, launch, ctx)!;
    ctx.tick();
    s = recordTaskUpdate(s, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR", healthy: true }, ctx)!;
    const started = s.startTime;
    ctx.tick();
    s = recordTaskUpdate(s, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR", healthy: false }, ctx)!;
    expect(s.startTime).toBe(started);
    expect(s.healthy).toBe(false);
    expect(s.updates).toHaveLength(3);
  });

  it("a partition sets unreachable time; healing clears it and the completion time", () => {
    const ctx = context();
    let s = recordTaskUpdate(undefined, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" }, ctx)!;
    ctx.tick();
    const lost: TaskObservation = {
      state: "TASK_LOST",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REMOVED",
      unreachable: true,
    };
    s = recordTaskUpdate(s, lost, ctx)!;
    expect(s.unreachableTime).toBe("2026-03-01T12:00:01.000Z");
    expect(s.completionTime).toBe("2026-03-01T12:00:01.000Z");
    ctx.tick();
    expect(recordTaskUpdate(s, lost, ctx)).toBeUndefined();
    s = recordTaskUpdate(
      s,
      { state: "TASK_RUNNING", source: "SOURCE_MASTER", reason: "REASON_AGENT_REREGISTERED" },
      ctx,
    )!;
    expect(s.state).toBe("TASK_RUNNING");
    expect(s.unreachableTime).toBeUndefined();
    expect(s.completionTime).toBeUndefined();
    expect(s.updates!.map((u) => u.state)).toEqual(["TASK_RUNNING", "TASK_LOST", "TASK_RUNNING"]);
    // The partition's update carries unreachable_time (TaskStatus.unreachable_time); the others none.
    expect(s.updates!.map((u) => u.unreachableTime)).toEqual([
      undefined,
      "2026-03-01T12:00:01.000Z",
      undefined,
    ]);
  });

  it("a task lost because its node was deleted stays lost", () => {
    const ctx = context();
    let s = recordTaskUpdate(undefined, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" }, ctx)!;
    s = recordTaskUpdate(
      s,
      { state: "TASK_LOST", source: "SOURCE_MASTER", reason: "REASON_AGENT_REMOVED" },
      ctx,
    )!;
    expect(recordTaskUpdate(s, { state: "TASK_RUNNING", source: "SOURCE_MASTER" }, ctx)).toBeUndefined();
  });

  it("keeps at most MAX_TASK_STATUS_UPDATES, dropping acknowledged ones first", () => {
    const u = (i: number, acknowledged: boolean): TaskStatusUpdate => ({
      state: "TASK_RUNNING",
      timestamp: new Date(i * 1000).toISOString(),
      acknowledged,
      ...(acknowledged ? { uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` } : {}),
    });
    const list = Array.from({ length: MAX_TASK_STATUS_UPDATES + 3 }, (_, i) => u(i, i % 10 === 5));
    const kept = boundUpdates(list);
    expect(kept).toHaveLength(MAX_TASK_STATUS_UPDATES);
    expect(kept.filter((x) => x.acknowledged)).toHaveLength(0);
    expect(kept[0]).toBe(list[0]);
    const none = boundUpdates(Array.from({ length: MAX_TASK_STATUS_UPDATES + 2 }, (_, i) => u(i, false)));
    expect(none[0]!.timestamp).toBe(new Date(2000).toISOString());
  });

  it("a repeated TASK_RUNNING with a reason records nothing", () => {
    const ctx = context();
    const obs: TaskObservation = {
      state: "TASK_RUNNING",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REREGISTERED",
      healthy: true,
    };
    const s = recordTaskUpdate({ state: "TASK_UNREACHABLE" }, obs, ctx)!;
    expect(recordTaskUpdate(s, obs, ctx)).toBeUndefined();
  });

  it("acknowledges once", () => {
    const ctx = context();
    let s = recordTaskUpdate(undefined, { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" }, ctx)!;
    const uuid = s.updates![0]!.uuid!;
    expect(unacknowledgedUpdates(s)).toHaveLength(1);
    s = acknowledgeUpdate(s, uuid)!;
    expect(s.updates![0]!.acknowledged).toBe(true);
    expect(unacknowledgedUpdates(s)).toHaveLength(0);
    expect(acknowledgeUpdate(s, uuid)).toBeUndefined();
    expect(acknowledgeUpdate(s, "00000000-0000-4000-8000-999999999999")).toBeUndefined();
    expect(TaskStatusSchema.safeParse(s).success).toBe(true);
  });
});

const observationArb: fc.Arbitrary<TaskObservation> = fc.record(
  {
    // TASK_RUNNING is the one state that may follow itself; give it weight so repeats are tried.
    state: fc.oneof(
      { weight: 3, arbitrary: fc.constant("TASK_RUNNING" as const) },
      fc.constantFrom(...TASK_STATES),
    ),
    source: fc.constantFrom(...TASK_SOURCES),
    reason: fc.constantFrom(...TASK_REASONS),
    message: fc.string({ maxLength: 20 }),
    healthy: fc.boolean(),
    unreachable: fc.boolean(),
  },
  { requiredKeys: ["state", "source"] },
);

describe("recordTaskUpdate properties", () => {
  it("recording the same observation twice changes nothing the second time", () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 12 }), observationArb, (history, obs) => {
        const ctx = context();
        let s: TaskStatus | undefined;
        for (const h of history) s = recordTaskUpdate(s, h, ctx) ?? s;
        const once = recordTaskUpdate(s, obs, ctx) ?? s;
        expect(recordTaskUpdate(once, obs, ctx)).toBeUndefined();
      }),
    );
  });

  it("a terminal state is never left, except a partition's TASK_LOST for TASK_RUNNING", () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 20 }), (history) => {
        const ctx = context();
        let s: TaskStatus | undefined;
        for (const h of history) {
          const next = recordTaskUpdate(s, h, ctx);
          if (next !== undefined && s?.state !== undefined && isTerminalTaskState(s.state)) {
            expect(s.state).toBe("TASK_LOST");
            expect(s.unreachableTime).toBeDefined();
            expect(next.state).toBe("TASK_RUNNING");
          }
          s = next ?? s;
        }
      }),
    );
  });

  it("every recorded status is valid for the API and bounded", () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 60 }), (history) => {
        const ctx = context();
        let s: TaskStatus | undefined;
        for (const h of history) {
          ctx.tick();
          s = recordTaskUpdate(s, h, ctx) ?? s;
        }
        if (s !== undefined) {
          expect(TaskStatusSchema.safeParse(s).success).toBe(true);
          expect(s.updates!.length).toBeLessThanOrEqual(MAX_TASK_STATUS_UPDATES);
          expect(s.updates!.at(-1)!.state).toBe(s.state);
        }
      }),
    );
  });
});
