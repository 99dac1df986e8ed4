// The allocation loop: the leader's one Allocator, fed from the informer caches and run in cycles.
//
// State lives in the API server, not here: on becoming leader the loop builds a fresh Allocator
// from the caches (nodes → agents, foreign pods → usage, frameworks, roles, launched tasks → their
// held resources) before its first cycle, then follows every informer event incrementally. Offers
// do not survive a restart (as after a Mesos master failover): the OfferID prefix carries the
// identity and start time, so a new term never reuses an old ID.
//
// The loop only touches memory. Writes (Offer objects, Task status) belong to the controllers,
// which it wakes through `enqueue`; they reach the allocator through `AllocationAccess`.
import {
  type AcceptCall,
  type AcceptOperation,
  type AcceptResult,
  AllocationScheduler,
  Allocator,
  type CycleResult,
  type ExplainOptions,
  type Explanation,
  type FrameworkSpec,
  type FrameworkView,
  type InverseOffer,
  type InverseOfferAnswer,
  type InverseOfferStatus,
  type Offer,
  podKey,
  type Rescind,
  type ReservationResult,
  type Resources,
  type RoleView,
} from "../allocator/index.ts";
import { type Framework, type Role, SCHEDULER_API_LABEL, type Task } from "../api/index.ts";
import type { LeaderRunnable } from "../cluster/controllerManager.ts";
import type { Informers } from "../cluster/index.ts";
import { keyOf } from "../cluster/index.ts";
import type { Node } from "../cluster/nodeSchema.ts";
import type { Pod } from "../cluster/podSchema.ts";
import type { AllocationLoopMetrics } from "../cluster/schedulingMetrics.ts";
import type { Config } from "../config.ts";
import { allocatorFrameworkSpec, frameworkAllocatorCall } from "../framework/frameworkAllocatorSpec.ts";
import { decidePhase, frameworkIdOf } from "../framework/frameworkPhase.ts";
import { checkFrameworkRoles } from "../framework/frameworkRoles.ts";
import type { Logger } from "../logging.ts";
import type { OfferEnding } from "../offer/offerPhase.ts";
import { type RoleConfig, roleConfigCalls, roleConfigOf } from "../role/roleConfig.ts";
import {
  agentCallsForNode,
  executorUsage,
  foreignPodUsage,
  isTaskPod,
  taskUsage,
} from "./clusterToAllocator.ts";
import { withCordonUnavailability } from "./cordonUnavailability.ts";
import { DeferredOfferObjects } from "./deferredOfferObjects.ts";
import {
  DYNAMIC_RESERVATIONS_ANNOTATION,
  decodeDynamicReservations,
  restoreSteps,
} from "./dynamicReservations.ts";
import { OfferEndings } from "./offerEndings.ts";
import { fromCompactResources } from "./resourceShapes.ts";

