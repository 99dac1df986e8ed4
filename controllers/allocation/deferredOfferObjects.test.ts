import { describe, expect, it } from "vitest";
import { DeferredOfferObjects } from "./deferredOfferObjects.ts";

/** Timers driven by hand: `advance` runs what is due, in order. */
function manualTimers() {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  return {
    timers: {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => {
        pending.set(++next, { at: now + ms, run });
        return next;
      },
      clearTimeout: (h: number) => void pending.delete(h),
    },
    armed: () => pending.size,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = until;
    },
  };
}

function setUp() {
  const clock = manualTimers();
  const due: string[] = [];
  const deferred = new DeferredOfferObjects(clock.timers, (key, offerId) => due.push(`${key}:${offerId}`));
  return { clock, due, deferred };
}

describe("DeferredOfferObjects", () => {
  it("hands each offer over once, when it is due, under a single timer", () => {
    const { clock, due, deferred } = setUp();
    deferred.defer("o1", "ns/o1", 1000);
    deferred.defer("o2", "ns/o2", 1000);
    deferred.defer("o3", "ns/o3", 1500);
    expect(clock.armed()).toBe(1);
    clock.advance(999);
    expect(due).toEqual([]);
    clock.advance(1);
    expect(due).toEqual(["ns/o1:o1", "ns/o2:o2"]);
    clock.advance(500);
    expect(due).toEqual(["ns/o1:o1", "ns/o2:o2", "ns/o3:o3"]);
    expect(deferred.size).toBe(0);
    expect(clock.armed()).toBe(0);
  });

  it("drops an offer gone before it was due: never handed over, and drop says it was waiting", () => {
    const { clock, due, deferred } = setUp();
    deferred.defer("o1", "ns/o1", 1000);
    deferred.defer("o2", "ns/o2", 1000);
    expect(deferred.drop("o1")).toBe(true);
    expect(deferred.drop("o1")).toBe(false);
    clock.advance(1000);
    expect(due).toEqual(["ns/o2:o2"]);
    // After it was handed over it is no longer waiting: its object may exist, so drop says no.
    expect(deferred.drop("o2")).toBe(false);
  });

  it("keeps the first due time of an offer deferred twice, and rearms for an earlier one", () => {
    const { clock, due, deferred } = setUp();
    deferred.defer("late", "ns/late", 2000);
    deferred.defer("early", "ns/early", 500);
    deferred.defer("early", "ns/early", 5000);
    clock.advance(500);
    expect(due).toEqual(["ns/early:early"]);
    clock.advance(1500);
    expect(due).toEqual(["ns/early:early", "ns/late:late"]);
  });

  it("clear forgets everything and disarms", () => {
    const { clock, due, deferred } = setUp();
    deferred.defer("o1", "ns/o1", 1000);
    deferred.clear();
    expect(clock.armed()).toBe(0);
    clock.advance(2000);
    expect(due).toEqual([]);
  });
});
