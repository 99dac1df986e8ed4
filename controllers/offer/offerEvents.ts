// Events for an Offer's phase changes, on the Offer.
import type { Offer as OfferObject, OfferStatus } from "../api/index.ts";
import { refOf, type TransitionEvent } from "../task/transitionEvent.ts";

const ACTIONS: Record<string, string> = {
  Outstanding: "Offer",
  Accepted: "Accept",
  Declined: "Decline",
  Rescinded: "Rescind",
  Expired: "Rescind",
};

/** An event when the offer's phase changes from `before` to `after` (undefined when it stays). */
export function offerPhaseEvent(
  offer: OfferObject,
  before: OfferStatus | undefined,
  after: OfferStatus,
): TransitionEvent | undefined {
  const phase = after.phase;
  if (phase === undefined || before?.phase === phase) return undefined;
  return {
    // Rescinds are routine (capacity changes, timeouts); the reason says why.
    type: "Normal",
    reason: `Offer${phase}`,
    action: ACTIONS[phase] ?? "Update",
    note: `${after.reason ?? phase}: ${after.message ?? ""}`.trim().slice(0, 1024),
    regarding: refOf(offer),
  };
}
