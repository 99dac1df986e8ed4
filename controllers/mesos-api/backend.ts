// The port between the Mesos HTTP façade and the state it shows (the custom resources and the
// allocator). The HTTP layer parses, validates, negotiates, frames and streams; everything that
// reads or changes the cluster goes through a MesosBackend. The real implementation lives beside
// the reconcilers; testing/inMemoryBackend.ts is a small stand-in for tests of the HTTP layer.
//
// Conventions:
// - Payloads are the parsed Mesos messages (snake_case, as on the wire, proto defaults filled in);
//   results are the Mesos shapes the HTTP layer writes out unchanged.
// - Scheduler calls that Mesos answers with 202 return Promise<void>: they resolve when the call is
//   accepted for processing; their effects are reported on the framework's event stream
//   (semantics.md §1.2 #18: unknown offers, tasks or roles are not errors at this level).
// - Synchronous-answer calls (UPDATE_FRAMEWORK, operator changes) return a CallOutcome whose
//   failure status the HTTP layer sends as is.
// - A rejection (thrown error) of any method is answered 503 and logged: the state is unavailable,
//   which a client treats as "retry", never as "refused".
import type { AgentState } from "./messages/agent.ts";
import type { AgentInfo } from "./messages/agentInfo.ts";
import type { ExecutorState } from "./messages/executor.ts";
import type { FrameworkState } from "./messages/framework.ts";
import type { MachineId, MaintenanceClusterStatus, MaintenanceSchedule } from "./messages/maintenance.ts";
import type { MasterInfo } from "./messages/masterInfo.ts";
import type { QuotaConfig, WeightInfo } from "./messages/quota.ts";
import type { Resource } from "./messages/resource.ts";
import type { RoleState } from "./messages/role.ts";
import type { Task } from "./messages/task.ts";
import type { ClusterEvent } from "./operator/event.ts";
import type {
  AcknowledgeOperationValidity,
  AcknowledgeValidity,
} from "./scheduler/acknowledgementMetrics.ts";
import type {
  Accept,
  Acknowledge,
  AcknowledgeOperationStatus,
  Decline,
  FrameworkMessage,
  InverseOffersResponse,
  Kill,
  Reconcile,
  ReconcileOperations,
  Request,
  Roles,
  Shutdown,
  Subscribe,
  UpdateFramework,
} from "./scheduler/call.ts";
import type { FrameworkEvent } from "./scheduler/event.ts";
import type { WireOperation } from "./scheduler/operationStatusUpdates.ts";

/** Who serves the API: this replica (leading), another one (307 to it), or nobody yet (503). */
export type Leadership =
  | { leading: true }
  | { leading: false; leader?: { hostname: string; port: number } | undefined };

/**
 * The event stream of one subscribed framework, handed to `subscribe`. Events sent before the
 * subscription is confirmed are held and written after SUBSCRIBED and the first HEARTBEAT; events
 * sent after the stream closed are dropped (Mesos drops a disconnected framework's events too).
 */
export interface FrameworkEventStream {
  /** The Mesos-Stream-Id of this subscription. */
  readonly streamId: string;
  readonly closed: boolean;
  send(event: FrameworkEvent): void;
  /**
   * End the stream from the state side (teardown, removal). Not reported back through
   * `disconnected`: the caller already knows.
   */
  close(): void;
}

export interface SubscribeRequest {
  /** framework_info (with `id` when re-subscribing), suppressed_roles, offer_constraints. */
  subscribe: Subscribe;
  /** The authenticated principal, when HTTP authentication is on. */
  principal: string | undefined;
}

export type SubscribeOutcome =
  /**
   * Subscribed (new, re-subscribed, or recovered with a client-chosen id). For a known
   * framework the state side must stop using its previous stream: the HTTP layer sends that one
   * ERROR "Framework failed over" and closes it.
   */
  | { subscribed: true; frameworkId: string }
  /** Refused: written as the stream's only event, ERROR{message}, then the stream closes. */
  | { subscribed: false; message: string };

export type CallOutcome = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409 | 503; message: string };

/** What the HTTP layer needs to know of a registered (not completed) framework. */
export interface RegisteredFramework {
  principal?: string | undefined;
  /** FrameworkInfo.user: whom its tasks run as unless they say (the run_tasks ACLs' object). */
  user?: string | undefined;
  /** For the per-framework metric names (`master/frameworks/<name>/<id>/…`). */
  name: string;
}

export interface MasterDescription {
  info: MasterInfo;
  /** Seconds since the epoch. */
  startTime: number;
  /** Seconds since the epoch; absent while not elected. */
  electedTime?: number | undefined;
  /** The master's "flags": the operator's effective configuration as name → string. */
  flags: Record<string, string>;
  cluster?: string | undefined;
}

