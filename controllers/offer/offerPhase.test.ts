import { describe, expect, it } from "vitest";
import { Allocator, type RescindReason } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { DEFAULT_REFUSE_SECONDS, OFFER_PHASES, type OfferPhase, OfferStatusSchema } from "../api/index.ts";
import { frameworkObject } from "../task/testObjects.ts";
import { offerPhaseEvent } from "./offerEvents.ts";
import { offerObject, outstandingOfferStatus } from "./offerObjects.ts";
import {
  declineOnDelete,
  endedOfferStatus,
  type OfferEnding,
  offerRetention,
  requestedDecline,
  rescindPhase,
} from "./offerPhase.ts";

const t0 = new Date("2026-03-01T12:00:00Z");

function outstanding() {
  const a = new Allocator({ minAllocatableResources: null, offerIdPrefix: "m" });
  a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
  a.addFramework({ id: "fw-1", roles: ["*"] });
  const offer = a.allocate(t0.getTime()).offers[0]!;
  return {
    a,
    offer,
    object: { ...offerObject(offer, frameworkObject("fw")), status: outstandingOfferStatus(offer) },
  };
}

const RESCIND_REASONS: RescindReason[] = [
  "offer-timeout",
  "agent-removed",
  "agent-deactivated",
  "agent-changed",
  "framework-deactivated",
  "framework-removed",
  "role-removed",
  "weights-updated",
  "quota-updated",
  "operator",
];

describe("offer endings", () => {
  it.each<[OfferEnding, OfferPhase, string]>([
    [{ kind: "accepted", tasks: ["web-0"] }, "Accepted", "Accepted"],
    [{ kind: "declined", refuseSeconds: 60 }, "Declined", "Declined"],
    [{ kind: "forgotten" }, "Rescinded", "OperatorRestarted"],
    ...RESCIND_REASONS.map((r): [OfferEnding, OfferPhase, string] => [
      { kind: "rescinded", reason: r },
      r === "offer-timeout" ? "Expired" : "Rescinded",
      rescindPhase(r).reason,
    ]),
  ])("%j → %s (%s)", (ending, phase, reason) => {
    const s = endedOfferStatus(outstanding().object.status, ending, t0)!;
    expect([s.phase, s.reason]).toEqual([phase, reason]);
    expect(OfferStatusSchema.safeParse(s).success).toBe(true);
    expect(s.conditions?.find((c) => c.type === "Outstanding")?.status).toBe("False");
  });

  it("rescind reasons are distinct and CamelCase", () => {
    const reasons = RESCIND_REASONS.map((r) => rescindPhase(r).reason);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const r of reasons) expect(r).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it.each(OFFER_PHASES.filter((p) => p !== "Outstanding"))("a %s offer never changes again", (phase) => {
    for (const ending of [
      { kind: "accepted", tasks: ["t"] },
      { kind: "declined", refuseSeconds: 0 },
      { kind: "forgotten" },
    ] as const)
      expect(endedOfferStatus({ phase }, ending, t0)).toBeUndefined();
  });

  it("accepted offers name their tasks", () => {
    expect(endedOfferStatus(undefined, { kind: "accepted", tasks: ["a", "b"] }, t0)?.acceptedBy).toEqual([
      "a",
      "b",
    ]);
  });
});

describe("declines by users", () => {
  it("spec.decline on an outstanding offer is a DECLINE with its refuse seconds, once", () => {
    const { a, offer, object } = outstanding();
    const withDecline = { ...object, spec: { ...object.spec, decline: { refuseSeconds: 60 } } };
    const d = requestedDecline(withDecline)!;
    expect(d).toEqual({ offerId: offer.id, refuseSeconds: 60 });
    expect(a.decline("fw-1", [d.offerId], { refuseSeconds: d.refuseSeconds }, t0.getTime())).toHaveLength(1);
    // Not re-offered to that framework before the time is up, then it is.
    expect(a.allocate(t0.getTime() + 59_000).offers).toEqual([]);
    expect(a.allocate(t0.getTime() + 61_000).offers).toHaveLength(1);
    const declined = {
      ...withDecline,
      status: endedOfferStatus(object.status, { kind: "declined", refuseSeconds: 60 }, t0),
    };
    expect(requestedDecline(declined)).toBeUndefined();
    expect(requestedDecline(object)).toBeUndefined();
  });

  it("deleting an outstanding offer declines it with the default filter", () => {
    const { offer, object } = outstanding();
    expect(declineOnDelete(object)).toEqual({ offerId: offer.id, refuseSeconds: DEFAULT_REFUSE_SECONDS });
    expect(declineOnDelete({ ...object, status: { phase: "Accepted" } })).toBeUndefined();
  });
});

describe("offerRetention", () => {
  it("keeps outstanding offers, shows decided ones for a while, then deletes them", () => {
    const { object } = outstanding();
    expect(offerRetention(object, t0, 60_000)).toEqual({ kind: "keep" });
    const ended = {
      ...object,
      status: endedOfferStatus(object.status, { kind: "rescinded", reason: "agent-removed" }, t0),
    };
    expect(offerRetention(ended, new Date(t0.getTime() + 20_000), 60_000)).toEqual({
      kind: "requeue",
      afterMs: 40_000,
    });
    expect(offerRetention(ended, new Date(t0.getTime() + 60_000), 60_000)).toEqual({ kind: "delete" });
  });
});

describe("offerPhaseEvent", () => {
  it("one event per phase change", () => {
    const { object } = outstanding();
    const ended = endedOfferStatus(object.status, { kind: "rescinded", reason: "agent-deactivated" }, t0)!;
    expect(offerPhaseEvent(object, object.status, ended)).toMatchObject({
      type: "Normal",
      reason: "OfferRescinded",
      action: "Rescind",
      note: "AgentCordoned: Its node was cordoned.",
    });
    expect(offerPhaseEvent(object, ended, ended)).toBeUndefined();
    expect(offerPhaseEvent(object, undefined, object.status)?.reason).toBe("OfferOutstanding");
  });
});
