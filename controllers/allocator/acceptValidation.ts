// ACCEPT validation with the outcomes and messages of the Mesos master (master.cpp accept/_accept,
// validation.cpp offer:: and task::). Pure: it decides, the allocator applies.
//
// - Offer problems (none given, unknown or used, duplicate in the list, another framework's,
//   different roles, different agents) invalidate the whole call: every task gets TASK_LOST
//   (TASK_DROPPED for PARTITION_AWARE frameworks), SOURCE_MASTER, REASON_INVALID_OFFERS,
//   "Task launched with invalid offers: <error>"; the valid offers named are discarded without filter.
// - Task problems fail that task only: TASK_ERROR, REASON_TASK_INVALID (REASON_TASK_GROUP_INVALID
//   for every task of a LAUNCH_GROUP), with the Mesos message.
// - Operations are applied in order against the pooled offered resources; what is left is declined
//   with the call's filter.

import { type Reservation, Resources } from "./resources.ts";
import { describeResources } from "./resourceText.ts";

export interface TaskLaunch {
  taskId: string;
  agentId: string;
  /** Task resources (for LAUNCH, including its executor's when the executor is new). */
  resources: Resources;
  /** Usage key of the pod that will run the task (`namespace/name`); defaults to `<frameworkId>/<taskId>`. */
  podKey?: string | undefined;
}

export type AcceptOperation =
  | { type: "LAUNCH"; tasks: readonly TaskLaunch[] }
  | {
      type: "LAUNCH_GROUP";
      tasks: readonly TaskLaunch[];
      /** The executor's own resources, held with the tasks' until the executor ends. */
      executorResources?: Resources | undefined;
      /** Usage key the executor's resources are held under; defaults to `<frameworkId>/executor/<first task id>`. */
      executorKey?: string | undefined;
    }
  /** Dynamically reserve `resources` (each carrying the new reservation on top of its stack). */
  | { type: "RESERVE"; resources: Resources }
  /** Remove the top (dynamic) reservation of `resources`. */
  | { type: "UNRESERVE"; resources: Resources };

export interface AcceptCall {
  frameworkId: string;
  offerIds: readonly string[];
  operations: readonly AcceptOperation[];
  /** Filters for the unused resources; refuse_seconds defaults to 5. */
  filters?: { refuseSeconds?: number | undefined } | undefined;
}

export type TaskUpdateState = "TASK_ERROR" | "TASK_LOST" | "TASK_DROPPED";
export type TaskUpdateReason = "REASON_INVALID_OFFERS" | "REASON_TASK_INVALID" | "REASON_TASK_GROUP_INVALID";

/** A master-generated status update (no uuid; not to be acknowledged). */
export interface TaskStatusUpdate {
  taskId: string;
  agentId: string;
  state: TaskUpdateState;
  source: "SOURCE_MASTER";
  reason: TaskUpdateReason;
  message: string;
}

export interface ValidOffer {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: Resources;
}

export interface LaunchedTask {
  taskId: string;
  agentId: string;
  role: string;
  resources: Resources;
  podKey: string;
}

/** A task group's executor: its resources are allocated to the framework like its tasks'. */
export interface LaunchedExecutor {
  agentId: string;
  role: string;
  resources: Resources;
  podKey: string;
}

export interface ReservationChange {
  /** What the agent had before (as offered). */
  from: Resources;
  /** What it has after. */
  to: Resources;
}

export interface AcceptDecision {
  /** Offer-level error; when set nothing was launched. */
  error?: string | undefined;
  /** Offers to take out of the book (used, or discarded by an invalid call). */
  consumedOffers: readonly ValidOffer[];
  launched: LaunchedTask[];
  /** Executors of launched task groups (Mesos counts them as used until they terminate). */
  executors: LaunchedExecutor[];
  updates: TaskStatusUpdate[];
  /** Reservation changes applied on the agent, in order. */
  reservations: ReservationChange[];
  /** Errors of RESERVE/UNRESERVE operations (Mesos OPERATION_ERROR), by operation index. */
  operationErrors: { index: number; message: string }[];
  /** Offered resources left unused: declined with the call's filter (none when `error`). */
  remaining: Resources;
}

