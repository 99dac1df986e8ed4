// Inverse offers expire by --offer_timeout (Mesos Master::inverseOfferTimeout): a framework that
// leaves an inverse offer unanswered gets RESCIND_INVERSE_OFFER once the timeout passes, and a new
// inverse offer for the same agent in a later allocation cycle, since it still holds resources
// there. The agent announces its unavailability by being cordoned (DEACTIVATE_AGENT).
import { describe, expect, it } from "vitest";
import type { StreamedEvent } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";

const bed = mesosTestBed({
  name: "iotimeout",
  agents: { a: {} },
  flags: ["--offer-timeout-seconds", "2"],
});

const inverseOfferIds = (e: StreamedEvent) =>
  (e.inverse_offers as { inverse_offers: { id: { value: string } }[] }).inverse_offers.map(
    (io) => io.id.value,
  );

describe("--offer_timeout and inverse offers", () => {
  it("an unanswered inverse offer is rescinded after the timeout and made again", async () => {
    const s = (await bed.subscribe({ capabilities: [{ type: "MULTI_ROLE" }] })).acknowledgeUpdates();
    const offer = await s.nextOffer();
    expect(await s.launch([offer], [{ id: "holder", cpus: 0.5, mem: 64 }])).toBe(202);
    await s.update("holder", "TASK_RUNNING");

    const from = s.stream.events.length;
    const res = await bed.operatorCall({
      type: "DEACTIVATE_AGENT",
      deactivate_agent: { agent_id: offer.agent_id },
    });
    expect(res.status, res.text).toBe(200);
    const first = await s.stream.waitFor("INVERSE_OFFERS", { from, timeoutMs: 20_000 });
    const [id] = inverseOfferIds(first);
    expect(id).toBeDefined();
    const rescind = await s.stream.waitFor(
      (e: StreamedEvent) =>
        e.type === "RESCIND_INVERSE_OFFER" &&
        (e.rescind_inverse_offer as { inverse_offer_id: { value: string } }).inverse_offer_id.value === id,
      { from, timeoutMs: 20_000 },
    );
    const next = await s.stream.waitFor("INVERSE_OFFERS", {
      from: s.stream.events.indexOf(rescind),
      timeoutMs: 20_000,
    });
    expect(inverseOfferIds(next)).not.toContain(id);

    expect(
      (await bed.operatorCall({ type: "REACTIVATE_AGENT", reactivate_agent: { agent_id: offer.agent_id } }))
        .status,
    ).toBe(200);
  });
});