/** How the task and offer controllers use the leader's allocator. */
export interface AllocationAccess {
  /** False until the allocator is rebuilt from the caches (and after leadership ends). */
  readonly ready: boolean;
  offersOf(frameworkId: string): Offer[];
  offer(offerId: string): Offer | undefined;
  /** ACCEPT; the offers used are remembered as accepted by `taskNames`. */
  accept(
    call: AcceptCall,
    taskIdInUse: (taskId: string) => boolean,
    taskNames: readonly string[],
  ): AcceptResult;
  /** DECLINE with a filter; returns the offers declined. */
  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds: number): Offer[];
  /**
   * REVIVE: drops the framework's offer filters for these roles (all when empty) and allocates
   * soon. Unsuppressing is also persisted (spec.suppressedRoles) by the caller; without this a
   * REVIVE of a framework that never suppressed would leave its DECLINE filters in place.
   */
  revive(frameworkId: string, roles: readonly string[]): void;
  /**
   * Remembers an ACCEPT until its Tasks' statuses are written, so that a failed write (a stale
   * cache: 409) is retried with the same outcome instead of a second ACCEPT — which would find its
   * offers used and answer TASK_LOST REASON_INVALID_OFFERS, or use other offers.
   */
  holdLaunch(launch: UnrecordedLaunch): void;
  /** The held ACCEPT of a Task (by namespace/name) whose status is not written yet. */
  unrecordedLaunch(taskKey: string): UnrecordedLaunch | undefined;
  /** Every member's status is written: forget the held ACCEPT. */
  launchRecorded(launch: UnrecordedLaunch): void;
  /**
   * Calls `listener` after a cycle made offers or offers were rescinded, with the frameworks
   * concerned, so the Mesos API sends OFFERS and RESCIND at once rather than on its next poll.
   * Returns a function that removes the listener.
   */
  onOffersChanged(listener: (frameworkIds: ReadonlySet<string>) => void): () => void;
  explain(frameworkId: string, options: ExplainOptions): Explanation[];
  framework(frameworkId: string): FrameworkView | undefined;
  /** The allocator's view of a role (undefined while the allocator is not running). */
  role(name: string): RoleView | undefined;
  /** How an offer the allocator no longer holds ended; undefined when this term never knew it. */
  endingOf(offerId: string): OfferEnding | undefined;
  /** The Framework object (namespace/name) of a framework ID the allocator holds. */
  frameworkKeyOf(frameworkId: string): string | undefined;
  /**
   * Takes back the outstanding offers of these frameworks that their tasks did not use; returns
   * how many. See `reclaimIdleOffers` below for why.
   */
  reclaimIdleOffers(frameworkIds: readonly string[]): number;
  /**
   * Adds a Framework that is about to be created (a SUBSCRIBE answered before its object is
   * written), so its first offers come without waiting for the write and the watch. The cache's
   * copy replaces it when it arrives; `withdrawFramework` undoes it if the write fails.
   */
  admitFramework(fw: Framework): void;
  withdrawFramework(key: string): void;
  /**
   * A torn-down framework (Framework namespace/name) leaves the allocator at once, as Mesos's
   * removeFramework: its offers are rescinded and their resources offered to others without
   * waiting for the deletion of its object to come back through the cache.
   */
  retireFramework(key: string): void;
  /** The admitted Frameworks whose objects the cache does not show yet (for the state views). */
  admittedFrameworks(): Framework[];
  /** Outstanding maintenance inverse offers of a framework (semantics.md §4.9). */
  inverseOffersOf(frameworkId: string): InverseOffer[];
  /** ACCEPT/DECLINE_INVERSE_OFFERS; returns the inverse offers answered. */
  respondToInverseOffers(
    frameworkId: string,
    inverseOfferIds: readonly string[],
    answer: InverseOfferAnswer,
    refuseSeconds: number,
  ): InverseOffer[];
  /** Frameworks' answers per agent with maintenance (GET_MAINTENANCE_STATUS). */
  inverseOfferStatuses(): Map<string, InverseOfferStatus[]>;
  /**
   * RESERVE_RESOURCES / UNRESERVE_RESOURCES on an agent (in memory; the caller persists
   * `dynamicReservationsOf` afterwards). Offers on the agent are rescinded as needed.
   */
  changeReservation(
    kind: "RESERVE" | "UNRESERVE",
    agentId: string,
    resources: Resources,
    /** RESERVE only: what becomes `resources` (a reservation update); default: `resources` with its top reservation popped. */
    source?: Resources,
  ): ReservationResult;
  /** The agent's dynamic reservations as the allocator holds them (undefined: no such agent). */
  dynamicReservationsOf(agentId: string): Resources | undefined;
  /**
   * What a launched task holds under its usage key (Mesos resources with their reservations), so
   * its pod records exactly that; undefined when the allocator holds nothing for it.
   */
  heldResources(usageKey: string): Resources | undefined;
  /** ACCEPT's RESERVE / UNRESERVE ahead of its launches (Allocator.reshapeOffers). */
  reshapeOffers(
    frameworkId: string,
    offerIds: readonly string[],
    operations: readonly ReservationOperation[],
  ): ReturnType<Allocator["reshapeOffers"]>;
}

export type ReservationOperation = Extract<AcceptOperation, { type: "RESERVE" | "UNRESERVE" }>;

/** An ACCEPT made for Tasks whose statuses have not all been written yet. */
export interface UnrecordedLaunch {
  /** namespace/name of every Task the ACCEPT launched or refused. */
  memberKeys: string[];
  podName: string;
  nodeName: string;
  offerIds: string[];
  result: AcceptResult;
}

export interface AllocationLoopOptions {
  config: Config;
  informers: Informers;
  log: Logger;
  /** Wakes a controller ("task", "offer", "framework") for a key. */
  enqueue(controller: string, key: string, afterMs?: number): void;
  /** Cycle durations and offer outcomes (Prometheus, and Mesos names in /metrics/snapshot). */
  metrics?: AllocationLoopMetrics | undefined;
}

/** How long an offer of a Mesos-API framework is outstanding before it is written as an Offer object. */
export const MESOS_API_OFFER_OBJECT_DELAY_MS = 1000;

