import { unboundedRatio, type Statistic, type UnboundedRatio } from './statistic';

/** Below this much history, CAGR explodes and Calmar is shown as n/a (DESIGN.md). */
export const CALMAR_MIN_DAYS = 30;

/**
 * Compound annual growth rate (E_T / E₀)^(P/T) − 1, as a fraction. The span is T bars of the
 * timeframe (the same clock as P), so gaps in the feed do not stretch it. Null before the first bar.
 */
export const cagr: Statistic<number | null> = (s) => {
  if (s.bars === 0) return null;
  const growth = s.equity / s.initialEquity;
  return growth > 0 ? Math.pow(growth, s.periodsPerYear / s.bars) - 1 : -1;
};

/**
 * Calmar = CAGR / max drawdown. Undefined under {@link CALMAR_MIN_DAYS} days of bars; +∞ with
 * growth and no drawdown.
 */
export const calmarRatio: Statistic<UnboundedRatio> = (s) => {
  const growth = cagr(s);
  if (growth === null || (s.bars * s.barMinutes) / 1440 < CALMAR_MIN_DAYS)
    return { value: null, infinite: false };
  return unboundedRatio(growth, s.drawdown.maxDrawdown);
};
