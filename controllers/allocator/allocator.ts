// The hierarchical allocator (semantics.md §4; Mesos hierarchical.cpp): turns what agents have free
// into offers, one (framework, role, agent) at a time, in two-level DRF order, under quota, filters
// and suppression. Pure and deterministic: the caller passes `now` (ms) and a seed; no timers, no I/O.
//
// Per cycle and agent (candidates shuffled): walk roles in role-sorter order, and within a role its
// frameworks in framework-sorter order; the first framework that can use the agent is offered
// everything still allocatable to its role there, cut only by quota limits and headroom. The cost
// of a cycle is O(candidate agents × frameworks visited per agent); a framework is visited only
// until the agent is used up, so a cycle over 10,000 agents touches ~10,000 frameworks, not
// 10,000 × the number of frameworks.
import {
  type AcceptCall,
  type AcceptDecision,
  type AcceptOperation,
  decideAccept,
  type LaunchedExecutor,
  type LaunchedTask,
  type TaskStatusUpdate,
} from "./acceptValidation.ts";
import { AgentState } from "./agents.ts";
import { DrfSorter } from "./drfSorter.ts";
import {
  type ExplainOptions,
  type Explanation,
  explainClient,
  explainFramework,
  explainRoleFrom,
  explainRoleWithout,
  type RoleExplanation,
} from "./explain.ts";
import { FilterStore } from "./filters.ts";
import type { AgentSpec, FrameworkSpec, PodUsage, QuotaConfig } from "./inputModel.ts";
import {
  type InverseOffer,
  type InverseOfferAnswer,
  InverseOfferBook,
  type InverseOfferStatus,
  sameUnavailability,
} from "./inverseOffers.ts";
import { isAgentExcluded } from "./offerConstraints.ts";
import { type Offer, OfferBook, type Rescind, type RescindReason } from "./offers.ts";
import { containsQuantities, parseQuantityAlternatives, type Quantities } from "./quantities.ts";
import {
  type Amounts,
  addAmounts,
  isEmptyAmounts,
  minusAmounts,
  type Quota,
  QuotaCycle,
  quotaAmounts,
  quotaRoleError,
  toQuota,
} from "./quota.ts";
import { Random } from "./random.ts";
import { RandomSorter } from "./randomSorter.ts";
import { Resources, reservationRole } from "./resources.ts";
import { describeResources } from "./resourceText.ts";
import { roleNameError, topLevelRole } from "./roles.ts";
import { ScalarSpace } from "./scalarSpace.ts";
import type { Sorter } from "./sorter.ts";
import type { Client, FrameworkState, OfferRecord, RoleState, UsageRecord } from "./state.ts";

export interface AllocatorOptions {
  /** Seed of the agent shuffles and the random sorter. Same seed, same calls ⇒ same offers. */
  seed?: number | undefined;
  /** --allocation_interval; also the least lifetime of a filter. Default 1000 ms. */
  allocationIntervalMs?: number | undefined;
  /** --offer_timeout; default none. */
  offerTimeoutMs?: number | undefined;
  /**
   * --min_allocatable_resources, e.g. "cpus:0.01|mem:32" (the default); null or "" = anything is
   * allocatable.
   */
  minAllocatableResources?: string | readonly Quantities[] | null | undefined;
  /** --role_sorter and --framework_sorter: "drf" (default) or "random". */
  roleSorter?: "drf" | "random" | undefined;
  frameworkSorter?: "drf" | "random" | undefined;
  /** --fair_sharing_excluded_resource_names, e.g. ["gpus"]. */
  fairnessExcludedResourceNames?: readonly string[] | undefined;
  /** --filter_gpu_resources: agents with GPUs only for GPU_RESOURCES frameworks. Default true. */
  filterGpuResources?: boolean | undefined;
  /** Prefix of OfferIDs (`<prefix>-O<n>`), the master ID in Mesos. */
  offerIdPrefix?: string | undefined;
  /** The master's fault-domain region: agents elsewhere go only to REGION_AWARE frameworks. */
  region?: string | undefined;
  /** Run for an agent as soon as resources are freed on it (Mesos waits for the next batch run). */
  allocateOnFreedResources?: boolean | undefined;
}

export interface CycleResult {
  /** New offers, in the order they were made. */
  offers: Offer[];
  /** Offers rescinded by --offer_timeout in this cycle (after allocation, as Mesos recovers them later). */
  rescinds: Rescind[];
  /** Agents the cycle looked at. */
  agents: number;
  /** Maintenance inverse offers made in this cycle. */
  inverseOffers: InverseOffer[];
  /** Inverse offers withdrawn by --offer_timeout in this cycle (RESCIND_INVERSE_OFFER). */
  expiredInverseOffers: InverseOffer[];
}

export interface AcceptResult {
  /** Offer-level error; every task then got TASK_LOST / TASK_DROPPED. */
  error?: string | undefined;
  launched: LaunchedTask[];
  /** Task-group executors, held under their own usage keys like tasks. */
  executors: LaunchedExecutor[];
  /** Master-generated status updates (TASK_ERROR, TASK_LOST, TASK_DROPPED). */
  updates: TaskStatusUpdate[];
  /** RESERVE/UNRESERVE operations that failed (Mesos OPERATION_ERROR). */
  operationErrors: { index: number; message: string }[];
  /** Unused offered resources, returned with the call's filter. */
  declined: Resources;
}

export interface AgentView {
  id: string;
  hostname: string;
  nodeName: string;
  active: boolean;
  total: Resources;
  used: Resources;
  offered: Resources;
  available: Resources;
  /** Dynamic reservations, to persist and restore with `reserve` after a restart. */
  dynamicReservations: Resources;
}

export interface RoleView {
  name: string;
  weight: number;
  quota: QuotaConfig | undefined;
  /** Quota consumption: reservations plus unreserved offered-or-allocated resources (top-level roles). */
  consumed: Record<string, number>;
  /** Used by tasks of the role and its sub-roles. */
  allocated: Resources;
  offered: Resources;
  reserved: Resources;
  frameworks: string[];
  /** Dominant share of the role and its sub-roles (0–1, before weighting). */
  share: number;
}

export interface FrameworkView {
  id: string;
  active: boolean;
  roles: {
    role: string;
    suppressed: boolean;
    share: number;
    offered: Resources;
    allocated: Resources;
    filters: number;
  }[];
}

export interface ReservationResult {
  error?: string | undefined;
  rescinds: Rescind[];
}

const DEFAULT_MIN_ALLOCATABLE = "cpus:0.01|mem:32";

const dynamicOnTop = (resources: Resources): boolean =>
  !resources.isEmpty && resources.entries.every((e) => e.reservations.at(-1)?.type === "DYNAMIC");

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** Framework ids may contain `/`, which sorters read as hierarchy; escape it. */
const sorterPathOf = (frameworkId: string): string =>
  frameworkId.replaceAll("%", "%25").replaceAll("/", "%2F");

interface Made {
  client: Client;
  agent: AgentState;
  resources: Resources;
}

