// A Task (or a whole task group) as a Mesos ACCEPT with LAUNCH / LAUNCH_GROUP, and the allocator's
// answer as what happens to each task: launched on an agent, or a master-generated update with the
// Mesos outcome (TASK_ERROR, TASK_LOST, TASK_DROPPED) and message (semantics.md §2.1, §2.7, §4.8).

import { fromCompactResources } from "../allocation/resourceShapes.ts";
import type { AcceptCall, AcceptResult, Resources, TaskLaunch } from "../allocator/index.ts";
import type { Task } from "../api/index.ts";
import { containerNameFor, executorUsageKey, taskIdOf, taskUsageKey } from "./podIdentity.ts";
import { takeTaskResources } from "./taskResources.ts";
import type { TaskObservation } from "./taskStateFromPod.ts";

export interface LaunchRequest {
  frameworkId: string;
  /** One Task, or every member of a task group. */
  tasks: readonly Task[];
  offerIds: readonly string[];
  /** The offers' agent; a task's own spec.agentId, when set, is what Mesos checks against it. */
  agentId: string;
  /** The offers' pooled resources, when known, to take reserved resources from; else tasks ask unreserved. */
  offered?: Resources | undefined;
  /** The pod that will run the tasks. */
  podName: string;
  /** Filter for what is left of the offers: 0 when the operator placed the task, Mesos's 5 s when a user chose. */
  refuseSeconds?: number | undefined;
}

/** The ACCEPT call for the tasks; each task's usage key is its container in the pod. */
export function acceptCallFor(request: LaunchRequest): AcceptCall {
  let left = request.offered;
  const launches: TaskLaunch[] = request.tasks.map((task) => {
    const unreserved = fromCompactResources(task.spec.resources);
    // What does not fit is asked for unreserved, so the allocator answers with Mesos's own message.
    const taken = left === undefined ? undefined : takeTaskResources(task.spec.resources, left);
    if (taken !== undefined && left !== undefined) left = left.minus(taken);
    return {
      taskId: taskIdOf(task),
      agentId: task.spec.agentId ?? request.agentId,
      resources: taken ?? unreserved,
      podKey: taskUsageKey(task.metadata.namespace ?? "default", request.podName, containerNameFor(task)),
    };
  });
  const isGroup = request.tasks.some((t) => t.spec.taskGroup !== undefined);
  // The group's executor holds its own resources beside the tasks' (the same in every member).
  const executor = request.tasks.find((t) => t.spec.taskGroup?.executorResources !== undefined)?.spec
    .taskGroup?.executorResources;
  const namespace = request.tasks[0]?.metadata.namespace ?? "default";
  return {
    frameworkId: request.frameworkId,
    offerIds: [...request.offerIds],
    operations: [
      isGroup
        ? {
            type: "LAUNCH_GROUP",
            tasks: launches,
            ...(executor === undefined
              ? {}
              : {
                  executorResources: fromCompactResources(executor),
                  executorKey: executorUsageKey(namespace, request.podName),
                }),
          }
        : { type: "LAUNCH", tasks: launches },
    ],
    filters: request.refuseSeconds === undefined ? undefined : { refuseSeconds: request.refuseSeconds },
  };
}

export type TaskAcceptOutcome =
  | { kind: "launched"; agentId: string; role: string; resources: Resources; usageKey: string }
  | { kind: "refused"; observation: TaskObservation };

/** What the ACCEPT did to one task (by its Mesos TaskID). */
export function taskAcceptOutcome(result: AcceptResult, taskId: string): TaskAcceptOutcome {
  const launched = result.launched.find((t) => t.taskId === taskId);
  if (launched !== undefined)
    return {
      kind: "launched",
      agentId: launched.agentId,
      role: launched.role,
      resources: launched.resources,
      usageKey: launched.podKey,
    };
  const update = result.updates.find((u) => u.taskId === taskId);
  if (update !== undefined)
    return {
      kind: "refused",
      observation: {
        state: update.state,
        source: update.source,
        reason: update.reason,
        message: update.message,
      },
    };
  // The allocator answers for every task it was given; a task it did not see was not in the call.
  return {
    kind: "refused",
    observation: {
      state: "TASK_ERROR",
      source: "SOURCE_MASTER",
      reason: "REASON_TASK_INVALID",
      message: `Task ${taskId} was not part of the launch`,
    },
  };
}
