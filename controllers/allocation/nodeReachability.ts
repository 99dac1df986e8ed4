// Is a node's kubelet reachable? Mesos marks an agent unreachable after missed health checks
// (semantics.md §4.10); Kubernetes says the same through the node's Ready condition and the taints
// the node-lifecycle controller adds. Both readings are used, as either may lag the other.

export interface NodeConditionLike {
  type: string;
  status: string;
}

export interface NodeTaintLike {
  key: string;
  effect?: string | undefined;
}

/** The parts of a V1Node that tell whether it is reachable. */
export interface NodeHealthLike {
  spec?: { taints?: readonly NodeTaintLike[] | undefined } | undefined;
  status?: { conditions?: readonly NodeConditionLike[] | undefined } | undefined;
}

/**
 * - `ready`: Ready=True and no not-ready/unreachable taint.
 * - `not-ready`: the kubelet reports itself not ready (Ready=False, or the not-ready taint).
 * - `unreachable`: the kubelet stopped reporting (Ready=Unknown, or the unreachable taint).
 * - `unregistered`: no Ready condition yet; its kubelet has never reported.
 */
export type NodeReachability = "ready" | "not-ready" | "unreachable" | "unregistered";

export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";

export function nodeReachability(node: NodeHealthLike): NodeReachability {
  const taints = node.spec?.taints ?? [];
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "Unknown" || taints.some((t) => t.key === UNREACHABLE_TAINT)) return "unreachable";
  if (ready?.status === "False" || taints.some((t) => t.key === NOT_READY_TAINT)) return "not-ready";
  if (ready === undefined) return "unregistered";
  return "ready";
}

/** Tasks on a node that is not ready or unreachable are partitioned from the master's point of view. */
export const isPartitioned = (r: NodeReachability): boolean => r === "not-ready" || r === "unreachable";
