// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics (client-node has
// no helper; ts-ecosystem.md §1.7):
//
// - candidates try every `retryPeriod` (with jitter); a lease held by someone else is taken only
//   after it went unchanged for `leaseDuration`, as observed on *our* clock;
// - every write is a replace carrying the resourceVersion we read, so of two replicas racing for
//   the same lease exactly one wins (the other gets 409 Conflict);
// - the leader renews every `retryPeriod`; if it cannot renew for `renewDeadline` (< leaseDuration)
//   it stops leading — before anyone else can take over, which is what makes two replicas safe;
// - `onStoppedLeading` is awaited before the lease is contested again or released, so controllers
//   are stopped before another replica may start its own;
// - `stop()` releases the lease (no holder) so a standby takes over at once instead of waiting
//   for expiry.
import { type CoordinationV1Api, type V1LeaseSpec, V1MicroTime } from "@kubernetes/client-node";
import type { Logger } from "../logging.ts";
import { isAlreadyExists, isConflict, isNotFound, toKubeError } from "./kubeErrors.ts";
import { claim, type LeaseClaim, mayClaim, release } from "./leaseRules.ts";

export type LeaderState = "candidate" | "leader" | "stopped";

export interface LeaderCallbacks {
  /** Became leader: start the controllers. */
  onStartedLeading(): void | Promise<void>;
  /** No longer leader (lost, or stopping): stop the controllers. Awaited. */
  onStoppedLeading(): void | Promise<void>;
  /** The lease holder changed (any holder, "" when released). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  coord: CoordinationV1Api;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  callbacks: LeaderCallbacks;
  log: Logger;
  /** Reports leadership (1/0) for the leader_election_master_status gauge. */
  onLeaderStatus?: (leading: boolean) => void;
  random?: () => number;
}

type Attempt = "claimed" | "heldByOther" | "failed";

