// An allocator offer as an Offer object, owned by its Framework (so deleting the Framework deletes
// its offers) and named after its OfferID (so writing it twice finds the same object).

import { toApiAttribute, toResourceList } from "../allocation/resourceShapes.ts";
import type { Offer } from "../allocator/index.ts";
import { API_VERSION, type Framework, type Offer as OfferObject, type OfferStatus } from "../api/index.ts";
import { frameworkOwnerReference } from "../framework/frameworkOwnership.ts";
import { dnsLabelFor, labelValueFor } from "../task/kubernetesNames.ts";
import { FRAMEWORK_ID_LABEL } from "../task/podIdentity.ts";

export const OFFER_NODE_LABEL = "mesos.operator.dev/node-name";
export const OUTSTANDING_CONDITION = "Outstanding";

/** The Offer object's name: the OfferID when it is a DNS label, else a hashed form of it. */
export const offerObjectName = (offerId: string): string => dnsLabelFor(offerId);

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The Offer object for `offer` (spec only; its status is written through the status subresource). */
export function offerObject(offer: Offer, framework: Framework): OfferObject {
  const spec: OfferObject["spec"] = {
    offerId: offer.id,
    frameworkName: framework.metadata.name ?? "",
    agentId: offer.agentId,
    nodeName: offer.nodeName,
    hostname: offer.hostname,
    role: offer.role,
    resources: toResourceList(offer.resources, offer.role),
  };
  if (offer.attributes.length > 0) spec.attributes = offer.attributes.map(toApiAttribute);
  if (offer.domain?.region !== undefined || offer.domain?.zone !== undefined) {
    spec.domain = {};
    if (offer.domain.region !== undefined) spec.domain.region = offer.domain.region;
    if (offer.domain.zone !== undefined) spec.domain.zone = offer.domain.zone;
  }
  if (offer.unavailability !== undefined) {
    const duration = offer.unavailability.duration?.nanoseconds;
    spec.unavailability = {
      start: iso(offer.unavailability.start.nanoseconds / 1e6),
      ...(duration === undefined ? {} : { durationSeconds: Math.max(0, duration / 1e9) }),
    };
  }
  if (offer.expiresAt !== undefined) spec.expiresAt = iso(offer.expiresAt);
  const metadata: OfferObject["metadata"] = {
    name: offerObjectName(offer.id),
    labels: {
      [FRAMEWORK_ID_LABEL]: labelValueFor(offer.frameworkId),
      [OFFER_NODE_LABEL]: labelValueFor(offer.nodeName),
    },
    ownerReferences: [frameworkOwnerReference(framework)],
  };
  if (framework.metadata.namespace !== undefined) metadata.namespace = framework.metadata.namespace;
  return { apiVersion: API_VERSION, kind: "Offer", metadata, spec };
}

/** The status of a new offer. */
export function outstandingOfferStatus(offer: Offer): OfferStatus {
  return {
    phase: "Outstanding",
    reason: "Offered",
    message: `Offered to framework ${offer.frameworkId} in role ${offer.role}.`,
    conditions: [
      {
        type: OUTSTANDING_CONDITION,
        status: "True",
        reason: "Offered",
        message: "Waiting for a decision: accept it with a Task naming it, or decline it.",
        lastTransitionTime: iso(offer.createdAt),
      },
    ],
  };
}
