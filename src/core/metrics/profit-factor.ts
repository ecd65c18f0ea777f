import { unboundedRatio, type Statistic, type UnboundedRatio } from './statistic';

/**
 * Gross profit / gross loss over closed trades' net P&L. No losing trade but some profit is +∞
 * (`{ value: null, infinite: true }`); no trade, or only break-even ones, is undefined.
 */
export const profitFactor: Statistic<UnboundedRatio> = (s) =>
  unboundedRatio(s.trades.grossProfit, s.trades.grossLoss);