export class AllocationLoop implements LeaderRunnable, AllocationAccess {
  readonly name = "allocation-loop";
  private allocator: Allocator | undefined;
  private scheduler: AllocationScheduler<NodeJS.Timeout> | undefined;
  private unsubscribe: (() => void)[] = [];
  /** Agent ID the allocator holds per node name. */
  private readonly agentByNode = new Map<string, string>();
  /** When this term first saw each cordoned node cordoned (ms), for the cordon's unavailability. */
  private readonly cordonSeen = new Map<string, number>();
  /** Framework spec applied to the allocator, by Framework key. */
  private readonly appliedFrameworks = new Map<string, FrameworkSpec>();
  private readonly frameworkKeyById = new Map<string, string>();
  /** Admitted Frameworks (by key) whose objects the cache does not show yet. */
  private readonly admitted = new Map<string, Framework>();
  /** Retired frameworks (namespace/name → FrameworkID) whose objects are not gone yet. */
  private readonly retired = new Map<string, string>();
  private appliedRoles: RoleConfig | undefined;
  /** Usage key set per Task key, to clear it when the task goes. */
  private readonly usageKeyByTask = new Map<string, string>();
  /** The executor usage key each launched group member holds (members of one group share it). */
  private readonly executorKeyByTask = new Map<string, string>();
  private readonly unrecorded = new Map<string, UnrecordedLaunch>();
  private readonly offerListeners = new Set<(frameworkIds: ReadonlySet<string>) => void>();
  private readonly endings = new OfferEndings();
  private readonly deferredOffers = new DeferredOfferObjects(
    {
      now: () => Date.now(),
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (h) => clearTimeout(h),
    },
    (key, offerId) => {
      if (this.allocator?.offer(offerId) !== undefined) this.opts.enqueue("offer", key);
    },
  );
  private readonly log: Logger;

  constructor(private readonly opts: AllocationLoopOptions) {
    this.log = opts.log.child({ runnable: this.name });
  }

  get ready(): boolean {
    return this.allocator !== undefined;
  }

  start(): void {
    const { config, informers } = this.opts;
    const allocator = new Allocator({
      seed: Date.now() % 2_147_483_647,
      allocationIntervalMs: config.allocationIntervalMs,
      offerTimeoutMs:
        config.offerTimeoutSeconds === undefined ? undefined : config.offerTimeoutSeconds * 1000,
      minAllocatableResources: config.minAllocatableResources,
      // Unique across restarts and replicas: an OfferID is never reused (semantics.md §4.8).
      offerIdPrefix: `${config.identity.replace(/[^A-Za-z0-9._-]/g, "-")}-${Date.now().toString(36)}`,
    });
    this.allocator = allocator;
    // addHandlers replays every cached object as an add: that is the rebuild. Order only matters
    // for tidiness (the allocator parks usage of unknown nodes and frameworks until they come).
    this.unsubscribe = [
      informers.roles.addHandlers({
        onAdd: () => this.syncRoles(),
        onUpdate: () => this.syncRoles(),
        onDelete: () => this.syncRoles(),
      }),
      informers.nodes.addHandlers({
        onAdd: (n) => this.syncNode(n.metadata.name ?? ""),
        onUpdate: (_o, n) => this.syncNode(n.metadata.name ?? ""),
        onDelete: (n) => this.syncNode(n.metadata.name ?? ""),
      }),
      informers.frameworks.addHandlers({
        onAdd: (f) => this.syncFramework(keyOf(f) ?? ""),
        onUpdate: (_o, f) => this.syncFramework(keyOf(f) ?? ""),
        onDelete: (f) => this.syncFramework(keyOf(f) ?? ""),
      }),
      informers.pods.addHandlers({
        onAdd: (p) => this.syncPod(p, false),
        onUpdate: (_o, p) => this.syncPod(p, false),
        onDelete: (p) => this.syncPod(p, true),
      }),
      informers.tasks.addHandlers({
        onAdd: (t) => this.syncTask(taskKey(t)),
        onUpdate: (_o, t) => this.syncTask(taskKey(t)),
        onDelete: (t) => this.syncTask(taskKey(t)),
      }),
    ];
    const scheduler = new AllocationScheduler<NodeJS.Timeout>(
      allocator,
      {
        now: () => Date.now(),
        setTimeout: (run, ms) => setTimeout(run, ms),
        clearTimeout: (h) => clearTimeout(h),
      },
      (result, kind, durationMs) => {
        this.opts.metrics?.cycle(kind, durationMs);
        this.onCycle(result);
      },
      { intervalMs: config.allocationIntervalMs },
    );
    this.scheduler = scheduler;
    scheduler.start();
    // Tasks that waited for the allocator (controllers start before this runnable) try again.
    for (const t of informers.tasks.cache.list())
      if (t.status?.podName === undefined) this.enqueueTask(taskKey(t));
    // Outstanding Offer objects of an earlier term are marked as forgotten by the offer controller.
    for (const o of informers.offers.cache.list())
      if (o.status?.phase === undefined || o.status.phase === "Outstanding")
        this.opts.enqueue("offer", `${o.metadata.namespace}/${OFFER_KEY_MARK}${o.spec.offerId}`);
    this.log.info(
      { agents: allocator.agentIds().length, frameworks: this.appliedFrameworks.size },
      "allocator rebuilt from the caches",
    );
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.scheduler?.stop();
    this.scheduler = undefined;
    this.allocator = undefined;
    this.agentByNode.clear();
    this.cordonSeen.clear();
    this.appliedFrameworks.clear();
    this.frameworkKeyById.clear();
    this.admitted.clear();
    this.retired.clear();
    this.appliedRoles = undefined;
    this.usageKeyByTask.clear();
    this.unrecorded.clear();
    this.endings.clear();
    this.deferredOffers.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // AllocationAccess

  private require(): Allocator {
    if (this.allocator === undefined)
      throw new Error("the allocator is not running (not leading, or starting)");
    return this.allocator;
  }

  offersOf(frameworkId: string): Offer[] {
    return this.allocator?.offersOf(frameworkId) ?? [];
  }

  offer(offerId: string): Offer | undefined {
    return this.allocator?.offer(offerId);
  }

  accept(
    call: AcceptCall,
    taskIdInUse: (taskId: string) => boolean,
    taskNames: readonly string[],
  ): AcceptResult {
    const allocator = this.require();
    const held = heldOffers(allocator, call.offerIds);
    const result = allocator.accept(call, Date.now(), taskIdInUse);
    if (result.launched.length > 0) {
      for (const o of held) this.remember(o.id, { kind: "accepted", tasks: [...taskNames] });
      this.opts.metrics?.offers("accepted", call.frameworkId, held.length);
    }
    this.wakeOffers(held);
    this.scheduler?.notify();
    return result;
  }

  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds: number): Offer[] {
    const declined = this.require().decline(frameworkId, offerIds, { refuseSeconds }, Date.now());
    for (const o of declined) this.remember(o.id, { kind: "declined", refuseSeconds });
    this.opts.metrics?.offers("declined", frameworkId, declined.length);
    this.wakeOffers(declined);
    this.scheduler?.notify();
    return declined;
  }

