// Recording status updates in Task.status: each transition once, in order, bounded. Applying the
// same observation again returns undefined (nothing to write), which is what makes the task
// reconciler idempotent. Agent and executor updates get a uuid (reliable, to be acknowledged);
// master updates get none (semantics.md §2.7, §4.12).
import {
  isTerminalTaskState,
  MAX_TASK_STATUS_UPDATES,
  type TaskStatus,
  type TaskStatusUpdate,
} from "../api/index.ts";
import type { TaskObservation } from "./taskStateFromPod.ts";
import { canTransition, isLostToPartition } from "./taskTransitions.ts";

export interface RecordContext {
  now: Date;
  /** A fresh lowercase UUID (crypto.randomUUID in the operator; injected so tests are deterministic). */
  newUuid: () => string;
}

/** Where a task was launched; recorded with its TASK_STAGING update. */
export interface LaunchRecord {
  agentId: string;
  nodeName: string;
  podName: string;
  offerIds: readonly string[];
  role: string;
}

/** Whether `obs` says something the status does not already say. */
function isNews(status: TaskStatus | undefined, obs: TaskObservation): boolean {
  if (status?.state !== obs.state) return true;
  return obs.healthy !== undefined && obs.healthy !== status.healthy;
}

/**
 * Drop the oldest acknowledged updates first, then the oldest of all, until the list fits: the
 * framework still needs the ones it has not acknowledged.
 */
export function boundUpdates(updates: readonly TaskStatusUpdate[], max = MAX_TASK_STATUS_UPDATES) {
  const out = [...updates];
  while (out.length > max) {
    const i = out.findIndex((u) => u.acknowledged);
    // findIndex gives -1 when every update is unacknowledged: then the oldest goes.
    out.splice(Math.max(i, 0), 1);
  }
  return out;
}

/** Keys whose value is undefined are removed, so equal statuses are equal as JSON. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** The status after `obs`, or undefined when `obs` is not a new, allowed transition. */
export function recordTaskUpdate(
  status: TaskStatus | undefined,
  obs: TaskObservation,
  ctx: RecordContext,
): TaskStatus | undefined {
  if (!canTransition(status?.state, obs.state, isLostToPartition(status))) return undefined;
  if (!isNews(status, obs)) return undefined;
  const timestamp = ctx.now.toISOString();
  const update: TaskStatusUpdate = compact({
    state: obs.state,
    reason: obs.reason,
    source: obs.source,
    message: obs.message,
    healthy: obs.healthy,
    timestamp,
    // When the agent became unreachable: the first partition update's time, kept while it lasts.
    unreachableTime: obs.unreachable === true ? (status?.unreachableTime ?? timestamp) : undefined,
    uuid: obs.source === "SOURCE_MASTER" ? undefined : ctx.newUuid(),
    acknowledged: false,
  });
  const next: TaskStatus = {
    ...status,
    state: obs.state,
    reason: obs.reason,
    source: obs.source,
    message: obs.message,
    healthy: obs.healthy,
    updates: boundUpdates([...(status?.updates ?? []), update]),
  };
  if (obs.state === "TASK_STAGING") next.stagingTime ??= timestamp;
  if (obs.state === "TASK_RUNNING") next.startTime ??= timestamp;
  if (isTerminalTaskState(obs.state)) next.completionTime ??= timestamp;
  // A partition sets unreachable_time once; the agent coming back clears it.
  if (obs.unreachable === true) next.unreachableTime ??= timestamp;
  else if (obs.state === "TASK_RUNNING") {
    next.unreachableTime = undefined;
    next.completionTime = undefined;
  } else if (obs.state !== "TASK_LOST" && obs.state !== "TASK_UNREACHABLE") next.unreachableTime = undefined;
  return compact(next);
}

/** The TASK_STAGING status of a task just accepted, with where it goes. */
export function recordLaunch(
  status: TaskStatus | undefined,
  launch: LaunchRecord,
  ctx: RecordContext,
): TaskStatus | undefined {
  const staged = recordTaskUpdate(status, { state: "TASK_STAGING", source: "SOURCE_MASTER" }, ctx);
  if (staged === undefined) return undefined;
  return {
    ...staged,
    agentId: launch.agentId,
    nodeName: launch.nodeName,
    podName: launch.podName,
    offerIds: [...launch.offerIds],
    role: launch.role,
  };
}

/**
 * ACKNOWLEDGE: mark the update with this uuid; undefined when there is none or it is already
 * acknowledged (a retried ACKNOWLEDGE changes nothing).
 */
export function acknowledgeUpdate(status: TaskStatus | undefined, uuid: string): TaskStatus | undefined {
  const updates = status?.updates ?? [];
  const i = updates.findIndex((u) => u.uuid === uuid);
  if (i < 0 || updates[i]!.acknowledged) return undefined;
  const next = [...updates];
  next[i] = { ...updates[i]!, acknowledged: true };
  return { ...status, updates: next };
}

/** Reliable updates the framework has not acknowledged yet, oldest first (what the agent would retry). */
export const unacknowledgedUpdates = (status: TaskStatus | undefined): TaskStatusUpdate[] =>
  (status?.updates ?? []).filter((u) => u.uuid !== undefined && !u.acknowledged);
