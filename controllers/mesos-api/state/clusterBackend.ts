// The real MesosBackend: the Mesos HTTP façade on the operator's shared state. Both doors, one
// state: a subscribing scheduler becomes a Framework object, ACCEPT/LAUNCH becomes Task objects
// (the task reconciler places, binds and watches their pods), offers come from the leader's
// allocator (AllocationAccess), status updates from Task.status.updates (the task reconciler
// writes them, with their uuids), and acknowledgements are written back there. What lives only
// in this process is the connection of each scheduler: its stream, the offers and master updates
// already sent on it, and the retry queue of unacknowledged updates — all rebuilt from the caches
// when a scheduler subscribes again (after a failover of the operator, too).

import { randomBytes, randomUUID } from "node:crypto";
import type { AllocationAccess } from "../../allocation/allocationLoop.ts";
import {
  DYNAMIC_RESERVATIONS_ANNOTATION,
  withPersistedReservations,
} from "../../allocation/dynamicReservations.ts";
import { isPartitioned, nodeReachability } from "../../allocation/nodeReachability.ts";
import { toCompactResources } from "../../allocation/resourceShapes.ts";
import {
  AGENT_GONE_ANNOTATION,
  type Offer as AllocatorOffer,
  agentIdForNode,
  describeResources,
  isMarkedGone,
  nodeMaintenance,
  nodeToAgent,
  Resources,
  reservationRole,
} from "../../allocator/index.ts";
import {
  API_VERSION,
  FRAMEWORK_ID_ANNOTATION,
  type Framework,
  isTerminalTaskState,
  isValidRoleName,
  MAX_FAILOVER_TIMEOUT_SECONDS,
  type Role,
  SCHEDULER_API_LABEL,
  type Task as TaskObject,
  type TaskSpec,
  type TaskState,
} from "../../api/index.ts";
import type { Cluster } from "../../cluster/index.ts";
import { isConflict, isNotFound, keyOf } from "../../cluster/index.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import type { Pod } from "../../cluster/podSchema.ts";
import type { SchedulingMetrics } from "../../cluster/schedulingMetrics.ts";
import type { Config } from "../../config.ts";
import { frameworkOwnerReference } from "../../framework/frameworkOwnership.ts";
import { frameworkIdOf } from "../../framework/frameworkPhase.ts";
import type { SchedulerConnections } from "../../framework/schedulerConnections.ts";
import type { Logger } from "../../logging.ts";
import { dnsLabelFor } from "../../task/kubernetesNames.ts";
import { acknowledgeUpdate } from "../../task/statusUpdates.ts";
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
import type { AgentState } from "../messages/agent.ts";
import { toWireAttributes, toWireDomain } from "../messages/agentAttributes.ts";
import type { ExecutorInfo } from "../messages/executorInfo.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import { launchGroupError } from "../messages/launchGroupValidation.ts";
import { masterInfoIp } from "../messages/masterInfo.ts";
import type { Offer } from "../messages/offer.ts";
import type { OperationStatus } from "../messages/operationStatus.ts";
import type { Resource } from "../messages/resource.ts";
import { endpointFormat, toAllocatorResources, toWireResources } from "../messages/resourceConversion.ts";
import type { RoleState } from "../messages/role.ts";
import type { Task as WireTask } from "../messages/task.ts";
import type { TaskInfo } from "../messages/taskInfo.ts";
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
  AcknowledgeOperationStatus,
  Decline,
  InverseOffersResponse,
  Kill,
  Reconcile,
  ReconcileOperations,
  Roles,
  UpdateFramework,
} from "../scheduler/call.ts";
import type { FrameworkEvent } from "../scheduler/event.ts";
import {
  type AgentStanding,
  OperationStatusUpdates,
  wireOperation,
} from "../scheduler/operationStatusUpdates.ts";
import { StatusUpdateRetrier, type TimeoutTimers } from "../scheduler/statusUpdateRetrier.ts";
import { base64ToUuidText } from "../wire/uuid.ts";
import { applyAcceptReservations, hasReservationOperations } from "./acceptReservations.ts";
import { AgentHealthTracker } from "./agentHealth.ts";
import { watchClusterEvents } from "./clusterEvents.ts";
import { retainedCompletedFrameworks } from "./completedFrameworksRetention.ts";
import { CompletedFrameworkTasks } from "./completedFrameworkTasks.ts";
import { agentDrainFields } from "./drainCalls.ts";
import { inverseOfferEvents, wireInverseOffer } from "./inverseOfferEvents.ts";
import { taskEndpointResources } from "./launchedResources.ts";
import { isMaintenanceChange, MaintenanceCalls } from "./maintenanceCalls.ts";
import {
  frameworkInfoFromObject,
  frameworkSpecFromInfo,
  isCompletedTask,
  isUnreachableTask,
  pendingUpdates,
  resourcesToWire,
  rolesOf,
  taskIdOfObject,
  taskObjectName,
  taskSpecFromInfo,
  wireTask,
} from "./mapping.ts";
import { ReservationChanges } from "./reservationChanges.ts";
import { quotaConfigsOf, type RoleStore, updateQuota, updateWeights, weightsOf } from "./roleChanges.ts";
import { frameworksInState } from "./stateFrameworks.ts";
import { TerminalTaskCounters } from "./terminalTaskCounters.ts";

const HOSTNAME_LABEL = "kubernetes.io/hostname";

/** A framework whose object is gone, as the completed frameworks list it. */
interface RemovedFramework {
  /** namespace/name its object had. */
  key: string;
  /** When it completed (RFC 3339). */
  at: string;
  id: string;
  state: FrameworkState;
}

interface PendingUnit {
  tasks: TaskInfo[];
  group: boolean;
  /** A task group's executor (its resources are held beside the tasks'). */
  executor?: ExecutorInfo | undefined;
  index: number;
  role: string;
  /** When the ACCEPT came (ms); a launch that finds no fitting offer within UNIT_WAIT_MS is lost. */
  since: number;
}

const UNIT_WAIT_MS = 30_000;

export interface ClusterBackendOptions {
  config: Config;
  cluster: Pick<Cluster, "informers" | "writers">;
  access: AllocationAccess;
  log: Logger;
  isLeader: () => boolean;
  /** Namespace of a subscribing framework's objects; default: the operator's (lease) namespace. */
  namespaceFor?: ((info: FrameworkInfo, principal: string | undefined) => string) | undefined;
  /** Host the master reports (MasterInfo); default 127.0.0.1. */
  hostname?: string | undefined;
  port?: number | undefined;
  /** How often outstanding offers are compared with what each stream was sent (ms). */
  offerPollMs?: number | undefined;
  timers?: TimeoutTimers | undefined;
  /** Counters read back under their Mesos names in metrics(). */
  metrics?: SchedulingMetrics | undefined;
  /**
   * Where subscriptions and closed streams are reported; the framework reconciler turns them into
   * the persisted phase and the failover timeout.
   */
  connections?: SchedulerConnections | undefined;
}

interface Connection {
  id: string;
  /** namespace/name of the Framework object. */
  key: string;
  namespace: string;
  name: string;
  stream: FrameworkEventStream | undefined;
  partitionAware: boolean;
  refinement: boolean;
  /** Offers sent on the current stream and not ended yet. */
  sentOffers: Set<string>;
  /** Offers the scheduler accepted or declined: never sent again, though the allocator may still hold them a moment. */
  usedOffers: Set<string>;
  /**
   * Launches of one ACCEPT beyond the first, per agent (pin key): each waits for the next offer of
   * that agent (what the previous launch left), which the stream does not see meanwhile.
   */
  pendingUnits: Map<string, PendingUnit[]>;
  /** Master updates (no uuid) already sent. */
  sentMaster: Set<string>;
  /** uuids (base64) handed to the retrier. */
  queued: Set<string>;
  /** The write of the Framework object, for a framework admitted before it existed. */
  persisting: Promise<void> | undefined;
  /** That object as written, until the cache shows it. */
  created: Framework | undefined;
  /** Inverse offers sent on the current stream and not answered yet. */
  sentInverse: Set<string>;
  /** A syncOffers is queued for the offers beyond one OFFERS event (--max-offers-per-event). */
  offerSyncQueued: boolean;
}

