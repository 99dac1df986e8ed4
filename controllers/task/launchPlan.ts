// What to do with a Task that has not been launched: wait for the rest of its group, refuse it
// (Mesos TASK_ERROR), accept the offers it names, or place it on an outstanding offer of its
// framework. The wiring runs the ACCEPT on the allocator and records the outcome (validateTask.ts).

import { type AcceptCall, type Offer, Resources } from "../allocator/index.ts";
import {
  type Resources as CompactResources,
  isTerminalTaskState,
  SCALAR_NAMES,
  type Task,
} from "../api/index.ts";
import { type PlacementResult, placeTask } from "./placement.ts";
import type { AgentLocation } from "./placementConstraints.ts";
import { podNameFor, taskIdOf, taskNameOf } from "./podIdentity.ts";
import type { LaunchRecord } from "./statusUpdates.ts";
import { taskGroupState } from "./taskGroup.ts";
import type { TaskObservation } from "./taskStateFromPod.ts";
import { acceptCallFor } from "./validateTask.ts";

export interface LaunchPlanInput {
  task: Task;
  /** Every Task of the framework (for its group and its constraint peers). */
  frameworkTasks: readonly Task[];
  frameworkId: string;
  frameworkRoles: readonly string[];
  /** The framework's outstanding offers (Allocator.offersOf). */
  offers: readonly Offer[];
  /** Any outstanding offer by id (Allocator.offer), to find the agent of the offers a task names. */
  offerById: (id: string) => Offer | undefined;
  /** Where a launched task runs (its node's hostname and attributes), for constraints. */
  locationOf: (task: Task) => AgentLocation | undefined;
}

export type LaunchPlan =
  /** Launched or refused before: nothing to decide. */
  | { kind: "not-pending" }
  | { kind: "wait-for-group"; have: number; size: number }
  /**
   * Another member of the task's group was launched (the operator stopped between writing the
   * members' statuses): this one joins that launch instead of being accepted again.
   */
  | { kind: "join-group-launch"; launch: LaunchRecord }
  | { kind: "refuse"; members: Task[]; observation: TaskObservation }
  | { kind: "no-fitting-offer"; role: string; demand: CompactResources; placement: PlacementResult }
  | {
      kind: "accept";
      members: Task[];
      call: AcceptCall;
      podName: string;
      nodeName: string;
      offerIds: string[];
      /** True when the operator chose the offers (the task named none). */
      placed: boolean;
    };

/** Sum of the members' compact resources and their executor's (a group is placed as one pod). */
function totalDemand(members: readonly Task[]): CompactResources {
  const out: CompactResources = {};
  // A group's executor needs room on the agent too (taken once, not per member).
  const executor = members.find((m) => m.spec.taskGroup?.executorResources !== undefined)?.spec.taskGroup
    ?.executorResources;
  for (const r of [...members.map((m) => m.spec.resources), ...(executor === undefined ? [] : [executor])]) {
    for (const name of SCALAR_NAMES) {
      const v = r[name];
      if (v !== undefined) out[name] = (out[name] ?? 0) + v;
    }
    if (r.ports !== undefined) out.ports = [...(out.ports ?? []), ...r.ports];
  }
  return out;
}

const taskError = (message: string, group: boolean): TaskObservation => ({
  state: "TASK_ERROR",
  source: "SOURCE_MASTER",
  reason: group ? "REASON_TASK_GROUP_INVALID" : "REASON_TASK_INVALID",
  message,
});

export function planLaunch(input: LaunchPlanInput): LaunchPlan {
  const { task } = input;
  if (task.status?.podName !== undefined || task.status?.state !== undefined) return { kind: "not-pending" };
  const group = taskGroupState(task, input.frameworkTasks);
  if (group.kind !== "waiting") {
    const launched = group.members.find((m) => m.status?.podName !== undefined);
    const s = launched?.status;
    if (
      s?.podName !== undefined &&
      s.nodeName !== undefined &&
      s.agentId !== undefined &&
      s.role !== undefined
    )
      return {
        kind: "join-group-launch",
        launch: {
          podName: s.podName,
          nodeName: s.nodeName,
          agentId: s.agentId,
          role: s.role,
          offerIds: s.offerIds ?? [],
        },
      };
  }
  if (group.kind === "waiting") return { kind: "wait-for-group", have: group.have, size: group.size };
  const isGroup = task.spec.taskGroup !== undefined;
  if (group.kind === "invalid")
    return { kind: "refuse", members: group.members, observation: taskError(group.message, true) };
  const members = group.members;
  const podName = podNameFor(task, members);

  const named = task.spec.offerIds;
  if (named !== undefined) {
    const known = named.map(input.offerById).filter((o): o is Offer => o !== undefined);
    const first = known[0];
    const call = acceptCallFor({
      frameworkId: input.frameworkId,
      tasks: members,
      offerIds: named,
      agentId: first?.agentId ?? task.spec.agentId ?? "",
      offered: known.length === named.length ? sumResources(known) : undefined,
      podName,
    });
    return {
      kind: "accept",
      members,
      call,
      podName,
      nodeName: first?.nodeName ?? "",
      offerIds: [...named],
      placed: false,
    };
  }

  const role = task.spec.role ?? input.frameworkRoles[0] ?? "*";
  if (!input.frameworkRoles.includes(role))
    return {
      kind: "refuse",
      members,
      observation: taskError(
        `Task uses role '${role}', which framework ${input.frameworkId} is not subscribed to`,
        isGroup,
      ),
    };
  const memberNames = new Set(members.map((m) => m.metadata.name));
  const name = taskNameOf(task);
  const peers = input.frameworkTasks
    .filter(
      (t) =>
        !memberNames.has(t.metadata.name) &&
        taskNameOf(t) === name &&
        t.status?.state !== undefined &&
        !isTerminalTaskState(t.status.state),
    )
    .map(input.locationOf)
    .filter((l): l is AgentLocation => l !== undefined);
  const demand = totalDemand(members);
  const placement = placeTask(
    { role, demand, constraints: task.spec.constraints ?? [], peers },
    input.offers,
  );
  if (!placement.placed) return { kind: "no-fitting-offer", role, demand, placement };
  const p = placement.placement;
  const call = acceptCallFor({
    frameworkId: input.frameworkId,
    tasks: members,
    offerIds: p.offerIds,
    agentId: p.agentId,
    offered: sumResources(input.offers.filter((o) => p.offerIds.includes(o.id))),
    podName,
    // The operator chose these offers; what the task leaves of them goes straight back.
    refuseSeconds: 0,
  });
  return { kind: "accept", members, call, podName, nodeName: p.nodeName, offerIds: p.offerIds, placed: true };
}

const sumResources = (offers: readonly Offer[]) => Resources.sum(offers.map((o) => o.resources));

/**
 * Mesos refuses a task whose ID a live task of the framework already has (S-48); the tasks being
 * launched do not count against themselves.
 */
export function taskIdInUse(frameworkTasks: readonly Task[], launching: readonly Task[]) {
  const launchingNames = new Set(launching.map((t) => t.metadata.name));
  const live = new Set(
    frameworkTasks
      .filter(
        (t) =>
          !launchingNames.has(t.metadata.name) &&
          t.status?.state !== undefined &&
          !isTerminalTaskState(t.status.state),
      )
      .map(taskIdOf),
  );
  return (taskId: string): boolean => live.has(taskId);
}
