import { describe, expect, it } from "vitest";
import { Backoff, backoffDelay } from "./backoff.ts";
import { TokenBucket } from "./tokenBucket.ts";

describe("backoffDelay", () => {
  it("doubles from the initial delay up to the cap", () => {
    const p = { initialMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(p, a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("with full jitter stays within [delay/2, delay]", () => {
    const p = { initialMs: 1000, maxMs: 30_000, jitter: 1 };
    expect(backoffDelay(p, 2, () => 0)).toBe(4000);
    expect(backoffDelay(p, 2, () => 0.999_999)).toBe(2000);
    expect(backoffDelay(p, 2, () => 0.5)).toBe(3000);
  });
});

describe("Backoff", () => {
  it("counts failures and starts over after reset", () => {
    const b = new Backoff({ initialMs: 10, maxMs: 50 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 40, 50]);
    expect(b.attempts).toBe(4);
    b.reset();
    expect(b.next()).toBe(10);
  });
});

describe("TokenBucket", () => {
  it("hands out the burst at once, then one token per 1/rate, as reservations or refusals", () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(500);
    expect(bucket.reserve()).toBe(1000);
    expect(bucket.tryTake()).toBe(false);
    now = 1000; // two tokens refilled, both already reserved
    expect(bucket.tryTake()).toBe(false);
    now = 1500;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now = 100_000; // refills only up to the burst
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