export class Allocator {
  private readonly intervalMs: number;
  private readonly offerTimeoutMs: number | undefined;
  private readonly minAllocatable: readonly Quantities[];
  private readonly filterGpu: boolean;
  private readonly region: string | undefined;
  private readonly allocateOnFreed: boolean;
  private readonly frameworkSorterKind: "drf" | "random";

  private readonly random: Random;
  private readonly space: ScalarSpace;
  private readonly roleSorter: Sorter<RoleState>;
  private readonly roles = new Map<string, RoleState>();
  private readonly frameworks = new Map<string, FrameworkState>();
  private readonly agents: AgentState[] = [];
  private readonly agentsById = new Map<string, AgentState>();
  private readonly agentsByNode = new Map<string, AgentState>();
  private agentCounter = 0;
  private readonly usage = new Map<string, UsageRecord>();
  /** Usage on nodes that are not (yet) agents. */
  private readonly parkedByNode = new Map<string, Set<UsageRecord>>();
  /** Usage owned by frameworks that are not (yet) known. */
  private readonly orphansByFramework = new Map<string, Set<UsageRecord>>();
  private readonly book: OfferBook;
  private readonly inverse: InverseOfferBook;
  private readonly filters: FilterStore;
  private readonly quotas = new Map<string, Quota>();
  private readonly quotaConfigs = new Map<string, QuotaConfig>();
  private readonly weights = new Map<string, number>();
  /** Reserved scalars (allocated or not) by top-level role, for quota consumption. */
  private readonly reservedByTopRole = new Map<string, Amounts>();
  /** Unreserved offered-or-allocated scalars by top-level role, for quota consumption. */
  private readonly unreservedByTopRole = new Map<string, Amounts>();
  private pendingAll = false;
  private readonly pendingAgents = new Set<AgentState>();
  private batchRuns = 0;
  /** Allocations made for the current agent, charged to the sorters after the agent is done. */
  private readonly deferred: Made[] = [];

  constructor(options: AllocatorOptions = {}) {
    this.intervalMs = options.allocationIntervalMs ?? 1000;
    this.offerTimeoutMs = options.offerTimeoutMs;
    const min =
      options.minAllocatableResources === undefined
        ? DEFAULT_MIN_ALLOCATABLE
        : options.minAllocatableResources;
    this.minAllocatable = min === null ? [] : typeof min === "string" ? parseQuantityAlternatives(min) : min;
    this.filterGpu = options.filterGpuResources ?? true;
    this.region = options.region;
    this.allocateOnFreed = options.allocateOnFreedResources ?? false;
    this.random = new Random(options.seed ?? 1);
    this.space = new ScalarSpace(new Set(options.fairnessExcludedResourceNames ?? []));
    this.roleSorter =
      options.roleSorter === "random"
        ? new RandomSorter<RoleState>(this.space, this.random)
        : new DrfSorter<RoleState>(this.space);
    this.frameworkSorterKind = options.frameworkSorter ?? "drf";
    this.book = new OfferBook(options.offerIdPrefix ?? "mesos-operator");
    this.inverse = new InverseOfferBook(options.offerIdPrefix ?? "mesos-operator");
    this.filters = new FilterStore(this.intervalMs);
  }

  // -------------------------------------------------------------------------------------------
  // Frameworks

  /** A framework subscribed (or is known again after a restart). Active ones trigger a run over all agents. */
  addFramework(spec: FrameworkSpec): void {
    if (spec.id === "") throw new Error("framework id must not be empty");
    if (this.frameworks.has(spec.id)) throw new Error(`framework ${spec.id} already exists`);
    this.validateRoles(spec);
    const fw: FrameworkState = {
      id: spec.id,
      spec,
      active: spec.active ?? true,
      clients: new Map(),
      suppressed: new Set(spec.suppressedRoles ?? []),
      gpuResources: false,
      multiRole: false,
      reservationRefinement: false,
      regionAware: false,
      partitionAware: false,
      minAllocatable: new Map(),
    };
    this.applySpec(fw, spec);
    this.frameworks.set(fw.id, fw);
    for (const role of spec.roles) this.addClient(fw, role);
    if (fw.active) this.pendingAll = true;
  }

  /**
   * UPDATE_FRAMEWORK / re-subscription: roles, suppressed roles, capabilities, offer filters and
   * constraints. Offers of removed roles are rescinded; roles that stop being suppressed lose their
   * filters and trigger a run.
   */
  updateFramework(spec: FrameworkSpec): Rescind[] {
    const fw = this.requireFramework(spec.id);
    this.validateRoles(spec);
    const rescinds: Rescind[] = [];
    const newRoles = new Set(spec.roles);
    for (const [role, client] of [...fw.clients]) {
      if (newRoles.has(role)) continue;
      for (const record of [...client.offers]) rescinds.push(this.rescind(record, "role-removed"));
      this.removeClient(client);
    }
    this.applySpec(fw, spec);
    for (const role of spec.roles) if (!fw.clients.has(role)) this.addClient(fw, role);
    const suppressed = new Set(spec.suppressedRoles ?? []);
    for (const [role, client] of fw.clients) {
      const was = fw.suppressed.has(role);
      if (suppressed.has(role) && !was) this.suppressClient(client);
      else if (!suppressed.has(role) && was) this.reviveClient(client);
    }
    const active = spec.active ?? fw.active;
    if (active && !fw.active) this.activateFramework(fw.id);
    else if (!active && fw.active) rescinds.push(...this.deactivateFramework(fw.id));
    return rescinds;
  }

  /** Teardown or failover timeout: offers are rescinded and the framework forgotten. */
  removeFramework(id: string): Rescind[] {
    const fw = this.requireFramework(id);
    const rescinds: Rescind[] = [];
    for (const client of [...fw.clients.values()]) {
      for (const record of [...client.offers]) rescinds.push(this.rescind(record, "framework-removed"));
      this.removeClient(client);
    }
    this.frameworks.delete(id);
    this.inverse.forgetFramework(id, true);
    return rescinds;
  }

  /** The framework (re)connected: its unsuppressed roles take part again. */
  activateFramework(id: string): void {
    const fw = this.requireFramework(id);
    fw.active = true;
    for (const [role, client] of fw.clients)
      if (!fw.suppressed.has(role)) client.role.frameworkSorter.activate(client.sorterPath);
    this.pendingAll = true;
  }

  /** The framework disconnected: no offers, its outstanding offers rescinded, its filters dropped. */
  deactivateFramework(id: string): Rescind[] {
    const fw = this.requireFramework(id);
    fw.active = false;
    const rescinds: Rescind[] = [];
    for (const client of fw.clients.values()) {
      client.role.frameworkSorter.deactivate(client.sorterPath);
      this.filters.clearClient(client);
      for (const record of [...client.offers]) rescinds.push(this.rescind(record, "framework-deactivated"));
    }
    this.inverse.forgetFramework(id, false);
    return rescinds;
  }

  /** SUPPRESS: no new offers for these roles (all when empty); outstanding offers stay valid. */
  suppressOffers(id: string, roles: readonly string[] = []): void {
    const fw = this.requireFramework(id);
    for (const client of this.clientsFor(fw, roles)) this.suppressClient(client);
  }

