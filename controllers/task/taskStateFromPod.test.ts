import { describe, expect, it } from "vitest";
import type { TaskReason, TaskSource, TaskState } from "../api/index.ts";
import {
  type ContainerStateLike,
  LAUNCH_FAILURE_REASONS,
  type ObservedPodLike,
  observeTask,
  type TaskNodeState,
} from "./taskStateFromPod.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";

const C = "t"; // container of task "t"

function pod(
  phase: string,
  options: {
    bound?: boolean;
    state?: ContainerStateLike;
    ready?: boolean;
    reason?: string;
    message?: string;
  } = {},
): ObservedPodLike {
  return {
    metadata: { name: "t-pod" },
    spec: options.bound === false ? {} : { nodeName: "n1" },
    status: {
      phase,
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(options.message !== undefined ? { message: options.message } : {}),
      containerStatuses:
        options.state === undefined ? [] : [{ name: C, ready: options.ready ?? false, state: options.state }],
    },
  };
}

const running = { running: {} };
const terminated = (exitCode: number, reason?: string, message?: string): ContainerStateLike => ({
  terminated: { exitCode, ...(reason ? { reason } : {}), ...(message ? { message } : {}) },
});

interface Case {
  name: string;
  state?: TaskState | undefined;
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  launched?: boolean;
  pod: ObservedPodLike | undefined;
  node?: TaskNodeState | undefined;
  pa?: boolean;
  killing?: boolean;
  removed?: boolean;
  want:
    | { state: TaskState; reason?: TaskReason; source: TaskSource; healthy?: boolean; unreachable?: true }
    | undefined;
}