  inverseOffersOf(frameworkId: string): InverseOffer[] {
    return this.allocator?.inverseOffersOf(frameworkId) ?? [];
  }

  respondToInverseOffers(
    frameworkId: string,
    inverseOfferIds: readonly string[],
    answer: InverseOfferAnswer,
    refuseSeconds: number,
  ): InverseOffer[] {
    return this.require().respondToInverseOffers(
      frameworkId,
      inverseOfferIds,
      answer,
      refuseSeconds,
      Date.now(),
    );
  }

  inverseOfferStatuses(): Map<string, InverseOfferStatus[]> {
    return this.allocator?.inverseOfferStatuses() ?? new Map();
  }

  revive(frameworkId: string, roles: readonly string[]): void {
    const allocator = this.require();
    const view = allocator.framework(frameworkId);
    if (view === undefined) return;
    // Only roles the allocator has for it (a role being added is revived by its spec update).
    const held = new Set(view.roles.map((r) => r.role));
    const known = roles.filter((r) => held.has(r));
    if (roles.length > 0 && known.length === 0) return;
    allocator.reviveOffers(frameworkId, known);
    this.scheduler?.notify();
  }

  /** Gives back what an ACCEPT took for a task that will never be recorded (see abandonLaunch). */
  private releaseUsage(usageKey: string): void {
    this.handleRescinds(this.allocator?.setPodUsage(usageKey, undefined) ?? []);
  }

  onOffersChanged(listener: (frameworkIds: ReadonlySet<string>) => void): () => void {
    this.offerListeners.add(listener);
    return () => this.offerListeners.delete(listener);
  }

  private tellOfferListeners(frameworkIds: ReadonlySet<string>): void {
    if (frameworkIds.size === 0) return;
    for (const l of this.offerListeners) {
      try {
        l(frameworkIds);
      } catch (err) {
        this.log.error({ err }, "an offer listener failed");
      }
    }
  }

  holdLaunch(launch: UnrecordedLaunch): void {
    for (const k of launch.memberKeys) this.unrecorded.set(k, launch);
  }

  unrecordedLaunch(taskKey: string): UnrecordedLaunch | undefined {
    return this.unrecorded.get(taskKey);
  }

  launchRecorded(launch: UnrecordedLaunch): void {
    for (const k of launch.memberKeys) if (this.unrecorded.get(k) === launch) this.unrecorded.delete(k);
  }

  /** A held ACCEPT whose Task went away (or was decided otherwise) gives its resources back. */
  private abandonLaunch(taskKey: string): void {
    const launch = this.unrecorded.get(taskKey);
    if (launch === undefined) return;
    this.launchRecorded(launch);
    for (const l of [...launch.result.launched, ...launch.result.executors]) this.releaseUsage(l.podKey);
  }

  explain(frameworkId: string, options: ExplainOptions): Explanation[] {
    return this.allocator?.explain(frameworkId, options) ?? [];
  }

  framework(frameworkId: string): FrameworkView | undefined {
    return this.allocator?.framework(frameworkId);
  }

  role(name: string): RoleView | undefined {
    return this.allocator?.role(name);
  }

  endingOf(offerId: string): OfferEnding | undefined {
    return this.endings.get(offerId);
  }

  frameworkKeyOf(frameworkId: string): string | undefined {
    return this.frameworkKeyById.get(frameworkId);
  }

