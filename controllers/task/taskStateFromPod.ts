// What a task's state is, as observed from its pod, the pod's node and the kill request
// (DESIGN.md "State machines"; semantics.md §2.6, §2.7, §4.10, §4.13). The answer is a plain
// observation; statusUpdates.ts decides whether it is a new transition.

import type { NodeReachability } from "../allocation/nodeReachability.ts";
import type { Task, TaskReason, TaskSource, TaskState } from "../api/index.ts";
import { type DrainKill, underDrain } from "./drainKill.ts";
import { isLostToPartition } from "./taskTransitions.ts";

export interface ContainerStateLike {
  waiting?: { reason?: string | undefined; message?: string | undefined } | undefined;
  running?: object | undefined;
  terminated?:
    | {
        exitCode: number;
        signal?: number | undefined;
        startedAt?: Date | string | undefined;
        reason?: string | undefined;
        message?: string | undefined;
      }
    | undefined;
}

/** The parts of a V1Pod the observation reads. */
export interface ObservedPodLike {
  metadata?: { name?: string | undefined; deletionTimestamp?: Date | string | undefined } | undefined;
  spec?: { nodeName?: string | undefined } | undefined;
  status?:
    | {
        phase?: string | undefined;
        reason?: string | undefined;
        message?: string | undefined;
        containerStatuses?:
          | readonly { name: string; ready?: boolean | undefined; state?: ContainerStateLike | undefined }[]
          | undefined;
      }
    | undefined;
}

/**
 * Where the task's pod runs: the node's reachability, `gone` when the node is deleted,
 * `gone-by-operator` when an operator marked its agent gone (MARK_AGENT_GONE), `machine-down`
 * when its machine was brought down for maintenance (START_MAINTENANCE).
 */
export type TaskNodeState = NodeReachability | "gone" | "gone-by-operator" | "machine-down";

export interface TaskObservationInput {
  task: Task;
  /** The task's pod from the cache; undefined when there is none (not created yet, or deleted). */
  pod: ObservedPodLike | undefined;
  /** The task's container in the pod. */
  containerName: string;
  /** The state of the node the pod is bound to; undefined while the pod is unbound or absent. */
  node: TaskNodeState | undefined;
  partitionAware: boolean;
  taskKillingState: boolean;
  /** The framework was torn down (deleted, or its failover timeout elapsed). */
  frameworkRemoved: boolean;
  /** The node's agent is draining (DRAIN_AGENT): the task is killed (drainKill.ts). */
  drain?: DrainKill | undefined;
}

export interface TaskObservation {
  state: TaskState;
  source: TaskSource;
  reason?: TaskReason | undefined;
  message?: string | undefined;
  healthy?: boolean | undefined;
  /** A partition caused it: the update carries unreachable_time. */
  unreachable?: boolean | undefined;
}

/** Waiting reasons of a container that will not start without a change (Mesos: the launch failed). */
export const LAUNCH_FAILURE_REASONS: ReadonlySet<string> = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CreateContainerError",
  "CreateContainerConfigError",
  "RunContainerError",
  "PreCreateHookError",
  "PreStartHookError",
]);

/** Terminated reasons that mean the container never ran. */
const START_FAILURE_REASONS: ReadonlySet<string> = new Set(["ContainerCannotRun", "StartError"]);

/** Pod reasons of a kubelet refusing to admit the pod (it never started). */
const ADMISSION_FAILURE = /^(OutOf.*|UnexpectedAdmissionError|NodeAffinity|NodeShutdown|InvalidNodeInfo)$/;

const isTerminalPhase = (phase: string | undefined): boolean => phase === "Succeeded" || phase === "Failed";

const withDetail = (text: string, detail: string | undefined): string =>
  detail === undefined || detail === "" ? text : `${text}: ${detail}`;

/** GONE for partition-aware frameworks, LOST for others (semantics.md §2.6). */
const goneOrLost = (pa: boolean): TaskState => (pa ? "TASK_GONE" : "TASK_LOST");

function killed(input: TaskObservationInput): TaskObservation {
  const neverStarted = input.task.status?.state === "TASK_STAGING";
  return neverStarted
    ? {
        state: "TASK_KILLED",
        source: "SOURCE_MASTER",
        reason: "REASON_TASK_KILLED_DURING_LAUNCH",
        message: "Killed before the task was launched on its agent",
      }
    : { state: "TASK_KILLED", source: "SOURCE_EXECUTOR", message: "Task killed" };
}

