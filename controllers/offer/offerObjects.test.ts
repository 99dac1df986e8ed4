import { describe, expect, it } from "vitest";
import { Allocator, parseResources } from "../allocator/index.ts";
import { API_VERSION, OfferSchema } from "../api/index.ts";
import { isDnsLabel } from "../task/kubernetesNames.ts";
import { frameworkObject } from "../task/testObjects.ts";
import { offerObject, offerObjectName, outstandingOfferStatus } from "./offerObjects.ts";
import { offerAfterRestart, offerToRestore } from "./offerRestore.ts";

function madeOffer(offerTimeoutMs?: number) {
  const a = new Allocator({ minAllocatableResources: null, offerIdPrefix: "5f0c-Master", offerTimeoutMs });
  a.upsertAgent({
    id: "uid-n1-S0",
    hostname: "n1.example",
    nodeName: "n1",
    resources: parseResources("cpus:2;mem:1024;cpus(web):1;ports:[31000-31009]"),
    attributes: [
      { name: "rack", type: "TEXT", text: "r1" },
      { name: "cores", type: "SCALAR", scalar: 16 },
    ],
    domain: { region: "eu", zone: "eu-1" },
  });
  a.addFramework({ id: "fw-1", roles: ["web"] });
  return { a, offer: a.allocate(Date.parse("2026-03-01T12:00:00Z")).offers[0]! };
}

describe("offerObject", () => {
  const fw = frameworkObject("fw");

  it("is a valid Offer owned by its Framework, named after the OfferID", () => {
    const { offer } = madeOffer(30_000);
    const o = offerObject(offer, fw);
    expect(OfferSchema.safeParse({ ...o, status: outstandingOfferStatus(offer) }).success).toBe(true);
    expect(o.metadata.name).toBe(offerObjectName(offer.id));
    expect(isDnsLabel(o.metadata.name!)).toBe(true);
    expect(o.metadata.namespace).toBe("ns");
    expect(o.metadata.ownerReferences).toEqual([
      {
        apiVersion: API_VERSION,
        kind: "Framework",
        name: "fw",
        uid: "uid-fw",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(o.spec).toMatchObject({
      offerId: offer.id,
      frameworkName: "fw",
      agentId: "uid-n1-S0",
      nodeName: "n1",
      hostname: "n1.example",
      role: "web",
      domain: { region: "eu", zone: "eu-1" },
      expiresAt: "2026-03-01T12:00:30Z",
    });
    expect(o.spec.attributes).toEqual([
      { name: "rack", type: "TEXT", text: "r1" },
      { name: "cores", type: "SCALAR", scalar: 16 },
    ]);
    expect(o.spec.resources.find((r) => r.name === "cpus" && r.reservations)).toMatchObject({
      scalar: 1,
      reservations: [{ type: "STATIC", role: "web" }],
      allocationInfo: { role: "web" },
    });
    expect(o.spec.decline).toBeUndefined();
    expect(offerObject(offer, fw)).toEqual(o);
  });

  it("carries the agent's maintenance unavailability", () => {
    const a = new Allocator({ minAllocatableResources: null });
    a.upsertAgent({
      id: "uid-n1-S0",
      hostname: "n1",
      nodeName: "n1",
      resources: parseResources("cpus:2;mem:1024"),
      unavailability: {
        start: { nanoseconds: Date.parse("2026-04-01T08:00:00Z") * 1e6 },
        duration: { nanoseconds: 7200e9 },
      },
    });
    a.addFramework({ id: "fw-1", roles: ["*"] });
    const o = offerObject(a.allocate(0).offers[0]!, fw);
    expect(o.spec.unavailability).toEqual({ start: "2026-04-01T08:00:00Z", durationSeconds: 7200 });
    expect(
      OfferSchema.safeParse({ ...o, status: outstandingOfferStatus(a.offersOf("fw-1")[0]!) }).success,
    ).toBe(true);
    expect(offerObject(madeOffer().offer, fw).spec.unavailability).toBeUndefined();
  });

  it("offer IDs that are not DNS labels get a hashed name", () => {
    expect(offerObjectName("m-O7")).toBe(`m-o7-${offerObjectName("m-O7").slice(-10)}`);
    expect(offerObjectName("abc-o1")).toBe("abc-o1");
  });

  it("starts Outstanding", () => {
    const { offer } = madeOffer();
    expect(outstandingOfferStatus(offer)).toMatchObject({
      phase: "Outstanding",
      conditions: [{ type: "Outstanding", status: "True", lastTransitionTime: "2026-03-01T12:00:00Z" }],
    });
  });
});

describe("after a restart", () => {
  const fw = frameworkObject("fw");
  it("outstanding offers the allocator does not hold are forgotten; decided ones and held ones kept", () => {
    const { a, offer } = madeOffer();
    const o = { ...offerObject(offer, fw), status: outstandingOfferStatus(offer) };
    expect(offerAfterRestart(o, (id) => a.offer(id) !== undefined)).toEqual({ kind: "keep" });
    const fresh = new Allocator();
    expect(offerAfterRestart(o, (id) => fresh.offer(id) !== undefined)).toEqual({ kind: "forget" });
    expect(offerAfterRestart({ ...o, status: { phase: "Declined" } }, () => false)).toEqual({ kind: "keep" });
  });

  it("an Offer object holds all an allocator would need to take it back", () => {
    const { offer } = madeOffer(30_000);
    const r = offerToRestore(offerObject(offer, fw), "fw-1");
    expect(r).toMatchObject({
      id: offer.id,
      frameworkId: "fw-1",
      agentId: "uid-n1-S0",
      nodeName: "n1",
      role: "web",
      expiresAt: offer.expiresAt,
    });
    expect(r.resources.equals(offer.resources)).toBe(true);
  });
});