export class ClusterBackend implements MesosBackend {
  readonly retrier: StatusUpdateRetrier;
  readonly operationUpdates: OperationStatusUpdates;
  private readonly conns = new Map<string, Connection>();
  private offersOff: (() => void) | undefined;
  private readonly removed = new Set<string>();
  private readonly startTime = Date.now() / 1000;
  private readonly log: Logger;
  private poll: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];
  private readonly maintenance: MaintenanceCalls;
  private readonly agentHealth = new AgentHealthTracker();
  private readonly terminalTasks = new TerminalTaskCounters();
  /** Frameworks whose objects are gone, newest last, at most --max-completed-frameworks. */
  private removedFrameworks: RemovedFramework[] = [];
  /** Their tasks (and those of frameworks being torn down) whose objects were garbage-collected. */
  private readonly completedFrameworkTasks = new CompletedFrameworkTasks<MasterSnapshot["tasks"][number]>();

  private readonly reservations: ReservationChanges;

  constructor(private readonly opts: ClusterBackendOptions) {
    this.log = opts.log.child({ component: "mesos-backend" });
    this.maintenance = new MaintenanceCalls({
      config: opts.config,
      informers: opts.cluster.informers,
      writers: opts.cluster.writers,
      access: opts.access,
      log: opts.log,
    });
    this.reservations = new ReservationChanges({
      access: opts.access,
      nodes: () => opts.cluster.informers.nodes.cache.list() as Node[],
      annotate: (name, annotations) => opts.cluster.writers.nodes.annotate(name, annotations),
      log: this.log,
    });
    this.retrier = new StatusUpdateRetrier({
      timers: opts.timers,
      send: (frameworkId, status) => {
        this.log.debug(
          { frameworkId, taskId: status.task_id.value, state: status.state, uuid: status.uuid },
          "UPDATE",
        );
        this.send(frameworkId, { type: "UPDATE", update: { status } });
      },
    });
    this.operationUpdates = new OperationStatusUpdates({
      timers: opts.timers,
      send: (frameworkId, status) => this.sendOperationStatus(frameworkId, status),
    });
  }

  /** Starts following the caches (offers, task updates). */
  start(): void {
    const { tasks, nodes, frameworks } = this.opts.cluster.informers;
    let replaying = true;
    this.unsubscribe = [
      // A torn-down framework's object goes once its tasks are killed; Mesos still lists it
      // among the completed frameworks (S-98, S-102): its last state is kept in memory, as there.
      frameworks.addHandlers({ onDelete: (fw) => this.rememberRemoved(fw) }),
      tasks.addHandlers({
        onAdd: (t) => this.onTask(t),
        onUpdate: (_o, t) => this.onTask(t),
        onDelete: (t) => {
          this.terminalTasks.forget(t.metadata.uid ?? keyOf(t) ?? "");
          this.keepCompletedFrameworkTask(t);
        },
      }),
      // addHandlers replays the cache first: agents registered with an earlier master.
      nodes.addHandlers({
        onAdd: (n) => this.onNode(n, false, replaying),
        onUpdate: (_o, n) => this.onNode(n, false, false),
        onDelete: (n) => this.onNode(n, true, false),
      }),
    ];
    replaying = false;
    // New and rescinded offers go out as the allocator makes them; the poll is a safety net.
    this.offersOff = this.opts.access.onOffersChanged((frameworkIds) => {
      for (const id of frameworkIds) {
        const conn = this.conns.get(id);
        if (conn !== undefined) this.syncOffers(conn);
      }
    });
    this.poll = setInterval(() => this.syncAllOffers(), this.opts.offerPollMs ?? 100);
    this.maintenance.start();
  }

  /** Ends every connection (leadership lost or shutting down); streams are ended by the server. */
  stop(): void {
    this.maintenance.stop();
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.agentHealth.clear();
    this.terminalTasks.clear();
    this.removedFrameworks = [];
    this.completedFrameworkTasks.clear();
    this.offersOff?.();
    this.offersOff = undefined;
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
    for (const c of this.conns.values()) {
      this.retrier.forget(c.id);
      this.operationUpdates.forget(c.id);
    }
    this.conns.clear();
    this.opts.connections?.clear();
  }

  // --- leadership

  leadership(): Leadership {
    return this.opts.isLeader() ? { leading: true } : { leading: false };
  }

  recovered(): boolean {
    const i = this.opts.cluster.informers;
    return (
      this.opts.access.ready &&
      [i.frameworks, i.tasks, i.nodes, i.offers].every(
        (x) => (x as { hasSynced?: () => boolean }).hasSynced?.() ?? true,
      )
    );
  }

  master(): MasterDescription {
    const hostname = this.opts.hostname ?? "127.0.0.1";
    const port = this.opts.port ?? this.opts.config.mesosApiPort;
    const flags: Record<string, string> = {
      port: String(port),
      allocation_interval: `${this.opts.config.allocationIntervalMs}ms`,
    };
    return {
      info: {
        id: `${this.opts.config.identity.replace(/[^A-Za-z0-9._-]/g, "-")}`,
        ip: masterInfoIp(hostname),
        port,
        pid: `master@${hostname}:${port}`,
        hostname,
        version: MESOS_VERSION,
        address: { hostname, ip: hostname, port },
        // Mesos's MASTER_CAPABILITIES (constants.cpp); the v1 views drop QUOTA_V2 (v1MasterInfo.ts).
        capabilities: [{ type: "AGENT_UPDATE" }, { type: "AGENT_DRAINING" }, { type: "QUOTA_V2" }],
      },
      startTime: this.startTime,
      electedTime: this.startTime,
      flags,
    };
  }

  // --- frameworks

  private frameworks(): Framework[] {
    return this.opts.cluster.informers.frameworks.cache.list() as Framework[];
  }

  private frameworkById(id: string): Framework | undefined {
    const conn = this.conns.get(id);
    if (conn !== undefined) {
      const fw = this.opts.cluster.informers.frameworks.cache.get(conn.key) as Framework | undefined;
      if (fw !== undefined) return fw;
      if (conn.created !== undefined) return conn.created;
    }
    return this.frameworks().find((f) => frameworkIdOf(f) === id);
  }

  async subscribe(request: SubscribeRequest, stream: FrameworkEventStream): Promise<SubscribeOutcome> {
    const info = request.subscribe.framework_info;
    const roles = rolesOf(info);
    for (const role of roles)
      if (!isValidRoleName(role)) return { subscribed: false, message: `Role '${role}' is invalid` };
    if (!(info.failover_timeout >= 0 && info.failover_timeout <= MAX_FAILOVER_TIMEOUT_SECONDS))
      return { subscribed: false, message: `Invalid failover_timeout: ${info.failover_timeout}` };
    const suppressed = request.subscribe.suppressed_roles;
    const outside = suppressed.filter((r) => !roles.includes(r));
    if (outside.length > 0)
      return {
        subscribed: false,
        message: `Suppressed roles ${outside.join(", ")} are not contained in roles`,
      };
    const requested = info.id?.value ?? "";
    if (requested !== "" && this.removed.has(requested))
      return { subscribed: false, message: "Framework has been removed" };

    const { writers } = this.opts.cluster;
    // A scheduler re-subscribing before its first subscription's object was written waits for it.
    if (requested !== "") await this.persisted(requested);
    let fw = requested === "" ? undefined : this.frameworkById(requested);
    if (fw?.metadata.deletionTimestamp !== undefined || fw?.status?.phase === "Completed")
      return { subscribed: false, message: "Framework has been removed" };
    let id: string;
    if (fw !== undefined) {
      if ((info.principal ?? "") !== (fw.spec.principal ?? ""))
        return { subscribed: false, message: "Changing framework's principal is not allowed." };
      // user and checkpoint keep their old values (semantics.md §1.5 #3).
      const spec = frameworkSpecFromInfo(
        { ...info, user: fw.spec.user, checkpoint: fw.spec.checkpoint },
        suppressed,
      );
      fw = await writers.frameworks.mergePatch(
        { namespace: fw.metadata.namespace, name: fw.metadata.name ?? "" },
        frameworkSpecPatch(spec),
      );
      id = frameworkIdOf(fw);
    } else {
      const namespace = this.opts.namespaceFor?.(info, request.principal) ?? this.opts.config.leaseNamespace;
      const base = dnsLabelFor((info.name || "framework").toLowerCase().replace(/[^a-z0-9-]/g, "-"), 50)
        .replace(/^-+|-+$/g, "")
        .slice(0, 50);
      const name = `${base || "framework"}-${randomBytes(3).toString("hex")}`;
      // A client-chosen id is kept (semantics.md §1.5 #4); else one in the `<uuid>-<number>` shape.
      id = requested !== "" ? requested : `${randomUUID()}-0000`;
      const object = {
        metadata: {
          name,
          namespace,
          labels: { [SCHEDULER_API_LABEL]: "true" },
          annotations: { [FRAMEWORK_ID_ANNOTATION]: id },
        },
        spec: frameworkSpecFromInfo(info, suppressed),
      };
      // Registered now: the state views list it before its object (and creationTimestamp) exists.
      fw = {
        apiVersion: API_VERSION,
        kind: "Framework",
        ...object,
        metadata: { ...object.metadata, creationTimestamp: new Date().toISOString() },
      };
      // Like a Mesos master, answer SUBSCRIBED and offer at once; the object is written meanwhile
      // (Mesos keeps frameworks in memory only; a scheduler whose master failed re-subscribes).
      this.opts.access.admitFramework(fw);
      return this.connect(request, stream, fw, id, this.persistFramework(object, id));
    }
    return this.connect(request, stream, fw, id, undefined);
  }

  /** Writes an admitted Framework; if that fails, the scheduler gets ERROR and the framework is gone. */
  private async persistFramework(
    object: { metadata: { name: string; namespace: string }; spec: Framework["spec"] },
    id: string,
  ): Promise<void> {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    try {
      const created = await this.opts.cluster.writers.frameworks.create(object);
      const conn = this.conns.get(id);
      if (conn !== undefined) conn.created = created;
    } catch (err) {
      this.opts.access.withdrawFramework(key);
      const conn = this.conns.get(id);
      this.conns.delete(id);
      this.opts.connections?.forget(id);
      this.retrier.forget(id);
      this.operationUpdates.forget(id);
      this.log.error({ err, frameworkId: id, framework: key }, "could not write the Framework object");
      conn?.stream?.send({
        type: "ERROR",
        error: {
          // A mapped namespace that does not exist (--framework-namespaces) is said plainly.
          message: isNotFound(err)
            ? `Framework could not be registered: its namespace '${object.metadata.namespace}' does not exist`
            : `Framework could not be registered: ${err instanceof Error ? err.message : String(err)}`,
        },
      });
      conn?.stream?.close();
    }
  }

  /** Resolves once the connection's Framework object is written (at once if it already was). */
  private async persisted(frameworkId: string): Promise<void> {
    await this.conns.get(frameworkId)?.persisting?.catch(() => undefined);
  }

  private connect(
    request: SubscribeRequest,
    stream: FrameworkEventStream,
    fw: Framework,
    id: string,
    persisting: Promise<void> | undefined,
  ): SubscribeOutcome {
    const info = request.subscribe.framework_info;
    const namespace = fw.metadata.namespace ?? "";
    const name = fw.metadata.name ?? "";
    let conn = this.conns.get(id);
    if (conn === undefined) {
      conn = {
        id,
        key: `${namespace}/${name}`,
        namespace,
        name,
        stream: undefined,
        partitionAware: false,
        refinement: false,
        sentOffers: new Set(),
        usedOffers: new Set(),
        pendingUnits: new Map(),
        sentMaster: new Set(),
        queued: new Set(),
        persisting,
        created: undefined,
        sentInverse: new Set(),
        offerSyncQueued: false,
      };
      this.conns.set(id, conn);
      // Master updates from before this process knew the framework are not replayed (Mesos drops them).
      for (const t of this.tasksOf(conn))
        for (const u of pendingUpdates(t, conn.sentMaster).master) conn.sentMaster.add(u.key);
    }
    const capabilities = new Set(info.capabilities.map((c) => c.type));
    conn.partitionAware = capabilities.has("PARTITION_AWARE");
    conn.refinement = capabilities.has("RESERVATION_REFINEMENT");
    conn.stream = stream;
    conn.sentOffers.clear();
    conn.usedOffers.clear();
    conn.sentInverse.clear();
    this.retrier.resume(id);
    this.operationUpdates.resume(id);
    for (const t of this.tasksOf(conn)) this.deliverUpdates(conn, t);
    this.syncOffers(conn);
    this.opts.connections?.connected(id);
    this.log.info({ frameworkId: id, framework: conn.key }, "scheduler subscribed");
    return { subscribed: true, frameworkId: id };
  }

  disconnected(frameworkId: string, streamId: string): void {
    const conn = this.conns.get(frameworkId);
    if (conn === undefined || conn.stream?.streamId !== streamId) return;
    conn.stream = undefined;
    const offers = [...conn.sentOffers];
    conn.sentOffers.clear();
    // Launches still waiting for their agent's next offer are dropped (reconciliation reports them lost).
    conn.pendingUnits.clear();
    const fw = this.frameworkById(frameworkId);
    const timeout = fw?.spec.failoverTimeout ?? 0;
    this.log.info({ frameworkId, failoverTimeout: timeout }, "scheduler disconnected");
    // Its offers go back at once (Mesos rescinds them); the framework reconciler marks it
    // Disconnected — which deactivates it in the allocator — and tears it down when the failover
    // timeout passes, from the persisted Connected condition.
    if (this.opts.access.ready && offers.length > 0) this.opts.access.decline(frameworkId, offers, 0);
    this.opts.connections?.disconnected(frameworkId);
  }

  registeredFramework(frameworkId: string): RegisteredFramework | undefined {
    const fw = this.frameworkById(frameworkId);
    if (fw === undefined || fw.metadata.deletionTimestamp !== undefined) {
      if (fw === undefined && this.conns.has(frameworkId)) return { name: "" };
      return undefined;
    }
    return { name: fw.spec.name ?? fw.metadata.name ?? "", principal: fw.spec.principal, user: fw.spec.user };
  }

  async teardown(frameworkId: string): Promise<void> {
    await this.persisted(frameworkId);
    const conn = this.conns.get(frameworkId);
    const fw = this.frameworkById(frameworkId);
    this.removed.add(frameworkId);
    if (conn !== undefined) {
      this.conns.delete(frameworkId);
      conn.stream?.close();
    }
    this.opts.connections?.forget(frameworkId);
    this.retrier.forget(frameworkId);
    this.operationUpdates.forget(frameworkId);
    if (fw !== undefined) {
      // Its offers go back at once, as on a Mesos master, not when the deletion is seen.
      this.opts.access.retireFramework(`${fw.metadata.namespace}/${fw.metadata.name ?? ""}`);
      // The framework reconciler kills its tasks (REASON_FRAMEWORK_REMOVED) before the object goes.
      await this.opts.cluster.writers.frameworks.delete({
        namespace: fw.metadata.namespace,
        name: fw.metadata.name ?? "",
      });
    }
  }

  // --- offers

  private syncAllOffers(): void {
    for (const conn of this.conns.values()) if (conn.stream !== undefined) this.syncOffers(conn);
  }

  private syncOffers(conn: Connection): void {
    const { access } = this.opts;
    if (conn.stream === undefined || !access.ready) return;
    for (const event of inverseOfferEvents(access.inverseOffersOf(conn.id), conn.sentInverse, (n) =>
      this.nodeIp(n),
    ))
      conn.stream.send(event);
    const outstanding = access.offersOf(conn.id);
    const ids = new Set(outstanding.map((o) => o.id));
    for (const id of conn.usedOffers) if (!ids.has(id)) conn.usedOffers.delete(id);
    for (const id of [...conn.sentOffers]) {
      if (ids.has(id)) continue;
      conn.sentOffers.delete(id);
      if (access.endingOf(id)?.kind === "rescinded")
        conn.stream.send({ type: "RESCIND", rescind: { offer_id: { value: id } } });
    }
    const now = Date.now();
    for (const [key, queue] of conn.pendingUnits) {
      while (queue.length > 0 && now - queue[0]!.since > UNIT_WAIT_MS)
        for (const t of queue.shift()!.tasks)
          this.masterUpdate(conn.id, t.task_id.value, t.agent_id.value, {
            state: conn.partitionAware ? "TASK_DROPPED" : "TASK_LOST",
            reason: "REASON_INVALID_OFFERS",
            message: "Task launched with invalid offers: the agent's resources were taken back",
          });
      if (queue.length === 0) conn.pendingUnits.delete(key);
    }
    const fresh = outstanding.filter((o) => !conn.sentOffers.has(o.id) && !conn.usedOffers.has(o.id));
    if (fresh.length === 0) return;
    const out: Offer[] = [];
    const limit = this.opts.config.maxOffersPerEvent || Number.POSITIVE_INFINITY;
    for (const o of fresh) {
      if (out.length >= limit) {
        // The rest follow in the next turn (syncOffers again: offers gone meanwhile are not sent).
        this.scheduleOfferSync(conn);
        break;
      }
      // Only a pending launch needs the offer's pin (a node lookup per offer otherwise).
      const queue = conn.pendingUnits.size === 0 ? undefined : conn.pendingUnits.get(this.pinKey(o));
      const unit = queue?.[0];
      if (queue !== undefined && unit !== undefined) {
        if (o.role === unit.role && o.resources.flatten().contains(unitResources(unit))) {
          // The next launch of an earlier ACCEPT takes this offer of its agent.
          queue.shift();
          if (queue.length === 0) conn.pendingUnits.delete(this.pinKey(o));
          conn.usedOffers.add(o.id);
          this.background("create the Tasks of a launch", () => this.createUnit(conn, unit, [o.id], o.role));
          continue;
        }
        // Not what the launch needs (e.g. resources another task freed): held back while it waits.
        continue;
      }
      conn.sentOffers.add(o.id);
      out.push(this.wireOffer(o, conn));
    }
    if (out.length > 0) {
      this.log.debug({ frameworkId: conn.id, offers: out.map((o) => o.id.value) }, "OFFERS");
      conn.stream.send({ type: "OFFERS", offers: { offers: out } });
    }
  }

  /** One more syncOffers for `conn` after other work had its turn (at most one waiting). */
  private scheduleOfferSync(conn: Connection): void {
    if (conn.offerSyncQueued) return;
    conn.offerSyncQueued = true;
    setImmediate(() => {
      conn.offerSyncQueued = false;
      if (this.conns.get(conn.id) === conn) this.syncOffers(conn);
    });
  }

  /**
   * What pins a task to an offer's agent: the node's kubernetes.io/hostname label (an agent
   * attribute), unique per node, else the agent's hostname (which fake nodes may share).
   */
  private pinKey(o: AllocatorOffer): string {
    const pin = this.pinOf(o);
    return `${pin.field}=${pin.value}`;
  }

  private pinOf(o: AllocatorOffer): { field: string; value: string } {
    const node = this.opts.cluster.informers.nodes.cache.getByName(undefined, o.nodeName) as Node | undefined;
    const label = node?.metadata.labels?.[HOSTNAME_LABEL];
    return label !== undefined && label !== "" && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(label)
      ? { field: HOSTNAME_LABEL, value: label }
      : { field: "hostname", value: o.hostname };
  }

  private nodeIp(nodeName: string): string {
    const node = this.opts.cluster.informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined;
    return node?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "127.0.0.1";
  }

  private wireOffer(o: AllocatorOffer, conn: Connection): Offer {
    const role = o.allocationInfo?.role;
    const domain = toWireDomain(o.domain);
    return {
      id: { value: o.id },
      framework_id: { value: o.frameworkId },
      agent_id: { value: o.agentId },
      hostname: o.hostname,
      url: {
        scheme: "http",
        address: { hostname: o.hostname, ip: this.nodeIp(o.nodeName), port: 5051 },
        path: "/slave(1)",
      },
      ...(domain === undefined ? {} : { domain }),
      resources: toWireResources(o.resources, { refinement: conn.refinement, allocationRole: role }),
      attributes: toWireAttributes(o.attributes),
      ...(role === undefined ? {} : { allocation_info: { role } }),
      ...(o.unavailability === undefined ? {} : { unavailability: o.unavailability }),
    };
  }

  async accept(frameworkId: string, accept: Accept): Promise<void> {
    await this.persisted(frameworkId);
    const conn = this.conns.get(frameworkId);
    if (conn === undefined) return;
    const { access } = this.opts;
    const ids = accept.offer_ids.map((o) => o.value);
    const offers = ids.map((id) => access.offer(id));
    for (const id of ids) {
      conn.sentOffers.delete(id);
      conn.usedOffers.add(id);
    }
    const valid = offers.filter((o): o is AllocatorOffer => o?.frameworkId === frameworkId);
    const agents = new Set(valid.map((o) => o.agentId));
    const invalid =
      ids.length === 0
        ? "No offers specified"
        : valid.length !== ids.length || new Set(ids).size !== ids.length || agents.size > 1
          ? `Offer ${ids.find((_id, i) => offers[i]?.frameworkId !== frameworkId) ?? ids[0]} is no longer valid`
          : undefined;
    const launches: { tasks: TaskInfo[]; group: boolean; executor?: ExecutorInfo }[] = [];
    for (const op of accept.operations) {
      if (op.type === "LAUNCH")
        for (const t of op.launch?.task_infos ?? []) launches.push({ tasks: [t], group: false });
      else if (op.type === "LAUNCH_GROUP" && op.launch_group !== undefined)
        launches.push({
          tasks: op.launch_group.task_group.tasks,
          group: true,
          executor: op.launch_group.executor,
        });
      else if (op.type === "RESERVE" || op.type === "UNRESERVE") {
        // Applied below, once the offers are known valid; invalid offers fail them here.
        if (invalid !== undefined) this.operationUpdates.dropped(frameworkId, op, invalid);
      } else
        this.operationUpdates.dropped(
          frameworkId,
          op,
          `The operator does not carry out ${op.type ?? "UNKNOWN"} operations yet`,
        );
    }
    if (invalid !== undefined) {
      this.log.debug(
        { frameworkId, offers: ids, endings: ids.map((id) => access.endingOf(id)) },
        "ACCEPT of invalid offers",
      );
      for (const l of launches)
        for (const t of l.tasks)
          this.masterUpdate(frameworkId, t.task_id.value, t.agent_id.value, {
            state: conn.partitionAware ? "TASK_DROPPED" : "TASK_LOST",
            reason: "REASON_INVALID_OFFERS",
            message: `Task launched with invalid offers: ${invalid}`,
          });
      if (valid.length > 0 && access.ready)
        access.decline(
          frameworkId,
          valid.map((o) => o.id),
          0,
        );
      return;
    }
    const first = valid[0]!;
    // RESERVE / UNRESERVE reshape the offers first; the launches then use what they leave.
    let launchOfferIds = ids;
    if (hasReservationOperations(accept.operations)) {
      const fw = this.frameworkById(frameworkId);
      const reshaped = await applyAcceptReservations(
        {
          frameworkId,
          offerIds: ids,
          agentId: first.agentId,
          agentDescription: `${first.agentId} at slave(1)@${this.nodeIp(first.nodeName)}:5051 (${first.hostname})`,
          role: first.role,
          framework: { principal: fw?.spec.principal, roles: fw?.spec.roles ?? [] },
          operations: accept.operations,
        },
        {
          access,
          reservations: this.reservations,
          dropped: (op, message) => this.operationUpdates.dropped(frameworkId, op, message),
          applied: (op, status) => this.operationUpdates.applied(frameworkId, first.agentId, op, status),
          claim: (offerId) => {
            conn.sentOffers.delete(offerId);
            conn.usedOffers.add(offerId);
          },
          log: this.log,
        },
      );
      launchOfferIds = reshaped.offerIds;
    }
    this.log.debug(
      {
        frameworkId,
        offers: valid.map((o) => `${o.id}@${o.agentId}`),
        tasks: launches.flatMap((l) => l.tasks.map((t) => `${t.task_id.value}@${t.agent_id.value}`)),
      },
      "ACCEPT",
    );
    let available = Resources.sum(valid.map((o) => o.resources)).flatten();
    const live = new Set(
      this.tasksOf(conn)
        .filter((t) => !(t.status?.state !== undefined && isTerminalTaskState(t.status.state)))
        .map(taskIdOfObject),
    );
    const units: { tasks: TaskInfo[]; group: boolean; executor?: ExecutorInfo }[] = [];
    for (const l of launches) {
      let error: string | undefined;
      const wanted = toAllocatorResources(l.tasks.flatMap((t) => t.resources)).flatten();
      for (const t of l.tasks) {
        let taskError: string | undefined;
        if (live.has(t.task_id.value)) taskError = `Task has duplicate ID: ${t.task_id.value}`;
        else if (t.agent_id.value !== first.agentId)
          taskError = `Task uses invalid agent ${t.agent_id.value} while agent ${first.agentId} is expected`;
        else if (t.command === undefined && t.container === undefined)
          taskError = l.group
            ? "Task has neither a command nor a container image to run"
            : "Task has neither a command nor a container (executors are not supported)";
        // Mesos names the member of a task group that is invalid.
        if (taskError !== undefined && error === undefined)
          error = l.group ? `Task '${t.task_id.value}' is invalid: ${taskError}` : taskError;
      }
      if (error === undefined && l.executor !== undefined)
        error = launchGroupError(l.executor, l.tasks, available, first.role);
      if (error === undefined && !available.contains(wanted))
        error = `Total resources ${describeResources(wanted, first.role)} required by task and its executor is more than available ${describeResources(available, first.role)}`;
      if (error !== undefined) {
        for (const t of l.tasks)
          this.masterUpdate(frameworkId, t.task_id.value, t.agent_id.value, {
            state: "TASK_ERROR",
            reason: l.group ? "REASON_TASK_GROUP_INVALID" : "REASON_TASK_INVALID",
            message: error,
          });
        continue;
      }
      available = available.minus(wanted).minus(executorResources(l.executor));
      for (const t of l.tasks) live.add(t.task_id.value);
      units.push(l);
    }
    if (units.length === 0) {
      if (access.ready) access.decline(frameworkId, launchOfferIds, accept.filters.refuse_seconds);
      return;
    }
    // The first launch consumes the offers; each further one the next offer of the same agent
    // (what the one before left), which the stream does not see meanwhile.
    const [head, ...rest] = units;
    if (rest.length > 0) {
      const key = this.pinKey(first);
      conn.pendingUnits.set(key, [
        ...(conn.pendingUnits.get(key) ?? []),
        ...rest.map((u, i) => ({ ...u, index: i + 1, role: first.role, since: Date.now() })),
      ]);
    }
    await this.createUnit(
      conn,
      { ...head!, index: 0, role: first.role, since: Date.now() },
      launchOfferIds,
      first.role,
    );
  }

  private sendOperationStatus(frameworkId: string, status: OperationStatus): void {
    this.send(frameworkId, { type: "UPDATE_OPERATION_STATUS", update_operation_status: { status } });
  }

  /** The Task objects of one launch (a task, or a task group) on `offerIds`. */
  private async createUnit(
    conn: Connection,
    unit: PendingUnit,
    offerIds: string[],
    role: string,
  ): Promise<void> {
    const { writers } = this.opts.cluster;
    // Owned by the Framework (written before any ACCEPT is handled), in the same create: no
    // moment exists in which the Task is there without its owner.
    const fw = this.frameworkById(conn.id);
    const owner = fw?.metadata.uid ? { ownerReferences: [frameworkOwnerReference(fw)] } : {};
    await Promise.all(
      unit.tasks.map((t) => {
        const spec: TaskSpec = taskSpecFromInfo({ frameworkObject: conn.name, task: t, offerIds, role });
        if (unit.group) {
          const executor = executorResources(unit.executor);
          spec.taskGroup = {
            name: taskObjectName(conn.name, `group-${unit.tasks[0]?.task_id.value ?? ""}-${unit.index}`)
              .slice(0, 63)
              .replace(/-+$/, ""),
            size: unit.tasks.length,
            ...(executor.isEmpty ? {} : { executorResources: toCompactResources(executor) }),
          };
        }
        return writers.tasks
          .create({
            metadata: {
              name: taskObjectName(conn.name, t.task_id.value),
              namespace: conn.namespace,
              ...owner,
            },
            spec,
          })
          .catch((err: unknown) => {
            this.log.warn({ err, taskId: t.task_id.value }, "could not create the Task of a LAUNCH");
            this.masterUpdate(conn.id, t.task_id.value, t.agent_id.value, {
              state: "TASK_ERROR",
              reason: "REASON_TASK_INVALID",
              message: `The task could not be created: ${err instanceof Error ? err.message : String(err)}`,
            });
          });
      }),
    );
  }

  async decline(frameworkId: string, decline: Decline): Promise<void> {
    const conn = this.conns.get(frameworkId);
    if (conn === undefined || !this.opts.access.ready) return;
    const ids = decline.offer_ids.map((o) => o.value);
    for (const id of ids) {
      conn.sentOffers.delete(id);
      conn.usedOffers.add(id);
    }
    this.opts.access.decline(frameworkId, ids, decline.filters.refuse_seconds);
  }

  async acceptInverseOffers(frameworkId: string, response: InverseOffersResponse): Promise<void> {
    this.answerInverseOffers(frameworkId, response, "ACCEPT");
  }

  async declineInverseOffers(frameworkId: string, response: InverseOffersResponse): Promise<void> {
    this.answerInverseOffers(frameworkId, response, "DECLINE");
  }

  /** Advisory answers, recorded for GET_MAINTENANCE_STATUS; unknown ids are ignored (Mesos logs them). */
  private answerInverseOffers(
    frameworkId: string,
    response: InverseOffersResponse,
    answer: "ACCEPT" | "DECLINE",
  ) {
    const conn = this.conns.get(frameworkId);
    if (conn === undefined || !this.opts.access.ready) return;
    const ids = response.inverse_offer_ids.map((i) => i.value);
    for (const id of ids) conn.sentInverse.delete(id);
    this.opts.access.respondToInverseOffers(frameworkId, ids, answer, response.filters.refuse_seconds);
  }

  private async setSuppressed(frameworkId: string, change: (current: Set<string>, roles: string[]) => void) {
    const fw = this.frameworkById(frameworkId);
    if (fw === undefined) return;
    const current = new Set(fw.spec.suppressedRoles ?? []);
    change(current, fw.spec.roles);
    const next = fw.spec.roles.filter((r) => current.has(r));
    await this.opts.cluster.writers.frameworks.mergePatch(
      { namespace: fw.metadata.namespace, name: fw.metadata.name ?? "" },
      { spec: { suppressedRoles: next.length > 0 ? next : null } },
    );
  }

  async revive(frameworkId: string, revive: Roles): Promise<void> {
    await this.persisted(frameworkId);
    if (this.opts.access.ready) this.opts.access.revive(frameworkId, revive.roles);
    await this.setSuppressed(frameworkId, (current, roles) => {
      for (const r of revive.roles.length > 0 ? revive.roles : roles) current.delete(r);
    });
  }

  async suppress(frameworkId: string, suppress: Roles): Promise<void> {
    await this.persisted(frameworkId);
    await this.setSuppressed(frameworkId, (current, roles) => {
      for (const r of suppress.roles.length > 0 ? suppress.roles : roles) current.add(r);
    });
  }

  async kill(frameworkId: string, kill: Kill): Promise<void> {
    await this.persisted(frameworkId);
    const conn = this.conns.get(frameworkId);
    if (conn === undefined) return;
    const task = this.taskOf(conn, kill.task_id.value);
    if (task === undefined) {
      this.reconcileUnknown(conn, kill.task_id.value, kill.agent_id?.value);
      return;
    }
    if (task.spec.kill !== undefined) return;
    const grace = kill.kill_policy?.grace_period?.nanoseconds;
    await this.opts.cluster.writers.tasks.mergePatch(
      { namespace: task.metadata.namespace, name: task.metadata.name ?? "" },
      { spec: { kill: grace === undefined ? {} : { gracePeriodSeconds: Math.min(86400, grace / 1e9) } } },
    );
  }

  async shutdown(): Promise<void> {}

  async acknowledge(frameworkId: string, acknowledge: Acknowledge): Promise<AcknowledgeValidity> {
    await this.persisted(frameworkId);
    // Master::acknowledge: invalid when the agent is not registered (unknown, or partitioned), or
    // when the task is known there but this master never sent it a reliable update; anything else
    // (an unknown task or uuid included) is forwarded to the agent, and valid.
    if (!this.agentHealth.isRegistered(acknowledge.agent_id.value)) return "invalid";
    const conn = this.conns.get(frameworkId);
    if (conn === undefined) return "valid";
    const taskId = acknowledge.task_id.value;
    const task = this.taskOf(conn, taskId);
    if (
      task !== undefined &&
      (task.status?.agentId ?? task.spec.agentId ?? "") === acknowledge.agent_id.value &&
      !(task.status?.updates ?? []).some((u) => u.uuid !== undefined) &&
      this.retrier.pending(frameworkId, taskId).length === 0
    )
      return "invalid";
    const head = this.retrier.acknowledge(frameworkId, taskId, acknowledge.uuid);
    this.log.debug({ frameworkId, taskId, uuid: acknowledge.uuid, head }, "ACKNOWLEDGE");
    const uuid = base64ToUuidText(acknowledge.uuid);
    if (uuid !== undefined)
      this.background("record an acknowledgement", () => this.recordAck(conn, taskId, uuid));
    return "valid";
  }

  /** Marks the update acknowledged in Task.status (merge patch, retried on conflicts). */
  private async recordAck(conn: Connection, taskId: string, uuid: string): Promise<void> {
    const { writers } = this.opts.cluster;
    let task = this.taskOf(conn, taskId);
    for (let attempt = 0; attempt < 5 && task !== undefined; attempt++) {
      const next = acknowledgeUpdate(task.status, uuid);
      if (next === undefined) return;
      const ref = { namespace: task.metadata.namespace, name: task.metadata.name ?? "" };
      try {
        await writers.tasks.mergePatchStatus(
          ref,
          { updates: next.updates ?? [] },
          { resourceVersion: task.metadata.resourceVersion },
        );
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
        task = await writers.tasks.get(ref);
      }
    }
  }

  async acknowledgeOperationStatus(
    frameworkId: string,
    acknowledge: AcknowledgeOperationStatus,
  ): Promise<AcknowledgeOperationValidity> {
    await this.persisted(frameworkId);
    // Master::acknowledgeOperationStatus checks the agent first (validation made agent_id present),
    // then ignores (and logs) an acknowledgement of an unknown operation or status.
    if (!this.agentHealth.isRegistered(acknowledge.agent_id?.value ?? "")) return "invalid";
    const outcome = this.operationUpdates.acknowledge(frameworkId, acknowledge);
    this.log.debug(
      { frameworkId, operationId: acknowledge.operation_id.value, uuid: acknowledge.uuid, outcome },
      "ACKNOWLEDGE_OPERATION_STATUS",
    );
    return outcome === "acknowledged" ? "valid" : outcome === "unknown status" ? "unknown status" : "invalid";
  }

  async reconcile(frameworkId: string, reconcile: Reconcile): Promise<void> {
    const conn = this.conns.get(frameworkId);
    if (conn === undefined) return;
    const reply = (t: TaskObject) => {
      const task = wireTask(t, frameworkId);
      // Mesos answers status_update_state: the update awaiting acknowledgement (the retrier's head,
      // which knows acknowledgements before the Task object in the cache does), else the latest.
      const head = this.retrier.pending(frameworkId, task.task_id.value)[0];
      this.masterUpdate(frameworkId, task.task_id.value, task.agent_id.value || undefined, {
        state: head?.state ?? task.state,
        reason: "REASON_RECONCILIATION",
        message: "Reconciliation: Latest task state",
      });
    };
    if (reconcile.tasks.length === 0) {
      for (const t of this.tasksOf(conn)) if (t.status?.state !== undefined && !isCompletedTask(t)) reply(t);
      return;
    }
    for (const entry of reconcile.tasks) {
      const t = this.taskOf(conn, entry.task_id.value);
      if (t?.status?.state !== undefined) reply(t);
      else if (t === undefined) this.reconcileUnknown(conn, entry.task_id.value, entry.agent_id?.value);
    }
  }

  private reconcileUnknown(conn: Connection, taskId: string, agentId: string | undefined): void {
    const agentKnown = agentId !== undefined && this.agents().some((a) => a.id === agentId);
    this.masterUpdate(conn.id, taskId, agentId, {
      state: !conn.partitionAware ? "TASK_LOST" : agentKnown ? "TASK_GONE" : "TASK_UNKNOWN",
      reason: "REASON_RECONCILIATION",
      message: agentKnown
        ? "Reconciliation: Task is unknown to the agent"
        : "Reconciliation: Task is unknown",
    });
  }

  async reconcileOperations(frameworkId: string, reconcile: ReconcileOperations): Promise<void> {
    for (const status of this.operationUpdates.reconcile(frameworkId, reconcile, (agentId) =>
      this.agentStanding(agentId),
    ))
      this.sendOperationStatus(frameworkId, status);
  }

  /** An agent as RECONCILE_OPERATIONS tells it apart (Master::reconcileOperations). */
  private agentStanding(agentId: string): AgentStanding {
    if (this.agents().some((a) => a.id === agentId)) return "registered";
    if (this.agentHealth.unreachable().includes(agentId)) return "unreachable";
    const node = (this.opts.cluster.informers.nodes.cache.list() as Node[]).find(
      (n) => agentIdForNode(n) === agentId,
    );
    return node?.metadata.annotations?.[AGENT_GONE_ANNOTATION] !== undefined ? "gone" : "unknown";
  }

  async message(): Promise<void> {}

  async request(): Promise<void> {}

  async updateFramework(frameworkId: string, update: UpdateFramework): Promise<CallOutcome> {
    await this.persisted(frameworkId);
    const fw = this.frameworkById(frameworkId);
    if (fw === undefined) return { ok: false, status: 409, message: "Framework disappeared" };
    const next = update.framework_info;
    if (next.user !== fw.spec.user)
      return { ok: false, status: 400, message: "Updating 'FrameworkInfo.user' is unsupported" };
    if ((next.principal ?? "") !== (fw.spec.principal ?? ""))
      return { ok: false, status: 400, message: "Updating 'FrameworkInfo.principal' is unsupported" };
    if (next.checkpoint !== fw.spec.checkpoint)
      return { ok: false, status: 400, message: "Updating 'FrameworkInfo.checkpoint' is unsupported" };
    const roles = rolesOf(next);
    const outside = update.suppressed_roles.filter((r) => !roles.includes(r));
    if (outside.length > 0)
      return {
        ok: false,
        status: 400,
        message: `Suppressed roles ${outside.join(", ")} are not contained in roles`,
      };
    const spec = frameworkSpecFromInfo(next, update.suppressed_roles);
    await this.opts.cluster.writers.frameworks.mergePatch(
      { namespace: fw.metadata.namespace, name: fw.metadata.name ?? "" },
      frameworkSpecPatch(spec),
    );
    return { ok: true };
  }

  // --- tasks and updates

  private tasksOf(conn: Pick<Connection, "namespace" | "name">): TaskObject[] {
    return (this.opts.cluster.informers.tasks.cache.listByNamespace(conn.namespace) as TaskObject[]).filter(
      (t) => t.spec.frameworkName === conn.name,
    );
  }

  /** The task's pod, from the cache (undefined before it is made and after it is gone). */
  /**
   * A task as GET_TASKS, GET_STATE and the operator events show it: its resources are those it
   * was launched on (the pod's record, reservations included) once the pod exists.
   */
  private endpointTask(t: TaskObject, frameworkId: string): WireTask {
    const task = wireTask(t, frameworkId);
    task.resources = taskEndpointResources(t, this.podOf(t), task.resources);
    return task;
  }

  private podOf(t: TaskObject): Pod | undefined {
    const name = t.status?.podName;
    if (name === undefined) return undefined;
    return this.opts.cluster.informers.pods.cache.getByName(t.metadata.namespace, name) as Pod | undefined;
  }

  private taskOf(conn: Connection, taskId: string): TaskObject | undefined {
    return this.tasksOf(conn).find((t) => taskIdOfObject(t) === taskId);
  }

  /**
   * An agent's health as this master sees it; a lost agent (partitioned, or shut down) is
   * announced to every subscribed scheduler with FAILURE{agent_id} (semantics.md §4.10).
   */
  private onNode(node: Node, deleted: boolean, replaying: boolean): void {
    const agentId = agentIdForNode(node);
    const agent = deleted ? undefined : this.agentOf(node);
    const partitioned = isPartitioned(nodeReachability(node));
    // A new node is not ready (tainted) until its kubelet reports: it has not registered yet,
    // which is not a partition. One already there when this master starts may be partitioned.
    const known = replaying || this.agentHealth.knows(agentId);
    const health =
      agent === undefined ? undefined : !partitioned ? "registered" : known ? "unreachable" : undefined;
    const removal = !deleted && nodeMaintenance(node)?.mode === "DOWN" ? "maintenance" : "unregistered";
    if (!this.agentHealth.observe(agentId, health, replaying, removal).lost) return;
    this.log.info({ agentId, node: node.metadata.name, health: health ?? "removed" }, "agent lost");
    for (const conn of this.conns.values())
      conn.stream?.send({ type: "FAILURE", failure: { agent_id: { value: agentId } } });
  }

  private onTask(t: TaskObject): void {
    this.terminalTasks.observe(t.metadata.uid ?? keyOf(t) ?? "", t.status?.state);
    const key = `${t.metadata.namespace}/${t.spec.frameworkName}`;
    for (const conn of this.conns.values())
      if (conn.key === key) {
        this.deliverUpdates(conn, t);
        // A launched task may leave an offer for the next launch of its ACCEPT.
        if (t.status?.podName !== undefined && conn.pendingUnits.size > 0) this.syncOffers(conn);
      }
  }

  /** Sends the task's new updates: reliable ones through the retrier, master ones once. */
  private deliverUpdates(conn: Connection, t: TaskObject): void {
    if (conn.stream === undefined) return;
    const pending = pendingUpdates(t, conn.sentMaster);
    for (const { key, status } of pending.master) {
      conn.sentMaster.add(key);
      if (status.reason === "REASON_INVALID_OFFERS")
        this.log.debug(
          {
            taskId: status.task_id.value,
            endings: (t.spec.offerIds ?? []).map((id) => this.opts.access.endingOf(id)),
          },
          "launch on offers no longer held",
        );
      this.send(conn.id, { type: "UPDATE", update: { status } });
    }
    for (const status of pending.reliable) {
      const uuid = status.uuid ?? "";
      if (conn.queued.has(uuid)) continue;
      this.log.debug({ taskId: status.task_id.value, state: status.state, uuid }, "queued");
      conn.queued.add(uuid);
      this.retrier.enqueue(conn.id, status);
    }
  }

  private masterUpdate(
    frameworkId: string,
    taskId: string,
    agentId: string | undefined,
    fields: Pick<TaskStatus, "state" | "reason" | "message">,
  ): void {
    this.send(frameworkId, {
      type: "UPDATE",
      update: {
        status: {
          task_id: { value: taskId },
          ...(agentId === undefined || agentId === "" ? {} : { agent_id: { value: agentId } }),
          source: "SOURCE_MASTER",
          timestamp: Date.now() / 1000,
          ...fields,
        },
      },
    });
  }

  private send(frameworkId: string, event: FrameworkEvent): void {
    this.conns.get(frameworkId)?.stream?.send(event);
  }

  private background(what: string, work: () => Promise<void>): void {
    work().catch((err: unknown) => this.log.warn({ err }, `could not ${what}`));
  }

  // --- operator API and endpoints

  /** The agent of a node as every replica sees it: static and persisted dynamic reservations included. */
  private agentOf(node: Node) {
    const { config } = this.opts;
    const agent = nodeToAgent(node, {
      agentSelector: config.agentSelector.selector,
      portRanges: config.agentPortRanges,
    });
    if (agent === undefined) return undefined;
    const annotation = node.metadata.annotations?.[DYNAMIC_RESERVATIONS_ANNOTATION];
    // `resources`: the agent's total; `infoResources`: what its flags give it (AgentInfo.resources).
    return {
      ...agent,
      resources: withPersistedReservations(agent.resources, annotation),
      infoResources: agent.resources,
    };
  }

  /** Registered agents: a partitioned agent is removed from them while unreachable (Mesos). */
  private agents() {
    const unreachable = new Set(this.agentHealth.unreachable());
    return (this.opts.cluster.informers.nodes.cache.list() as Node[])
      .map((n) => this.agentOf(n))
      .filter((a): a is NonNullable<typeof a> => a !== undefined && !unreachable.has(a.id));
  }

  /** A Framework object as the Mesos master shows it (GET_STATE, FRAMEWORK_ADDED/UPDATED). */
  private frameworkStateOf(fw: Framework): FrameworkState {
    const id = frameworkIdOf(fw);
    const conn = this.conns.get(id);
    const fromScheduler = fw.metadata.labels?.[SCHEDULER_API_LABEL] !== undefined;
    const connected = fromScheduler ? conn?.stream !== undefined : fw.status?.phase === "Active";
    const completed = fw.status?.phase === "Completed" || fw.metadata.deletionTimestamp !== undefined;
    const offers = completed ? [] : this.opts.access.offersOf(id);
    const iso = (s: string | undefined) =>
      s === undefined ? undefined : timeInfoFromSeconds(Date.parse(s) / 1000);
    return {
      framework_info: frameworkInfoFromObject(fw, id),
      active: connected && !completed,
      connected: connected && !completed,
      recovered: false,
      registered_time: iso(fw.status?.registeredTime ?? fw.metadata.creationTimestamp),
      reregistered_time: iso(fw.status?.reregisteredTime),
      unregistered_time: iso(fw.status?.unregisteredTime),
      offers: conn === undefined ? [] : offers.map((o) => this.wireOffer(o, conn)),
      inverse_offers: completed
        ? []
        : this.opts.access.inverseOffersOf(id).map((io) => wireInverseOffer(io, this.nodeIp(io.nodeName))),
      // ENDPOINT format, with the allocation role (Master::Http model(Framework)).
      offered_resources: offers.flatMap((o) =>
        toWireResources(o.resources, {
          refinement: true,
          allocationRole: o.allocationInfo?.role ?? o.role,
        }).map(endpointFormat),
      ),
      allocated_resources: (fw.status?.resources ?? []).flatMap((r) =>
        resourcesToWire(r.allocated, r.role).map(endpointFormat),
      ),
    };
  }

  /** An agent as the Mesos master shows it (GET_AGENTS, AGENT_ADDED); `tasks` for its allocation. */
  private agentStateOf(
    a: NonNullable<ReturnType<ClusterBackend["agentOf"]>>,
    tasks: MasterSnapshot["tasks"],
    offered: readonly Resource[] = [],
  ): AgentState {
    const domain = toWireDomain(a.domain);
    return {
      agent_info: {
        hostname: a.hostname,
        port: 5051,
        id: { value: a.id },
        // The master keeps AgentInfo.resources in the post-refinement format and shows them as kept.
        resources: toWireResources(a.infoResources, { refinement: true }),
        attributes: toWireAttributes(a.attributes ?? []),
        ...(domain === undefined ? {} : { domain }),
      },
      active: !a.unschedulable,
      deactivated: a.unschedulable === true,
      ...agentDrainFields(
        this.opts.cluster.informers.nodes.cache.getByName(undefined, a.nodeName) as Node | undefined,
      ),
      version: MESOS_VERSION,
      pid: `slave(1)@${this.nodeIp(a.nodeName)}:5051`,
      registered_time: timeInfoFromSeconds(this.startTime),
      // Total, allocated and offered in the ENDPOINT format (createAgentResponse).
      total_resources: toWireResources(a.resources, { refinement: true }).map(endpointFormat),
      allocated_resources: tasks
        .filter((t) => t.agent_id.value === a.id && !isTerminalTaskState(t.state))
        .flatMap((t) => t.resources.map(endpointFormat)),
      offered_resources: offered.map(endpointFormat),
    };
  }

  private rememberRemoved(fw: Framework): void {
    const key = keyOf(fw) ?? "";
    const at = fw.status?.unregisteredTime ?? fw.metadata.deletionTimestamp ?? new Date().toISOString();
    const state = { ...this.frameworkStateOf(fw), active: false, connected: false, recovered: false };
    if (state.unregistered_time === undefined)
      state.unregistered_time = timeInfoFromSeconds(Date.parse(at) / 1000);
    const kept = this.removedFrameworks.filter((r) => r.key !== key);
    kept.push({ key, at, id: frameworkIdOf(fw), state });
    this.removedFrameworks = kept.slice(Math.max(0, kept.length - this.opts.config.maxCompletedFrameworks));
    const going = this.frameworks().filter((f) => f.metadata.deletionTimestamp !== undefined);
    this.completedFrameworkTasks.retainOnly(
      new Set([...this.removedFrameworks.map((r) => r.id), ...going.map(frameworkIdOf)]),
    );
  }

  /** A deleted Task of a framework being torn down or gone: kept for the completed frameworks. */
  private keepCompletedFrameworkTask(t: TaskObject): void {
    const key = `${t.metadata.namespace}/${t.spec.frameworkName}`;
    const fw = this.opts.cluster.informers.frameworks.cache.get(key) as Framework | undefined;
    const id =
      fw === undefined
        ? this.removedFrameworks.find((r) => r.key === key)?.id
        : fw.metadata.deletionTimestamp !== undefined || fw.status?.phase === "Completed"
          ? frameworkIdOf(fw)
          : undefined;
    if (id === undefined) return;
    const task = this.endpointTask(t, id);
    this.completedFrameworkTasks.keep(id, task.task_id.value, task);
  }

  async snapshot(): Promise<MasterSnapshot> {
    const frameworks: FrameworkState[] = [];
    const completedFrameworks: FrameworkState[] = [];
    const tasks: MasterSnapshot["tasks"] = [];
    const completedTasks: MasterSnapshot["tasks"] = [];
    const idByKey = new Map<string, string>();
    const roles = new Map<string, Set<string>>();
    const all = frameworksInState(this.frameworks(), this.opts.access.admittedFrameworks(), this.removed);
    const isCompleted = (fw: Framework) =>
      fw.status?.phase === "Completed" || fw.metadata.deletionTimestamp !== undefined;
    const existing = new Set(all.map((fw) => keyOf(fw) ?? ""));
    const removed = this.removedFrameworks.filter((r) => !existing.has(r.key));
    const completedAt = (x: Framework | RemovedFramework) =>
      "state" in x ? x.at : (x.status?.unregisteredTime ?? x.metadata.deletionTimestamp);
    const retained = new Set<Framework | RemovedFramework>(
      retainedCompletedFrameworks<Framework | RemovedFramework>(
        [...all.filter(isCompleted), ...removed],
        completedAt,
        this.opts.config.maxCompletedFrameworks,
      ),
    );
    const completedKeys = new Set<string>();
    for (const r of removed) {
      if (!retained.has(r)) continue;
      idByKey.set(r.key, r.id);
      completedKeys.add(r.key);
      completedFrameworks.push(r.state);
    }
    for (const fw of all) {
      const completed = isCompleted(fw);
      if (completed && !retained.has(fw)) continue;
      const id = frameworkIdOf(fw);
      idByKey.set(keyOf(fw) ?? "", id);
      if (completed) completedKeys.add(keyOf(fw) ?? "");
      const state = this.frameworkStateOf(fw);
      (completed ? completedFrameworks : frameworks).push(state);
      if (!completed)
        for (const role of fw.spec.roles) {
          const set = roles.get(role) ?? new Set<string>();
          set.add(id);
          roles.set(role, set);
        }
    }
    const unreachableTasks: MasterSnapshot["tasks"] = [];
    /** Per completed framework, the IDs of its tasks whose objects are still there. */
    const listedOfCompleted = new Map<string, Set<string>>();
    for (const key of completedKeys) listedOfCompleted.set(idByKey.get(key) ?? "", new Set());
    for (const t of this.opts.cluster.informers.tasks.cache.list() as TaskObject[]) {
      const fwKey = `${t.metadata.namespace}/${t.spec.frameworkName}`;
      const id = idByKey.get(fwKey);
      if (id === undefined) continue;
      const task = this.endpointTask(t, id);
      // A completed framework's tasks are all completed (its terminal updates are never acknowledged).
      if (completedKeys.has(fwKey)) {
        completedTasks.push(task);
        listedOfCompleted.get(id)?.add(task.task_id.value);
        continue;
      }
      // A task of a partitioned agent (TASK_UNREACHABLE, or TASK_LOST with unreachable_time for a
      // framework that is not partition-aware) is "unreachable" until the partition heals (§4.10).
      if (isUnreachableTask(t)) unreachableTasks.push(task);
      else (isCompletedTask(t) ? completedTasks : tasks).push(task);
    }
    // ... and those whose objects garbage collection already removed.
    for (const [id, listed] of listedOfCompleted)
      completedTasks.push(...this.completedFrameworkTasks.tasksOf(id, listed));
    const agentSpecs = this.agents();
    const offeredByAgent = new Map<string, Resource[]>();
    for (const fw of frameworks)
      for (const o of fw.offers ?? [])
        offeredByAgent.set(o.agent_id.value, [
          ...(offeredByAgent.get(o.agent_id.value) ?? []),
          ...o.resources,
        ]);
    const agents: AgentState[] = agentSpecs.map((a) => this.agentStateOf(a, tasks, offeredByAgent.get(a.id)));
    // Roles with reservations on registered agents are listed too, with what is reserved for them.
    const reservedByRole = new Map<string, Resources>();
    for (const a of agentSpecs)
      for (const e of a.resources.reserved().entries) {
        const role = reservationRole(e);
        reservedByRole.set(
          role,
          (reservedByRole.get(role) ?? Resources.EMPTY).plus(Resources.fromEntries([e])),
        );
        if (!roles.has(role)) roles.set(role, new Set());
      }
    const roleStates: RoleState[] = [...roles.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, ids]) => ({
        name,
        weight: 1,
        frameworks: [...ids].map((value) => ({ value })),
        resources: [],
        allocated: [],
        offered: [],
        reserved: toWireResources(reservedByRole.get(name) ?? Resources.EMPTY, { refinement: true }),
      }));
    return {
      frameworks,
      completedFrameworks,
      agents,
      recoveredAgents: [],
      unreachableAgentIds: this.agentHealth.unreachable(),
      tasks,
      unreachableTasks,
      completedTasks,
      executors: [],
      roles: roleStates,
      weights: weightsOf(this.opts.cluster.informers.roles.cache.list() as Role[]),
      quotaConfigs: quotaConfigsOf(this.opts.cluster.informers.roles.cache.list() as Role[]),
      maintenance: await this.maintenance.ready().then(() => ({
        schedule: this.maintenance.schedule(),
        status: this.maintenance.status(),
      })),
      operations: this.operationUpdates.list().map(wireOperation),
    };
  }

  async metrics(): Promise<Record<string, number>> {
    const s = await this.snapshot();
    const count = (state: TaskState) =>
      isTerminalTaskState(state)
        ? this.terminalTasks.count(state)
        : s.tasks.concat(s.unreachableTasks).filter((t) => t.state === state).length;
    return {
      "master/elected": this.opts.isLeader() ? 1 : 0,
      "master/uptime_secs": Date.now() / 1000 - this.startTime,
      "master/frameworks_active": s.frameworks.filter((f) => f.active).length,
      "master/frameworks_inactive": s.frameworks.filter((f) => !f.active).length,
      "master/frameworks_connected": s.frameworks.filter((f) => f.connected).length,
      "master/frameworks_disconnected": s.frameworks.filter((f) => !f.connected).length,
      "master/slaves_active": s.agents.filter((a) => a.active).length,
      "master/slaves_inactive": s.agents.filter((a) => !a.active).length,
      ...this.agentHealth.metrics(),
      "master/outstanding_offers": s.frameworks.reduce((n, f) => n + (f.offers?.length ?? 0), 0),
      "master/tasks_staging": count("TASK_STAGING"),
      "master/tasks_starting": count("TASK_STARTING"),
      "master/tasks_running": count("TASK_RUNNING"),
      "master/tasks_finished": count("TASK_FINISHED"),
      "master/tasks_failed": count("TASK_FAILED"),
      "master/tasks_killed": count("TASK_KILLED"),
      "master/tasks_lost": count("TASK_LOST"),
      "master/tasks_error": count("TASK_ERROR"),
      "master/tasks_dropped": count("TASK_DROPPED"),
      "master/tasks_unreachable": count("TASK_UNREACHABLE"),
      "master/tasks_gone": count("TASK_GONE"),
      "master/tasks_gone_by_operator": count("TASK_GONE_BY_OPERATOR"),
      "master/tasks_killing": count("TASK_KILLING"),
      ...activeTasksByFramework(s.frameworks, s.tasks),
      ...(await this.opts.metrics?.mesosSnapshot(
        s.frameworks.map((f) => ({ id: f.framework_info.id?.value ?? "", name: f.framework_info.name })),
      )),
    };
  }

  /**
   * MARK_AGENT_GONE (semantics.md §3.2): the node gets the agent-gone annotation, so it is never an
   * agent again and its tasks become TASK_GONE_BY_OPERATOR (TASK_LOST for frameworks that are not
   * partition-aware) — both done by the reconcilers from the annotation. Idempotent (200 again);
   * an agent this master never knew is 404.
   */
  private async markAgentGone(agentId: string): Promise<CallOutcome> {
    const nodes = this.opts.cluster.informers.nodes.cache.list() as Node[];
    const node = nodes.find((n) => agentIdForNode(n) === agentId);
    if (node === undefined) return { ok: false, status: 404, message: `Agent '${agentId}' not found` };
    if (isMarkedGone(node)) return { ok: true };
    await this.opts.cluster.writers.nodes.annotate(node.metadata.name ?? "", {
      [AGENT_GONE_ANNOTATION]: new Date().toISOString(),
    });
    this.log.info({ agentId, node: node.metadata.name }, "agent marked gone");
    return { ok: true };
  }

  /** Role objects for the weight and quota calls: read from the cache, written through the API. */
  private roleStore(): RoleStore {
    const { informers, writers } = this.opts.cluster;
    return {
      list: () => informers.roles.cache.list() as Role[],
      create: (obj) => writers.roles.create(obj as Parameters<typeof writers.roles.create>[0]),
      mergePatch: (ref, patch) =>
        writers.roles.mergePatch(ref, patch as Parameters<typeof writers.roles.mergePatch>[1]),
    };
  }

  watchCluster(listener: (event: ClusterEvent) => void): () => void {
    const { cluster } = this.opts;
    return watchClusterEvents(
      {
        informers: cluster.informers,
        agentOf: (node) => {
          const agent = this.agentOf(node);
          return agent === undefined ? undefined : this.agentStateOf(agent, []);
        },
        frameworkState: (fw) => this.frameworkStateOf(fw),
        wireTask: (t) => {
          const fw = cluster.informers.frameworks.cache.get(
            `${t.metadata.namespace}/${t.spec.frameworkName}`,
          ) as Framework | undefined;
          return fw === undefined ? undefined : this.endpointTask(t, frameworkIdOf(fw));
        },
        lastStatus: (_t, wire) =>
          wire.statuses.at(-1) ?? { task_id: wire.task_id, state: wire.state, source: "SOURCE_MASTER" },
      },
      listener,
    );
  }

  async changeCluster(change: OperatorChange, principal?: string): Promise<CallOutcome> {
    if (change.type === "UPDATE_WEIGHTS") return updateWeights(this.roleStore(), change.weightInfos);
    if (change.type === "UPDATE_QUOTA") return updateQuota(this.roleStore(), change.quotaConfigs);
    if (change.type === "MARK_AGENT_GONE") return this.markAgentGone(change.agentId);
    if (isMaintenanceChange(change)) return this.maintenance.change(change);
    if (change.type === "RESERVE_RESOURCES" || change.type === "UNRESERVE_RESOURCES")
      return this.reservations.operatorChange(change, principal);
    if (change.type === "TEARDOWN") {
      // A framework subscribed a moment ago may not be written yet.
      await this.persisted(change.frameworkId);
      if (this.frameworkById(change.frameworkId) === undefined)
        return { ok: false, status: 400, message: "No framework found with specified ID" };
      await this.teardown(change.frameworkId);
      return { ok: true };
    }
    // Every operator change is handled above; a new one must be added there.
    const unhandled: never = change;
    return {
      ok: false,
      status: 400,
      message: `${(unhandled as { type: string }).type} is not supported by this operator yet`,
    };
  }
}

