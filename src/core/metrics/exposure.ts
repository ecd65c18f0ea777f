import type { Statistic } from './statistic';

/** Share of bars during which a position was open, in [0, 1]; null before the first bar. */
export const exposure: Statistic<number | null> = (s) =>
  s.bars > 0 ? s.exposedBars / s.bars : null;
