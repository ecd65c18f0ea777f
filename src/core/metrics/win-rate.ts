import type { Statistic } from './statistic';

/** Share of closed trades with net P&L > 0, in [0, 1]; null before the first trade. */
export const winRate: Statistic<number | null> = (s) =>
  s.trades.count > 0 ? s.trades.wins / s.trades.count : null;
