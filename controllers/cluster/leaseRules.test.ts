import { describe, expect, it } from "vitest";
import { claim, mayClaim, release } from "./leaseRules.ts";

describe("mayClaim", () => {
  const held = { holderIdentity: "a", leaseDurationSeconds: 15 };

  it("lets the holder renew and anyone take a released or empty lease", () => {
    expect(mayClaim(held, "a", 0, 1_000_000)).toBe(true);
    expect(mayClaim({ holderIdentity: "" }, "b", 0, 0)).toBe(true);
    expect(mayClaim({}, "b", 0, 0)).toBe(true);
  });

  it("makes others wait the lease duration from when *we* last saw it change", () => {
    // renewTime is deliberately ignored: the holder's clock may be hours off ours.
    const skewed = { ...held, renewTime: new Date(0) };
    expect(mayClaim(skewed, "b", 10_000, 24_999)).toBe(false);
    expect(mayClaim(skewed, "b", 10_000, 25_000)).toBe(true);
  });
});

describe("claim and release", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const earlier = new Date("2025-12-31T00:00:00Z");

  it("creates a lease with no transition", () => {
    expect(claim(undefined, "a", 15, now)).toEqual({
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    });
  });

  it("renewing keeps acquireTime and the transition count", () => {
    const c = claim({ holderIdentity: "a", acquireTime: earlier, leaseTransitions: 4 }, "a", 15, now);
    expect(c.acquireTime).toBe(earlier);
    expect(c.renewTime).toBe(now);
    expect(c.leaseTransitions).toBe(4);
  });

  it("taking over counts a transition, also after a release", () => {
    expect(claim({ holderIdentity: "a", leaseTransitions: 4 }, "b", 15, now).leaseTransitions).toBe(5);
    const released = release({ holderIdentity: "a", leaseTransitions: 4 }, now);
    expect(released).toMatchObject({ holderIdentity: "", leaseDurationSeconds: 1, leaseTransitions: 4 });
    expect(claim(released, "b", 15, now).leaseTransitions).toBe(5);
  });
});
