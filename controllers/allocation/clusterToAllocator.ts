// The caches as the allocator's input, one key at a time: a Node → agent calls, a foreign pod →
// its usage, a Task → the usage of its container. Every function answers for one changed object,
// so the wiring calls it from the informer's event handler for that key.
//
// Usage of our tasks comes from the Task (and the pod's record of what it holds), never from pod
// requests: the allocator launched them with Mesos resources (reservations included), and a task
// holds its resources from the ACCEPT on, before its pod exists.

import {
  type AgentSpec,
  type NodeLike,
  type NodeToAgentOptions,
  nodeToAgent,
  type PodLike,
  type PodUsage,
  podUsage,
  type ResourceJSON,
  Resources,
} from "../allocator/index.ts";
import { isTerminalTaskState, type Task } from "../api/index.ts";
import {
  containerNameFor,
  executorUsageKey,
  FRAMEWORK_ID_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  RESOURCES_ANNOTATION,
  taskUsageKey,
} from "../task/podIdentity.ts";
import { type NodeHealthLike, nodeReachability } from "./nodeReachability.ts";
import { fromCompactResources } from "./resourceShapes.ts";

export type AgentCall = { kind: "upsert"; spec: AgentSpec } | { kind: "remove"; agentId: string };

export type ClusterNode = NodeLike &
  NodeHealthLike & { metadata?: { deletionTimestamp?: Date | string | undefined } | undefined };

/**
 * The allocator calls for a node (undefined when deleted), given the agent ID the allocator holds
 * for that node name, if any. A node is an agent while it exists, is selected and is ready; a node
 * recreated under the same name (new UID) is a new agent.
 */
export function agentCallsForNode(
  node: ClusterNode | undefined,
  knownAgentId: string | undefined,
  options: NodeToAgentOptions = {},
): AgentCall[] {
  const remove: AgentCall[] = knownAgentId === undefined ? [] : [{ kind: "remove", agentId: knownAgentId }];
  if (node === undefined || node.metadata?.deletionTimestamp !== undefined) return remove;
  const spec = nodeToAgent(node, options);
  // Unreachable agents offer nothing (Mesos removes them); their tasks stay accounted, parked.
  if (spec === undefined || nodeReachability(node) !== "ready") return remove;
  if (knownAgentId !== undefined && knownAgentId !== spec.id) return [...remove, { kind: "upsert", spec }];
  return [{ kind: "upsert", spec }];
}

/** The parts of a V1Pod the usage reads. */
export type ClusterPod = PodLike & {
  metadata?: {
    namespace?: string | undefined;
    name?: string | undefined;
    labels?: Readonly<Record<string, string>> | undefined;
    annotations?: Readonly<Record<string, string>> | undefined;
  };
};

export const isTaskPod = (pod: ClusterPod): boolean =>
  pod.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/**
 * What a pod that is not one of our tasks holds: its requests on its node, ours or not (hybrid
 * clusters stay honest). Undefined for our own pods, unbound pods and finished pods.
 */
export function foreignPodUsage(pod: ClusterPod): PodUsage | undefined {
  if (isTaskPod(pod)) return undefined;
  const nodeName = pod.spec?.nodeName;
  const resources = podUsage(pod);
  if (!nodeName || resources.isEmpty) return undefined;
  return { nodeName, resources };
}

const isTerminalPhase = (phase: string | undefined): boolean => phase === "Succeeded" || phase === "Failed";

/** The resources the pod records for a container, or undefined when it records none (or they do not parse). */
function recordedResources(pod: ClusterPod | undefined, container: string): Resources | undefined {
  const text = pod?.metadata?.annotations?.[RESOURCES_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const byContainer = JSON.parse(text) as Record<string, ResourceJSON[] | undefined>;
    const list = byContainer[container];
    return list === undefined ? undefined : Resources.fromJSON(list);
  } catch {
    return undefined;
  }
}

/**
 * The usage key of a launched task and what it holds (undefined: nothing). A task holds its
 * resources from launch until its pod is finished or gone — while a killed pod shuts down its
 * requests still count on the node, as they do for the kubelet.
 */
export function taskUsage(
  task: Task,
  frameworkId: string,
  pod: ClusterPod | undefined,
): { key: string; usage: PodUsage | undefined } | undefined {
  const status = task.status;
  if (status?.podName === undefined || status.nodeName === undefined || status.role === undefined)
    return undefined;
  const container = containerNameFor(task);
  const key = taskUsageKey(task.metadata.namespace ?? "default", status.podName, container);
  const holding =
    pod !== undefined
      ? !isTerminalPhase(pod.status?.phase)
      : status.state !== undefined && !isTerminalTaskState(status.state);
  if (!holding) return { key, usage: undefined };
  const resources = recordedResources(pod, container) ?? fromCompactResources(task.spec.resources);
  const owner = {
    frameworkId: pod?.metadata?.annotations?.[FRAMEWORK_ID_ANNOTATION] ?? frameworkId,
    role: status.role,
  };
  return { key, usage: { nodeName: status.nodeName, resources, owner } };
}

/**
 * The usage key of a launched group member's executor and what it holds (undefined: the task is
 * not in a group with executor resources, or not launched). Mesos counts a task group's executor
 * as used until it terminates, which it does once every task of the group is terminal: here while
 * the group's pod is not finished, or, with no pod (not created yet, or gone), while any member is
 * not terminal.
 */
export function executorUsage(
  task: Task,
  frameworkId: string,
  pod: ClusterPod | undefined,
  members: readonly Task[],
): { key: string; usage: PodUsage | undefined } | undefined {
  const status = task.status;
  const executor = task.spec.taskGroup?.executorResources;
  if (executor === undefined || status?.podName === undefined || status.nodeName === undefined)
    return undefined;
  if (status.role === undefined) return undefined;
  const key = executorUsageKey(task.metadata.namespace ?? "default", status.podName);
  const holding =
    pod !== undefined
      ? !isTerminalPhase(pod.status?.phase)
      : members.some((m) => m.status?.state === undefined || !isTerminalTaskState(m.status.state));
  if (!holding) return { key, usage: undefined };
  const owner = {
    frameworkId: pod?.metadata?.annotations?.[FRAMEWORK_ID_ANNOTATION] ?? frameworkId,
    role: status.role,
  };
  return { key, usage: { nodeName: status.nodeName, resources: fromCompactResources(executor), owner } };
}
