// Offer objects after an operator restart. The new allocator starts with no offers, so an
// Outstanding object it does not hold would promise resources the allocator may give to someone
// else: it is marked Rescinded (OperatorRestarted), as Mesos offers do not survive a master
// failover (semantics.md §4.10). Tasks naming such an offer get TASK_LOST / TASK_DROPPED
// REASON_INVALID_OFFERS from the allocator, as in Mesos.
//
// Keeping the offers instead would need the allocator to take an offer back into its book
// (see `OfferToRestore`); it cannot do that yet.

import { fromResourceList } from "../allocation/resourceShapes.ts";
import type { Resources } from "../allocator/index.ts";
import type { Offer as OfferObject } from "../api/index.ts";

export type RestartDecision = { kind: "keep" } | { kind: "forget" };

/** What to do with an Offer object at start-up, given whether the allocator holds its OfferID. */
export function offerAfterRestart(
  offer: OfferObject,
  allocatorHolds: (offerId: string) => boolean,
): RestartDecision {
  const outstanding = offer.status?.phase === undefined || offer.status.phase === "Outstanding";
  return outstanding && !allocatorHolds(offer.spec.offerId) ? { kind: "forget" } : { kind: "keep" };
}

/** What an allocator would need to take an outstanding offer back into its book after a restart. */
export interface OfferToRestore {
  id: string;
  frameworkId: string;
  agentId: string;
  nodeName: string;
  role: string;
  resources: Resources;
  /** ms since the epoch; undefined = never. */
  expiresAt: number | undefined;
}

export function offerToRestore(offer: OfferObject, frameworkId: string): OfferToRestore {
  return {
    id: offer.spec.offerId,
    frameworkId,
    agentId: offer.spec.agentId,
    nodeName: offer.spec.nodeName,
    role: offer.spec.role,
    resources: fromResourceList(offer.spec.resources),
    expiresAt: offer.spec.expiresAt === undefined ? undefined : Date.parse(offer.spec.expiresAt),
  };
}
