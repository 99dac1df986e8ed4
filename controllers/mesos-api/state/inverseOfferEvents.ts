// Inverse offers on a scheduler's event stream (semantics.md §1.7, §4.9): the allocator's
// outstanding inverse offers of the framework go out once per stream as INVERSE_OFFERS; one that
// disappears without the framework answering it (the schedule changed, the agent went away) is
// withdrawn with RESCIND_INVERSE_OFFER, as Master::removeInverseOffer(…, rescind) does.
import type { InverseOffer as AllocatorInverseOffer } from "../../allocator/index.ts";
import type { InverseOffer } from "../messages/offer.ts";
import type { FrameworkEvent } from "../scheduler/event.ts";

/** The wire form: the whole agent (`resources: []`), with the agent's URL as in offers. */
export function wireInverseOffer(io: AllocatorInverseOffer, agentIp: string): InverseOffer {
  return {
    id: { value: io.id },
    url: { scheme: "http", address: { hostname: io.hostname, ip: agentIp, port: 5051 }, path: "/slave(1)" },
    framework_id: { value: io.frameworkId },
    agent_id: { value: io.agentId },
    unavailability: io.unavailability,
    resources: [],
  };
}

/**
 * The events that bring a stream up to date with `outstanding`, given the ids already `sent` on
 * it (updated in place). Answered inverse offers must be taken out of `sent` by the caller.
 */
export function inverseOfferEvents(
  outstanding: readonly AllocatorInverseOffer[],
  sent: Set<string>,
  agentIp: (nodeName: string) => string,
): FrameworkEvent[] {
  const events: FrameworkEvent[] = [];
  const ids = new Set(outstanding.map((io) => io.id));
  for (const id of [...sent])
    if (!ids.has(id)) {
      sent.delete(id);
      events.push({
        type: "RESCIND_INVERSE_OFFER",
        rescind_inverse_offer: { inverse_offer_id: { value: id } },
      });
    }
  const fresh = outstanding.filter((io) => !sent.has(io.id));
  for (const io of fresh) sent.add(io.id);
  if (fresh.length > 0)
    events.push({
      type: "INVERSE_OFFERS",
      inverse_offers: { inverse_offers: fresh.map((io) => wireInverseOffer(io, agentIp(io.nodeName))) },
    });
  return events;
}
