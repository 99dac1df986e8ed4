// Operation feedback (semantics.md §2.8) as a Mesos master and its agents give it for the
// operations the master carries out on an agent (RESERVE, UNRESERVE):
// - an applied operation with an `id` is known to the master (GET_OPERATIONS, RECONCILE_OPERATIONS)
//   until the scheduler acknowledges its terminal status; that status carries a uuid and is re-sent
//   with the task updates' backoff (`ReliableUpdates`: 10 s doubling to 10 min) until
//   ACKNOWLEDGE_OPERATION_STATUS names that uuid (the agent's operation status update manager);
// - an operation without an `id` gets no status at all, and is forgotten once applied;
// - an operation dropped at validation gets OPERATION_ERROR once, without uuid, and is not kept
//   (Master::drop);
// - RECONCILE_OPERATIONS answers each operation with its latest status, without uuid (not
//   reliable), or by what is known of its agent (Master::reconcileOperations, cases 1–7).
import { randomBytes } from "node:crypto";
import type { OfferOperation } from "../messages/offerOperation.ts";
import type { OperationState, OperationStatus } from "../messages/operationStatus.ts";
import { ReliableUpdates, sameUuid, type TimeoutTimers } from "./statusUpdateRetrier.ts";

/** An operation the master knows: mesos.v1.Operation. */
export interface KnownOperation {
  frameworkId: string;
  agentId: string;
  info: OfferOperation;
  /** Statuses sent to the scheduler, oldest first. */
  statuses: OperationStatus[];
  /** The master's own id of the operation (base64), independent of the framework's `id`. */
  uuid: string;
}

/** How the master knows an agent named in RECONCILE_OPERATIONS. */
export type AgentStanding = "registered" | "unreachable" | "gone" | "unknown";

export interface ReconcileOperationsRequest {
  operations: {
    operation_id: { value: string };
    agent_id?: { value: string } | undefined;
    resource_provider_id?: { value: string } | undefined;
  }[];
}

/** mesos.v1.Operation as GET_OPERATIONS lists it. */
export interface WireOperation {
  framework_id: { value: string };
  agent_id: { value: string };
  info: OfferOperation;
  latest_status: OperationStatus;
  statuses: OperationStatus[];
  uuid: { value: string };
}

export function wireOperation(op: KnownOperation): WireOperation {
  return {
    framework_id: { value: op.frameworkId },
    agent_id: { value: op.agentId },
    info: op.info,
    latest_status: op.statuses[op.statuses.length - 1]!,
    statuses: op.statuses,
    uuid: { value: op.uuid },
  };
}

export interface AcknowledgeOperation {
  operation_id: { value: string };
  uuid: string;
  agent_id?: { value: string } | undefined;
}

export type AcknowledgeOutcome = "acknowledged" | "unknown operation" | "unknown status";

export interface OperationStatusUpdatesOptions {
  send(frameworkId: string, status: OperationStatus): void;
  timers?: TimeoutTimers | undefined;
  initialRetryMs?: number | undefined;
  maxRetryMs?: number | undefined;
}

const TERMINAL: ReadonlySet<OperationState> = new Set([
  "OPERATION_FINISHED",
  "OPERATION_FAILED",
  "OPERATION_ERROR",
  "OPERATION_DROPPED",
  "OPERATION_GONE_BY_OPERATOR",
]);

export function isTerminalOperationState(state: OperationState): boolean {
  return TERMINAL.has(state);
}

export class OperationStatusUpdates {
  /** frameworkId → operation id → the operation. */
  private readonly known = new Map<string, Map<string, KnownOperation>>();
  private readonly reliable: ReliableUpdates<OperationStatus>;

  constructor(private readonly options: OperationStatusUpdatesOptions) {
    this.reliable = new ReliableUpdates<OperationStatus>({
      send: options.send,
      subjectOf: (s) => s.operation_id?.value ?? "",
      uuidOf: (s) => s.uuid?.value,
      timers: options.timers,
      initialRetryMs: options.initialRetryMs,
      maxRetryMs: options.maxRetryMs,
    });
  }