export interface AcceptContext {
  /** The outstanding offer with this id, whoever it belongs to. */
  offer(id: string): ValidOffer | undefined;
  partitionAware: boolean;
  /** True when a non-terminal task of the framework already has this id. */
  taskIdInUse(taskId: string): boolean;
}

/** First offer-level error in Mesos's order (validation.cpp offer::validate). */
export function validateOfferIds(call: AcceptCall, ctx: AcceptContext): string | undefined {
  const ids = call.offerIds;
  if (ids.length === 0) return "No offers specified";
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return `Duplicate offer ${id} in offer list`;
    seen.add(id);
  }
  for (const id of ids) if (ctx.offer(id) === undefined) return `Offer ${id} is no longer valid`;
  for (const id of ids) {
    const o = ctx.offer(id)!;
    if (o.frameworkId !== call.frameworkId)
      return `Offer ${id} has invalid framework ${o.frameworkId} while framework ${call.frameworkId} is expected`;
  }
  let role: string | undefined;
  for (const id of ids) {
    const o = ctx.offer(id)!;
    if (role === undefined) role = o.role;
    // The unbalanced quotes are Mesos's own.
    else if (o.role !== role)
      return `Aggregated offers must be allocated to the same role. Offer ${id} uses role '${o.role} but another is using role '${role}`;
  }
  let agent: string | undefined;
  for (const id of ids) {
    const o = ctx.offer(id)!;
    if (agent === undefined) agent = o.agentId;
    else if (o.agentId !== agent)
      return `Aggregated offers must belong to one single agent. Offer ${id} uses agent ${o.agentId} and agent ${agent}`;
  }
  return undefined;
}

function tasksOf(call: AcceptCall): TaskLaunch[] {
  return call.operations.flatMap((op) =>
    op.type === "LAUNCH" || op.type === "LAUNCH_GROUP" ? [...op.tasks] : [],
  );
}

function taskError(
  task: TaskLaunch,
  launchedIds: ReadonlySet<string>,
  ctx: AcceptContext,
  agentId: string,
): string | undefined {
  if (ctx.taskIdInUse(task.taskId) || launchedIds.has(task.taskId))
    return `Task has duplicate ID: ${task.taskId}`;
  if (task.agentId !== agentId)
    return `Task uses invalid agent ${task.agentId} while agent ${agentId} is expected`;
  if (task.resources.isEmpty) return "Task uses no resources";
  return undefined;
}

function tooBig(total: Resources, offered: Resources, role: string): string | undefined {
  if (offered.contains(total)) return undefined;
  return `Total resources ${describeResources(total, role)} required by task and its executor is more than available ${describeResources(offered, role)}`;
}

function topReservation(resources: Resources): Reservation | undefined {
  const tops = new Set(
    resources.entries.map((e) => JSON.stringify(e.reservations[e.reservations.length - 1] ?? null)),
  );
  if (tops.size !== 1) return undefined;
  return resources.entries[0]?.reservations.at(-1);
}