/** Per-framework `tasks/active/<state>` gauges (semantics.md §3.5): non-terminal tasks by state. */
function activeTasksByFramework(
  frameworks: readonly { framework_info: { id?: { value: string } | undefined; name: string } }[],
  tasks: readonly { framework_id: { value: string }; state: string }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  const prefixById = new Map(
    frameworks.map((f) => {
      const id = f.framework_info.id?.value ?? "";
      return [id, `master/frameworks/${encodeURIComponent(f.framework_info.name)}/${id}/tasks/active`];
    }),
  );
  for (const t of tasks) {
    const prefix = prefixById.get(t.framework_id.value);
    if (prefix === undefined) continue;
    const key = `${prefix}/${t.state.toLowerCase()}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/**
 * A merge patch that makes the Framework's spec exactly `spec`: optional lists and maps the
 * scheduler left out are cleared (null), not kept from before.
 */
function frameworkSpecPatch(spec: ReturnType<typeof frameworkSpecFromInfo>): object {
  return {
    spec: {
      ...spec,
      suppressedRoles: spec.suppressedRoles ?? null,
      capabilities: spec.capabilities ?? null,
      labels: spec.labels ?? null,
    },
  };
}

/** The resources of a task group's executor, for the allocator (none without an executor). */
function executorResources(executor: ExecutorInfo | undefined): Resources {
  return executor === undefined ? Resources.EMPTY : toAllocatorResources(executor.resources ?? []);
}

/** What a waiting launch needs of an offer: its tasks' resources and its executor's. */
function unitResources(unit: PendingUnit): Resources {
  return toAllocatorResources(unit.tasks.flatMap((t) => t.resources))
    .plus(executorResources(unit.executor))
    .flatten();
}
