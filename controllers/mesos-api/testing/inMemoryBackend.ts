// A small MesosBackend held in memory, for tests of the HTTP layer ONLY: enough Mesos behaviour
// that real clients can subscribe, get offers, launch, see their tasks run (and optionally
// finish) and acknowledge. It is not the operator's state: no allocator, no Kubernetes, one
// whole-agent offer per agent, LAUNCH the only offer operation carried out. The real backend is
// built on the custom resources and the allocator.
import { isTerminalTaskState, isValidRoleName, type TaskState } from "../../api/mesos.ts";
import type {
  CallOutcome,
  FrameworkEventStream,
  Leadership,
  MasterDescription,
  MasterSnapshot,
  MesosBackend,
  OperatorChange,
  RegisteredFramework,
  SubscribeOutcome,
  SubscribeRequest,
} from "../backend.ts";
import { MESOS_VERSION } from "../mesosVersion.ts";
import type { AgentInfo } from "../messages/agentInfo.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import type { MaintenanceSchedule } from "../messages/maintenance.ts";
import { masterInfoIp } from "../messages/masterInfo.ts";
import type { Offer } from "../messages/offer.ts";
import type { QuotaConfig } from "../messages/quota.ts";
import type { Resource } from "../messages/resource.ts";
import { toAllocatorResources, toWireResources } from "../messages/resourceConversion.ts";
import type { Task } from "../messages/task.ts";
import type { TaskStatus } from "../messages/taskStatus.ts";
import { timeInfoFromSeconds } from "../messages/time.ts";
import type { ClusterEvent } from "../operator/event.ts";
import type {
  AcknowledgeOperationValidity,
  AcknowledgeValidity,
} from "../scheduler/acknowledgementMetrics.ts";
import type {
  Accept,
  Acknowledge,
  Decline,
  Kill,
  Reconcile,
  ReconcileOperations,
  Roles,
  UpdateFramework,
} from "../scheduler/call.ts";
import type { FrameworkEvent } from "../scheduler/event.ts";
import {
  REAL_TIMEOUT_TIMERS,
  StatusUpdateRetrier,
  type TimeoutTimers,
} from "../scheduler/statusUpdateRetrier.ts";
import { newStatusUuid } from "../wire/uuid.ts";

export interface InMemoryAgent {
  id: string;
  hostname: string;
  ip: string;
  resources: Resource[];
}

export interface InMemoryBackendOptions {
  agents?: InMemoryAgent[] | undefined;
  /** Host and port the master reports (MasterInfo, /master/redirect). */
  hostname?: string | undefined;
  port?: number | undefined;
  timers?: TimeoutTimers | undefined;
  /** Seconds since the epoch, for timestamps. */
  clock?: (() => number) | undefined;
  /** After TASK_RUNNING is acknowledged, report TASK_FINISHED (like a command that exits 0). */
  finishTasksAfterRunning?: boolean | undefined;
}

/** One call that reached the backend (what rejected calls must never produce). */
export interface RecordedCall {
  method: string;
  frameworkId?: string | undefined;
}

interface FrameworkRecord {
  id: string;
  info: FrameworkInfo;
  stream: FrameworkEventStream | undefined;
  registeredTime: number;
  reregisteredTime: number | undefined;
  unregisteredTime: number | undefined;
  suppressed: boolean;
  /** Agents refused by DECLINE or ACCEPT filters, until their timer runs out. */
  filters: Set<string>;
  failoverTimer: unknown;
}

interface TaskRecord {
  task: Task;
  /** The terminal update has been acknowledged. */
  completed: boolean;
}

export const DEFAULT_AGENT: InMemoryAgent = {
  id: "in-memory-S0",
  hostname: "node-0",
  ip: "127.0.0.1",
  resources: [
    { name: "cpus", type: "SCALAR", scalar: { value: 4 } },
    { name: "mem", type: "SCALAR", scalar: { value: 8192 } },
    { name: "disk", type: "SCALAR", scalar: { value: 10240 } },
    { name: "ports", type: "RANGES", ranges: { range: [{ begin: 31000, end: 32000 }] } },
  ],
};