/** A terminated container (or a terminal pod) → the task's terminal state. */
function terminalFromPod(pod: ObservedPodLike, containerName: string): TaskObservation {
  const status = pod.status;
  const podReason = status?.reason;
  const podMessage = status?.message;
  if (podReason === "Evicted") {
    const text = podMessage ?? "";
    if (/ephemeral|storage|disk/i.test(text))
      return {
        state: "TASK_FAILED",
        source: "SOURCE_AGENT",
        reason: "REASON_CONTAINER_LIMITATION_DISK",
        message: withDetail("Disk limit exceeded", podMessage),
      };
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_CONTAINER_PREEMPTED",
      message: withDetail("Evicted by the kubelet", podMessage),
    };
  }
  if (podReason === "DeadlineExceeded")
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_MAX_COMPLETION_TIME_REACHED",
      message: withDetail("Maximum completion time reached", podMessage),
    };
  if (podReason !== undefined && ADMISSION_FAILURE.test(podReason))
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_CONTAINER_LAUNCH_FAILED",
      message: withDetail(`The node refused the pod (${podReason})`, podMessage),
    };
  const container = status?.containerStatuses?.find((c) => c.name === containerName);
  const terminated = container?.state?.terminated;
  if (terminated !== undefined) return fromTermination(terminated);
  if (status?.phase === "Succeeded")
    return { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR", message: "Command exited with status 0" };
  return {
    state: "TASK_FAILED",
    source: "SOURCE_AGENT",
    reason: "REASON_EXECUTOR_TERMINATED",
    message: withDetail(`Pod failed${podReason ? ` (${podReason})` : ""}`, podMessage),
  };
}

function fromTermination(t: NonNullable<ContainerStateLike["terminated"]>): TaskObservation {
  if (t.reason === "OOMKilled")
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_CONTAINER_LIMITATION_MEMORY",
      message: withDetail("Memory limit exceeded", t.message),
    };
  if (t.reason !== undefined && START_FAILURE_REASONS.has(t.reason))
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_CONTAINER_LAUNCH_FAILED",
      message: withDetail(`Container could not start (${t.reason})`, t.message),
    };
  if (t.exitCode === 0)
    return { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR", message: "Command exited with status 0" };
  return {
    state: "TASK_FAILED",
    source: "SOURCE_EXECUTOR",
    reason: "REASON_COMMAND_EXECUTOR_FAILED",
    message: withDetail(`Command exited with status ${t.exitCode}`, t.message ?? t.reason),
  };
}