  /**
   * A Mesos scheduler with nothing to launch declines its offers (or they time out); a Framework
   * made with kubectl has no scheduler, and the operator only uses its offers for its Tasks. So an
   * idle kubectl framework would hold its offers forever while another framework's task waits for
   * the same resources. When a task waits for resources held in such offers, they are rescinded,
   * with the default decline filter so the next cycle gives them to someone else.
   */
  reclaimIdleOffers(frameworkIds: readonly string[]): number {
    const allocator = this.allocator;
    if (allocator === undefined) return 0;
    const now = Date.now();
    const rescinds: Rescind[] = [];
    // The operator places a kubectl framework's tasks as soon as an offer arrives (each new offer
    // wakes them), so an offer older than a couple of cycles that none of its waiting tasks fits
    // is one it cannot use.
    const idleSince = now - Math.max(2 * this.opts.config.allocationIntervalMs, 1000);
    for (const id of frameworkIds) {
      const fwKey = this.frameworkKeyById.get(id);
      if (fwKey === undefined) continue;
      // A Mesos-API framework's scheduler declines what it cannot use, as on Mesos; only
      // offer_timeout takes its offers back.
      if (this.isSchedulerApiFramework(fwKey)) continue;
      const waiting = this.waitingDemands(fwKey);
      for (const offer of allocator.offersOf(id)) {
        if (offer.createdAt > idleSince) continue;
        // A framework whose own waiting task fits the offer is about to use it: it keeps it.
        if (
          waiting.some(
            (w) => (w.role === undefined || w.role === offer.role) && offer.resources.contains(w.demand),
          )
        )
          continue;
        const r = allocator.rescindOffer(offer.id, now, this.opts.config.defaultRefuseSeconds);
        if (r !== undefined) rescinds.push(r);
      }
    }
    if (rescinds.length > 0)
      this.log.debug({ offers: rescinds.length }, "reclaimed offers of idle frameworks");
    this.handleRescinds(rescinds);
    return rescinds.length;
  }

  changeReservation(
    kind: "RESERVE" | "UNRESERVE",
    agentId: string,
    resources: Resources,
    source?: Resources,
  ): ReservationResult {
    const allocator = this.require();
    const result =
      kind === "UNRESERVE"
        ? allocator.unreserve(agentId, resources, Date.now())
        : source !== undefined
          ? allocator.updateReservation(agentId, source, resources, Date.now())
          : allocator.reserve(agentId, resources, Date.now());
    this.handleRescinds(result.rescinds);
    return result;
  }

  heldResources(usageKey: string): Resources | undefined {
    return this.allocator?.usageOf(usageKey);
  }

  dynamicReservationsOf(agentId: string): Resources | undefined {
    return this.allocator?.agent(agentId)?.dynamicReservations;
  }

  reshapeOffers(
    frameworkId: string,
    offerIds: readonly string[],
    operations: readonly ReservationOperation[],
  ): ReturnType<Allocator["reshapeOffers"]> {
    const allocator = this.require();
    const held = heldOffers(allocator, offerIds);
    const result = allocator.reshapeOffers(frameworkId, offerIds, operations, Date.now());
    if (result.offer !== undefined) {
      for (const o of held) this.remember(o.id, { kind: "accepted", tasks: [] });
      this.opts.metrics?.offers("accepted", frameworkId, held.length);
      this.wakeOffers([...held, result.offer]);
    }
    return result;
  }

  /** What the not yet launched tasks of a Framework (namespace/name) ask for, with their role if set. */
  private waitingDemands(fwKey: string): { role: string | undefined; demand: Resources }[] {
    const [namespace, name] = splitNamespaced(fwKey);
    return this.opts.informers.tasks.cache
      .listByNamespace(namespace)
      .filter(
        (t) =>
          t.spec.frameworkName === name && t.status?.podName === undefined && t.status?.state === undefined,
      )
      .map((t) => ({ role: t.spec.role, demand: fromCompactResources(t.spec.resources) }));
  }

  admitFramework(fw: Framework): void {
    const key = keyOf(fw) ?? "";
    if (this.allocator === undefined || key === "") return;
    this.admitted.set(key, fw);
    this.syncFramework(key);
  }

  withdrawFramework(key: string): void {
    if (this.admitted.delete(key)) this.syncFramework(key);
  }

  retireFramework(key: string): void {
    const applied = this.appliedFrameworks.get(key);
    if (applied === undefined) return;
    this.retired.set(key, applied.id);
    this.syncFramework(key);
  }

  admittedFrameworks(): Framework[] {
    return [...this.admitted.values()];
  }

  // ---------------------------------------------------------------------------------------------
  // Cycles and offers