const MASTER_ID = "in-memory";
// Mesos keeps failover_timeout as a Duration (int64 nanoseconds); larger values are refused.
const MAX_FAILOVER_TIMEOUT_SECONDS = 9_223_372_036;

function roleOf(info: FrameworkInfo): string {
  return info.roles[0] ?? info.role ?? "*";
}

function hasCapability(info: FrameworkInfo, type: string): boolean {
  return info.capabilities.some((c) => c.type === type);
}

export class InMemoryBackend implements MesosBackend {
  leadershipState: Leadership = { leading: true };
  isRecovered = true;
  readonly calls: RecordedCall[] = [];
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly completedFrameworks = new Map<string, FrameworkRecord>();
  readonly offers = new Map<string, Offer>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly agents: InMemoryAgent[];
  weights: { role: string; weight: number }[] = [];
  quotaConfigs: QuotaConfig[] = [];
  schedule: MaintenanceSchedule = { windows: [] };
  readonly retrier: StatusUpdateRetrier;
  private readonly watchers = new Set<(event: ClusterEvent) => void>();
  private readonly timers: TimeoutTimers;
  private readonly clock: () => number;
  private readonly startTime: number;
  private nextFrameworkNumber = 0;
  private nextOfferNumber = 0;

  constructor(private readonly options: InMemoryBackendOptions = {}) {
    this.agents = options.agents ?? [DEFAULT_AGENT];
    this.timers = options.timers ?? REAL_TIMEOUT_TIMERS;
    this.clock = options.clock ?? (() => Date.now() / 1000);
    this.startTime = this.clock();
    this.retrier = new StatusUpdateRetrier({
      timers: this.timers,
      send: (frameworkId, status) => this.sendEvent(frameworkId, { type: "UPDATE", update: { status } }),
    });
  }

  // --- leadership

  leadership(): Leadership {
    return this.leadershipState;
  }

  recovered(): boolean {
    return this.isRecovered;
  }

  master(): MasterDescription {
    const hostname = this.options.hostname ?? "127.0.0.1";
    const port = this.options.port ?? 5050;
    return {
      info: {
        id: MASTER_ID,
        ip: masterInfoIp(hostname),
        port,
        pid: `master@${hostname}:${port}`,
        hostname,
        version: MESOS_VERSION,
        address: { hostname, ip: hostname, port },
        capabilities: [{ type: "AGENT_UPDATE" }, { type: "AGENT_DRAINING" }, { type: "QUOTA_V2" }],
      },
      startTime: this.startTime,
      electedTime: this.startTime,
      flags: { allocation_interval: "1secs", port: String(port) },
    };
  }

  // --- scheduler API

