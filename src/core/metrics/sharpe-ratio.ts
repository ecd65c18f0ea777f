import type { Statistic } from './statistic';

/**
 * What PSR, DSR and MinTRL need about a return series, all per period (not annualised):
 * SR = mean / sample sd, γ₃ skewness and γ₄ kurtosis (not excess), T observations.
 */
export interface SharpeSample {
  readonly sharpe: number;
  readonly observations: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/** Per-period Sharpe ratio mean(r) / sd(r) (sample sd); null below two returns or with zero variance. */
export const perPeriodSharpe: Statistic<number | null> = (s) => {
  const sd = s.returns.sampleSd;
  const mean = s.returns.mean;
  return sd !== null && mean !== null && sd > 0 ? mean / sd : null;
};

/** Sharpe = mean(r) / sd(r) × √P, sample sd, risk-free rate 0; null where the per-period one is. */
export const sharpeRatio: Statistic<number | null> = (s) => {
  const sr = perPeriodSharpe(s);
  return sr === null ? null : sr * Math.sqrt(s.periodsPerYear);
};

/** The per-period {@link SharpeSample} of the state, or null when the Sharpe ratio is undefined. */
export const sharpeSample: Statistic<SharpeSample | null> = (s) => {
  const sharpe = perPeriodSharpe(s);
  const skewness = s.returns.skewness;
  const kurtosis = s.returns.kurtosis;
  if (sharpe === null || skewness === null || kurtosis === null) return null;
  return { sharpe, observations: s.returns.count, skewness, kurtosis };
};
