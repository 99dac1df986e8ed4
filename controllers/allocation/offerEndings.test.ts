import { describe, expect, it } from "vitest";
import { BRIEF_MS, LONG_MS, OfferEndings } from "./offerEndings.ts";

const rescinded = { kind: "rescinded", reason: "framework-removed" } as const;
const declined = { kind: "declined", refuseSeconds: 5 } as const;

describe("OfferEndings", () => {
  it("keeps an ending for LONG_MS, and one of an offer without an object for BRIEF_MS", () => {
    const endings = new OfferEndings();
    endings.remember("with-object", declined, 0);
    endings.remember("objectless", rescinded, 0);
    endings.objectless("objectless");
    expect(endings.get("with-object")).toEqual(declined);
    expect(endings.get("objectless")).toEqual(rescinded);

    endings.forgetOld(BRIEF_MS);
    expect(endings.get("objectless")).toEqual(rescinded);
    endings.forgetOld(BRIEF_MS + 1);
    expect(endings.get("objectless")).toBeUndefined();
    expect(endings.get("with-object")).toEqual(declined);

    endings.forgetOld(LONG_MS + 1);
    expect(endings.get("with-object")).toBeUndefined();
    expect(endings.size).toBe(0);
  });

  it("forgets in time order even when an older ending was remembered again later", () => {
    const endings = new OfferEndings();
    endings.remember("a", declined, 0);
    endings.remember("b", declined, 10);
    endings.remember("a", rescinded, 20);
    endings.forgetOld(LONG_MS + 15);
    expect(endings.get("b")).toBeUndefined();
    expect(endings.get("a")).toEqual(rescinded);
  });

  it("a later ending of an objectless offer is kept long again (it may have an object by then)", () => {
    const endings = new OfferEndings();
    endings.remember("a", declined, 0);
    endings.objectless("a");
    endings.remember("a", rescinded, 5);
    endings.forgetOld(BRIEF_MS + 10);
    expect(endings.get("a")).toEqual(rescinded);
  });

  it("objectless for an offer with no ending does nothing", () => {
    const endings = new OfferEndings();
    endings.objectless("unknown");
    expect(endings.size).toBe(0);
  });
});