  async subscribe(request: SubscribeRequest, stream: FrameworkEventStream): Promise<SubscribeOutcome> {
    this.record("subscribe", request.subscribe.framework_info.id?.value);
    const info = request.subscribe.framework_info;
    for (const role of [...info.roles, ...(info.role === undefined ? [] : [info.role])])
      if (!isValidRoleName(role)) return { subscribed: false, message: `Role '${role}' is invalid` };
    if (!(info.failover_timeout >= 0 && info.failover_timeout <= MAX_FAILOVER_TIMEOUT_SECONDS))
      return { subscribed: false, message: `Invalid failover_timeout: ${info.failover_timeout}` };
    const requestedId = info.id?.value ?? "";
    if (requestedId !== "" && this.completedFrameworks.has(requestedId))
      return { subscribed: false, message: "Framework has been removed" };

    let framework = requestedId === "" ? undefined : this.frameworks.get(requestedId);
    if (framework !== undefined) {
      if ((info.principal ?? "") !== (framework.info.principal ?? ""))
        return { subscribed: false, message: "Changing framework's principal is not allowed." };
      // user and checkpoint keep their old values on re-subscription (semantics.md §1.5 #3).
      framework.info = { ...info, user: framework.info.user, checkpoint: framework.info.checkpoint };
      framework.reregisteredTime = this.clock();
      if (framework.failoverTimer !== undefined) this.timers.clearTimeout(framework.failoverTimer);
      framework.failoverTimer = undefined;
      this.discardOffers(framework.id);
    } else {
      const id =
        requestedId !== ""
          ? requestedId
          : `${MASTER_ID}-${String(this.nextFrameworkNumber++).padStart(4, "0")}`;
      framework = {
        id,
        info: { ...info, id: { value: id } },
        stream: undefined,
        registeredTime: this.clock(),
        reregisteredTime: undefined,
        unregisteredTime: undefined,
        suppressed: false,
        filters: new Set(),
        failoverTimer: undefined,
      };
      this.frameworks.set(id, framework);
    }
    framework.stream = stream;
    framework.unregisteredTime = undefined;
    framework.suppressed = request.subscribe.suppressed_roles.length > 0;
    const added = framework.reregisteredTime === undefined;
    this.publish(
      added
        ? { type: "FRAMEWORK_ADDED", framework_added: { framework: this.frameworkState(framework, false) } }
        : {
            type: "FRAMEWORK_UPDATED",
            framework_updated: { framework: this.frameworkState(framework, false) },
          },
    );
    this.retrier.resume(framework.id);
    this.allocate(framework);
    return { subscribed: true, frameworkId: framework.id };
  }