/** Everything the read-only calls and endpoints show, taken at one moment. */
export interface MasterSnapshot {
  /** Registered frameworks, connected or not; with their offers and resources. */
  frameworks: FrameworkState[];
  completedFrameworks: FrameworkState[];
  agents: AgentState[];
  /** Agents known from before a failover that have not come back yet. */
  recoveredAgents: AgentInfo[];
  /** Agents marked unreachable (not in `agents`; /master/state counts them). */
  unreachableAgentIds: string[];
  /** Non-terminal tasks and terminal tasks whose terminal update is not yet acknowledged. */
  tasks: Task[];
  unreachableTasks: Task[];
  /** Terminal and acknowledged, of registered and of completed frameworks. */
  completedTasks: Task[];
  executors: ExecutorState[];
  /** Sorted by name; see semantics.md §3.4 for which roles are listed. */
  roles: RoleState[];
  weights: WeightInfo[];
  /** Only roles with non-default quota. */
  quotaConfigs: QuotaConfig[];
  maintenance: { schedule: MaintenanceSchedule; status: MaintenanceClusterStatus };
  /** Operations with an id not yet acknowledged terminal (GET_OPERATIONS). */
  operations: WireOperation[];
}

/** The operator calls that change the cluster; the HTTP layer answers 200 or 202 on success. */
export type OperatorChange =
  | { type: "UPDATE_WEIGHTS"; weightInfos: WeightInfo[] }
  | { type: "UPDATE_QUOTA"; force: boolean; quotaConfigs: QuotaConfig[] }
  | { type: "TEARDOWN"; frameworkId: string }
  | { type: "MARK_AGENT_GONE"; agentId: string }
  | { type: "UPDATE_MAINTENANCE_SCHEDULE"; schedule: MaintenanceSchedule }
  | { type: "START_MAINTENANCE"; machines: MachineId[] }
  | { type: "STOP_MAINTENANCE"; machines: MachineId[] }
  | { type: "DRAIN_AGENT"; agentId: string; maxGracePeriodSeconds: number | undefined; markGone: boolean }
  | { type: "DEACTIVATE_AGENT"; agentId: string }
  | { type: "REACTIVATE_AGENT"; agentId: string }
  | { type: "RESERVE_RESOURCES"; agentId: string; source: Resource[]; resources: Resource[] }
  | { type: "UNRESERVE_RESOURCES"; agentId: string; resources: Resource[] };

export interface MesosBackend {
  // --- Leadership and readiness: checked before anything else on the API paths.
  leadership(): Leadership;
  /** False until the state has been read after start-up or failover (→ 503 on the API paths). */
  recovered(): boolean;
  master(): MasterDescription;

  // --- Scheduler API (semantics.md §1).
  /**
   * SUBSCRIBE. Validates the FrameworkInfo and authorization, registers or re-registers the
   * framework, and from then on sends its events through `stream` (offers may be sent at once:
   * they are written after SUBSCRIBED).
   */
  subscribe(request: SubscribeRequest, stream: FrameworkEventStream): Promise<SubscribeOutcome>;
  /**
   * The framework's current stream was closed by the client or the network: mark it disconnected,
   * rescind its offers, start the failover_timeout timer (semantics.md §1.5 #5).
   */
  disconnected(frameworkId: string, streamId: string): void;
  /** A registered framework (connected or not); undefined if unknown or completed (→ 400). */
  registeredFramework(frameworkId: string): RegisteredFramework | undefined;
  teardown(frameworkId: string): Promise<void>;
  accept(frameworkId: string, accept: Accept): Promise<void>;
  decline(frameworkId: string, decline: Decline): Promise<void>;
  acceptInverseOffers(frameworkId: string, response: InverseOffersResponse): Promise<void>;
  declineInverseOffers(frameworkId: string, response: InverseOffersResponse): Promise<void>;
  /** An empty `roles` list means all of the framework's roles. */
  revive(frameworkId: string, revive: Roles): Promise<void>;
  suppress(frameworkId: string, suppress: Roles): Promise<void>;
  kill(frameworkId: string, kill: Kill): Promise<void>;
  shutdown(frameworkId: string, shutdown: Shutdown): Promise<void>;
  /** `uuid` has been checked to be 16 bytes (base64). Answers how Master::acknowledge counts it. */
  acknowledge(frameworkId: string, acknowledge: Acknowledge): Promise<AcknowledgeValidity>;
  /** Answers how Master::acknowledgeOperationStatus counts it. */
  acknowledgeOperationStatus(
    frameworkId: string,
    acknowledge: AcknowledgeOperationStatus,
  ): Promise<AcknowledgeOperationValidity>;
  /** An empty `tasks` list is implicit reconciliation (semantics.md §4.11). */
  reconcile(frameworkId: string, reconcile: Reconcile): Promise<void>;
  reconcileOperations(frameworkId: string, reconcile: ReconcileOperations): Promise<void>;
  message(frameworkId: string, message: FrameworkMessage): Promise<void>;
  request(frameworkId: string, request: Request): Promise<void>;
  /** 200 on success; 400 invalid (e.g. user/principal/checkpoint changed), 403, 409. */
  updateFramework(
    frameworkId: string,
    update: UpdateFramework,
    principal: string | undefined,
  ): Promise<CallOutcome>;

  // --- Operator API and the legacy endpoints (semantics.md §3).
  snapshot(): Promise<MasterSnapshot>;
  /** `/metrics/snapshot` names (semantics.md §3.5); the HTTP layer adds its own counters. */
  metrics(): Promise<Record<string, number>>;
  /** Cluster changes for operator SUBSCRIBE streams; returns the unsubscribe function. */
  watchCluster(listener: (event: ClusterEvent) => void): () => void;
  /** 403 when `principal` may not do it; 400/404/409/503 as semantics.md §3.2 lists per call. */
  changeCluster(change: OperatorChange, principal: string | undefined): Promise<CallOutcome>;
}