const cases: Case[] = [
  // Launch and start
  { name: "not launched, no kill: nothing", launched: false, pod: undefined, want: undefined },
  {
    name: "not launched, kill: killed during launch",
    launched: false,
    spec: { kill: {} },
    pod: undefined,
    want: { state: "TASK_KILLED", reason: "REASON_TASK_KILLED_DURING_LAUNCH", source: "SOURCE_MASTER" },
  },
  { name: "staging, pod not created yet: nothing", state: "TASK_STAGING", pod: undefined, want: undefined },
  {
    name: "pod unbound → STAGING",
    state: "TASK_STAGING",
    pod: pod("Pending", { bound: false }),
    node: undefined,
    want: { state: "TASK_STAGING", source: "SOURCE_MASTER" },
  },
  {
    name: "pod bound, no container status → STARTING",
    state: "TASK_STAGING",
    pod: pod("Pending"),
    node: "ready",
    want: { state: "TASK_STARTING", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "pod bound, ContainerCreating → STARTING",
    state: "TASK_STAGING",
    pod: pod("Pending", { state: { waiting: { reason: "ContainerCreating" } } }),
    node: "ready",
    want: { state: "TASK_STARTING", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "Running → RUNNING, no health check: healthy unset",
    state: "TASK_STARTING",
    pod: pod("Running", { state: running, ready: true }),
    node: "ready",
    want: { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "Running with health check, ready → healthy",
    state: "TASK_STARTING",
    spec: { healthCheck: { type: "TCP", tcp: { port: 80 } } },
    pod: pod("Running", { state: running, ready: true }),
    node: "ready",
    want: { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR", healthy: true },
  },
  {
    // The API server omits `ready` until the kubelet has reported it.
    name: "Running with health check, ready not reported → unhealthy",
    state: "TASK_STARTING",
    spec: { healthCheck: { type: "TCP", tcp: { port: 80 } } },
    pod: {
      metadata: { name: "t-pod" },
      spec: { nodeName: "n1" },
      status: { phase: "Running", containerStatuses: [{ name: C, state: running }] },
    },
    node: "ready",
    want: { state: "TASK_RUNNING", source: "SOURCE_EXECUTOR", healthy: false },
  },
  {
    name: "health flips to unhealthy → RUNNING with the health reason",
    state: "TASK_RUNNING",
    status: { healthy: true },
    spec: { healthCheck: { type: "TCP", tcp: { port: 80 } } },
    pod: pod("Running", { state: running, ready: false }),
    node: "ready",
    want: {
      state: "TASK_RUNNING",
      reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
      source: "SOURCE_EXECUTOR",
      healthy: false,
    },
  },
  // Finish and failure
  {
    name: "Succeeded → FINISHED",
    state: "TASK_RUNNING",
    pod: pod("Succeeded", { state: terminated(0, "Completed") }),
    node: "ready",
    want: { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "Succeeded without container status → FINISHED",
    state: "TASK_RUNNING",
    pod: pod("Succeeded"),
    node: "ready",
    want: { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "Failed, exit 3 → FAILED command executor failed",
    state: "TASK_RUNNING",
    pod: pod("Failed", { state: terminated(3, "Error") }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_COMMAND_EXECUTOR_FAILED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "Failed, OOMKilled → memory limitation",
    state: "TASK_RUNNING",
    pod: pod("Failed", { state: terminated(137, "OOMKilled"), reason: "OOMKilled" }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_CONTAINER_LIMITATION_MEMORY", source: "SOURCE_AGENT" },
  },
  {
    name: "Failed, ContainerCannotRun → launch failed",
    state: "TASK_STARTING",
    pod: pod("Failed", { state: terminated(128, "ContainerCannotRun") }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_CONTAINER_LAUNCH_FAILED", source: "SOURCE_AGENT" },
  },
  {
    name: "Evicted for ephemeral storage → disk limitation",
    state: "TASK_RUNNING",
    pod: pod("Failed", {
      reason: "Evicted",
      message: "Pod ephemeral local storage usage exceeds the total limit of containers 64Mi.",
      state: terminated(137, "Error"),
    }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_CONTAINER_LIMITATION_DISK", source: "SOURCE_AGENT" },
  },
  {
    name: "Evicted for node memory pressure → preempted",
    state: "TASK_RUNNING",
    pod: pod("Failed", { reason: "Evicted", message: "The node was low on resource: memory." }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_CONTAINER_PREEMPTED", source: "SOURCE_AGENT" },
  },
  {
    name: "DeadlineExceeded → max completion time",
    state: "TASK_RUNNING",
    pod: pod("Failed", { reason: "DeadlineExceeded", state: terminated(137, "Error") }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_MAX_COMPLETION_TIME_REACHED", source: "SOURCE_AGENT" },
  },
  {
    name: "kubelet refused the pod (OutOfcpu) → launch failed",
    state: "TASK_STARTING",
    pod: pod("Failed", { reason: "OutOfcpu", message: "Node didn't have enough resource: cpu" }),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_CONTAINER_LAUNCH_FAILED", source: "SOURCE_AGENT" },
  },
  {
    name: "Failed without any detail → executor terminated",
    state: "TASK_RUNNING",
    pod: pod("Failed"),
    node: "ready",
    want: { state: "TASK_FAILED", reason: "REASON_EXECUTOR_TERMINATED", source: "SOURCE_AGENT" },
  },
  {
    name: "group member container exited 0 while the pod runs → FINISHED",
    state: "TASK_RUNNING",
    pod: pod("Running", { state: terminated(0) }),
    node: "ready",
    want: { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR" },
  },
  // Kill
  {
    name: "kill, pod running, TASK_KILLING_STATE → KILLING",
    state: "TASK_RUNNING",
    spec: { kill: {} },
    killing: true,
    pod: pod("Running", { state: running }),
    node: "ready",
    want: { state: "TASK_KILLING", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "kill, pod running, no TASK_KILLING_STATE → nothing yet",
    state: "TASK_RUNNING",
    spec: { kill: {} },
    pod: pod("Running", { state: running }),
    node: "ready",
    want: undefined,
  },
  {
    name: "kill, pod gone → KILLED by the executor",
    state: "TASK_KILLING",
    spec: { kill: {} },
    pod: undefined,
    node: "ready",
    want: { state: "TASK_KILLED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "kill, pod terminal → KILLED",
    state: "TASK_RUNNING",
    spec: { kill: {} },
    pod: pod("Failed", { state: terminated(143, "Error") }),
    node: "ready",
    want: { state: "TASK_KILLED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "kill while staging with an unbound pod → killed during launch",
    state: "TASK_STAGING",
    spec: { kill: {} },
    pod: pod("Pending", { bound: false }),
    want: { state: "TASK_KILLED", reason: "REASON_TASK_KILLED_DURING_LAUNCH", source: "SOURCE_MASTER" },
  },
  {
    name: "kill while staging, pod never created → killed during launch",
    state: "TASK_STAGING",
    spec: { kill: {} },
    pod: undefined,
    want: { state: "TASK_KILLED", reason: "REASON_TASK_KILLED_DURING_LAUNCH", source: "SOURCE_MASTER" },
  },
  {
    name: "framework removed → KILLED framework removed",
    state: "TASK_RUNNING",
    removed: true,
    pod: pod("Running", { state: running }),
    node: "ready",
    want: { state: "TASK_KILLED", reason: "REASON_FRAMEWORK_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "framework removed before launch → KILLED framework removed",
    launched: false,
    removed: true,
    pod: undefined,
    want: { state: "TASK_KILLED", reason: "REASON_FRAMEWORK_REMOVED", source: "SOURCE_MASTER" },
  },
  // Agents lost, partitions, removals
  {
    name: "node unreachable, partition-aware → UNREACHABLE",
    state: "TASK_RUNNING",
    pa: true,
    pod: pod("Running", { state: running }),
    node: "unreachable",
    want: {
      state: "TASK_UNREACHABLE",
      reason: "REASON_AGENT_REMOVED",
      source: "SOURCE_MASTER",
      unreachable: true,
    },
  },
  {
    name: "node unreachable, not partition-aware → LOST",
    state: "TASK_RUNNING",
    pod: pod("Running", { state: running }),
    node: "unreachable",
    want: { state: "TASK_LOST", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER", unreachable: true },
  },
  {
    name: "node NotReady, partition-aware → UNREACHABLE",
    state: "TASK_RUNNING",
    pa: true,
    pod: pod("Running", { state: running }),
    node: "not-ready",
    want: {
      state: "TASK_UNREACHABLE",
      reason: "REASON_AGENT_REMOVED",
      source: "SOURCE_MASTER",
      unreachable: true,
    },
  },
  {
    name: "pod phase Unknown → LOST",
    state: "TASK_RUNNING",
    pod: pod("Unknown"),
    node: "ready",
    want: { state: "TASK_LOST", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER", unreachable: true },
  },
  {
    name: "node deleted, partition-aware → GONE",
    state: "TASK_RUNNING",
    pa: true,
    pod: pod("Running", { state: running }),
    node: "gone",
    want: { state: "TASK_GONE", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "node deleted, not partition-aware → LOST",
    state: "TASK_RUNNING",
    pod: undefined,
    node: "gone",
    want: { state: "TASK_LOST", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "agent marked gone by an operator, partition-aware → GONE_BY_OPERATOR",
    state: "TASK_RUNNING",
    pa: true,
    pod: pod("Running", { state: running }),
    node: "gone-by-operator",
    want: {
      state: "TASK_GONE_BY_OPERATOR",
      reason: "REASON_AGENT_REMOVED_BY_OPERATOR",
      source: "SOURCE_MASTER",
    },
  },
  {
    name: "agent marked gone by an operator, not partition-aware → LOST",
    state: "TASK_RUNNING",
    pod: pod("Running", { state: running }),
    node: "gone-by-operator",
    want: { state: "TASK_LOST", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "machine brought DOWN for maintenance, partition-aware or not → LOST",
    state: "TASK_RUNNING",
    pa: true,
    pod: pod("Running", { state: running }),
    node: "machine-down",
    want: { state: "TASK_LOST", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "unreachable task whose node is deleted → GONE",
    state: "TASK_UNREACHABLE",
    status: { unreachableTime: "2026-01-01T00:00:00Z" },
    pa: true,
    pod: pod("Running", { state: running }),
    node: "gone",
    want: { state: "TASK_GONE", reason: "REASON_AGENT_REMOVED", source: "SOURCE_MASTER" },
  },
  {
    name: "a finished pod's result stands though its node is unreachable now",
    state: "TASK_RUNNING",
    pod: pod("Succeeded", { state: terminated(0) }),
    node: "unreachable",
    want: { state: "TASK_FINISHED", source: "SOURCE_EXECUTOR" },
  },
  {
    name: "partition heals (UNREACHABLE) → RUNNING, agent reregistered",
    state: "TASK_UNREACHABLE",
    status: { unreachableTime: "2026-01-01T00:00:00Z" },
    pa: true,
    pod: pod("Running", { state: running }),
    node: "ready",
    want: { state: "TASK_RUNNING", reason: "REASON_AGENT_REREGISTERED", source: "SOURCE_MASTER" },
  },
  {
    name: "partition heals (LOST) → RUNNING, agent reregistered",
    state: "TASK_LOST",
    status: { unreachableTime: "2026-01-01T00:00:00Z", reason: "REASON_AGENT_REMOVED" },
    pod: pod("Running", { state: running }),
    node: "ready",
    want: { state: "TASK_RUNNING", reason: "REASON_AGENT_REREGISTERED", source: "SOURCE_MASTER" },
  },
  {
    name: "pod deleted without kill, partition-aware → GONE",
    state: "TASK_RUNNING",
    pa: true,
    pod: undefined,
    node: "ready",
    want: { state: "TASK_GONE", reason: "REASON_EXECUTOR_TERMINATED", source: "SOURCE_MASTER" },
  },
  {
    name: "pod deleted without kill, not partition-aware → LOST",
    state: "TASK_STARTING",
    pod: undefined,
    node: "ready",
    want: { state: "TASK_LOST", reason: "REASON_EXECUTOR_TERMINATED", source: "SOURCE_MASTER" },
  },
];

describe("observeTask: pod, node and kill → task state", () => {
  it.each(cases)("$name", (c) => {
    const launched = c.launched !== false;
    const status = launched ? launchedStatus("t-pod", { state: c.state, ...c.status }) : undefined;
    const task = taskObject("t", c.spec ?? {}, status);
    const obs = observeTask({
      task,
      pod: c.pod,
      containerName: C,
      node: c.node,
      partitionAware: c.pa ?? false,
      taskKillingState: c.killing ?? false,
      frameworkRemoved: c.removed ?? false,
    });
    if (c.want === undefined) {
      expect(obs).toBeUndefined();
      return;
    }
    expect(obs).toBeDefined();
    expect({
      state: obs!.state,
      reason: obs!.reason,
      source: obs!.source,
      healthy: obs!.healthy,
      unreachable: obs!.unreachable,
    }).toEqual({ reason: undefined, healthy: undefined, unreachable: undefined, ...c.want });
  });

  it.each([...LAUNCH_FAILURE_REASONS])("waiting reason %s → TASK_FAILED launch failed", (reason) => {
    const task = taskObject("t", {}, launchedStatus("t-pod", { state: "TASK_STARTING" }));
    const obs = observeTask({
      task,
      pod: pod("Pending", { state: { waiting: { reason, message: "pull failed" } } }),
      containerName: C,
      node: "ready",
      partitionAware: false,
      taskKillingState: false,
      frameworkRemoved: false,
    });
    expect(obs).toMatchObject({
      state: "TASK_FAILED",
      reason: "REASON_CONTAINER_LAUNCH_FAILED",
      source: "SOURCE_AGENT",
      message: `Container could not start (${reason}): pull failed`,
    });
  });

  it("messages carry the exit code and the container's message", () => {
    const task = taskObject("t", {}, launchedStatus("t-pod", { state: "TASK_RUNNING" }));
    const obs = observeTask({
      task,
      pod: pod("Failed", { state: terminated(42, "Error", "boom") }),
      containerName: C,
      node: "ready",
      partitionAware: false,
      taskKillingState: false,
      frameworkRemoved: false,
    });
    expect(obs?.message).toBe("Command exited with status 42: boom");
  });
});