  disconnected(frameworkId: string, streamId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework?.stream?.streamId !== streamId) return;
    this.record("disconnected", frameworkId);
    framework.stream = undefined;
    framework.unregisteredTime = this.clock();
    framework.filters.clear();
    this.discardOffers(frameworkId);
    framework.failoverTimer = this.timers.setTimeout(
      () => this.removeFramework(frameworkId),
      framework.info.failover_timeout * 1000,
    );
  }

  registeredFramework(frameworkId: string): RegisteredFramework | undefined {
    const framework = this.frameworks.get(frameworkId);
    return framework === undefined
      ? undefined
      : { name: framework.info.name, principal: framework.info.principal, user: framework.info.user };
  }

  async teardown(frameworkId: string): Promise<void> {
    this.record("teardown", frameworkId);
    this.removeFramework(frameworkId);
  }

  async accept(frameworkId: string, accept: Accept): Promise<void> {
    this.record("accept", frameworkId);
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    const ids = accept.offer_ids.map((o) => o.value);
    const offers = ids.map((id) => this.offers.get(id));
    const invalid =
      ids.length === 0
        ? "No offers specified"
        : ids.find((id, i) => offers[i]?.framework_id.value !== frameworkId || ids.indexOf(id) !== i);
    for (const id of ids) if (this.offers.get(id)?.framework_id.value === frameworkId) this.offers.delete(id);
    const partitionAware = hasCapability(framework.info, "PARTITION_AWARE");
    if (invalid !== undefined) {
      const error = invalid === "No offers specified" ? invalid : `Offer ${invalid} is no longer valid`;
      for (const op of accept.operations)
        for (const task of op.launch?.task_infos ?? [])
          this.masterUpdate(frameworkId, task.task_id.value, task.agent_id.value, {
            state: partitionAware ? "TASK_DROPPED" : "TASK_LOST",
            reason: "REASON_INVALID_OFFERS",
            message: `Task launched with invalid offers: ${error}`,
          });
      return;
    }
    const agentId = offers[0]?.agent_id.value ?? "";
    let available = toAllocatorResources(offers.flatMap((o) => o?.resources ?? []));
    for (const op of accept.operations) {
      if (op.type === "LAUNCH") {
        for (const task of op.launch?.task_infos ?? []) {
          const wanted = toAllocatorResources(task.resources);
          const key = `${frameworkId}/${task.task_id.value}`;
          const existing = this.tasks.get(key);
          const error =
            existing !== undefined && !isTerminalTaskState(existing.task.state)
              ? `Task has duplicate ID: ${task.task_id.value}`
              : task.agent_id.value !== agentId
                ? `Task uses invalid agent ${task.agent_id.value} while agent ${agentId} is expected`
                : !available.contains(wanted)
                  ? "Total resources required by task and its executor is more than available"
                  : undefined;
          if (error !== undefined) {
            this.masterUpdate(frameworkId, task.task_id.value, task.agent_id.value, {
              state: "TASK_ERROR",
              reason: "REASON_TASK_INVALID",
              message: error,
            });
            continue;
          }
          available = available.minus(wanted);
          const launched: Task = {
            name: task.name,
            task_id: task.task_id,
            framework_id: { value: frameworkId },
            agent_id: task.agent_id,
            state: "TASK_STAGING",
            resources: task.resources,
            statuses: [],
            labels: task.labels,
            container: task.container,
            health_check: task.health_check,
            kill_policy: task.kill_policy,
            user: task.command?.user ?? framework.info.user,
            command: task.command,
          };
          this.tasks.set(key, { task: launched, completed: false });
          this.publish({ type: "TASK_ADDED", task_added: { task: launched } });
          this.executorUpdate(frameworkId, key, "TASK_RUNNING");
        }
      } else if (op.id !== undefined) {
        this.sendEvent(frameworkId, {
          type: "UPDATE_OPERATION_STATUS",
          update_operation_status: {
            status: {
              operation_id: op.id,
              state: "OPERATION_ERROR",
              message: `The in-memory backend does not carry out ${op.type ?? "UNKNOWN"} operations`,
            },
          },
        });
      } else if (op.type === "LAUNCH_GROUP") {
        for (const task of op.launch_group?.task_group.tasks ?? [])
          this.masterUpdate(frameworkId, task.task_id.value, task.agent_id.value, {
            state: "TASK_ERROR",
            reason: "REASON_TASK_GROUP_INVALID",
            message: "The in-memory backend does not launch task groups",
          });
      }
    }
    this.refuse(framework, agentId, accept.filters.refuse_seconds);
  }

  async decline(frameworkId: string, decline: Decline): Promise<void> {
    this.record("decline", frameworkId);
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    for (const { value } of decline.offer_ids) {
      const offer = this.offers.get(value);
      if (offer?.framework_id.value !== frameworkId) continue;
      this.offers.delete(value);
      this.refuse(framework, offer.agent_id.value, decline.filters.refuse_seconds);
    }
  }

  async acceptInverseOffers(frameworkId: string): Promise<void> {
    this.record("acceptInverseOffers", frameworkId);
  }

  async declineInverseOffers(frameworkId: string): Promise<void> {
    this.record("declineInverseOffers", frameworkId);
  }

  async revive(frameworkId: string, _revive: Roles): Promise<void> {
    this.record("revive", frameworkId);
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    framework.suppressed = false;
    framework.filters.clear();
    this.allocate(framework);
  }

  async suppress(frameworkId: string, _suppress: Roles): Promise<void> {
    this.record("suppress", frameworkId);
    const framework = this.frameworks.get(frameworkId);
    if (framework !== undefined) framework.suppressed = true;
  }

  async kill(frameworkId: string, kill: Kill): Promise<void> {
    this.record("kill", frameworkId);
    const key = `${frameworkId}/${kill.task_id.value}`;
    const record = this.tasks.get(key);
    if (record !== undefined && !isTerminalTaskState(record.task.state)) {
      this.executorUpdate(frameworkId, key, "TASK_KILLED");
      return;
    }
    if (record === undefined) this.reconcileUnknown(frameworkId, kill.task_id.value, kill.agent_id?.value);
  }

  async shutdown(frameworkId: string): Promise<void> {
    this.record("shutdown", frameworkId);
  }

  async acknowledge(frameworkId: string, acknowledge: Acknowledge): Promise<AcknowledgeValidity> {
    this.record("acknowledge", frameworkId);
    // As Master::acknowledge: an agent this master does not have makes it invalid.
    if (!this.agents.some((a) => a.id === acknowledge.agent_id.value)) return "invalid";
    const taskId = acknowledge.task_id.value;
    const head = this.retrier.pending(frameworkId, taskId)[0];
    if (head === undefined || !this.retrier.acknowledge(frameworkId, taskId, acknowledge.uuid))
      return "valid";
    const key = `${frameworkId}/${taskId}`;
    const record = this.tasks.get(key);
    if (record === undefined) return "valid";
    if (isTerminalTaskState(head.state)) record.completed = true;
    else if (head.state === "TASK_RUNNING" && this.options.finishTasksAfterRunning)
      this.executorUpdate(frameworkId, key, "TASK_FINISHED");
    return "valid";
  }

  /** No operation here has a reliable status: every acknowledgement names an unknown operation. */
  async acknowledgeOperationStatus(frameworkId: string): Promise<AcknowledgeOperationValidity> {
    this.record("acknowledgeOperationStatus", frameworkId);
    return "invalid";
  }

  async reconcile(frameworkId: string, reconcile: Reconcile): Promise<void> {
    this.record("reconcile", frameworkId);
    const reply = (record: TaskRecord) =>
      this.masterUpdate(frameworkId, record.task.task_id.value, record.task.agent_id.value, {
        state: record.task.status_update_state ?? record.task.state,
        reason: "REASON_RECONCILIATION",
        message: "Reconciliation: Latest task state",
      });
    if (reconcile.tasks.length === 0) {
      for (const record of this.tasks.values())
        if (record.task.framework_id.value === frameworkId && !record.completed) reply(record);
      return;
    }
    for (const entry of reconcile.tasks) {
      const record = this.tasks.get(`${frameworkId}/${entry.task_id.value}`);
      if (record !== undefined) reply(record);
      else this.reconcileUnknown(frameworkId, entry.task_id.value, entry.agent_id?.value);
    }
  }

  async reconcileOperations(frameworkId: string, reconcile: ReconcileOperations): Promise<void> {
    this.record("reconcileOperations", frameworkId);
    for (const op of reconcile.operations)
      this.sendEvent(frameworkId, {
        type: "UPDATE_OPERATION_STATUS",
        update_operation_status: {
          status: { operation_id: op.operation_id, state: "OPERATION_UNKNOWN", agent_id: op.agent_id },
        },
      });
  }

  async message(frameworkId: string): Promise<void> {
    this.record("message", frameworkId);
  }

  async request(frameworkId: string): Promise<void> {
    this.record("request", frameworkId);
  }

  async updateFramework(frameworkId: string, update: UpdateFramework): Promise<CallOutcome> {
    this.record("updateFramework", frameworkId);
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return { ok: false, status: 409, message: "Framework disappeared" };
    const next = update.framework_info;
    for (const field of ["user", "principal", "checkpoint"] as const)
      if (next[field] !== framework.info[field])
        return { ok: false, status: 400, message: `Updating 'FrameworkInfo.${field}' is unsupported` };
    const roles = new Set(next.roles.length > 0 ? next.roles : [next.role ?? "*"]);
    const outside = update.suppressed_roles.filter((r) => !roles.has(r));
    if (outside.length > 0)
      return {
        ok: false,
        status: 400,
        message: `Suppressed roles ${outside.join(", ")} are not contained in roles`,
      };
    framework.info = { ...next, id: { value: frameworkId } };
    for (const [id, offer] of this.offers)
      if (
        offer.framework_id.value === frameworkId &&
        !roles.has(offer.allocation_info?.role ?? roleOf(next))
      ) {
        this.offers.delete(id);
        this.sendEvent(frameworkId, { type: "RESCIND", rescind: { offer_id: offer.id } });
      }
    this.publish({
      type: "FRAMEWORK_UPDATED",
      framework_updated: { framework: this.frameworkState(framework, false) },
    });
    return { ok: true };
  }

  // --- operator API

  async snapshot(): Promise<MasterSnapshot> {
    const tasks = [...this.tasks.values()];
    const agentInfo = (agent: InMemoryAgent): AgentInfo => ({
      hostname: agent.hostname,
      port: 5051,
      resources: agent.resources,
      id: { value: agent.id },
    });
    return {
      frameworks: [...this.frameworks.values()].map((f) => this.frameworkState(f, true)),
      completedFrameworks: [...this.completedFrameworks.values()].map((f) => this.frameworkState(f, false)),
      agents: this.agents.map((agent) => ({
        agent_info: agentInfo(agent),
        active: true,
        version: MESOS_VERSION,
        pid: `slave(1)@${agent.ip}:5051`,
        registered_time: timeInfoFromSeconds(this.startTime),
        total_resources: agent.resources,
        allocated_resources: tasks
          .filter((t) => t.task.agent_id.value === agent.id && !isTerminalTaskState(t.task.state))
          .flatMap((t) => t.task.resources),
        offered_resources: [...this.offers.values()]
          .filter((o) => o.agent_id.value === agent.id)
          .flatMap((o) => o.resources),
      })),
      recoveredAgents: [],
      unreachableAgentIds: [],
      tasks: tasks.filter((t) => !t.completed).map((t) => t.task),
      unreachableTasks: [],
      completedTasks: tasks.filter((t) => t.completed).map((t) => t.task),
      executors: [],
      roles: [],
      weights: this.weights,
      quotaConfigs: this.quotaConfigs,
      maintenance: { schedule: this.schedule, status: { draining_machines: [], down_machines: [] } },
      operations: [],
    };
  }

  async metrics(): Promise<Record<string, number>> {
    const frameworks = [...this.frameworks.values()];
    const count = (state: TaskState) => [...this.tasks.values()].filter((t) => t.task.state === state).length;
    return {
      "master/elected": this.leadershipState.leading ? 1 : 0,
      "master/uptime_secs": this.clock() - this.startTime,
      "master/frameworks_active": frameworks.filter((f) => f.stream !== undefined).length,
      "master/frameworks_inactive": frameworks.filter((f) => f.stream === undefined).length,
      "master/frameworks_connected": frameworks.filter((f) => f.stream !== undefined).length,
      "master/frameworks_disconnected": frameworks.filter((f) => f.stream === undefined).length,
      "master/slaves_active": this.agents.length,
      "master/outstanding_offers": this.offers.size,
      "master/tasks_running": count("TASK_RUNNING"),
      "master/tasks_finished": count("TASK_FINISHED"),
    };
  }

  watchCluster(listener: (event: ClusterEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  async changeCluster(change: OperatorChange): Promise<CallOutcome> {
    this.record(`changeCluster:${change.type}`);
    const agentKnown = (id: string) => this.agents.some((a) => a.id === id);
    switch (change.type) {
      case "UPDATE_WEIGHTS":
        for (const w of change.weightInfos) {
          if (w.role === undefined || !isValidRoleName(w.role))
            return { ok: false, status: 400, message: `Invalid role '${w.role ?? ""}'` };
          if (!(w.weight > 0)) return { ok: false, status: 400, message: `Invalid weight ${w.weight}` };
        }
        this.weights = [
          ...this.weights.filter((w) => !change.weightInfos.some((u) => u.role === w.role)),
          ...change.weightInfos.map((w) => ({ role: w.role ?? "*", weight: w.weight })),
        ];
        return { ok: true };
      case "UPDATE_QUOTA":
        for (const q of change.quotaConfigs) {
          this.quotaConfigs = this.quotaConfigs.filter((c) => c.role !== q.role);
          if (Object.keys(q.guarantees ?? {}).length + Object.keys(q.limits ?? {}).length > 0)
            this.quotaConfigs.push(q);
        }
        return { ok: true };
      case "TEARDOWN":
        if (!this.frameworks.has(change.frameworkId))
          return { ok: false, status: 400, message: "No framework found with specified ID" };
        this.removeFramework(change.frameworkId);
        return { ok: true };
      case "MARK_AGENT_GONE":
        return agentKnown(change.agentId)
          ? { ok: true }
          : { ok: false, status: 404, message: "Agent not found" };
      case "UPDATE_MAINTENANCE_SCHEDULE":
        this.schedule = change.schedule;
        return { ok: true };
      case "START_MAINTENANCE":
      case "STOP_MAINTENANCE":
        return { ok: true };
      case "DRAIN_AGENT":
      case "DEACTIVATE_AGENT":
      case "REACTIVATE_AGENT":
      case "RESERVE_RESOURCES":
      case "UNRESERVE_RESOURCES":
        return agentKnown(change.agentId)
          ? { ok: true }
          : { ok: false, status: 400, message: "No agent found with specified ID" };
    }
  }

  // --- internals

  private record(method: string, frameworkId?: string): void {
    this.calls.push({ method, frameworkId });
  }

  private publish(event: ClusterEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }

  private sendEvent(frameworkId: string, event: FrameworkEvent): void {
    this.frameworks.get(frameworkId)?.stream?.send(event);
  }

  private frameworkState(framework: FrameworkRecord, withOffers: boolean): FrameworkState {
    const connected = framework.stream !== undefined;
    const offers = [...this.offers.values()].filter((o) => o.framework_id.value === framework.id);
    const allocated = [...this.tasks.values()]
      .filter((t) => t.task.framework_id.value === framework.id && !isTerminalTaskState(t.task.state))
      .flatMap((t) => t.task.resources);
    return {
      framework_info: framework.info,
      active: connected,
      connected,
      recovered: false,
      registered_time: timeInfoFromSeconds(framework.registeredTime),
      reregistered_time:
        framework.reregisteredTime === undefined
          ? undefined
          : timeInfoFromSeconds(framework.reregisteredTime),
      unregistered_time:
        framework.unregisteredTime === undefined
          ? undefined
          : timeInfoFromSeconds(framework.unregisteredTime),
      ...(withOffers
        ? { offers, offered_resources: offers.flatMap((o) => o.resources), allocated_resources: allocated }
        : {}),
    };
  }

  /** Offer each agent's unused resources to the framework, one whole-agent offer per agent. */
  private allocate(framework: FrameworkRecord): void {
    if (framework.stream === undefined || framework.suppressed) return;
    const role = roleOf(framework.info);
    const multiRole = hasCapability(framework.info, "MULTI_ROLE");
    const refinement = hasCapability(framework.info, "RESERVATION_REFINEMENT");
    const made: Offer[] = [];
    for (const agent of this.agents) {
      if (framework.filters.has(agent.id)) continue;
      if ([...this.offers.values()].some((o) => o.agent_id.value === agent.id)) continue;
      const used = [...this.tasks.values()]
        .filter((t) => t.task.agent_id.value === agent.id && !isTerminalTaskState(t.task.state))
        .flatMap((t) => t.task.resources);
      const free = toAllocatorResources(agent.resources).minus(toAllocatorResources(used));
      if (free.isEmpty) continue;
      const offer: Offer = {
        id: { value: `${MASTER_ID}-O${this.nextOfferNumber++}` },
        framework_id: { value: framework.id },
        agent_id: { value: agent.id },
        hostname: agent.hostname,
        url: {
          scheme: "http",
          address: { hostname: agent.hostname, ip: agent.ip, port: 5051 },
          path: "/slave(1)",
        },
        resources: toWireResources(free, { refinement, allocationRole: multiRole ? role : undefined }),
        attributes: [],
        ...(multiRole ? { allocation_info: { role } } : {}),
      };
      this.offers.set(offer.id.value, offer);
      made.push(offer);
    }
    if (made.length > 0) framework.stream.send({ type: "OFFERS", offers: { offers: made } });
  }

  /** Refuse the agent for `seconds`, then offer again (nothing is refused for 0). */
  private refuse(framework: FrameworkRecord, agentId: string, seconds: number): void {
    if (!(seconds > 0)) {
      this.allocate(framework);
      return;
    }
    const capped = Math.min(seconds, 365 * 24 * 3600);
    framework.filters.add(agentId);
    this.timers.setTimeout(() => {
      framework.filters.delete(agentId);
      if (this.frameworks.get(framework.id) === framework) this.allocate(framework);
    }, capped * 1000);
  }

  private discardOffers(frameworkId: string): void {
    for (const [id, offer] of this.offers)
      if (offer.framework_id.value === frameworkId) this.offers.delete(id);
  }

  /** An update with a uuid, as an executor sends it: retried until acknowledged. */
  private executorUpdate(frameworkId: string, key: string, state: TaskState): void {
    const record = this.tasks.get(key);
    if (record === undefined) return;
    const status: TaskStatus = {
      task_id: record.task.task_id,
      state,
      source: "SOURCE_EXECUTOR",
      agent_id: record.task.agent_id,
      timestamp: this.clock(),
      uuid: newStatusUuid(),
    };
    const previous = record.task.state;
    record.task = {
      ...record.task,
      state,
      statuses: [...record.task.statuses, status],
      status_update_state: state,
      status_update_uuid: status.uuid,
    };
    if (previous !== state)
      this.publish({
        type: "TASK_UPDATED",
        task_updated: { framework_id: { value: frameworkId }, status, state },
      });
    this.retrier.enqueue(frameworkId, status);
  }

  /** A master-generated update: no uuid, sent once. */
  private masterUpdate(
    frameworkId: string,
    taskId: string,
    agentId: string | undefined,
    fields: Pick<TaskStatus, "state" | "reason" | "message">,
  ): void {
    this.retrier.enqueue(frameworkId, {
      task_id: { value: taskId },
      ...(agentId === undefined ? {} : { agent_id: { value: agentId } }),
      source: "SOURCE_MASTER",
      timestamp: this.clock(),
      ...fields,
    });
  }

  private reconcileUnknown(frameworkId: string, taskId: string, agentId: string | undefined): void {
    const framework = this.frameworks.get(frameworkId);
    const partitionAware = framework !== undefined && hasCapability(framework.info, "PARTITION_AWARE");
    const agentKnown = agentId !== undefined && this.agents.some((a) => a.id === agentId);
    this.masterUpdate(frameworkId, taskId, agentId, {
      state: !partitionAware ? "TASK_LOST" : agentKnown ? "TASK_GONE" : "TASK_UNKNOWN",
      reason: "REASON_RECONCILIATION",
      message: agentKnown
        ? "Reconciliation: Task is unknown to the agent"
        : "Reconciliation: Task is unknown",
    });
  }

  private removeFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    this.frameworks.delete(frameworkId);
    this.completedFrameworks.set(frameworkId, framework);
    this.discardOffers(frameworkId);
    this.retrier.forget(frameworkId);
    for (const record of this.tasks.values()) {
      if (record.task.framework_id.value !== frameworkId || isTerminalTaskState(record.task.state)) continue;
      record.task = { ...record.task, state: "TASK_KILLED" };
      record.completed = true;
    }
    framework.stream?.close();
    framework.stream = undefined;
    this.publish({ type: "FRAMEWORK_REMOVED", framework_removed: { framework_info: framework.info } });
  }
}