export function decideAccept(call: AcceptCall, ctx: AcceptContext): AcceptDecision {
  const error = validateOfferIds(call, ctx);
  if (error !== undefined) {
    const state: TaskUpdateState = ctx.partitionAware ? "TASK_DROPPED" : "TASK_LOST";
    return {
      error,
      // Only the caller's own offers are discarded (Mesos would also discard another framework's).
      consumedOffers: [...new Set(call.offerIds)]
        .map((id) => ctx.offer(id))
        .filter((o): o is ValidOffer => o !== undefined && o.frameworkId === call.frameworkId),
      launched: [],
      executors: [],
      updates: tasksOf(call).map((t) => ({
        taskId: t.taskId,
        agentId: t.agentId,
        state,
        source: "SOURCE_MASTER",
        reason: "REASON_INVALID_OFFERS",
        message: `Task launched with invalid offers: ${error}`,
      })),
      reservations: [],
      operationErrors: [],
      remaining: Resources.EMPTY,
    };
  }

  const offers = call.offerIds.map((id) => ctx.offer(id)!);
  const role = offers[0]!.role;
  const agentId = offers[0]!.agentId;
  let offered = Resources.sum(offers.map((o) => o.resources));
  const decision: AcceptDecision = {
    consumedOffers: offers,
    launched: [],
    executors: [],
    updates: [],
    reservations: [],
    operationErrors: [],
    remaining: Resources.EMPTY,
  };
  const launchedIds = new Set<string>();
  const invalid = (task: TaskLaunch, reason: TaskUpdateReason, message: string): TaskStatusUpdate => ({
    taskId: task.taskId,
    agentId: task.agentId,
    state: "TASK_ERROR",
    source: "SOURCE_MASTER",
    reason,
    message,
  });
  const launch = (task: TaskLaunch): void => {
    launchedIds.add(task.taskId);
    offered = offered.minus(task.resources);
    decision.launched.push({
      taskId: task.taskId,
      agentId,
      role,
      resources: task.resources,
      podKey: task.podKey ?? `${call.frameworkId}/${task.taskId}`,
    });
  };

  call.operations.forEach((op, index) => {
    switch (op.type) {
      case "LAUNCH":
        for (const task of op.tasks) {
          const err = taskError(task, launchedIds, ctx, agentId) ?? tooBig(task.resources, offered, role);
          if (err === undefined) launch(task);
          else decision.updates.push(invalid(task, "REASON_TASK_INVALID", err));
        }
        break;
      case "LAUNCH_GROUP": {
        // A task group is launched whole or not at all.
        let err: string | undefined;
        const groupIds = new Set(launchedIds);
        for (const task of op.tasks) {
          err = taskError(task, groupIds, ctx, agentId);
          if (err !== undefined) break;
          groupIds.add(task.taskId);
        }
        const total = Resources.sum(op.tasks.map((t) => t.resources)).plus(
          op.executorResources ?? Resources.EMPTY,
        );
        err ??= tooBig(total, offered, role);
        if (err !== undefined) {
          for (const task of op.tasks) decision.updates.push(invalid(task, "REASON_TASK_GROUP_INVALID", err));
          break;
        }
        for (const task of op.tasks) launch(task);
        if (op.executorResources !== undefined && !op.executorResources.isEmpty) {
          offered = offered.minus(op.executorResources);
          decision.executors.push({
            agentId,
            role,
            resources: op.executorResources,
            podKey: op.executorKey ?? `${call.frameworkId}/executor/${op.tasks[0]?.taskId ?? ""}`,
          });
        }
        break;
      }
      case "RESERVE": {
        const top = topReservation(op.resources);
        const source = op.resources.popReservation();
        let err: string | undefined;
        if (op.resources.isEmpty) err = "Invalid RESERVE Operation: no resources";
        else if (top === undefined || top.type !== "DYNAMIC")
          err = "Invalid RESERVE Operation: resources must carry one new dynamic reservation";
        else if (top.role === "*") err = "Invalid RESERVE Operation: role '*' cannot reserve resources";
        else if (top.role !== role)
          err = `Invalid RESERVE Operation: reservation role '${top.role}' does not match allocation role '${role}'`;
        else if (!offered.contains(source))
          err = `Invalid RESERVE Operation: ${describeResources(offered, role)} does not contain ${describeResources(source, role)}`;
        if (err !== undefined) {
          decision.operationErrors.push({ index, message: err });
          break;
        }
        offered = offered.minus(source).plus(op.resources);
        decision.reservations.push({ from: source, to: op.resources });
        break;
      }
      case "UNRESERVE": {
        const top = topReservation(op.resources);
        let err: string | undefined;
        if (op.resources.isEmpty) err = "Invalid UNRESERVE Operation: no resources";
        else if (top === undefined || top.type !== "DYNAMIC")
          err = "Invalid UNRESERVE Operation: only dynamically reserved resources can be unreserved";
        else if (!offered.contains(op.resources))
          err = `Invalid UNRESERVE Operation: ${describeResources(offered, role)} does not contain ${describeResources(op.resources, role)}`;
        if (err !== undefined) {
          decision.operationErrors.push({ index, message: err });
          break;
        }
        const to = op.resources.popReservation();
        offered = offered.minus(op.resources).plus(to);
        decision.reservations.push({ from: op.resources, to });
        break;
      }
    }
  });
  decision.remaining = offered;
  return decision;
}
