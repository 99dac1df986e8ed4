// A Framework's registration and phase (DESIGN.md "State machines"): Registered → Active ⇄
// Disconnected → Completed. Frameworks made with kubectl have no scheduler connection and are
// Active while they exist; frameworks of the Mesos scheduler API are Active while subscribed. A
// disconnected framework is torn down when its failover timeout elapses, counted from the moment
// its Connected condition turned False — a condition persists, so the count survives restarts.
import {
  type Condition,
  FRAMEWORK_ID_ANNOTATION,
  type Framework,
  type FrameworkPhase,
  findCondition,
} from "../api/index.ts";

export const CONNECTED_CONDITION = "Connected";

/**
 * The FrameworkID: the one already assigned (status, or the annotation the Mesos API sets at
 * SUBSCRIBE), else derived from the object's UID in the `<master id>-<number>` shape Mesos tools expect, so it is the
 * same after any restart.
 */
export const frameworkIdOf = (fw: Framework): string =>
  fw.status?.frameworkId ??
  fw.metadata.annotations?.[FRAMEWORK_ID_ANNOTATION] ??
  `${fw.metadata.uid ?? fw.metadata.name ?? "unknown"}-0000`;

export interface PhaseInput {
  framework: Framework;
  /**
   * For frameworks of the Mesos scheduler API: whether a scheduler is subscribed now. Undefined for
   * frameworks made with kubectl, which have no connection to lose.
   */
  connected: boolean | undefined;
  /**
   * Not connected because this leader has not seen its scheduler yet (the operator failed over):
   * Disconnected without a deadline, as a Mesos master keeps a recovered framework until its
   * scheduler re-subscribes or an operator tears it down.
   */
  awaitingResubscription?: boolean | undefined;
  now: Date;
}

/** Connected condition reason of a framework whose scheduler has not come back after a failover. */
export const AWAITING_RESUBSCRIPTION = "OperatorFailover";

export interface PhaseDecision {
  phase: FrameworkPhase;
  /** CamelCase, for the Ready condition and events. */
  reason: string;
  message: string;
  /** When the failover timeout tears a disconnected framework down (the wiring requeues then). */
  failoverDeadline?: Date | undefined;
}

/** When the framework's connection was lost: the Connected condition's transition to False, else now. */
function disconnectedSince(conditions: readonly Condition[] | undefined, now: Date): Date {
  const c = findCondition(conditions, CONNECTED_CONDITION);
  return c?.status === "False" ? new Date(c.lastTransitionTime) : now;
}

export function decidePhase(input: PhaseInput): PhaseDecision {
  const { framework: fw, connected, now } = input;
  if (fw.metadata.deletionTimestamp !== undefined)
    return {
      phase: "Completed",
      reason: "TornDown",
      message: "The Framework is being deleted; its tasks are killed.",
    };
  if (fw.status?.phase === "Completed")
    return {
      phase: "Completed",
      reason: "Completed",
      message: "The framework was torn down; a Completed framework never returns.",
    };
  if (connected === undefined || connected)
    return { phase: "Active", reason: "Subscribed", message: "The framework is active and receives offers." };
  if (fw.status?.registeredTime === undefined)
    return { phase: "Registered", reason: "NeverSubscribed", message: "No scheduler has subscribed yet." };
  if (input.awaitingResubscription === true)
    return {
      phase: "Disconnected",
      reason: "AwaitingResubscription",
      message:
        "The operator failed over; the framework's tasks keep running until its scheduler subscribes again (no failover timeout runs until then).",
    };
  const since = disconnectedSince(fw.status.conditions, now);
  const deadline = new Date(since.getTime() + fw.spec.failoverTimeout * 1000);
  if (now.getTime() >= deadline.getTime())
    return {
      phase: "Completed",
      reason: "FailoverTimeout",
      message: `No scheduler re-subscribed within the failover timeout (${fw.spec.failoverTimeout} s); its tasks are killed.`,
    };
  return {
    phase: "Disconnected",
    reason: "Disconnected",
    message: `The scheduler disconnected; its tasks keep running until ${deadline.toISOString()} (failover timeout).`,
    failoverDeadline: deadline,
  };
}
