// The rules of Lease-based leader election (client-go's leaderelection package), as pure functions
// so they can be tested without a cluster. leaderElection.ts does the reading and writing.

/** The fields of a coordination.k8s.io/v1 LeaseSpec that election uses. */
export interface LeaseClaim {
  holderIdentity?: string | undefined;
  leaseDurationSeconds?: number | undefined;
  acquireTime?: Date | undefined;
  renewTime?: Date | undefined;
  leaseTransitions?: number | undefined;
}

/**
 * Whether `identity` may take or keep the lease at `nowMs`.
 *
 * Expiry is measured from `observedAtMs`, the local time at which *we* last saw the lease change,
 * not from its renewTime: the holder's clock may be skewed against ours, and client-go does the
 * same. A lease with no holder (released) is free at once.
 */
export function mayClaim(lease: LeaseClaim, identity: string, observedAtMs: number, nowMs: number): boolean {
  const holder = lease.holderIdentity ?? "";
  if (holder === "" || holder === identity) return true;
  return observedAtMs + (lease.leaseDurationSeconds ?? 0) * 1000 <= nowMs;
}

/** The spec to write when `identity` claims (or renews) the lease. */
export function claim(
  current: LeaseClaim | undefined,
  identity: string,
  leaseDurationSeconds: number,
  now: Date,
): Required<
  Pick<
    LeaseClaim,
    "holderIdentity" | "leaseDurationSeconds" | "acquireTime" | "renewTime" | "leaseTransitions"
  >
> {
  const renewing = current?.holderIdentity === identity;
  const transitions = current?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing && current?.acquireTime ? current.acquireTime : now,
    renewTime: now,
    // A change of holder is a transition; the first holder of a new lease is not.
    leaseTransitions: current === undefined || renewing ? transitions : transitions + 1,
  };
}

/** The spec that gives the lease up (client-go's release: no holder, 1 s duration). */
export function release(current: LeaseClaim, now: Date): LeaseClaim {
  return {
    holderIdentity: "",
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: current.leaseTransitions ?? 0,
  };
}