/** The state of a live (non-terminal) pod's container. */
function fromLivePod(input: TaskObservationInput, pod: ObservedPodLike): TaskObservation {
  if (!pod.spec?.nodeName) return { state: "TASK_STAGING", source: "SOURCE_MASTER" };
  const container = pod.status?.containerStatuses?.find((c) => c.name === input.containerName);
  const state = container?.state;
  if (state?.terminated !== undefined) return fromTermination(state.terminated);
  const waiting = state?.waiting?.reason;
  if (waiting !== undefined && LAUNCH_FAILURE_REASONS.has(waiting))
    return {
      state: "TASK_FAILED",
      source: "SOURCE_AGENT",
      reason: "REASON_CONTAINER_LAUNCH_FAILED",
      message: withDetail(`Container could not start (${waiting})`, state?.waiting?.message),
    };
  if (state?.running === undefined || pod.status?.phase !== "Running")
    return { state: "TASK_STARTING", source: "SOURCE_EXECUTOR" };
  const previous = input.task.status;
  if (previous?.state === "TASK_UNREACHABLE" || isLostToPartition(previous))
    return {
      state: "TASK_RUNNING",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REREGISTERED",
      message: "The agent is reachable again",
      ...(input.task.spec.healthCheck !== undefined ? { healthy: container?.ready === true } : {}),
    };
  if (input.task.spec.healthCheck === undefined) return { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" };
  // The API server leaves `ready` out until the kubelet reports it: not ready yet.
  const healthy = container?.ready === true;
  const flipped = previous?.state === "TASK_RUNNING" && previous.healthy !== healthy;
  return {
    state: "TASK_RUNNING",
    source: "SOURCE_EXECUTOR",
    healthy,
    ...(flipped ? { reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED" as const } : {}),
  };
}

/**
 * The task's state now, or undefined when there is nothing to report yet (not launched, pod not
 * created yet, or waiting for a killed pod to go away without TASK_KILLING_STATE).
 */
export function observeTask(input: TaskObservationInput): TaskObservation | undefined {
  return underDrain(observe(input), input.drain, input.partitionAware);
}

function observe(input: TaskObservationInput): TaskObservation | undefined {
  const { task, pod } = input;
  const status = task.status;
  const killRequested = task.spec.kill !== undefined || input.drain !== undefined;
  const launched = status?.podName !== undefined;
  if (input.frameworkRemoved)
    return {
      state: "TASK_KILLED",
      source: "SOURCE_MASTER",
      reason: "REASON_FRAMEWORK_REMOVED",
      message: "Framework removed",
    };
  if (!launched)
    return killRequested
      ? {
          state: "TASK_KILLED",
          source: "SOURCE_MASTER",
          reason: "REASON_TASK_KILLED_DURING_LAUNCH",
          message: "Killed before the task was launched",
        }
      : undefined;

  // Results the pod recorded stand even when its node has since gone away.
  // A pod that ended by itself while its agent drained reports how it ended.
  if (pod !== undefined && isTerminalPhase(pod.status?.phase))
    return task.spec.kill !== undefined ? killed(input) : terminalFromPod(pod, input.containerName);

  // Master::removeSlave for a DOWN machine: TASK_LOST for every framework, partition-aware or not.
  if (input.node === "machine-down")
    return {
      state: "TASK_LOST",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REMOVED",
      message: `Agent ${status?.nodeName ?? ""} removed: Operator initiated 'Machine DOWN'`,
    };
  if (input.node === "gone-by-operator")
    return input.partitionAware
      ? {
          state: "TASK_GONE_BY_OPERATOR",
          source: "SOURCE_MASTER",
          reason: "REASON_AGENT_REMOVED_BY_OPERATOR",
          message: "The task's agent was marked gone by an operator",
        }
      : {
          state: "TASK_LOST",
          source: "SOURCE_MASTER",
          reason: "REASON_AGENT_REMOVED",
          message: "The task's agent was marked gone by an operator",
        };
  if (input.node === "gone")
    return {
      state: goneOrLost(input.partitionAware),
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REMOVED",
      message: "The task's node was deleted",
    };
  if (input.node === "not-ready" || input.node === "unreachable" || pod?.status?.phase === "Unknown")
    return {
      state: input.partitionAware ? "TASK_UNREACHABLE" : "TASK_LOST",
      source: "SOURCE_MASTER",
      reason: "REASON_AGENT_REMOVED",
      message: input.node === "not-ready" ? "The task's node is not ready" : "The task's node is unreachable",
      unreachable: true,
    };

  if (pod === undefined) {
    if (killRequested) return killed(input);
    // A pod not seen yet while STAGING is still to be created; later its absence means it was removed.
    if (status?.state === "TASK_STAGING") return undefined;
    return {
      state: goneOrLost(input.partitionAware),
      source: "SOURCE_MASTER",
      reason: "REASON_EXECUTOR_TERMINATED",
      message: "The task's pod was deleted without a kill request; the task is unknown to the agent",
    };
  }

  if (killRequested) {
    if (!pod.spec?.nodeName) return killed(input);
    return input.taskKillingState
      ? { state: "TASK_KILLING", source: "SOURCE_EXECUTOR", message: "Killing the task" }
      : undefined;
  }
  return fromLivePod(input, pod);
}

/**
 * The TASK_RUNNING the operator did not see. A pod can start and end between two observations
 * (a busy operator, a short command); a Mesos executor always reports TASK_RUNNING before a
 * task's FINISHED or FAILED once its command ran, and schedulers rely on that order. So when the
 * pod's containers did start (a terminated state with a start time) and the task never got past
 * STAGING/STARTING, RUNNING is recorded first. Launch failures (no container ever started) stay
 * a direct STARTING → FAILED, as in Mesos.
 */
export function runningMissedBeforeEnd(
  task: Task,
  pod: ObservedPodLike | undefined,
  end: TaskObservation,
): TaskObservation | undefined {
  if (end.state !== "TASK_FINISHED" && end.state !== "TASK_FAILED") return undefined;
  if (end.source === "SOURCE_MASTER") return undefined;
  const state = task.status?.state;
  if (state !== "TASK_STAGING" && state !== "TASK_STARTING") return undefined;
  const ran = (pod?.status?.containerStatuses ?? []).some(
    (c) => c.state?.terminated?.startedAt !== undefined,
  );
  return ran ? { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" } : undefined;
}

/**
 * The TASK_KILLING the operator did not record. A killed pod can be gone before its TASK_KILLING
 * was written (a write that lost a race, a quick deletion); a Mesos executor always sends
 * TASK_KILLING to a framework with TASK_KILLING_STATE before the TASK_KILLED of a task it had
 * started, so it is recorded first — as observed (drain reason included). Not for a task killed
 * before it started (STAGING), nor when the drain ends it TASK_GONE_BY_OPERATOR.
 */
export function killingMissedBeforeEnd(
  input: TaskObservationInput,
  end: TaskObservation,
): TaskObservation | undefined {
  const state = input.task.status?.state;
  if (!input.taskKillingState || end.state !== "TASK_KILLED" || end.source === "SOURCE_MASTER")
    return undefined;
  if (state !== "TASK_STARTING" && state !== "TASK_RUNNING") return undefined;
  return underDrain(
    { state: "TASK_KILLING", source: "SOURCE_EXECUTOR", message: "Killing the task" },
    input.drain,
    input.partitionAware,
  );
}
