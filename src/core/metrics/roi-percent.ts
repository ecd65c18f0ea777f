import type { Statistic } from './statistic';

/** ROI % = (E_end − E₀) / E₀ × 100. */
export const roiPercent: Statistic<number> = (s) =>
  ((s.equity - s.initialEquity) / s.initialEquity) * 100;
