import type { DrawdownTracker } from './drawdown-tracker';
import type { ReturnMoments } from './return-moments';
import type { TradeTally } from './trade-tally';

/** The running state every {@link Statistic} reads. Kept by a {@link MetricsTracker}. */
export interface PerformanceState {
  /** P = 525,600 / timeframe minutes: bars per year of a 24/7 market. */
  readonly periodsPerYear: number;
  /** Length of one bar in minutes. */
  readonly barMinutes: number;
  /** E₀: equity before the first bar. */
  readonly initialEquity: number;
  /** Equity at the last bar's close. */
  readonly equity: number;
  /** Bars seen (each adds one return, so this is also T). */
  readonly bars: number;
  /** Bars during which a position was open. */
  readonly exposedBars: number;
  /** Open time of the first and last bar seen (epoch ms), null before any. */
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  /** SR*, the per-period benchmark Sharpe for PSR and MinTRL (0 unless configured). */
  readonly benchmarkSharpe: number;
  readonly returns: Readonly<ReturnMoments>;
  readonly drawdown: Readonly<DrawdownTracker>;
  readonly trades: Readonly<TradeTally>;
}
