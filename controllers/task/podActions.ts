// What the task reconciler does to a launched task's pod: create it, bind it to the chosen node,
// delete it (kill, a draining agent, or a finished task whose pod still holds resources), or leave it. Decided from
// the caches alone, so running it twice, or after a crash, asks for nothing more.
import { isTerminalTaskState, type Task } from "../api/index.ts";
import { type DrainKill, drainGracePeriod } from "./drainKill.ts";
import { isLostToPartition } from "./taskTransitions.ts";

/** The parts of a V1Pod the decision reads. */
export interface ManagedPodLike {
  metadata?:
    | {
        deletionTimestamp?: Date | string | undefined;
        ownerReferences?: readonly { uid: string }[] | undefined;
      }
    | undefined;
  spec?: { nodeName?: string | undefined } | undefined;
  status?: { phase?: string | undefined } | undefined;
}

export type PodAction =
  | { kind: "none" }
  | { kind: "create" }
  | { kind: "bind"; nodeName: string }
  | { kind: "delete"; gracePeriodSeconds?: number | undefined; why: "kill" | "finished" }
  /** A pod of that name exists but belongs to something else: touch nothing, say so. */
  | { kind: "conflict"; message: string };

const isTerminalPhase = (phase: string | undefined): boolean => phase === "Succeeded" || phase === "Failed";

/** Seconds between SIGTERM and SIGKILL: the kill request's, else the kill policy's, else Kubernetes's default. */
export function killGracePeriod(task: Task): number | undefined {
  const s = task.spec.kill?.gracePeriodSeconds ?? task.spec.killPolicy?.gracePeriodSeconds;
  return s === undefined ? undefined : Math.ceil(s);
}

/**
 * `podTasks` are all Tasks that run in the pod (the task itself, or its group's members). A group
 * pod is created once every member is launched, and deleted once every member is done or one is
 * killed (Mesos's default executor kills the whole group).
 */
export function podAction(
  task: Task,
  pod: ManagedPodLike | undefined,
  podTasks: readonly Task[],
  drain?: DrainKill | undefined,
): PodAction {
  const status = task.status;
  const podName = status?.podName;
  if (podName === undefined || status?.nodeName === undefined) return { kind: "none" };
  if (pod !== undefined) {
    const owners = pod.metadata?.ownerReferences ?? [];
    if (!owners.some((o) => o.uid === task.metadata.uid))
      return {
        kind: "conflict",
        message: `pod ${podName} exists and is not owned by task ${task.metadata.name}`,
      };
  }
  const killed = podTasks.find((t) => t.spec.kill !== undefined);
  const live =
    pod !== undefined && !isTerminalPhase(pod.status?.phase) && pod.metadata?.deletionTimestamp === undefined;
  if (killed !== undefined)
    return live
      ? {
          kind: "delete",
          gracePeriodSeconds: drain === undefined ? killGracePeriod(killed) : drainGracePeriod(killed, drain),
          why: "kill",
        }
      : { kind: "none" };
  // A draining agent kills every task on it (DRAIN_AGENT); a pod not created yet never is.
  if (drain !== undefined)
    return live
      ? { kind: "delete", gracePeriodSeconds: drainGracePeriod(task, drain), why: "kill" }
      : { kind: "none" };
  // A task lost to a partition may come back when its node does: its pod stays.
  const done = (t: Task): boolean =>
    t.status?.state !== undefined && isTerminalTaskState(t.status.state) && !isLostToPartition(t.status);
  if (podTasks.every(done))
    return live
      ? { kind: "delete", gracePeriodSeconds: killGracePeriod(task), why: "finished" }
      : { kind: "none" };
  if (pod === undefined) {
    const allLaunched = podTasks.every((t) => t.status?.podName === podName);
    return status.state === "TASK_STAGING" && allLaunched ? { kind: "create" } : { kind: "none" };
  }
  if (!pod.spec?.nodeName && live) return { kind: "bind", nodeName: status.nodeName };
  return { kind: "none" };
}