  /** REVIVE: unsuppress these roles (all when empty), drop their filters, run soon. */
  reviveOffers(id: string, roles: readonly string[] = []): void {
    const fw = this.requireFramework(id);
    for (const client of this.clientsFor(fw, roles)) this.reviveClient(client);
    this.inverse.clearFilters(id);
    this.pendingAll = true;
  }

  private clientsFor(fw: FrameworkState, roles: readonly string[]): Client[] {
    if (roles.length === 0) return [...fw.clients.values()];
    return roles.map((r) => {
      const c = fw.clients.get(r);
      if (c === undefined) throw new Error(`framework ${fw.id} is not subscribed to role '${r}'`);
      return c;
    });
  }

  private suppressClient(client: Client): void {
    client.fw.suppressed.add(client.role.name);
    client.role.frameworkSorter.deactivate(client.sorterPath);
  }

  private reviveClient(client: Client): void {
    client.fw.suppressed.delete(client.role.name);
    this.filters.clearClient(client);
    if (client.fw.active) client.role.frameworkSorter.activate(client.sorterPath);
    this.pendingAll = true;
  }

  private validateRoles(spec: FrameworkSpec): void {
    if (spec.roles.length === 0) throw new Error(`framework ${spec.id} has no roles`);
    if (new Set(spec.roles).size !== spec.roles.length)
      throw new Error(`framework ${spec.id} lists a role twice`);
    for (const role of spec.roles) {
      const err = roleNameError(role);
      if (err !== undefined) throw new Error(err);
    }
    for (const role of spec.suppressedRoles ?? [])
      if (!spec.roles.includes(role))
        throw new Error(`Suppressed role '${role}' is not contained in the list of roles`);
  }

  private applySpec(fw: FrameworkState, spec: FrameworkSpec): void {
    const caps = new Set(spec.capabilities ?? []);
    fw.spec = spec;
    fw.gpuResources = caps.has("GPU_RESOURCES");
    fw.multiRole = caps.has("MULTI_ROLE");
    fw.reservationRefinement = caps.has("RESERVATION_REFINEMENT");
    fw.regionAware = caps.has("REGION_AWARE");
    fw.partitionAware = caps.has("PARTITION_AWARE");
    fw.minAllocatable = new Map(Object.entries(spec.minAllocatableResources ?? {}));
  }

  private requireFramework(id: string): FrameworkState {
    const fw = this.frameworks.get(id);
    if (fw === undefined) throw new Error(`unknown framework ${id}`);
    return fw;
  }

  private addClient(fw: FrameworkState, roleName: string): void {
    let role = this.roles.get(roleName);
    if (role === undefined) {
      const frameworkSorter: Sorter<Client> =
        this.frameworkSorterKind === "random"
          ? new RandomSorter<Client>(this.space, this.random)
          : new DrfSorter<Client>(this.space);
      role = { name: roleName, frameworkSorter, clients: new Map() };
      this.roles.set(roleName, role);
      this.roleSorter.add(roleName, role);
      this.roleSorter.activate(roleName);
    }
    const client: Client = {
      fw,
      role,
      sorterPath: sorterPathOf(fw.id),
      offers: new Set(),
      filters: new Set(),
      usage: new Set(),
    };
    fw.clients.set(roleName, client);
    role.clients.set(fw.id, client);
    role.frameworkSorter.add(client.sorterPath, client);
    if (fw.active && !fw.suppressed.has(roleName)) role.frameworkSorter.activate(client.sorterPath);
    // Tasks of this framework in this role that we saw before the framework.
    const orphans = this.orphansByFramework.get(fw.id);
    if (orphans !== undefined)
      for (const rec of [...orphans])
        if (rec.owner?.role === roleName) {
          orphans.delete(rec);
          this.bindUsage(rec, client);
        }
  }

