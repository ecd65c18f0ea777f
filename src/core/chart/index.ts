/**
 * Charts of strategies: the strategy chart (candles, the indicators the rules read, why each
 * signal fired, trades, equity, position levels) and equity curves, for backtest runs and live
 * variants alike.
 */
export { INDICATOR_PLACEMENT } from './indicator-placement';
export type { LiveChartPosition, LiveChartView, LiveChartViews } from './live-chart-views';
export {
  chartHandlers,
  storedThenFeedBars,
  StrategyChartService,
  type BacktestResults,
  type ChartFeedView,
  type StrategyChartServiceOptions,
} from './strategy-chart-service';
export { replayStrategy, type StrategyReplay, type StrategyReplayInput } from './strategy-replay';
export { thinPoints } from './thin-points';
