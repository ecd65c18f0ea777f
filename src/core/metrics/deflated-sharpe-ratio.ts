import { normalQuantile } from './normal-distribution';
import { probabilisticSharpeRatio } from './probabilistic-sharpe-ratio';
import type { SharpeSample } from './sharpe-ratio';
import { assertTrialStats, type TrialStats } from './trial-stats';

/** The Euler–Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329;

/**
 * SR₀ = √V·[(1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))]: the per-period Sharpe ratio the best of N
 * unskilled trials would be expected to reach (Bailey & López de Prado 2014). N = 1 gives 0.
 */
export function expectedMaxSharpe(stats: TrialStats): number {
  assertTrialStats(stats);
  const n = stats.trials;
  if (n === 1) return 0;
  const g = EULER_MASCHERONI;
  return (
    Math.sqrt(stats.sharpeVariance) *
    ((1 - g) * normalQuantile(1 - 1 / n) + g * normalQuantile(1 - 1 / (n * Math.E)))
  );
}

/**
 * DSR = PSR(SR₀): the probability that the strategy's true Sharpe ratio beats the best an unskilled
 * search of N trials would show. Null where PSR is undefined.
 */
export function deflatedSharpeRatio(sample: SharpeSample, stats: TrialStats): number | null {
  return probabilisticSharpeRatio(sample, expectedMaxSharpe(stats));
}
