import { describe, expect, it } from "vitest";
import { AllocationScheduler, type TimerFunctions } from "./allocationScheduler.ts";
import { Allocator, type CycleResult } from "./allocator.ts";
import { agent } from "./testHarness.ts";

/** A manual clock: timers fire only when the test advances time. */
class FakeTimers implements TimerFunctions<number> {
  private t = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(run: () => void, ms: number): number {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, run });
    return id;
  }
  clearTimeout(id: number): void {
    this.pending.delete(id);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; run: () => void }] | undefined;
      for (const e of this.pending)
        if (e[1].at <= end && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].run();
    }
    this.t = end;
  }
}

function setup() {
  const allocator = new Allocator();
  const timers = new FakeTimers();
  const cycles: { kind: string; at: number; result: CycleResult }[] = [];
  const scheduler = new AllocationScheduler(allocator, timers, (result, kind) =>
    cycles.push({ kind, at: timers.now(), result }),
  );
  return { allocator, timers, cycles, scheduler };
}

describe("AllocationScheduler", () => {
  it("runs a batch cycle every interval", () => {
    const { timers, cycles, scheduler } = setup();
    scheduler.start();
    timers.advance(3500);
    expect(cycles.map((c) => [c.kind, c.at])).toEqual([
      ["batch", 1000],
      ["batch", 2000],
      ["batch", 3000],
    ]);
    scheduler.stop();
    timers.advance(5000);
    expect(cycles).toHaveLength(3);
  });

  it("coalesces a burst of events into one prompt cycle over the agents they name", () => {
    const { allocator, timers, cycles, scheduler } = setup();
    scheduler.start();
    allocator.addFramework({ id: "fw", roles: ["*"] });
    for (let i = 0; i < 500; i++) {
      allocator.upsertAgent(agent(`a${i}`, "cpus:1;mem:64"));
      scheduler.notify();
    }
    timers.advance(0);
    expect(cycles.map((c) => c.kind)).toEqual(["event"]);
    expect(cycles[0]!.result.agents).toBe(500);
    expect(cycles[0]!.result.offers).toHaveLength(500);
  });

  it("does not run for freed resources until the batch run (Mesos), unless asked", () => {
    const { allocator, timers, cycles, scheduler } = setup();
    allocator.upsertAgent(agent("a1", "cpus:1;mem:64"));
    allocator.addFramework({ id: "fw", roles: ["*"] });
    scheduler.start();
    timers.advance(0);
    const [offer] = cycles[0]!.result.offers;
    allocator.decline("fw", [offer!.id], { refuseSeconds: 0 }, timers.now());
    scheduler.notify();
    timers.advance(10);
    expect(cycles).toHaveLength(1);
    allocator.requestAllocation(["a1"]);
    scheduler.notify();
    timers.advance(0);
    expect(cycles.map((c) => [c.kind, c.result.offers.length])).toEqual([
      ["event", 1],
      ["event", 1],
    ]);
  });

  it("a batch run absorbs a queued event run", () => {
    const { allocator, timers, cycles } = setup();
    const delayed = new AllocationScheduler(
      allocator,
      timers,
      (result, kind) => cycles.push({ kind, at: timers.now(), result }),
      {
        eventDelayMs: 1500,
      },
    );
    delayed.start();
    allocator.addFramework({ id: "fw", roles: ["*"] });
    delayed.notify();
    timers.advance(2000);
    expect(cycles.map((c) => c.kind)).toEqual(["batch", "batch"]);
  });
});