  private onCycle(result: CycleResult): void {
    this.handleRescinds(result.rescinds);
    const sent = new Map<string, number>();
    for (const offer of result.offers) sent.set(offer.frameworkId, (sent.get(offer.frameworkId) ?? 0) + 1);
    for (const [frameworkId, count] of sent) this.opts.metrics?.offers("sent", frameworkId, count);
    const frameworks = new Set(sent.keys());
    const listeners = new Set(frameworks);
    // Streams send new inverse offers and withdraw expired ones (RESCIND_INVERSE_OFFER) at once.
    for (const io of [...result.inverseOffers, ...result.expiredInverseOffers]) listeners.add(io.frameworkId);
    // Schedulers first (their OFFERS are written now); the bookkeeping below can wait a moment.
    this.tellOfferListeners(listeners);
    this.wakeOffers(result.offers);
    // Tasks waiting for an offer of their framework look again.
    for (const id of frameworks) {
      const fwKey = this.frameworkKeyById.get(id);
      if (fwKey === undefined) continue;
      const [namespace, name] = splitNamespaced(fwKey);
      for (const t of this.opts.informers.tasks.cache.listByNamespace(namespace))
        if (t.spec.frameworkName === name && t.status?.podName === undefined && t.status?.state === undefined)
          this.enqueueTask(taskKey(t));
    }
    this.forgetOldEndings();
  }

  private handleRescinds(rescinds: readonly Rescind[]): void {
    const counted = { expired: new Map<string, number>(), rescinded: new Map<string, number>() };
    for (const r of rescinds) {
      this.remember(r.offer.id, { kind: "rescinded", reason: r.reason });
      const byFramework = counted[r.reason === "offer-timeout" ? "expired" : "rescinded"];
      byFramework.set(r.offer.frameworkId, (byFramework.get(r.offer.frameworkId) ?? 0) + 1);
    }
    for (const outcome of ["expired", "rescinded"] as const)
      for (const [frameworkId, count] of counted[outcome])
        this.opts.metrics?.offers(outcome, frameworkId, count);
    this.wakeOffers(rescinds.map((r) => r.offer));
    this.tellOfferListeners(new Set(rescinds.map((r) => r.offer.frameworkId)));
    this.scheduler?.notify();
  }

  private remember(offerId: string, ending: OfferEnding): void {
    this.endings.remember(offerId, ending, Date.now());
  }

  private forgetOldEndings(): void {
    this.endings.forgetOld(Date.now());
  }

  /**
   * Wakes the offer controller for offers made, answered or rescinded. An offer of a Mesos-API
   * framework becomes an object once it has lived a moment (DeferredOfferObjects): one gone before
   * then needs no reconcile, since nothing was written for it.
   */
  private wakeOffers(offers: readonly Offer[]): void {
    const now = Date.now();
    const schedulerApi = new Map<string, boolean>();
    for (const offer of offers) {
      const fwKey = this.frameworkKeyById.get(offer.frameworkId);
      if (fwKey === undefined) continue;
      // The offer controller's key of an offer: its framework's namespace and the OfferID.
      const key = `${splitNamespaced(fwKey)[0]}/${OFFER_KEY_MARK}${offer.id}`;
      if (this.allocator?.offer(offer.id) === undefined) {
        // Gone before its object was due: no object was written, so none needs its ending.
        if (this.deferredOffers.drop(offer.id)) this.endings.objectless(offer.id);
        else this.opts.enqueue("offer", key);
        continue;
      }
      const dueAt = offer.createdAt + MESOS_API_OFFER_OBJECT_DELAY_MS;
      let viaApi = schedulerApi.get(fwKey);
      if (viaApi === undefined) {
        viaApi = this.isSchedulerApiFramework(fwKey);
        schedulerApi.set(fwKey, viaApi);
      }
      if (dueAt > now && viaApi) this.deferredOffers.defer(offer.id, key, dueAt);
      else this.opts.enqueue("offer", key);
    }
  }

  private isSchedulerApiFramework(fwKey: string): boolean {
    const fw =
      (this.opts.informers.frameworks.cache.get(fwKey) as Framework | undefined) ?? this.admitted.get(fwKey);
    return fw?.metadata.labels?.[SCHEDULER_API_LABEL] !== undefined;
  }

  private enqueueTask(key: string): void {
    this.opts.enqueue("task", key);
  }

  // ---------------------------------------------------------------------------------------------
  // Cache → allocator

  private syncRoles(): void {
    const allocator = this.allocator;
    if (allocator === undefined) return;
    const desired = roleConfigOf(this.opts.informers.roles.cache.list() as Role[]);
    const calls = roleConfigCalls(this.appliedRoles, desired);
    const rescinds: Rescind[] = [];
    if (Object.keys(calls.weights).length > 0) rescinds.push(...allocator.setWeights(calls.weights));
    for (const [role, quota] of calls.quotas) {
      try {
        rescinds.push(...allocator.setQuota(role, quota));
      } catch (err) {
        this.log.warn({ err, role }, "quota refused by the allocator");
      }
    }
    this.appliedRoles = desired;
    this.handleRescinds(rescinds);
  }

