// Exponential backoff with jitter, for reconnecting watches and retrying failed work.
//
// Jitter matters when many clients fail together (an API server restart drops every watch of every
// replica at once): without it they all come back in lockstep. "Equal jitter" keeps at least half
// the delay, so a retry never comes sooner than half of what the attempt count asks for.

export interface BackoffPolicy {
  /** Delay after the first failure. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Growth per consecutive failure (2 doubles). */
  factor?: number;
  /** 0 = exact delays; 1 = anywhere in [delay/2, delay] (equal jitter). */
  jitter?: number;
}

/**
 * The delay before retry number `attempt` (0 = after the first failure).
 * `random` returns [0, 1), injectable so tests are deterministic.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const factor = policy.factor ?? 2;
  const exp = Math.min(policy.maxMs, policy.initialMs * factor ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0));
  return Math.round(exp * (1 - (jitter * random()) / 2));
}

/** Counts consecutive failures and turns them into delays; `reset()` after a success. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    const d = backoffDelay(this.policy, this.failures, this.random);
    this.failures++;
    return d;
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
