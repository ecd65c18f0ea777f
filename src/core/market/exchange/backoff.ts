/** How long to wait between attempts: exponential growth, a ceiling, and jitter. */
export interface BackoffPolicy {
  /** First delay, ms. */
  initialMs: number;
  /** Ceiling, ms. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Share of each delay that is random, in [0, 1]: 0.5 waits between 50% and 100% of the nominal delay. */
  jitter: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = {
  initialMs: 1_000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * Exponential backoff with jitter. The jitter keeps many clients that lost the same exchange at
 * the same moment from reconnecting in lockstep (and being rate-limited together).
 */
export class Backoff {
  private attempt = 0;

  public constructor(
    private readonly policy: BackoffPolicy,
    /** Injected so tests are deterministic; returns a number in [0, 1). */
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  public next(): number {
    const nominal = Math.min(
      this.policy.maxMs,
      this.policy.initialMs * this.policy.factor ** this.attempt,
    );
    this.attempt++;
    const jitter = Math.min(1, Math.max(0, this.policy.jitter));
    return Math.round(nominal * (1 - jitter * this.random()));
  }

  /** After a success: the next failure starts again from the initial delay. */
  public reset(): void {
    this.attempt = 0;
  }

  public get attempts(): number {
    return this.attempt;
  }
}
