// A cordoned node announces that it is going away (issue #6: "INVERSE_OFFERS (cordoned nodes)"):
// its agent gets an unavailability starting when it was cordoned, without a duration, so the
// frameworks running tasks there receive inverse offers, as for a DRAINING machine, and can move
// them before `kubectl drain` evicts them. A maintenance window on the node gives its own
// unavailability instead. Mesos has no such rule (a deactivated agent gets no inverse offers).
import { type AgentSpec, nodeDrain, type Unavailability } from "../allocator/index.ts";
import type { Node } from "../cluster/nodeSchema.ts";

const UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

/**
 * When the node was cordoned (ms): the unschedulable taint's timeAdded when set, else
 * `firstSeenMs` (when the operator first saw it cordoned).
 */
export function cordonedAt(node: Pick<Node, "spec">, firstSeenMs: number): number {
  const added = node.spec?.taints?.find((t) => t.key === UNSCHEDULABLE_TAINT)?.timeAdded;
  const ms = added === undefined || added === null ? Number.NaN : Date.parse(added);
  return Number.isFinite(ms) ? ms : firstSeenMs;
}

/**
 * The agent with the cordon's unavailability added, when cordoned and without a window. A
 * draining agent (DRAIN_AGENT) gets none: its tasks are being killed anyway, and Mesos sends no
 * inverse offers for a deactivated agent.
 */
export function withCordonUnavailability(
  spec: AgentSpec,
  node: Pick<Node, "spec"> & Partial<Pick<Node, "metadata">>,
  firstSeenMs: number,
): AgentSpec {
  if (spec.unschedulable !== true || spec.unavailability !== undefined || nodeDrain(node) !== undefined)
    return spec;
  const unavailability: Unavailability = { start: { nanoseconds: cordonedAt(node, firstSeenMs) * 1e6 } };
  return { ...spec, unavailability };
}
