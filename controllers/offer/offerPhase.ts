// The Offer lifecycle (DESIGN.md "State machines"; semantics.md §4.8): Outstanding → Accepted |
// Declined | Rescinded | Expired. Only an outstanding offer changes; every other phase is final,
// so replaying an ending changes nothing. Also: a user's decline (spec.decline, or deleting the
// Offer) as the allocator's DECLINE, and when a decided Offer object may be deleted.

import type { RescindReason } from "../allocator/index.ts";
import {
  DEFAULT_REFUSE_SECONDS,
  type Offer as OfferObject,
  type OfferPhase,
  type OfferStatus,
  setCondition,
} from "../api/index.ts";
import { OUTSTANDING_CONDITION } from "./offerObjects.ts";

export type OfferEnding =
  | { kind: "accepted"; tasks: readonly string[] }
  | { kind: "declined"; refuseSeconds: number }
  | { kind: "rescinded"; reason: RescindReason }
  /** The operator restarted and its allocator does not hold the offer any more (offers never survive a master failover). */
  | { kind: "forgotten" };

/** Phase, reason (CamelCase) and message of each way an offer ends. */
export function offerEndingPhase(ending: OfferEnding): {
  phase: OfferPhase;
  reason: string;
  message: string;
} {
  switch (ending.kind) {
    case "accepted":
      return {
        phase: "Accepted",
        reason: "Accepted",
        message: `Accepted by task(s) ${ending.tasks.join(", ")}.`,
      };
    case "declined":
      return {
        phase: "Declined",
        reason: "Declined",
        message:
          ending.refuseSeconds > 0
            ? `Declined; not offered to this framework again for ${ending.refuseSeconds} s.`
            : "Declined.",
      };
    case "forgotten":
      return {
        phase: "Rescinded",
        reason: "OperatorRestarted",
        message: "The operator restarted; offers do not survive a master failover. New offers follow.",
      };
    case "rescinded":
      return rescindPhase(ending.reason);
  }
}

const RESCINDS: Record<RescindReason, [reason: string, message: string]> = {
  "offer-timeout": ["OfferTimeout", "Not answered within the offer timeout."],
  "agent-removed": ["AgentRemoved", "Its node was deleted, left the agent selector or became unreachable."],
  "agent-deactivated": ["AgentCordoned", "Its node was cordoned."],
  "agent-changed": [
    "AgentChanged",
    "Its node changed (capacity, attributes, or other pods took the resources).",
  ],
  "framework-deactivated": ["FrameworkDisconnected", "The framework disconnected."],
  "framework-removed": ["FrameworkRemoved", "The framework was torn down."],
  "role-removed": ["RoleRemoved", "The framework left the offer's role."],
  "weights-updated": ["WeightsUpdated", "Role weights changed; offers are made again."],
  "quota-updated": ["QuotaUpdated", "The role's quota changed."],
  operator: ["Rescinded", "Taken back by the operator."],
};

/** An offer timeout is Expired; every other rescind is Rescinded, with its cause as the reason. */
export function rescindPhase(reason: RescindReason): { phase: OfferPhase; reason: string; message: string } {
  const [r, message] = RESCINDS[reason];
  return { phase: reason === "offer-timeout" ? "Expired" : "Rescinded", reason: r, message };
}

/** The status after the offer ended, or undefined when it had ended already (phases are final). */
export function endedOfferStatus(
  status: OfferStatus | undefined,
  ending: OfferEnding,
  now: Date,
): OfferStatus | undefined {
  if (status?.phase !== undefined && status.phase !== "Outstanding") return undefined;
  const { phase, reason, message } = offerEndingPhase(ending);
  const next: OfferStatus = {
    ...status,
    phase,
    reason,
    message,
    conditions: setCondition(
      status?.conditions,
      { type: OUTSTANDING_CONDITION, status: "False", reason, message },
      now,
    ),
  };
  if (ending.kind === "accepted") next.acceptedBy = [...ending.tasks];
  return next;
}

/** A user declined the offer with spec.decline: the refuse_seconds for the allocator's DECLINE. */
export function requestedDecline(offer: OfferObject): { offerId: string; refuseSeconds: number } | undefined {
  if (offer.spec.decline === undefined) return undefined;
  if (offer.status?.phase !== undefined && offer.status.phase !== "Outstanding") return undefined;
  return { offerId: offer.spec.offerId, refuseSeconds: offer.spec.decline.refuseSeconds };
}

/** Deleting an outstanding Offer declines it with the Mesos default filter. */
export function declineOnDelete(offer: OfferObject): { offerId: string; refuseSeconds: number } | undefined {
  if (offer.status?.phase !== undefined && offer.status.phase !== "Outstanding") return undefined;
  return {
    offerId: offer.spec.offerId,
    refuseSeconds: offer.spec.decline?.refuseSeconds ?? DEFAULT_REFUSE_SECONDS,
  };
}

/**
 * Decided offers stay visible for `retentionMs` after they ended (so `kubectl get moffer` shows what
 * happened), then are deleted; outstanding ones stay.
 */
export function offerRetention(
  offer: OfferObject,
  now: Date,
  retentionMs: number,
): { kind: "keep" } | { kind: "delete" } | { kind: "requeue"; afterMs: number } {
  const phase = offer.status?.phase;
  if (phase === undefined || phase === "Outstanding") return { kind: "keep" };
  const ended = offer.status?.conditions?.find(
    (c) => c.type === OUTSTANDING_CONDITION && c.status === "False",
  );
  const endedAt = ended === undefined ? now.getTime() : Date.parse(ended.lastTransitionTime);
  const left = endedAt + retentionMs - now.getTime();
  return left <= 0 ? { kind: "delete" } : { kind: "requeue", afterMs: left };
}