  private removeClient(client: Client): void {
    this.filters.clearClient(client);
    for (const rec of [...client.usage]) {
      this.unbindUsage(rec);
      this.orphan(rec);
    }
    const role = client.role;
    role.frameworkSorter.remove(client.sorterPath);
    role.clients.delete(client.fw.id);
    client.fw.clients.delete(role.name);
    client.fw.suppressed.delete(role.name);
    if (role.clients.size === 0) {
      this.roleSorter.remove(role.name);
      this.roles.delete(role.name);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Agents and pods

  /**
   * A node appeared or changed. New, grown or uncordoned agents trigger a run for that agent.
   * Offers are rescinded when the agent is cordoned, its attributes change, or it can no longer
   * hold them.
   */
  upsertAgent(spec: AgentSpec): Rescind[] {
    const existing = this.agentsById.get(spec.id);
    if (existing === undefined) {
      if (this.agentsByNode.has(spec.nodeName)) throw new Error(`node ${spec.nodeName} already has an agent`);
      const agent = new AgentState(this.agentCounter++, spec);
      agent.slot = this.agents.length;
      this.agents.push(agent);
      this.agentsById.set(agent.id, agent);
      this.agentsByNode.set(agent.nodeName, agent);
      this.space.addTotal(agent.total, 1);
      this.trackReservations(agent.total, 1);
      const parked = this.parkedByNode.get(agent.nodeName);
      if (parked !== undefined) {
        this.parkedByNode.delete(agent.nodeName);
        for (const rec of parked) {
          rec.agent = agent;
          agent.usage.add(rec);
          agent.used = agent.used.plus(rec.resources);
        }
      }
      agent.refreshAvailable();
      this.inverse.setUnavailability(agent.id, agent.unavailability);
      if (agent.active) this.pendingAgents.add(agent);
      return [];
    }
    const agent = existing;
    const rescinds: Rescind[] = [];
    if (spec.nodeName !== agent.nodeName) throw new Error(`agent ${spec.id} cannot move to another node`);
    agent.hostname = spec.hostname;
    agent.domain = spec.domain;
    if (JSON.stringify(spec.attributes ?? []) !== JSON.stringify(agent.attributes)) {
      // Mesos rescinds offers and clears filters of an agent whose attributes change.
      agent.attributes = spec.attributes ?? [];
      rescinds.push(...this.rescindAgent(agent, "agent-changed"));
      this.filters.clearAgent(agent);
    }
    if (!sameUnavailability(agent.unavailability, spec.unavailability)) {
      // Maintenance scheduled, moved or cancelled: offers are rescinded and made again with the
      // new unavailability; inverse offers start over (Master::updateUnavailability).
      agent.unavailability = spec.unavailability;
      this.inverse.setUnavailability(agent.id, spec.unavailability);
      rescinds.push(...this.rescindAgent(agent, "agent-changed"));
      if (agent.active) this.pendingAgents.add(agent);
    }
    const wasActive = agent.active;
    agent.unschedulable = spec.unschedulable === true;
    if (wasActive && !agent.active) rescinds.push(...this.rescindAgent(agent, "agent-deactivated"));
    const newTotal = this.withDynamicReservations(spec.resources, agent.total);
    if (!newTotal.equals(agent.total)) {
      const before = agent.available;
      this.space.addTotal(agent.total, -1);
      this.trackReservations(agent.total, -1);
      agent.setTotal(newTotal);
      this.space.addTotal(agent.total, 1);
      this.trackReservations(agent.total, 1);
      rescinds.push(...this.refresh(agent));
      if (!before.contains(agent.available) && agent.active) this.pendingAgents.add(agent);
    }
    if (!wasActive && agent.active) this.pendingAgents.add(agent);
    return rescinds;
  }

  /** The node is gone (or no longer selected): its offers are rescinded and its filters dropped. */
  removeAgent(id: string): Rescind[] {
    const agent = this.agentsById.get(id);
    if (agent === undefined) return [];
    const rescinds = this.rescindAgent(agent, "agent-removed");
    this.inverse.removeAgent(id);
    this.filters.clearAgent(agent);
    agent.removed = true;
    this.space.addTotal(agent.total, -1);
    this.trackReservations(agent.total, -1);
    this.agentsById.delete(id);
    this.agentsByNode.delete(agent.nodeName);
    // Swap-remove: O(1) even when many nodes go at once; the order stays deterministic.
    const last = this.agents.pop()!;
    if (last !== agent) {
      this.agents[agent.slot] = last;
      last.slot = agent.slot;
    }
    this.pendingAgents.delete(agent);
    // Pods stay accounted to their frameworks until the controllers report them gone.
    if (agent.usage.size > 0) {
      const parked = new Set<UsageRecord>();
      for (const rec of agent.usage) {
        rec.agent = null;
        parked.add(rec);
      }
      this.parkedByNode.set(agent.nodeName, parked);
    }
    return rescinds;
  }

  /**
   * Set (or with undefined, clear) what the pod `key` holds. Call it for every pod bound to a node,
   * ours or not; a terminal pod holds nothing. Returns offers rescinded because the agent can no
   * longer hold them (another pod took their resources).
   */
  setPodUsage(key: string, usage: PodUsage | undefined): Rescind[] {
    return this.putUsage(key, usage, true);
  }

  /** `countAllocation` false: the resources were already counted as an offer (an accepted task). */
  /** What the pod (or launched task) under `key` holds, reservations included. */
  usageOf(key: string): Resources | undefined {
    return this.usage.get(key)?.resources;
  }

  private putUsage(key: string, usage: PodUsage | undefined, countAllocation: boolean): Rescind[] {
    const old = this.usage.get(key);
    if (old !== undefined) {
      if (
        usage !== undefined &&
        usage.nodeName === old.nodeName &&
        usage.resources.equals(old.resources) &&
        usage.owner?.frameworkId === old.owner?.frameworkId &&
        usage.owner?.role === old.owner?.role
      )
        return [];
      this.dropUsage(old);
    }
    if (usage === undefined || usage.resources.isEmpty) {
      if (old?.agent != null && this.allocateOnFreed && old.agent.active) this.pendingAgents.add(old.agent);
      return old?.agent != null ? this.refresh(old.agent) : [];
    }
    const rec: UsageRecord = {
      key,
      nodeName: usage.nodeName,
      resources: usage.resources,
      owner: usage.owner,
      agent: null,
      client: null,
    };
    this.usage.set(key, rec);
    const agent = this.agentsByNode.get(usage.nodeName);
    if (agent === undefined) {
      getOrCreate(this.parkedByNode, usage.nodeName, () => new Set<UsageRecord>()).add(rec);
    } else {
      rec.agent = agent;
      agent.usage.add(rec);
      agent.used = agent.used.plus(rec.resources);
    }
    if (usage.owner !== undefined) {
      const client = this.frameworks.get(usage.owner.frameworkId)?.clients.get(usage.owner.role);
      if (client === undefined) this.orphan(rec);
      else this.bindUsage(rec, client, countAllocation);
    }
    const rescinds: Rescind[] = [];
    if (old?.agent != null && old.agent !== agent) rescinds.push(...this.refresh(old.agent));
    if (agent !== undefined) rescinds.push(...this.refresh(agent));
    return rescinds;
  }

  private dropUsage(rec: UsageRecord): void {
    this.usage.delete(rec.key);
    if (rec.client !== null) this.unbindUsage(rec);
    if (rec.owner !== undefined) this.orphansByFramework.get(rec.owner.frameworkId)?.delete(rec);
    if (rec.agent !== null) {
      rec.agent.usage.delete(rec);
      rec.agent.used = rec.agent.used.minus(rec.resources);
    } else this.parkedByNode.get(rec.nodeName)?.delete(rec);
  }

  private bindUsage(rec: UsageRecord, client: Client, count = true): void {
    rec.client = client;
    client.usage.add(rec);
    this.charge(client, rec.resources, 1, count);
  }

  private unbindUsage(rec: UsageRecord): void {
    const client = rec.client;
    if (client === null) return;
    this.charge(client, rec.resources, -1);
    client.usage.delete(rec);
    rec.client = null;
  }

  private orphan(rec: UsageRecord): void {
    if (rec.owner === undefined) return;
    getOrCreate(this.orphansByFramework, rec.owner.frameworkId, () => new Set<UsageRecord>()).add(rec);
  }

  /** Recompute an agent's available resources; rescind its offers if they no longer fit. */
  private refresh(agent: AgentState): Rescind[] {
    if (agent.refreshAvailable()) return [];
    const rescinds = this.rescindAgent(agent, "agent-changed");
    agent.refreshAvailable();
    return rescinds;
  }

  private rescindAgent(agent: AgentState, reason: RescindReason): Rescind[] {
    return [...agent.offers].map((record) => this.rescind(record, reason));
  }

  private trackReservations(total: Resources, sign: 1 | -1): void {
    for (const e of total.entries) {
      if (e.type !== "SCALAR" || e.reservationKey === "") continue;
      const top = topLevelRole(reservationRole(e));
      const m = getOrCreate(this.reservedByTopRole, top, (): Amounts => new Map());
      m.set(e.name, (m.get(e.name) ?? 0) + sign * e.amount);
    }
  }

  /** Re-apply the agent's dynamic reservations to a fresh total from its node. */
  private withDynamicReservations(total: Resources, current: Resources): Resources {
    let out = total;
    for (const entry of current.entries) {
      if (entry.reservations.at(-1)?.type !== "DYNAMIC") continue;
      const one = Resources.fromEntries([entry]);
      // Its source on the node is what it was before any dynamic reservation (unreserved or static).
      let source = one;
      while (source.entries[0]?.reservations.at(-1)?.type === "DYNAMIC") source = source.popReservation();
      // A reservation the shrunken node can no longer hold is dropped.
      if (out.contains(source)) out = out.minus(source).plus(one);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Roles: weights and quota

  /**
   * UPDATE_WEIGHTS. If any of the roles has frameworks, every outstanding offer is rescinded so the
   * new weights take effect at the next run (as the Mesos master does).
   */
  setWeights(weights: Readonly<Record<string, number>>): Rescind[] {
    let touchesActive = false;
    for (const [role, w] of Object.entries(weights)) {
      const err = roleNameError(role);
      if (err !== undefined) throw new Error(err);
      this.roleSorter.updateWeight(role, w);
      this.weights.set(role, w);
      if (this.roles.has(role)) touchesActive = true;
    }
    if (!touchesActive) return [];
    return [...this.book.values()].map((record) => this.rescind(record, "weights-updated"));
  }

  /** Set (or with undefined, remove) the quota of a top-level role. Offers of a role now over its limit are rescinded. */
  setQuota(role: string, config: QuotaConfig | undefined): Rescind[] {
    const err = quotaRoleError(role);
    if (err !== undefined) throw new Error(err);
    if (config === undefined) {
      this.quotas.delete(role);
      this.quotaConfigs.delete(role);
      return [];
    }
    const quota = toQuota(config);
    for (const [name, g] of quota.guarantees) {
      const l = quota.limits.get(name);
      if (l !== undefined && g > l) throw new Error(`Quota guarantee for ${name} exceeds its limit`);
    }
    this.quotas.set(role, quota);
    this.quotaConfigs.set(role, config);
    const consumed = this.consumedOf(role);
    const over = [...quota.limits].some(([name, limit]) => (consumed.get(name) ?? 0) > limit);
    if (!over) return [];
    const rescinds: Rescind[] = [];
    for (const record of [...this.book.values()])
      if (topLevelRole(record.client.role.name) === role)
        rescinds.push(this.rescind(record, "quota-updated"));
    return rescinds;
  }

  private consumedOf(topRole: string): Amounts {
    const out: Amounts = new Map(this.reservedByTopRole.get(topRole) ?? []);
    addAmounts(out, this.unreservedByTopRole.get(topRole) ?? new Map());
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Allocation

  /**
   * Ask for an event-driven run over some agents (by id), or all agents when none are given — for
   * events the allocator cannot see itself (e.g. resources freed, when the caller wants them
   * offered before the next batch run).
   */
  requestAllocation(agentIds?: readonly string[]): void {
    if (agentIds === undefined) {
      this.pendingAll = true;
      return;
    }
    for (const id of agentIds) {
      const a = this.agentsById.get(id);
      if (a?.active) this.pendingAgents.add(a);
    }
  }

  /** Whether an event (framework added or revived, agent added or grown, …) asks for a run. */
  hasPendingAllocation(): boolean {
    return this.pendingAll || this.pendingAgents.size > 0;
  }

  /**
   * Run one allocation cycle at time `now` (ms): over all agents (the batch run), or over the
   * agents events asked for ("pending"; all agents when a framework was added or revived). Any
   * number of events since the last cycle cost one cycle.
   */
  allocate(now: number, scope: "all" | "pending" = "all"): CycleResult {
    const full = scope === "all" || this.pendingAll;
    this.filters.expire(now, this.batchRuns);
    const candidates: AgentState[] = [];
    if (full) {
      for (const a of this.agents) if (a.active) candidates.push(a);
    } else {
      for (const a of this.pendingAgents) if (a.active) candidates.push(a);
      candidates.sort((a, b) => a.idx - b.idx);
    }
    this.pendingAll = false;
    this.pendingAgents.clear();

    this.random.shuffle(candidates);
    const quota = this.prepareQuota();
    const made: Made[] = [];
    if (quota?.stage1) {
      this.runStage(candidates, 1, quota, made);
      // Spread the effect of stage 1, which favours the front of the list (as Mesos does).
      this.random.shuffle(candidates);
    }
    this.runStage(candidates, 2, quota, made);
    const offers = this.emit(made, now, quota?.stage1 === true);
    if (full) this.batchRuns++;
    // Inverse offers after the offers, so resources offered in this cycle count as held.
    const inverseOffers =
      this.inverse.agentsWithMaintenance === 0 ? [] : this.makeInverseOffers(candidates, full, now);
    return {
      offers,
      rescinds: this.expireOffers(now),
      agents: candidates.length,
      inverseOffers,
      expiredInverseOffers: this.inverse.expire(now, this.offerTimeoutMs),
    };
  }

  /**
   * The cycle's inverse offers. Only agents with maintenance are visited (a cycle over 10,000
   * agents with a few under maintenance costs no more than those few), those of this cycle.
   */
  private makeInverseOffers(candidates: readonly AgentState[], full: boolean, now: number): InverseOffer[] {
    const inCycle = full ? undefined : new Set(candidates);
    return this.inverse.generate(
      (agentId) => {
        const a = this.agentsById.get(agentId);
        // A cordoned agent makes no offers but still asks its frameworks for their tasks' resources
        // back (docs/mesos-compatibility.md, INVERSE_OFFERS): it is visited in batch runs.
        if (a === undefined || a.removed || (inCycle !== undefined && !inCycle.has(a))) return undefined;
        const holders: string[] = [];
        for (const r of a.offers) holders.push(r.client.fw.id);
        for (const u of a.usage) if (u.owner !== undefined) holders.push(u.owner.frameworkId);
        return { id: a.id, hostname: a.hostname, nodeName: a.nodeName, holders };
      },
      (id) => this.frameworks.get(id)?.active === true,
      now,
    );
  }

  private prepareQuota(): QuotaCycle | null {
    return QuotaCycle.prepare(
      this.quotas,
      (role) => this.consumedOf(role),
      (role) => (this.roles.get(role)?.frameworkSorter.activeCount ?? 0) > 0,
      () => this.agents.map((a) => a.available),
    );
  }

  private runStage(
    candidates: readonly AgentState[],
    stage: 1 | 2,
    quota: QuotaCycle | null,
    made: Made[],
  ): void {
    const deferred = this.deferred;
    for (const agent of candidates) {
      if (agent.available.isEmpty) continue;
      this.roleSorter.forEachActive((role) => {
        if (agent.available.isEmpty) return true;
        const sorter = role.frameworkSorter;
        if (sorter.activeCount === 0) return undefined;
        let unsatisfied: Amounts | undefined;
        if (stage === 1) {
          unsatisfied = quota!.unsatisfied(role.name);
          if (unsatisfied === undefined) return undefined;
        }
        sorter.forEachActive((client) => this.offerTo(client, agent, quota, unsatisfied, deferred));
        return undefined;
      });
      // Sorters learn of this agent's allocations only now: the order is fixed per agent, as the
      // Mesos allocator sorts once per agent.
      for (const m of deferred) {
        this.charge(m.client, m.resources, 1);
        made.push(m);
      }
      deferred.length = 0;
    }
  }

  /** Try to offer `agent` to `client`; returns true when the role has nothing left on the agent. */
  private offerTo(
    client: Client,
    agent: AgentState,
    quota: QuotaCycle | null,
    unsatisfied: Amounts | undefined,
    out: Made[],
  ): boolean {
    const fw = client.fw;
    const role = client.role.name;
    if (fw.spec.offerConstraints !== undefined && isAgentExcluded(fw.spec.offerConstraints, role, agent))
      return false;
    let available = agent.hasReservations ? agent.available.allocatableTo(role) : agent.available;
    if (available.isEmpty) return true;
    if (!this.allocatable(available, role, fw)) return false;
    if (this.filterGpu && agent.hasGpus && !fw.gpuResources) return false;
    if (this.region !== undefined && !fw.regionAware) {
      const r = agent.domain?.region;
      if (r !== undefined && r !== this.region) return false;
    }
    if (!fw.reservationRefinement && agent.hasReservations)
      available = available.withoutRefinedReservations();

    // Quota may cut the offer down (stage 1: to the unmet guarantee and what else it allows).
    const cut =
      quota === null
        ? undefined
        : unsatisfied !== undefined
          ? quota.guaranteeOffer(available, role, unsatisfied)
          : quota.limitOffer(available, role);
    if (unsatisfied !== undefined && cut === undefined) return false;
    const toOffer = cut?.toOffer ?? available;
    if (toOffer !== available && !this.allocatable(toOffer, role, fw)) return false;
    if (this.filters.isFiltered(client, agent, available, toOffer)) return false;

    agent.takeForOffer(toOffer);
    out.push({ client, agent, resources: toOffer });
    if (quota !== null && cut !== undefined) {
      quota.commit(role, cut, unsatisfied);
      if (unsatisfied !== undefined && isEmptyAmounts(unsatisfied)) return true;
    } else if (quota !== null) {
      // Offers to roles without limits still use up headroom.
      quota.commit(role, { toOffer, gain: quotaAmounts(toOffer) });
    }
    return false;
  }

  /** --min_allocatable_resources (or the framework's per-role override): at least one alternative is met. */
  private allocatable(resources: Resources, role: string, fw: FrameworkState): boolean {
    if (resources.isEmpty) return false;
    const mins = fw.minAllocatable.get(role) ?? this.minAllocatable;
    if (mins.length === 0) return true;
    for (const q of mins) if (containsQuantities(resources, q)) return true;
    return false;
  }

  private emit(made: Made[], now: number, merge: boolean): Offer[] {
    let list = made;
    if (merge) {
      // Stages 1 and 2 may both give one client the same agent: one offer per (framework, role, agent).
      const byKey = new Map<string, Made>();
      for (const m of made) {
        const key = `${m.agent.idx}\u0000${m.client.fw.id}\u0000${m.client.role.name}`;
        const prev = byKey.get(key);
        if (prev === undefined) byKey.set(key, { ...m });
        else prev.resources = prev.resources.plus(m.resources);
      }
      list = [...byKey.values()];
    }
    const offers: Offer[] = [];
    for (const m of list) {
      const record = this.book.create(m.client, m.agent, m.resources, now, this.offerTimeoutMs);
      offers.push(record.offer);
    }
    return offers;
  }

  /** Offer or allocation of `resources` to `client` (sign 1), or their return (sign -1). */
  private charge(client: Client, resources: Resources, sign: 1 | -1, count = true): void {
    const v = this.space.vectorOf(resources);
    const role = client.role;
    if (v.length > 0) {
      if (sign > 0) {
        this.roleSorter.allocated(role.name, v, count);
        role.frameworkSorter.allocated(client.sorterPath, v, count);
      } else {
        this.roleSorter.unallocated(role.name, v);
        role.frameworkSorter.unallocated(client.sorterPath, v);
      }
    }
    const top = topLevelRole(role.name);
    for (const e of resources.entries) {
      if (e.type !== "SCALAR" || e.reservationKey !== "") continue;
      const amounts = getOrCreate(this.unreservedByTopRole, top, (): Amounts => new Map());
      amounts.set(e.name, (amounts.get(e.name) ?? 0) + sign * e.amount);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Offers

  offer(id: string): Offer | undefined {
    return this.book.get(id)?.offer;
  }

  /** Outstanding offers, oldest first. */
  outstandingOffers(): Offer[] {
    return [...this.book.values()].map((r) => r.offer);
  }

  // -------------------------------------------------------------------------------------------
  // Maintenance inverse offers (inverseOffers.ts)

  inverseOffer(id: string): InverseOffer | undefined {
    return this.inverse.get(id);
  }

  /** The framework's outstanding inverse offers, oldest first. */
  inverseOffersOf(frameworkId: string): InverseOffer[] {
    return this.inverse.outstandingOf(frameworkId);
  }

  /** ACCEPT/DECLINE_INVERSE_OFFERS: records the answers, with an inverse-offer filter. */
  respondToInverseOffers(
    frameworkId: string,
    ids: readonly string[],
    answer: InverseOfferAnswer,
    refuseSeconds: number | undefined,
    now: number,
  ): InverseOffer[] {
    return this.inverse.respond(frameworkId, ids, answer, refuseSeconds, now);
  }

  /** Frameworks' answers per agent with maintenance (GET_MAINTENANCE_STATUS). */
  inverseOfferStatuses(): Map<string, InverseOfferStatus[]> {
    return this.inverse.statuses();
  }

  offersOf(frameworkId: string): Offer[] {
    const fw = this.frameworks.get(frameworkId);
    if (fw === undefined) return [];
    return [...fw.clients.values()].flatMap((c) => [...c.offers].map((r) => r.offer));
  }

  private rescind(record: OfferRecord, reason: RescindReason): Rescind {
    this.release(record);
    return { offer: record.offer, reason };
  }

  /** Take an offer out of the book and give its resources back to the agent. */
  private release(record: OfferRecord): void {
    this.book.delete(record);
    record.agent.giveBack(record.offer.resources);
    this.charge(record.client, record.offer.resources, -1);
  }

  /**
   * DECLINE: the offers' resources go back with a filter (refuse_seconds, default 5 s). Unknown
   * offers and offers of other frameworks are ignored, as Mesos does. Returns the offers declined.
   */
  decline(
    frameworkId: string,
    offerIds: readonly string[],
    filters: { refuseSeconds?: number | undefined } | undefined,
    now: number,
  ): Offer[] {
    const out: Offer[] = [];
    for (const id of offerIds) {
      const record = this.book.get(id);
      if (record === undefined || record.client.fw.id !== frameworkId) continue;
      this.release(record);
      this.filters.install(
        record.client,
        record.agent,
        record.offer.resources,
        filters?.refuseSeconds,
        now,
        this.batchRuns,
      );
      if (this.allocateOnFreed && record.agent.active) this.pendingAgents.add(record.agent);
      out.push(record.offer);
    }
    return out;
  }

  /**
   * Framework failover (a new SUBSCRIBE for a subscribed framework): its offers are dropped without
   * RESCIND events and without filters, and their resources go back to the pool.
   */
  discardOffers(frameworkId: string): Offer[] {
    const fw = this.requireFramework(frameworkId);
    const out: Offer[] = [];
    for (const client of fw.clients.values())
      for (const record of [...client.offers]) {
        this.release(record);
        out.push(record.offer);
      }
    return out;
  }

  /** An operator (or the controllers) takes an offer back; a 5 s filter keeps it from coming straight back. */
  rescindOffer(offerId: string, now: number, refuseSeconds?: number): Rescind | undefined {
    const record = this.book.get(offerId);
    if (record === undefined) return undefined;
    const rescind = this.rescind(record, "operator");
    this.filters.install(
      record.client,
      record.agent,
      record.offer.resources,
      refuseSeconds,
      now,
      this.batchRuns,
    );
    return rescind;
  }

  /** --offer_timeout: rescind offers older than the timeout, without a filter. */
  expireOffers(now: number): Rescind[] {
    if (this.offerTimeoutMs === undefined) return [];
    const out: Rescind[] = [];
    // Offers are created in time order with one timeout, so the book is in expiry order.
    for (const record of this.book.values()) {
      const at = record.offer.expiresAt;
      if (at === undefined || at > now) break;
      out.push(this.rescind(record, "offer-timeout"));
    }
    return out;
  }

  /**
   * ACCEPT with LAUNCH / LAUNCH_GROUP / RESERVE / UNRESERVE. Launched tasks hold their resources
   * under their pod key until `setPodUsage(podKey, undefined)`; the rest of the offers is declined
   * with the call's filter. `taskIdInUse` reports ids of the framework's non-terminal tasks.
   */
  accept(
    call: AcceptCall,
    now: number,
    taskIdInUse: (taskId: string) => boolean = () => false,
  ): AcceptResult {
    const fw = this.requireFramework(call.frameworkId);
    const decision: AcceptDecision = decideAccept(call, {
      offer: (id) => {
        const r = this.book.get(id);
        return r === undefined
          ? undefined
          : {
              id,
              frameworkId: r.client.fw.id,
              agentId: r.agent.id,
              role: r.client.role.name,
              resources: r.offer.resources,
            };
      },
      partitionAware: fw.partitionAware,
      taskIdInUse,
    });
    const records = decision.consumedOffers.map((o) => this.book.get(o.id)!);
    const result: AcceptResult = {
      error: decision.error,
      launched: decision.launched,
      executors: decision.executors,
      updates: decision.updates,
      operationErrors: decision.operationErrors,
      declined: decision.remaining,
    };
    if (decision.error !== undefined) {
      // Offers of an invalid ACCEPT are discarded without a filter.
      for (const r of records) this.release(r);
      return result;
    }
    const first = records[0]!;
    const agent = first.agent;
    const client = first.client;
    for (const r of records) {
      this.book.delete(r);
      agent.offered = agent.offered.minus(r.offer.resources);
      this.charge(client, r.offer.resources, -1);
    }
    for (const change of decision.reservations) this.convertTotal(agent, change.from, change.to);
    for (const held of [...decision.launched, ...decision.executors]) {
      this.putUsage(
        held.podKey,
        {
          nodeName: agent.nodeName,
          resources: held.resources,
          owner: { frameworkId: fw.id, role: client.role.name },
        },
        false,
      );
    }
    // What is neither launched nor offered any more is available again.
    agent.refreshAvailable();
    this.filters.install(client, agent, decision.remaining, call.filters?.refuseSeconds, now, this.batchRuns);
    return result;
  }

  /**
   * The RESERVE / UNRESERVE operations of an ACCEPT, applied ahead of its launches (the Mesos door
   * launches later, through Task objects that name an offer): the accepted offers are replaced by
   * one offer, held by the same framework and role, of the pooled resources as the operations
   * leave them. Invalid operations are skipped with their error (Mesos OPERATION_ERROR); an
   * offer-level error (as ACCEPT answers it) changes nothing. Returns the new offer.
   */
  reshapeOffers(
    frameworkId: string,
    offerIds: readonly string[],
    operations: readonly Extract<AcceptOperation, { type: "RESERVE" | "UNRESERVE" }>[],
    now: number,
  ): { error?: string | undefined; operationErrors: { index: number; message: string }[]; offer?: Offer } {
    const decision = decideAccept(
      { frameworkId, offerIds, operations },
      {
        offer: (id) => {
          const r = this.book.get(id);
          return r === undefined
            ? undefined
            : {
                id,
                frameworkId: r.client.fw.id,
                agentId: r.agent.id,
                role: r.client.role.name,
                resources: r.offer.resources,
              };
        },
        partitionAware: false,
        taskIdInUse: () => false,
      },
    );
    if (decision.error !== undefined) return { error: decision.error, operationErrors: [] };
    const records = decision.consumedOffers.map((o) => this.book.get(o.id)!);
    const { agent, client } = records[0]!;
    for (const r of records) {
      this.book.delete(r);
      agent.offered = agent.offered.minus(r.offer.resources);
      this.charge(client, r.offer.resources, -1);
    }
    for (const change of decision.reservations) this.convertTotal(agent, change.from, change.to);
    const record = this.book.create(client, agent, decision.remaining, now, this.offerTimeoutMs);
    agent.offered = agent.offered.plus(decision.remaining);
    // The same resources stay with the framework: no new allocation for the DRF tie-break count.
    this.charge(client, decision.remaining, 1, false);
    agent.refreshAvailable();
    return { operationErrors: decision.operationErrors, offer: record.offer };
  }

  // -------------------------------------------------------------------------------------------
  // Dynamic reservations by the operator (RESERVE_RESOURCES / UNRESERVE_RESOURCES)

  /**
   * Reserve `resources` (each carrying the new dynamic reservation on top of its stack) on an agent.
   * Offers holding the resources are rescinded; resources used by pods cannot be reserved.
   */
  reserve(agentId: string, resources: Resources, now: number): ReservationResult {
    if (!dynamicOnTop(resources))
      return { error: "Resources to reserve must carry a dynamic reservation on top", rescinds: [] };
    return this.changeReservation("RESERVE", agentId, resources.popReservation(), resources, now);
  }

  /**
   * A reservation update (RESERVE with `source`): `source` on the agent becomes `target`, the same
   * quantities with another reservation stack. Only shapes a restart can restore from the agent's
   * persisted dynamic reservations: the target pushes a dynamic reservation onto the source
   * (a plain RESERVE), or replaces the source's top dynamic reservation.
   */
  updateReservation(agentId: string, source: Resources, target: Resources, now: number): ReservationResult {
    if (!dynamicOnTop(target))
      return { error: "Resources to reserve must carry a dynamic reservation on top", rescinds: [] };
    if (!source.flatten().equals(target.flatten()))
      return {
        error: "Source and target resources should refer to identical resource quantities",
        rescinds: [],
      };
    const below = target.popReservation();
    const replacesTop = dynamicOnTop(source) && below.equals(source.popReservation());
    if (!below.equals(source) && !replacesTop)
      return {
        error: `Invalid RESERVE Operation: ${describeResources(target)} must add a dynamic reservation to ${describeResources(source)} or replace its top dynamic reservation`,
        rescinds: [],
      };
    return this.changeReservation("RESERVE", agentId, source, target, now);
  }

  /** Remove the top (dynamic) reservation of `resources` on an agent. */
  unreserve(agentId: string, resources: Resources, now: number): ReservationResult {
    if (!dynamicOnTop(resources))
      return { error: "Only dynamically reserved resources can be unreserved", rescinds: [] };
    return this.changeReservation("UNRESERVE", agentId, resources, resources.popReservation(), now);
  }

  private changeReservation(
    kind: "RESERVE" | "UNRESERVE",
    agentId: string,
    from: Resources,
    to: Resources,
    now: number,
  ): ReservationResult {
    const agent = this.agentsById.get(agentId);
    if (agent === undefined) return { error: `Unknown agent ${agentId}`, rescinds: [] };
    if (to.entries.some((e) => e.reservations.at(-1)?.role === "*"))
      return { error: "Role '*' cannot reserve resources", rescinds: [] };
    const unused = agent.unusedByPods();
    // Mesos's own wording (Resources::apply), as the operator API answers it with 409 Conflict.
    if (!unused.contains(from))
      return {
        error: `Invalid ${kind} Operation: ${describeResources(unused)} does not contain ${describeResources(from)}`,
        rescinds: [],
      };
    const rescinds: Rescind[] = [];
    // Like the master (http.cpp _operation), rescind offers on the agent one at a time until
    // enough is free; operator-triggered rescinds leave the default 5 s filter (semantics.md §4.5).
    for (const record of [...agent.offers]) {
      if (agent.available.contains(from)) break;
      rescinds.push(this.rescind(record, "operator"));
      this.filters.install(record.client, agent, record.offer.resources, undefined, now, this.batchRuns);
    }
    this.convertTotal(agent, from, to);
    agent.refreshAvailable();
    return { rescinds };
  }

  private convertTotal(agent: AgentState, from: Resources, to: Resources): void {
    this.trackReservations(agent.total, -1);
    agent.setTotal(agent.total.minus(from).plus(to));
    this.trackReservations(agent.total, 1);
  }

  // -------------------------------------------------------------------------------------------
  // Views

  agent(id: string): AgentView | undefined {
    const a = this.agentsById.get(id);
    if (a === undefined) return undefined;
    return {
      id: a.id,
      hostname: a.hostname,
      nodeName: a.nodeName,
      active: a.active,
      total: a.total,
      used: a.used,
      offered: a.offered,
      available: a.available,
      dynamicReservations: a.total.filter((e) => e.reservations.at(-1)?.type === "DYNAMIC"),
    };
  }

  agentIds(): string[] {
    return this.agents.map((a) => a.id);
  }

  framework(id: string): FrameworkView | undefined {
    const fw = this.frameworks.get(id);
    if (fw === undefined) return undefined;
    return {
      id,
      active: fw.active,
      roles: [...fw.clients.values()].map((c) => ({
        role: c.role.name,
        suppressed: fw.suppressed.has(c.role.name),
        share: c.role.frameworkSorter.share(c.sorterPath),
        offered: Resources.sum([...c.offers].map((r) => r.offer.resources)),
        allocated: Resources.sum([...c.usage].map((u) => u.resources)),
        filters: c.filters.size,
      })),
    };
  }

  /** The /roles view of a role (and its sub-roles). */
  role(name: string): RoleView {
    const inSubtree = (r: string) => r === name || r.startsWith(`${name}/`);
    const usage: Resources[] = [];
    const offers: Resources[] = [];
    const frameworks = new Set<string>();
    for (const role of this.roles.values()) {
      if (!inSubtree(role.name)) continue;
      for (const c of role.clients.values()) {
        frameworks.add(c.fw.id);
        for (const u of c.usage) usage.push(u.resources);
        for (const r of c.offers) offers.push(r.offer.resources);
      }
    }
    const allocated = Resources.sum(usage);
    const offered = Resources.sum(offers);
    let reserved = Resources.EMPTY;
    for (const a of this.agents)
      reserved = reserved.plus(
        a.total.filter((e) => e.reservationKey !== "" && inSubtree(reservationRole(e))),
      );
    const consumed: Record<string, number> = {};
    if (!name.includes("/")) for (const [k, v] of this.consumedOf(name)) if (v > 0) consumed[k] = v / 1000;
    return {
      name,
      weight: this.weights.get(name) ?? 1,
      quota: this.quotaConfigs.get(name),
      consumed,
      allocated,
      offered,
      reserved,
      frameworks: [...frameworks].sort(),
      share: this.roleSorter.share(name) * (this.weights.get(name) ?? 1),
    };
  }

  /** Roles known to the allocator: with frameworks, reservations, a weight or a quota. */
  roleNames(): string[] {
    const names = new Set<string>([...this.roles.keys(), ...this.weights.keys(), ...this.quotas.keys()]);
    for (const a of this.agents)
      for (const e of a.total.entries) if (e.reservationKey !== "") names.add(reservationRole(e));
    return [...names].sort();
  }

  /** Active offer filters, in total or of one role (metric allocator/mesos/offer_filters/roles/<role>/active). */
  filterCount(role?: string): number {
    if (role === undefined) return this.filters.size;
    let n = 0;
    for (const c of this.roles.get(role)?.clients.values() ?? []) n += c.filters.size;
    return n;
  }

  // -------------------------------------------------------------------------------------------
  // Explanations

  /** Why a framework (in each of its roles, or one) gets no offers — or what it would be offered. */
  explain(frameworkId: string, options: ExplainOptions = {}): Explanation[] {
    const fw = this.frameworks.get(frameworkId);
    if (fw === undefined) return [explainFramework(frameworkId)];
    const clients =
      options.role === undefined
        ? [...fw.clients.values()]
        : [fw.clients.get(options.role)].filter((c) => c !== undefined);
    return clients.map((client) =>
      explainClient(client, options, {
        agents: this.agents,
        minAllocatable: this.minAllocatable,
        filterGpu: this.filterGpu,
        region: this.region,
        quota: this.quotas.get(client.role.name),
        consumed: this.consumedOf(topLevelRole(client.role.name)),
        ...this.headroomFor(client.role.name),
      }),
    );
  }

  /**
   * Why a role gets nothing: role-level reasons (no frameworks, all suppressed or disconnected) and
   * the explanation of each of its frameworks.
   */
  explainRole(role: string, options: ExplainOptions = {}): RoleExplanation {
    const state = this.roles.get(role);
    if (state === undefined) return explainRoleWithout(role);
    const frameworks = [...state.clients.keys()]
      .sort()
      .flatMap((id) => this.explain(id, { ...options, role }));
    return explainRoleFrom(role, frameworks);
  }

  /** Unreserved scalars held back for other roles' unmet guarantees, and what is left beyond them. */
  private headroomFor(role: string): { headroomHeld: Amounts; surplus: Amounts | undefined } {
    const q = this.prepareQuota();
    if (q === null || isEmptyAmounts(q.required)) return { headroomHeld: new Map(), surplus: undefined };
    const held = new Map(q.required);
    const own = this.quotas.get(role);
    // A role's own unmet guarantee is not held back from itself (stage 1 gives it).
    if (own !== undefined) addAmounts(held, minusAmounts(own.guarantees, q.consumed.get(role)!), -1);
    for (const [k, v] of held) if (v <= 0) held.delete(k);
    return { headroomHeld: held, surplus: isEmptyAmounts(held) ? undefined : minusAmounts(q.headroom, held) };
  }
}
