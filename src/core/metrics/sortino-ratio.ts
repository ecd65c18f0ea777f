import { unboundedRatio, type Statistic, type UnboundedRatio } from './statistic';

/**
 * Sortino = mean(r) / √((1/T) Σ_all T min(r, 0)²) × √P, target 0 (DESIGN.md): the downside
 * deviation averages over every period, not only the losing ones. No down period with a positive
 * mean is +∞; with a mean ≤ 0, or before the first return, it is undefined.
 */
export const sortinoRatio: Statistic<UnboundedRatio> = (s) => {
  const mean = s.returns.mean;
  const downside = s.returns.downsideMeanSquare;
  if (mean === null || downside === null) return { value: null, infinite: false };
  const ratio = unboundedRatio(mean, Math.sqrt(downside));
  return ratio.value === null
    ? ratio
    : { value: ratio.value * Math.sqrt(s.periodsPerYear), infinite: false };
};
