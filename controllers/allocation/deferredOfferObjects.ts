// Offers whose Offer objects are not due yet.
//
// A Mesos-API framework's offer becomes an Offer object only once it has been outstanding for a
// moment (MESOS_API_OFFER_OBJECT_DELAY_MS): its scheduler answers most offers within milliseconds.
// The offers waiting out that moment are kept here under one timer, not as one delayed work-queue
// key each, so that an offer answered or rescinded meanwhile costs nothing at all — no object was
// or could have been written for it. A SUBSCRIBE on a 1,000-node cluster makes 1,000 offers, and
// a reconcile for each of them (twice: when due, and when gone) took most of the operator's time.

export interface DeferralTimers<H> {
  now(): number;
  setTimeout(run: () => void, ms: number): H;
  clearTimeout(handle: H): void;
}

export class DeferredOfferObjects<H = NodeJS.Timeout> {
  private readonly waiting = new Map<string, { key: string; dueAt: number }>();
  private timer: { handle: H; at: number } | undefined;

  constructor(
    private readonly timers: DeferralTimers<H>,
    /** An offer's object is due: called with the offer controller's key and the OfferID. */
    private readonly onDue: (key: string, offerId: string) => void,
  ) {}

  /** Holds the offer until `dueAt` (a later call for the same offer keeps the first time). */
  defer(offerId: string, key: string, dueAt: number): void {
    if (this.waiting.has(offerId)) return;
    this.waiting.set(offerId, { key, dueAt });
    if (this.timer === undefined || dueAt < this.timer.at) this.arm(dueAt);
  }

  /** Forgets the offer; true when it was still waiting (so no object of it was ever written). */
  drop(offerId: string): boolean {
    return this.waiting.delete(offerId);
  }

  get size(): number {
    return this.waiting.size;
  }

  clear(): void {
    this.waiting.clear();
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer.handle);
    const handle = this.timers.setTimeout(() => this.fire(), Math.max(0, at - this.timers.now()));
    this.timer = { handle, at };
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.timers.now();
    let next: number | undefined;
    for (const [offerId, { key, dueAt }] of this.waiting) {
      if (dueAt <= now) {
        this.waiting.delete(offerId);
        this.onDue(key, offerId);
      } else if (next === undefined || dueAt < next) next = dueAt;
    }
    if (next !== undefined) this.arm(next);
  }
}
