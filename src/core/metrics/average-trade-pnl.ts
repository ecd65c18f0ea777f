import type { Statistic } from './statistic';

/** Mean net P&L per closed trade (USDT); null before the first trade. */
export const averageTradePnl: Statistic<number | null> = (s) =>
  s.trades.count > 0 ? s.trades.netPnl / s.trades.count : null;
