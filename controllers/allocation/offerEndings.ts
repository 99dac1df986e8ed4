// How each offer ended (accepted, declined, rescinded), remembered for a while after it ended.
//
// The offer controller reads an ending to write the Offer object's final phase, so endings of
// offers that have (or may yet get) an object are kept long enough for any backlog of its work
// queue: LONG_MS. An offer of a Mesos-API framework that ended before its object was due never has
// one (deferredOfferObjects.ts); its ending only tells its scheduler's stream whether to send
// RESCIND, at once, and explains a late ACCEPT in the debug log: BRIEF_MS. Without the distinction
// a cluster whose frameworks come and go keeps an ending for every agent per framework for ten
// minutes: in bench:subscribe (1,000 agents, ten frameworks a second) most of a 200 MB heap.
import type { OfferEnding } from "../offer/offerPhase.ts";

export const LONG_MS = 10 * 60_000;
export const BRIEF_MS = 10_000;

interface Remembered {
  ending: OfferEnding;
  at: number;
}

export class OfferEndings {
  // Two maps, each in the order of `at` (re-inserted on change), so forgetting stops at the first
  // entry young enough to keep.
  private readonly long = new Map<string, Remembered>();
  private readonly brief = new Map<string, Remembered>();

  remember(offerId: string, ending: OfferEnding, now: number): void {
    this.brief.delete(offerId);
    this.long.delete(offerId);
    this.long.set(offerId, { ending, at: now });
  }

  /** The offer never had an Offer object and never will: its ending is kept only briefly. */
  objectless(offerId: string): void {
    const remembered = this.long.get(offerId);
    if (remembered === undefined) return;
    this.long.delete(offerId);
    this.brief.set(offerId, remembered);
  }

  get(offerId: string): OfferEnding | undefined {
    return (this.long.get(offerId) ?? this.brief.get(offerId))?.ending;
  }

  forgetOld(now: number): void {
    forgetBefore(this.long, now - LONG_MS);
    forgetBefore(this.brief, now - BRIEF_MS);
  }

  get size(): number {
    return this.long.size + this.brief.size;
  }

  clear(): void {
    this.long.clear();
    this.brief.clear();
  }
}

function forgetBefore(map: Map<string, Remembered>, before: number): void {
  for (const [id, r] of map) {
    if (r.at >= before) break;
    map.delete(id);
  }
}
