// How a task on a draining agent is killed (DRAIN_AGENT; Mesos Slave::drain and
// Slave::statusUpdate): every task on the node is killed, its pod deleted with the task's grace
// period bounded by the drain's max_grace_period, and its TASK_KILLING / TASK_KILLED updates carry
// REASON_AGENT_DRAINING (REASON_SLAVE_DRAINING in v0) whatever reason they had, from
// SOURCE_AGENT (semantics.md §2.7; a Mesos agent rewrites the executor's update); when the drain
// marks the agent gone, a partition-aware framework gets TASK_GONE_BY_OPERATOR instead. Pure.
import { maxGracePeriodSeconds, type NodeDrain } from "../allocator/index.ts";
import type { Task } from "../api/index.ts";
import type { TaskObservation } from "./taskStateFromPod.ts";

/** What a task's node's drain asks of its tasks. */
export interface DrainKill {
  /** DrainConfig.max_grace_period in seconds; undefined: the task's own grace period stands. */
  maxGracePeriodSeconds: number | undefined;
  markGone: boolean;
}

export const drainKillOf = (drain: NodeDrain | undefined): DrainKill | undefined =>
  drain === undefined
    ? undefined
    : { maxGracePeriodSeconds: maxGracePeriodSeconds(drain), markGone: drain.config.mark_gone };

/**
 * The pod's deletion grace (whole seconds): the task's (kill request, else kill policy) when it
 * is within the drain's bound, else the bound (calculateKillPolicy in Slave::drain). The bound is
 * rounded down, so the grace never exceeds it.
 */
export function drainGracePeriod(task: Task, drain: DrainKill): number | undefined {
  const own = task.spec.kill?.gracePeriodSeconds ?? task.spec.killPolicy?.gracePeriodSeconds;
  const ownWhole = own === undefined ? undefined : Math.ceil(own);
  if (drain.maxGracePeriodSeconds === undefined) return ownWhole;
  const bound = Math.floor(drain.maxGracePeriodSeconds);
  return ownWhole === undefined ? bound : Math.min(ownWhole, bound);
}

/**
 * The observation as a draining agent reports it: KILLING and KILLED get REASON_AGENT_DRAINING;
 * with mark_gone a partition-aware framework's task ends TASK_GONE_BY_OPERATOR (and its
 * TASK_KILLING is not sent: one terminal update when the pod is gone). The master's own
 * REASON_FRAMEWORK_REMOVED kill is left as it is.
 */
export function underDrain(
  observation: TaskObservation | undefined,
  drain: DrainKill | undefined,
  partitionAware: boolean,
): TaskObservation | undefined {
  if (drain === undefined || observation === undefined) return observation;
  if (observation.reason === "REASON_FRAMEWORK_REMOVED") return observation;
  const gone = drain.markGone && partitionAware;
  // The agent's doing (semantics.md §2.7: SOURCE_AGENT); reliable like any agent update.
  if (observation.state === "TASK_KILLING")
    return gone ? undefined : { ...observation, source: "SOURCE_AGENT", reason: "REASON_AGENT_DRAINING" };
  if (observation.state === "TASK_KILLED")
    return {
      ...observation,
      source: "SOURCE_AGENT",
      state: gone ? "TASK_GONE_BY_OPERATOR" : "TASK_KILLED",
      reason: "REASON_AGENT_DRAINING",
      message: gone ? "Agent drained and marked gone by an operator" : "Task killed: the agent is draining",
    };
  return observation;
}
