// Status-update reliability (semantics.md §4.12): retries 10 s doubling to 10 min until ACKed,
// one outstanding update per task, master-generated updates (no uuid) sent once.
import { describe, expect, it } from "vitest";
import type { TaskStatus } from "../messages/taskStatus.ts";
import { ManualTimers } from "../testing/manualTimers.ts";
import { StatusUpdateRetrier } from "./statusUpdateRetrier.ts";

function setup() {
  const timers = new ManualTimers();
  const sent: { at: number; frameworkId: string; status: TaskStatus }[] = [];
  const retrier = new StatusUpdateRetrier({
    timers,
    send: (frameworkId, status) => sent.push({ at: timers.now, frameworkId, status }),
  });
  return { timers, sent, retrier };
}

const uuid = (n: number) => Buffer.alloc(16, n).toString("base64");
const status = (task: string, state: TaskStatus["state"], u?: string): TaskStatus => ({
  task_id: { value: task },
  state,
  ...(u === undefined ? {} : { uuid: u }),
});

describe("StatusUpdateRetrier", () => {
  it("re-sends an unacknowledged update at +10 s, +20 s, +40 s … capped at 10 min", () => {
    const { timers, sent, retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_RUNNING", uuid(1)));
    timers.advance(3 * 3600 * 1000);
    const gaps = sent.slice(1).map((s, i) => (s.at - (sent[i]?.at ?? 0)) / 1000);
    expect(gaps.slice(0, 8)).toEqual([10, 20, 40, 80, 160, 320, 600, 600]);
    expect(new Set(sent.map((s) => s.status.uuid))).toEqual(new Set([uuid(1)]));
  });

  it("keeps one update outstanding per task and sends the next when the head is acknowledged", () => {
    const { timers, sent, retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_RUNNING", uuid(1)));
    retrier.enqueue("f", status("t", "TASK_FINISHED", uuid(2)));
    retrier.enqueue("f", status("other", "TASK_RUNNING", uuid(3)));
    expect(sent.map((s) => s.status.task_id.value + s.status.state)).toEqual([
      "tTASK_RUNNING",
      "otherTASK_RUNNING",
    ]);
    expect(retrier.acknowledge("f", "t", uuid(2))).toBe(false);
    expect(retrier.acknowledge("f", "t", uuid(1))).toBe(true);
    expect(sent.at(-1)?.status.state).toBe("TASK_FINISHED");
    expect(retrier.acknowledge("f", "t", uuid(2))).toBe(true);
    expect(retrier.pending("f", "t")).toEqual([]);
    const before = sent.length;
    timers.advance(60_000);
    // Only "other" is still retried.
    expect(sent.slice(before).every((s) => s.status.task_id.value === "other")).toBe(true);
  });

  it("accepts the uuid with or without base64 padding", () => {
    const { retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_RUNNING", uuid(4)));
    expect(retrier.acknowledge("f", "t", uuid(4).replace(/=+$/, ""))).toBe(true);
  });

  it("sends master-generated updates (no uuid) once and never retries them", () => {
    const { timers, sent, retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_LOST"));
    timers.advance(3600_000);
    expect(sent).toHaveLength(1);
    expect(timers.pending).toBe(0);
  });

  it("re-sends heads at once on resume (re-subscription) and restarts the backoff", () => {
    const { timers, sent, retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_RUNNING", uuid(5)));
    timers.advance(75_000); // sent at 0, 10, 30, 70
    expect(sent).toHaveLength(4);
    retrier.resume("f");
    expect(sent).toHaveLength(5);
    timers.advance(10_000);
    expect(sent).toHaveLength(6);
  });

  it("forgets a removed framework's updates", () => {
    const { timers, sent, retrier } = setup();
    retrier.enqueue("f", status("t", "TASK_RUNNING", uuid(6)));
    retrier.forget("f");
    timers.advance(3600_000);
    expect(sent).toHaveLength(1);
    expect(timers.pending).toBe(0);
  });
});
