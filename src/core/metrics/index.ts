/**
 * Metrics: performance statistics of a variant, kept up to date in O(1) per bar, the PSR / DSR /
 * MinTRL statistics of Bailey & López de Prado, and the promotion gate.
 */
export { averageTradePnl } from './average-trade-pnl';
export { CALMAR_MIN_DAYS, cagr, calmarRatio } from './calmar-ratio';
export { EULER_MASCHERONI, deflatedSharpeRatio, expectedMaxSharpe } from './deflated-sharpe-ratio';
export { DrawdownTracker } from './drawdown-tracker';
export { exposure } from './exposure';
export { maxDrawdown } from './max-drawdown';
export { MetricSnapshotSchema, type MetricSnapshot } from './metric-snapshot';
export { MetricsTracker, type MetricsTrackerOptions } from './metrics-tracker';
export type {
  DrawdownState,
  MetricsTrackerState,
  ReturnMomentsState,
  TradeTallyState,
} from './metrics-tracker-state';
export { minTrackRecordLength, minTrl } from './min-track-record-length';
export { erfc, normalCdf, normalPdf, normalQuantile } from './normal-distribution';
export type { PerformanceState } from './performance-state';
export {
  probabilisticSharpeRatio,
  psr,
  sharpeStandardErrorFactor,
} from './probabilistic-sharpe-ratio';
export { profitFactor } from './profit-factor';
export { promotionGate, type PromotionDecision, type PromotionThresholds } from './promotion-gate';
export { PROMOTION_GATE_DEFAULTS } from './promotion-gate-defaults';
export { ReturnMoments } from './return-moments';
export { roiPercent } from './roi-percent';
export { perPeriodSharpe, sharpeRatio, sharpeSample, type SharpeSample } from './sharpe-ratio';
export { sortinoRatio } from './sortino-ratio';
export { unboundedRatio, type Statistic, type UnboundedRatio } from './statistic';
export { TradeTally } from './trade-tally';
export {
  SINGLE_TRIAL,
  TrialSharpeAccumulator,
  assertTrialStats,
  type TrialStats,
} from './trial-stats';
export { winRate } from './win-rate';