  private syncNode(nodeName: string): void {
    const allocator = this.allocator;
    if (allocator === undefined || nodeName === "") return;
    const node = this.opts.informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined;
    const calls = agentCallsForNode(node, this.agentByNode.get(nodeName), {
      agentSelector: this.opts.config.agentSelector.selector,
      portRanges: this.opts.config.agentPortRanges,
    });
    const rescinds: Rescind[] = [];
    for (const call of calls) {
      if (call.kind === "remove") {
        rescinds.push(...allocator.removeAgent(call.agentId));
        this.agentByNode.delete(nodeName);
      } else {
        const isNew = allocator.agent(call.spec.id) === undefined;
        if (call.spec.unschedulable !== true) this.cordonSeen.delete(nodeName);
        else if (!this.cordonSeen.has(nodeName)) this.cordonSeen.set(nodeName, Date.now());
        const spec =
          node === undefined
            ? call.spec
            : withCordonUnavailability(call.spec, node, this.cordonSeen.get(nodeName) ?? Date.now());
        rescinds.push(...allocator.upsertAgent(spec));
        this.agentByNode.set(nodeName, call.spec.id);
        if (isNew && node !== undefined) this.restoreReservations(allocator, call.spec.id, node);
      }
    }
    this.handleRescinds(rescinds);
    // Tasks on this node see its reachability change.
    for (const t of this.opts.informers.tasks.cache.list())
      if (t.status?.nodeName === nodeName) this.enqueueTask(taskKey(t));
  }

  /**
   * A node that becomes an agent gets back the dynamic reservations persisted on it (after a
   * restart, a leader change, or the node coming back from unreachable).
   */
  private restoreReservations(allocator: Allocator, agentId: string, node: Node): void {
    const text = node.metadata.annotations?.[DYNAMIC_RESERVATIONS_ANNOTATION];
    if (text === undefined) return;
    try {
      for (const step of restoreSteps(decodeDynamicReservations(text))) {
        const r = allocator.reserve(agentId, step, Date.now());
        if (r.error !== undefined)
          this.log.warn(
            { node: node.metadata.name, error: r.error },
            "a persisted dynamic reservation no longer fits",
          );
      }
    } catch (err) {
      this.log.warn(
        { err, node: node.metadata.name },
        "unreadable dynamic reservations on the node; ignored",
      );
    }
  }

  private syncFramework(key: string): void {
    const allocator = this.allocator;
    if (allocator === undefined) return;
    const cached = this.opts.informers.frameworks.cache.get(key) as Framework | undefined;
    const fw = cached ?? this.admitted.get(key);
    const arrived = cached !== undefined && this.admitted.delete(key);
    let desired: FrameworkSpec | undefined;
    if (fw !== undefined) {
      const id = frameworkIdOf(fw);
      const decided = decidePhase({ framework: fw, connected: undefined, now: new Date() });
      // The framework reconciler knows about scheduler connections: Disconnected deactivates.
      const phase =
        decided.phase === "Active" && fw.status?.phase === "Disconnected" ? "Disconnected" : decided.phase;
      const roles = checkFrameworkRoles(fw, this.opts.informers.roles.cache.list() as Role[]);
      if (phase !== "Completed" && roles.valid && this.retired.get(key) !== id)
        desired = allocatorFrameworkSpec(fw, id, phase);
    } else this.retired.delete(key);
    let applied = this.appliedFrameworks.get(key);
    const rescinds: Rescind[] = [];
    const removed: string[] = [];
    // A Framework deleted and created again under the same name is another framework.
    if (applied !== undefined && desired !== undefined && applied.id !== desired.id) {
      rescinds.push(...allocator.removeFramework(applied.id));
      removed.push(applied.id);
      this.frameworkKeyById.delete(applied.id);
      this.appliedFrameworks.delete(key);
      applied = undefined;
    }
    const call = frameworkAllocatorCall(applied, desired);
    try {
      if (call.kind === "add") {
        allocator.addFramework(call.spec);
        this.appliedFrameworks.set(key, call.spec);
        this.frameworkKeyById.set(call.spec.id, key);
      } else if (call.kind === "update") {
        rescinds.push(...allocator.updateFramework(call.spec));
        this.appliedFrameworks.set(key, call.spec);
      } else if (call.kind === "remove") {
        rescinds.push(...allocator.removeFramework(call.frameworkId));
        removed.push(call.frameworkId);
        this.appliedFrameworks.delete(key);
        // The key stays known so the offer controller can still find the framework's rescinded offers.
      }
    } catch (err) {
      this.log.warn({ err, framework: key }, "the allocator refused the framework");
    }
    this.handleRescinds(rescinds);
    // After their rescinds are counted, removed frameworks' offer counters are dropped.
    for (const id of removed) this.opts.metrics?.forgetFramework(id);
    // Offers made before the object existed could not be written as Offer objects: now they can.
    if (arrived && desired !== undefined) this.wakeOffers(this.offersOf(desired.id));
    // Its tasks' usage carries the framework ID: recompute them (e.g. after a restart).
    if (cached !== undefined) {
      const [namespace, name] = splitNamespaced(key);
      for (const t of this.opts.informers.tasks.cache.listByNamespace(namespace))
        if (t.spec.frameworkName === name) this.syncTask(taskKey(t));
    }
  }

