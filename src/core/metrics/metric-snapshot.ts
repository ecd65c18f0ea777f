import { z } from 'zod';

// Plain, JSON-safe numbers only: NaN and ±∞ never appear. Undefined values are null; +∞ ratios are
// null with their `…Infinite` flag set. Written with zod alone so it can move to src/shared/API.
const num = z.number().finite();
const fraction = num.min(0).max(1);
const count = z.number().int().nonnegative();

/** Schema of {@link MetricSnapshot}. */
export const MetricSnapshotSchema = z
  .object({
    /** Open time of the first and last bar (epoch ms): the window these numbers cover. */
    firstTime: num.int().nullable(),
    lastTime: num.int().nullable(),
    /** Bars seen; each adds one return, so this is T. */
    bars: count,
    /** P = 525,600 / timeframe minutes. */
    periodsPerYear: num.positive(),
    initialEquity: num.positive(),
    equity: num.nonnegative(),
    /** (E_end − E₀) / E₀ × 100. */
    roiPct: num,

    tradeCount: count,
    winningTrades: count,
    losingTrades: count,
    /** Share of trades with net P&L > 0, in [0, 1]. */
    winRate: fraction.nullable(),
    /** Mean net P&L per trade, USDT. */
    averageTradePnl: num.nullable(),
    /** Σ net P&L of winners and Σ |net P&L| of losers, USDT. */
    grossProfit: num.nonnegative(),
    grossLoss: num.nonnegative(),
    profitFactor: num.nonnegative().nullable(),
    profitFactorInfinite: z.boolean(),

    /** Share of bars with an open position, in [0, 1]. */
    exposure: fraction.nullable(),
    /** Largest peak-to-trough fall, as a fraction in [0, 1]. */
    maxDrawdown: fraction,

    /** Per-period return moments: mean, sample sd, skewness γ₃, kurtosis γ₄ (not excess). */
    meanReturn: num.nullable(),
    returnSd: num.nonnegative().nullable(),
    skewness: num.nullable(),
    kurtosis: num.nullable(),
    /** Sharpe per period (not annualised), the SR of PSR / DSR / MinTRL. */
    perPeriodSharpe: num.nullable(),
    /** Annualised Sharpe and Sortino (× √P). */
    sharpe: num.nullable(),
    sortino: num.nullable(),
    sortinoInfinite: z.boolean(),
    /** Compound annual growth rate, as a fraction. */
    cagr: num.nullable(),
    /** CAGR / max drawdown; null under 30 days of bars. */
    calmar: num.nullable(),
    calmarInfinite: z.boolean(),

    /** SR* (per period) of PSR and MinTRL. */
    benchmarkSharpe: num,
    psr: fraction.nullable(),
    /** Minimum track record length at 95% confidence, in bars; null when SR ≤ SR*. */
    minTrl: num.positive().nullable(),
    /** N and V of the trial ledger this DSR was deflated with, and the resulting SR₀ (per period). */
    trials: z.number().int().positive(),
    trialSharpeVariance: num.nonnegative(),
    deflationBenchmarkSharpe: num,
    dsr: fraction.nullable(),
  })
  .refine((s) => !(s.profitFactorInfinite && s.profitFactor !== null), {
    message: 'an infinite profit factor is encoded as null',
    path: ['profitFactor'],
  })
  .refine((s) => !(s.sortinoInfinite && s.sortino !== null), {
    message: 'an infinite Sortino ratio is encoded as null',
    path: ['sortino'],
  })
  .refine((s) => !(s.calmarInfinite && s.calmar !== null), {
    message: 'an infinite Calmar ratio is encoded as null',
    path: ['calmar'],
  });

/** Every performance statistic of one variant at one moment: a plain, JSON-safe object. */
export type MetricSnapshot = z.infer<typeof MetricSnapshotSchema>;
