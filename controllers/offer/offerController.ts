// The offer reconciler: every outstanding offer of the leader's allocator as an Offer object owned
// by its Framework, its end (accepted, declined, rescinded, forgotten after a restart) in its
// status, a user's decline (spec.decline) as the allocator's DECLINE, and decided offers deleted
// after a while. Keys are `namespace/offer:<OfferID>` (see AllocationLoop): the allocator's offer
// and its object are one key whether or not the object exists yet.
import { type AllocationAccess, OFFER_KEY_MARK } from "../allocation/allocationLoop.ts";
import type { Framework, Offer as OfferObject, OfferStatus } from "../api/index.ts";
import {
  type Controller,
  isAlreadyExists,
  isConflict,
  isNotFound,
  requeueSoonWhen,
  watch,
} from "../cluster/index.ts";
import type { OperatorContext } from "../main.ts";
import { recordTransition } from "../task/taskController.ts";
import { offerPhaseEvent } from "./offerEvents.ts";
import { offerObject, offerObjectName, outstandingOfferStatus } from "./offerObjects.ts";
import { endedOfferStatus, offerRetention, requestedDecline } from "./offerPhase.ts";

export const OFFER_CONTROLLER = "offer";

/** Decided offers stay visible this long (`kubectl get moffer` shows what happened), then go. */
const DECIDED_OFFER_RETENTION_MS = 60_000;

export function offerControllers(ctx: OperatorContext, access: AllocationAccess): Controller[] {
  const { informers, writers, events } = ctx.cluster;

  async function writeStatus(cr: OfferObject, status: OfferStatus): Promise<void> {
    await writers.offers.applyStatus(
      { namespace: cr.metadata.namespace, name: cr.metadata.name ?? "" },
      status,
      {
        resourceVersion: cr.metadata.resourceVersion,
      },
    );
    const ev = offerPhaseEvent(cr, cr.status, status);
    if (ev !== undefined) recordTransition(events, ev);
  }

  async function reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const slash = key.indexOf("/");
    const namespace = key.slice(0, slash);
    const offerId = key.slice(slash + 1 + OFFER_KEY_MARK.length);
    const name = offerObjectName(offerId);
    const cr = informers.offers.cache.get(`${namespace}/${name}`) as OfferObject | undefined;
    const held = access.offer(offerId);

    if (held !== undefined) {
      if (cr === undefined) {
        const fwKey = access.frameworkKeyOf(held.frameworkId);
        const fw =
          fwKey === undefined ? undefined : (informers.frameworks.cache.get(fwKey) as Framework | undefined);
        if (fw === undefined) return undefined;
        const obj = offerObject(held, fw);
        try {
          const created = await writers.offers.create({
            metadata: { ...obj.metadata, name },
            spec: obj.spec,
          });
          await writeStatus(created, outstandingOfferStatus(held));
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        return undefined;
      }
      const decline = requestedDecline(cr);
      if (decline === undefined) {
        // Created before a crash that came before its status: finish it.
        if (cr.status?.phase === undefined) await writeStatus(cr, outstandingOfferStatus(held));
        return undefined;
      }
      access.decline(held.frameworkId, [offerId], decline.refuseSeconds);
    }

    if (cr === undefined) return undefined;
    const now = new Date();
    const ending = access.endingOf(offerId) ?? { kind: "forgotten" as const };
    if (access.offer(offerId) === undefined && access.ready) {
      const next = endedOfferStatus(cr.status, ending, now);
      if (next !== undefined) {
        await writeStatus(cr, next);
        return undefined;
      }
    }
    const retention = offerRetention(cr, now, DECIDED_OFFER_RETENTION_MS);
    if (retention.kind === "delete") {
      await writers.offers.delete({ namespace, name: cr.metadata.name ?? "" }, { uid: cr.metadata.uid });
      return undefined;
    }
    return retention.kind === "requeue" ? { requeueAfterMs: retention.afterMs } : undefined;
  }

  const keyOfOffer = (o: OfferObject): string[] => [
    `${o.metadata.namespace}/${OFFER_KEY_MARK}${o.spec.offerId}`,
  ];

  return [
    {
      name: OFFER_CONTROLLER,
      watches: [watch(informers.offers, keyOfOffer)],
      reconcile: requeueSoonWhen((err) => isConflict(err) || isNotFound(err), reconcile),
    },
  ];
}