export class LeaderElector {
  private state: LeaderState = "stopped";
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private observedVersion: string | undefined;
  private observedAt = 0;
  private observedHolder: string | undefined;
  private pendingAttempt: Promise<Attempt> | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: LeaderElectorOptions) {
    if (opts.renewDeadlineMs >= opts.leaseDurationMs)
      throw new Error("renewDeadline must be shorter than leaseDuration");
    if (opts.retryPeriodMs >= opts.renewDeadlineMs)
      throw new Error("retryPeriod must be shorter than renewDeadline");
    this.log = opts.log.child({ component: "leader-election", lease: `${opts.namespace}/${opts.name}` });
  }

  get currentState(): LeaderState {
    return this.state;
  }

  isLeader(): boolean {
    return this.state === "leader";
  }

  /** The holder we last saw on the lease ("" = none, undefined = not read yet). */
  get observedLeader(): string | undefined {
    return this.observedHolder;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state = "candidate";
    this.loop = this.run().catch((err: unknown) => this.log.error({ err }, "leader election loop crashed"));
  }

  /** Stops contesting; if leading, stops the controllers (callback) and then releases the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.state = "stopped";
  }

  // -------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      const attempt = await this.attempt(this.opts.renewDeadlineMs);
      if (this.stopping) {
        // A claim that raced with stop() may have succeeded: give the lease back.
        if (attempt === "claimed") await this.release();
        break;
      }
      if (attempt === "claimed") {
        await this.lead();
      } else {
        await this.sleep(this.jittered(this.opts.retryPeriodMs));
      }
    }
  }

  private async lead(): Promise<void> {
    this.state = "leader";
    this.opts.onLeaderStatus?.(true);
    this.log.info({ identity: this.opts.identity }, "became leader");
    try {
      await this.opts.callbacks.onStartedLeading();
    } catch (err) {
      this.log.error({ err }, "onStartedLeading failed");
    }
    let lastRenew = Date.now();
    while (!this.stopping) {
      await this.sleep(this.opts.retryPeriodMs);
      if (this.stopping) break;
      const left = this.opts.renewDeadlineMs - (Date.now() - lastRenew);
      const attempt = await this.attempt(Math.max(left, 1));
      if (attempt === "claimed") {
        lastRenew = Date.now();
        continue;
      }
      if (attempt === "heldByOther") {
        this.log.warn({ holder: this.observedHolder }, "lease taken by another replica; stopping leading");
        break;
      }
      if (Date.now() - lastRenew >= this.opts.renewDeadlineMs) {
        this.log.warn(
          { renewDeadlineMs: this.opts.renewDeadlineMs },
          "could not renew the lease in time; stopping leading",
        );
        break;
      }
    }
    this.state = this.stopping ? "stopped" : "candidate";
    this.opts.onLeaderStatus?.(false);
    try {
      await this.opts.callbacks.onStoppedLeading();
    } catch (err) {
      this.log.error({ err }, "onStoppedLeading failed");
    }
    if (this.stopping) await this.release();
  }

  /** One read-then-write round, bounded by `timeoutMs` (a hung request counts as a failure). */
  private async attempt(timeoutMs: number): Promise<Attempt> {
    // Never two rounds at once: a timed-out one may still be running.
    if (this.pendingAttempt) return "failed";
    const p = this.tryClaim().finally(() => {
      this.pendingAttempt = undefined;
    });
    this.pendingAttempt = p;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Attempt>((resolve) => {
      timer = setTimeout(() => resolve("failed"), timeoutMs);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryClaim(): Promise<Attempt> {
    const { coord, namespace, name, identity } = this.opts;
    const durationSeconds = Math.ceil(this.opts.leaseDurationMs / 1000);
    try {
      let lease: Awaited<ReturnType<CoordinationV1Api["readNamespacedLease"]>>;
      try {
        lease = await coord.readNamespacedLease({ name, namespace });
      } catch (err) {
        if (!isNotFound(toKubeError(err, "read lease"))) throw err;
        const spec = claim(undefined, identity, durationSeconds, new Date());
        const created = await coord.createNamespacedLease({
          namespace,
          body: { metadata: { name, namespace }, spec: microTimes(spec) },
        });
        this.observe(created.metadata?.resourceVersion, claimOf(created.spec));
        return "claimed";
      }
      const current = claimOf(lease.spec);
      this.observe(lease.metadata?.resourceVersion, current);
      if (!mayClaim(current, identity, this.observedAt, Date.now())) return "heldByOther";
      const spec = claim(current, identity, durationSeconds, new Date());
      const replaced = await coord.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: { ...lease.spec, ...microTimes(spec) },
        },
      });
      this.observe(replaced.metadata?.resourceVersion, claimOf(replaced.spec));
      return "claimed";
    } catch (err) {
      const e = toKubeError(err, `claim lease ${namespace}/${name}`);
      // Conflict / AlreadyExists: another replica wrote first; the normal way to lose a race.
      if (isConflict(e) || isAlreadyExists(e)) this.log.debug({ err: e }, "lost a race for the lease");
      else this.log.warn({ err: e }, "lease request failed");
      return "failed";
    }
  }

  private observe(resourceVersion: string | undefined, spec: LeaseClaim): void {
    if (resourceVersion !== this.observedVersion) {
      this.observedVersion = resourceVersion;
      this.observedAt = Date.now();
    }
    const holder = spec.holderIdentity ?? "";
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      this.log.info({ holder }, "lease holder changed");
      this.opts.callbacks.onNewLeader?.(holder);
    }
  }

  /** Gives the lease up if we still hold it (optimistically: a conflict means it is not ours). */
  private async release(): Promise<void> {
    const { coord, namespace, name, identity } = this.opts;
    await this.pendingAttempt?.catch(() => undefined);
    try {
      const lease = await coord.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      await coord.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: { ...lease.spec, ...microTimes(release(claimOf(lease.spec), new Date())) },
        },
      });
      this.log.info("released the lease");
    } catch (err) {
      this.log.warn(
        { err: toKubeError(err, "release lease") },
        "could not release the lease; it will expire",
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** client-go's wait.JitterUntil with factor 1.2: [period, 2.2 × period). */
  private jittered(ms: number): number {
    return ms * (1 + 1.2 * (this.opts.random ?? Math.random)());
  }
}

// The API server parses Lease times as RFC 3339 with microseconds; client-node's V1MicroTime
// serializes that way, a plain Date does not (ts-ecosystem.md §1.6).
function microTimes(spec: LeaseClaim) {
  return {
    ...spec,
    acquireTime: spec.acquireTime ? new V1MicroTime(spec.acquireTime.getTime()) : undefined,
    renewTime: spec.renewTime ? new V1MicroTime(spec.renewTime.getTime()) : undefined,
  };
}

/**
 * The election fields of a Lease as read. client-node 2.0.1 types acquireTime/renewTime as
 * V1MicroTime but hands over the wire strings, so both forms are accepted.
 */
function claimOf(spec: V1LeaseSpec | undefined): LeaseClaim {
  return {
    holderIdentity: spec?.holderIdentity,
    leaseDurationSeconds: spec?.leaseDurationSeconds,
    leaseTransitions: spec?.leaseTransitions,
    acquireTime: toDate(spec?.acquireTime),
    renewTime: toDate(spec?.renewTime),
  };
}

function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === "string") {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
