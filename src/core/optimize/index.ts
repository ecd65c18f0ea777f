/**
 * Optimisation and testing over history: the backtest runner (the live engine fed from stored
 * candles), the backtest service behind the API, and the strategy templates. Later: NSGA-II/III
 * studies and walk-forward.
 */
export {
  BacktestRunner,
  loadWarmUpBars,
  type BacktestProgress,
  type BacktestRequest,
  type BacktestResult,
  type BacktestRunOptions,
} from './backtest-runner';
export { BacktestService, type BacktestServiceOptions } from './backtest-service';
export { BacktestSession, type BacktestOutcome, type BacktestSpec } from './backtest-session';
export { strategyTemplates, type StrategyTemplate } from './strategy-template-catalog';
