import { assertFinite } from './statistic';

/**
 * What the Deflated Sharpe Ratio needs about the trial ledger: N, the number of parameter sets ever
 * evaluated for the strategy on the same timeframe and window (the raw count, conservative on
 * purpose), and V, the variance of their per-period Sharpe ratios.
 */
export interface TrialStats {
  readonly trials: number;
  readonly sharpeVariance: number;
}

/** A strategy tried once: DSR's benchmark SR₀ is then 0 and DSR equals PSR(0). */
export const SINGLE_TRIAL: TrialStats = Object.freeze({ trials: 1, sharpeVariance: 0 });

/** @throws RangeError unless trials is an integer ≥ 1 and the variance finite and ≥ 0. */
export function assertTrialStats(stats: TrialStats): void {
  if (!Number.isInteger(stats.trials) || stats.trials < 1) {
    throw new RangeError(`trials must be an integer ≥ 1, got ${stats.trials}`);
  }
  assertFinite(stats.sharpeVariance, 'sharpeVariance');
  if (stats.sharpeVariance < 0)
    throw new RangeError(`sharpeVariance must be ≥ 0, got ${stats.sharpeVariance}`);
}

/**
 * Builds {@link TrialStats} one trial at a time (Welford): N and the sample variance (N − 1
 * denominator) of the trials' per-period Sharpe ratios. O(1) memory for ledgers of any size.
 */
export class TrialSharpeAccumulator {
  private _n = 0;
  private _mean = 0;
  private _m2 = 0;

  /** Adds one trial's per-period Sharpe ratio. @throws RangeError on NaN or ±∞. */
  public push(perPeriodSharpe: number): void {
    assertFinite(perPeriodSharpe, 'trial Sharpe');
    this._n++;
    const delta = perPeriodSharpe - this._mean;
    this._mean += delta / this._n;
    this._m2 += delta * (perPeriodSharpe - this._mean);
  }

  /** N and V so far; V is 0 below two trials. @throws RangeError before the first trial. */
  public stats(): TrialStats {
    if (this._n === 0) throw new RangeError('no trial recorded yet');
    return { trials: this._n, sharpeVariance: this._n > 1 ? this._m2 / (this._n - 1) : 0 };
  }
}
