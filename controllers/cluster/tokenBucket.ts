// A token bucket that hands out *reservations*: instead of refusing, it says how long the caller
// must wait for its token. The work queue uses it as an overall cap on retries (client-go's
// BucketRateLimiter), so a burst of failing keys cannot hammer the API server even when each key's
// own backoff is still short.

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerSecond tokens added per second
   * @param burst bucket size (and the initial fill)
   * @param now clock in ms, injectable for tests
   */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token if one is available now; false (and nothing taken) otherwise. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes one token and returns the wait in ms until it is actually available (0 = now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    // Negative tokens are reservations against the future; the wait is the time to refill to 0.
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }
}
