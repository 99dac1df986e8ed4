// Outstanding offers (semantics.md §4.8): one per (framework, role, agent) per cycle, holding its
// resources until accepted, declined, rescinded or expired. An OfferID is used once.
import type { AgentState } from "./agents.ts";
import type { Attribute, Unavailability } from "./inputModel.ts";
import type { ResourceJSON, Resources } from "./resources.ts";
import { type PreRefinementResourceJSON, toPreRefinementJSON } from "./resourceText.ts";
import type { Client, OfferRecord } from "./state.ts";

export interface Offer {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly nodeName: string;
  /** The role every resource of the offer is allocated to. */
  readonly role: string;
  readonly resources: Resources;
  readonly attributes: readonly Attribute[];
  readonly domain?: { region?: string | undefined; zone?: string | undefined } | undefined;
  /** Offer.allocation_info: present only for MULTI_ROLE frameworks, as Mesos strips it for others. */
  readonly allocationInfo?: { role: string } | undefined;
  /** Offer.unavailability: the agent's scheduled maintenance, when it has one. */
  readonly unavailability?: Unavailability | undefined;
  readonly createdAt: number;
  /** When --offer_timeout rescinds it (ms); absent = never. */
  readonly expiresAt?: number | undefined;
}

export type RescindReason =
  | "offer-timeout"
  | "agent-removed"
  | "agent-deactivated"
  | "agent-changed"
  | "framework-deactivated"
  | "framework-removed"
  | "role-removed"
  | "weights-updated"
  | "quota-updated"
  | "operator";

/** An offer taken back; `resources` returned to the pool (with a filter only for "operator"). */
export interface Rescind {
  readonly offer: Offer;
  readonly reason: RescindReason;
}

/**
 * The offer's resources in the form its framework expects: post-refinement `reservations` with
 * allocation info for RESERVATION_REFINEMENT frameworks, `role`/`reservation` otherwise; allocation
 * info only for MULTI_ROLE frameworks.
 */
export function offerResourcesFor(
  offer: Offer,
  capabilities: { multiRole: boolean; reservationRefinement: boolean },
): ResourceJSON[] | PreRefinementResourceJSON[] {
  const allocationRole = capabilities.multiRole ? offer.role : undefined;
  return capabilities.reservationRefinement
    ? offer.resources.toJSON({ allocationRole })
    : toPreRefinementJSON(offer.resources, allocationRole);
}

export class OfferBook {
  private readonly byId = new Map<string, OfferRecord>();
  private counter = 0;

  constructor(private readonly idPrefix: string) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): OfferRecord | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<OfferRecord> {
    return this.byId.values();
  }

  /** Create and register an offer; the caller has already taken the resources from the agent. */
  create(
    client: Client,
    agent: AgentState,
    resources: Resources,
    now: number,
    timeoutMs: number | undefined,
  ): OfferRecord {
    const role = client.role.name;
    const offer: Offer = {
      id: `${this.idPrefix}-O${this.counter++}`,
      frameworkId: client.fw.id,
      agentId: agent.id,
      hostname: agent.hostname,
      nodeName: agent.nodeName,
      role,
      resources,
      attributes: agent.attributes,
      domain: agent.domain,
      allocationInfo: client.fw.multiRole ? { role } : undefined,
      unavailability: agent.unavailability,
      createdAt: now,
      expiresAt: timeoutMs === undefined ? undefined : now + timeoutMs,
    };
    const record: OfferRecord = { offer, client, agent };
    this.byId.set(offer.id, record);
    agent.offers.add(record);
    client.offers.add(record);
    return record;
  }

  /** Forget an offer (its resources are the caller's to return). */
  delete(record: OfferRecord): void {
    this.byId.delete(record.offer.id);
    record.agent.offers.delete(record);
    record.client.offers.delete(record);
  }
}
