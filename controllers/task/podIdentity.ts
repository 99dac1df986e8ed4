// How a Task's pod is named and marked. Names are derived from the Task alone (name and UID), so
// creating the pod again after a crash finds the same pod instead of making a second one.
import type { Task } from "../api/index.ts";
import { dnsLabelFor, dnsLabelWithHash } from "./kubernetesNames.ts";

export const SCHEDULER_NAME = "mesos-operator";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "mesos-operator";
/** Label values must be ≤ 63 safe characters, so these hold label-safe forms; raw IDs are annotations. */
export const FRAMEWORK_ID_LABEL = "mesos.operator.dev/framework-id";
export const TASK_ID_LABEL = "mesos.operator.dev/task-id";
export const TASK_GROUP_LABEL = "mesos.operator.dev/task-group";

export const FRAMEWORK_ID_ANNOTATION = "mesos.operator.dev/framework-id";
/** JSON object: container name → Mesos TaskID. */
export const TASK_IDS_ANNOTATION = "mesos.operator.dev/task-ids";
/** The node the framework chose: an unbound pod already holds resources there. */
export const NODE_NAME_ANNOTATION = "mesos.operator.dev/node-name";
export const AGENT_ID_ANNOTATION = "mesos.operator.dev/agent-id";
export const ROLE_ANNOTATION = "mesos.operator.dev/role";
export const OFFER_IDS_ANNOTATION = "mesos.operator.dev/offer-ids";
/** JSON object: container name → the Mesos Resources the task holds (with reservations). */
export const RESOURCES_ANNOTATION = "mesos.operator.dev/resources";

/** The Mesos prefix users may not set through task labels (they would forge our own marks). */
export const RESERVED_LABEL_PREFIX = "mesos.operator.dev/";

/** The Mesos TaskID of a Task (spec.taskId, defaulting to metadata.name). */
export const taskIdOf = (task: Task): string => task.spec.taskId ?? task.metadata.name ?? "";

/** The task name that peers share for constraints (spec.name, defaulting to metadata.name). */
export const taskNameOf = (task: Task): string => task.spec.name ?? task.metadata.name ?? "";

/**
 * The pod of a single Task: its name plus a hash of its UID, so a Task deleted and created again
 * under the same name never meets the old pod.
 */
export function podNameForTask(task: Task): string {
  return dnsLabelWithHash(task.metadata.name ?? "", task.metadata.uid ?? task.metadata.name ?? "");
}

/** The pod of a task group: the group name plus a hash of its members' UIDs. */
export function podNameForTaskGroup(groupName: string, members: readonly Task[]): string {
  const uids = members.map((t) => t.metadata.uid ?? t.metadata.name ?? "").sort();
  return dnsLabelWithHash(groupName, `${groupName}\u0000${uids.join("\u0000")}`);
}

/** The pod that runs `task`, given the members of its group (ignored for a task outside a group). */
export function podNameFor(task: Task, groupMembers: readonly Task[] = [task]): string {
  const group = task.spec.taskGroup;
  return group === undefined ? podNameForTask(task) : podNameForTaskGroup(group.name, groupMembers);
}

/** The container of `task` in its pod (unique within a pod, since Task names are unique in a namespace). */
export const containerNameFor = (task: Task): string => dnsLabelFor(task.metadata.name ?? "task");

/**
 * The allocator usage key of a task: one per task even in a shared group pod, and never equal to a
 * plain `namespace/pod` key (pod names hold no '/').
 */
export const taskUsageKey = (namespace: string, podName: string, containerName: string): string =>
  `${namespace}/${podName}/${containerName}`;

/**
 * The usage key of a task group's executor in its pod: held beside the tasks' keys. The colon keeps
 * it apart from every container name.
 */
export const executorUsageKey = (namespace: string, podName: string): string =>
  taskUsageKey(namespace, podName, "executor:default");
