import type { PerformanceState } from './performance-state';

/**
 * One statistic: a pure read of the running state a {@link MetricsTracker} keeps. The state is
 * updated in O(1) per bar; a statistic is computed when a snapshot is taken.
 */
export type Statistic<T> = (state: PerformanceState) => T;

/**
 * A ratio that may be +∞ (a profit factor with no losing trade, a Sortino with no down period).
 * JSON cannot carry ∞, and a huge stand-in number would sort and average as if it were real, so
 * infinity is said explicitly: `value` is null and `infinite` is true. `value` null with
 * `infinite` false means undefined (not enough data, 0/0).
 */
export interface UnboundedRatio {
  readonly value: number | null;
  readonly infinite: boolean;
}

/** The ratio a / b with ∞ and 0/0 encoded as {@link UnboundedRatio} says. */
export function unboundedRatio(numerator: number, denominator: number): UnboundedRatio {
  if (denominator > 0) return { value: numerator / denominator, infinite: false };
  return { value: null, infinite: denominator === 0 && numerator > 0 };
}

/** Fails fast on NaN or ±∞: a bad number must not quietly poison a running sum for weeks. */
export function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${what} must be a finite number, got ${value}`);
}