  /**
   * The terminal status of an operation carried out on an agent. With an `id` it is kept and sent
   * reliably (a fresh status uuid); without one the scheduler hears nothing (Mesos sends updates
   * only for operations with an id) and nothing is kept. Returns the status sent, if any.
   */
  applied(
    frameworkId: string,
    agentId: string,
    info: OfferOperation,
    fields: Pick<OperationStatus, "state" | "message" | "converted_resources">,
  ): OperationStatus | undefined {
    const id = info.id?.value;
    if (id === undefined) return undefined;
    const status: OperationStatus = {
      operation_id: { value: id },
      state: fields.state,
      ...(fields.message === undefined ? {} : { message: fields.message }),
      ...(fields.converted_resources === undefined
        ? {}
        : { converted_resources: fields.converted_resources }),
      uuid: { value: randomBytes(16).toString("base64") },
      agent_id: { value: agentId },
    };
    let ops = this.known.get(frameworkId);
    if (ops === undefined) {
      ops = new Map();
      this.known.set(frameworkId, ops);
    }
    // An id used again replaces the earlier operation (the master keys operations by id too).
    if (ops.has(id)) this.reliable.discard(frameworkId, id);
    ops.set(id, {
      frameworkId,
      agentId,
      info,
      statuses: [status],
      uuid: randomBytes(16).toString("base64"),
    });
    this.reliable.enqueue(frameworkId, status);
    return status;
  }

  /** An operation refused at validation: OPERATION_ERROR once, without uuid, not kept (Master::drop). */
  dropped(frameworkId: string, info: OfferOperation, message: string): void {
    if (info.id === undefined) return;
    this.options.send(frameworkId, {
      operation_id: { value: info.id.value },
      state: "OPERATION_ERROR",
      message,
    });
  }

  /**
   * ACKNOWLEDGE_OPERATION_STATUS: stops the retries of that status; a terminal one acknowledged
   * ends the operation (Master::acknowledgeOperationStatus, removeOperation).
   */
  acknowledge(frameworkId: string, ack: AcknowledgeOperation): AcknowledgeOutcome {
    const id = ack.operation_id.value;
    const op = this.known.get(frameworkId)?.get(id);
    if (op === undefined) return "unknown operation";
    const status = op.statuses.find((s) => sameUuid(s.uuid?.value, ack.uuid));
    if (status === undefined) return "unknown status";
    this.reliable.acknowledge(frameworkId, id, ack.uuid);
    if (isTerminalOperationState(status.state)) {
      const ops = this.known.get(frameworkId);
      ops?.delete(id);
      if (ops?.size === 0) this.known.delete(frameworkId);
    }
    return "acknowledged";
  }

  /** RECONCILE_OPERATIONS: the statuses to send, none of them reliable (no uuid). */
  reconcile(
    frameworkId: string,
    request: ReconcileOperationsRequest,
    standing: (agentId: string) => AgentStanding,
  ): OperationStatus[] {
    const ops = this.known.get(frameworkId);
    const latest = (op: KnownOperation): OperationStatus => {
      const { uuid: _unreliable, ...status } = op.statuses[op.statuses.length - 1]!;
      return status;
    };
    if (request.operations.length === 0) return [...(ops?.values() ?? [])].map(latest);
    return request.operations.map((entry) => {
      const op = ops?.get(entry.operation_id.value);
      if (op !== undefined) return latest(op);
      const agentId = entry.agent_id?.value;
      const unknown = (state: OperationState, message: string): OperationStatus => ({
        operation_id: { value: entry.operation_id.value },
        state,
        message,
        ...(agentId === undefined ? {} : { agent_id: { value: agentId } }),
        ...(entry.resource_provider_id === undefined
          ? {}
          : { resource_provider_id: { value: entry.resource_provider_id.value } }),
      });
      if (agentId === undefined)
        return unknown(
          "OPERATION_UNKNOWN",
          "Reconciliation: Operation is unknown and no 'agent_id' was provided",
        );
      switch (standing(agentId)) {
        case "registered":
          return unknown("OPERATION_UNKNOWN", "Reconciliation: Operation is unknown");
        case "unreachable":
          return unknown("OPERATION_UNREACHABLE", "Reconciliation: Agent is unreachable");
        case "gone":
          return unknown("OPERATION_GONE_BY_OPERATOR", "Reconciliation: Agent marked gone by operator");
        default:
          return unknown("OPERATION_UNKNOWN", "Reconciliation: Both operation and agent are unknown");
      }
    });
  }

  /** Re-sends every unacknowledged status of the framework now (it subscribed again). */
  resume(frameworkId: string): void {
    this.reliable.resume(frameworkId);
  }

  /** The framework is gone: its operations and their retries with it. */
  forget(frameworkId: string): void {
    this.reliable.forget(frameworkId);
    this.known.delete(frameworkId);
  }

  /** Every known operation (GET_OPERATIONS), by framework. */
  list(): KnownOperation[] {
    return [...this.known.values()].flatMap((ops) => [...ops.values()]);
  }

  /** The unacknowledged statuses of an operation, head first. */
  pending(frameworkId: string, operationId: string): readonly OperationStatus[] {
    return this.reliable.pending(frameworkId, operationId);
  }
}
