import type { TrialStats } from './trial-stats';

/** {@link TrialStats} as the trial ledger gives them, with the raw figures behind them. */
export interface TrialLedgerStats extends TrialStats {
  /** Trials in the ledger (0 for an empty one); `trials` is this, at least 1. */
  readonly ledgerCount: number;
  /** Trials whose per-period Sharpe is known: the sample V is taken over. */
  readonly withSharpe: number;
}

/**
 * N and V of the Deflated Sharpe Ratio from a strategy's trial ledger. N is `count`, every
 * parameter set ever tried, those not yet evaluated included (the raw count is conservative on
 * purpose, DESIGN.md). V is the sample variance (n − 1) of the per-period Sharpes known so far,
 * nulls skipped; 0 with fewer than two. An empty ledger gives N = 1 (SR₀ = 0): the variant
 * being judged is itself a trial, and DSR needs N ≥ 1.
 * @throws RangeError naming the entry when a Sharpe is NaN or ±∞, or when `count` is not an
 *   integer at least the number of known Sharpes.
 */
export function trialStats(
  perPeriodSharpes: readonly (number | null)[],
  count: number,
): TrialLedgerStats {
  // Two passes (mean, then squared deviations) rather than Σx² − n·mean²: Sharpes of similar
  // size would otherwise cancel catastrophically.
  let n = 0;
  let sum = 0;
  for (let i = 0; i < perPeriodSharpes.length; i++) {
    const s = perPeriodSharpes[i];
    if (s === null || s === undefined) continue;
    if (!Number.isFinite(s))
      throw new RangeError(`trial ${i}: per-period Sharpe must be a finite number, got ${s}`);
    n++;
    sum += s;
  }
  if (!Number.isInteger(count) || count < n)
    throw new RangeError(
      `trial count must be an integer of at least ${n} (the trials with a Sharpe), got ${count}`,
    );
  let variance = 0;
  if (n > 1) {
    const mean = sum / n;
    let m2 = 0;
    for (const s of perPeriodSharpes) {
      if (s === null || s === undefined) continue;
      m2 += (s - mean) * (s - mean);
    }
    variance = m2 / (n - 1);
  }
  return {
    trials: Math.max(1, count),
    sharpeVariance: variance,
    ledgerCount: count,
    withSharpe: n,
  };
}