  private syncPod(pod: Pod, deleted: boolean): void {
    const allocator = this.allocator;
    if (allocator === undefined) return;
    if (isTaskPod(pod)) {
      for (const o of pod.metadata.ownerReferences ?? [])
        if (o.kind === "Task") this.syncTask(`${pod.metadata.namespace ?? ""}/${o.name}`);
      return;
    }
    this.handleRescinds(allocator.setPodUsage(podKey(pod), deleted ? undefined : foreignPodUsage(pod)));
  }

  private syncTask(key: string): void {
    const allocator = this.allocator;
    if (allocator === undefined) return;
    const task = this.opts.informers.tasks.cache.get(key) as Task | undefined;
    if (task === undefined || (task.status?.podName === undefined && task.status?.state !== undefined))
      this.abandonLaunch(key);
    const before = this.usageKeyByTask.get(key);
    let next: { key: string; usage: Parameters<Allocator["setPodUsage"]>[1] } | undefined;
    if (task !== undefined) {
      const [namespace] = splitNamespaced(key);
      const fw = this.opts.informers.frameworks.cache.get(`${namespace}/${task.spec.frameworkName}`) as
        | Framework
        | undefined;
      const podName = task.status?.podName;
      const pod =
        podName === undefined
          ? undefined
          : (this.opts.informers.pods.cache.get(`${namespace}/${podName}`) as Pod | undefined);
      next = taskUsage(task, fw === undefined ? "" : frameworkIdOf(fw), pod);
      if (next !== undefined) this.syncExecutor(key, task, fw === undefined ? "" : frameworkIdOf(fw), pod);
      // Until its pod records them, a launched task holds what its ACCEPT gave it (reservations
      // included), not the unreserved reading of its compact spec.
      const held = next === undefined || pod !== undefined ? undefined : allocator.usageOf(next.key);
      if (next?.usage !== undefined && held !== undefined)
        next = { ...next, usage: { ...next.usage, resources: held } };
    }
    if (task === undefined || next === undefined) this.dropExecutorHolder(key);
    const rescinds: Rescind[] = [];
    if (before !== undefined && before !== next?.key)
      rescinds.push(...allocator.setPodUsage(before, undefined));
    if (next === undefined) this.usageKeyByTask.delete(key);
    else {
      rescinds.push(...allocator.setPodUsage(next.key, next.usage));
      if (next.usage === undefined) this.usageKeyByTask.delete(key);
      else this.usageKeyByTask.set(key, next.key);
    }
    this.handleRescinds(rescinds);
  }

  /**
   * A launched group member's view of its executor: held while the group's pod runs (or, before
   * the pod is seen, while any member is not terminal). Every member names the same key.
   */
  private syncExecutor(taskKey: string, task: Task, frameworkId: string, pod: Pod | undefined): void {
    const allocator = this.allocator;
    const group = task.spec.taskGroup;
    if (allocator === undefined || group === undefined) return;
    const namespace = task.metadata.namespace ?? "";
    const members = (this.opts.informers.tasks.cache.listByNamespace(namespace) as Task[]).filter(
      (t) => t.spec.frameworkName === task.spec.frameworkName && t.spec.taskGroup?.name === group.name,
    );
    const next = executorUsage(task, frameworkId, pod, members);
    if (next === undefined) return;
    if (next.usage === undefined) {
      this.executorKeyByTask.delete(taskKey);
      this.handleRescinds(allocator.setPodUsage(next.key, undefined));
      return;
    }
    this.executorKeyByTask.set(taskKey, next.key);
    this.handleRescinds(allocator.setPodUsage(next.key, next.usage));
  }

  /** A member is gone: its executor is released once no member holds it. */
  private dropExecutorHolder(taskKey: string): void {
    const key = this.executorKeyByTask.get(taskKey);
    if (key === undefined) return;
    this.executorKeyByTask.delete(taskKey);
    for (const other of this.executorKeyByTask.values()) if (other === key) return;
    this.releaseUsage(key);
  }
}

/** Offer controller keys are `namespace/<mark><OfferID>` (OfferIDs may not be object names). */
export const OFFER_KEY_MARK = "offer:";

function splitNamespaced(key: string): [namespace: string, name: string] {
  const i = key.indexOf("/");
  return i < 0 ? ["", key] : [key.slice(0, i), key.slice(i + 1)];
}

const taskKey = (t: Task): string => keyOf(t) ?? "";

/** The offers among `ids` still outstanding (before an answer takes them out of the book). */
function heldOffers(allocator: Allocator, ids: readonly string[]): Offer[] {
  return ids.flatMap((id) => allocator.offer(id) ?? []);
}
