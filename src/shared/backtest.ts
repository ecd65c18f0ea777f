import { z } from 'zod';
import { SeriesKeySchema } from './market';

// The backtest part of the API contract: plain zod, no Node, DOM or core imports (core checks
// at compile time that its records and metric snapshots fit these shapes).

const num = z.number();
const time = z.number().int().nonnegative();
const name = z.string().min(1).max(64);

/** A parameter of a strategy template, as the backtest panel offers it. */
export const TemplateParameterSchema = z.object({
  name: z.string(),
  type: z.enum(['int', 'float', 'choice']),
  default: z.union([num, z.string()]),
  min: num.optional(),
  max: num.optional(),
  choices: z.array(z.union([num, z.string()])).optional(),
});

/** A shipped strategy template (resources/strategies). */
export const StrategyTemplateSummarySchema = z.object({
  /** The file name without `.json`, e.g. `ema-crossover-trend`. */
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  timeframe: z.string(),
  tags: z.array(z.string()),
  parameters: z.array(TemplateParameterSchema),
});
export type StrategyTemplateSummary = z.infer<typeof StrategyTemplateSummarySchema>;

/** A parameter value of a variant: a number, or one of a choice's values. */
export const ParameterValueSchema = z.union([num.finite(), z.string().max(64)]);

/** What `runBacktest` takes: a template with parameter values, a stored series and a range. */
export const RunBacktestParamsSchema = z
  .object({
    templateId: z.string().min(1).max(100),
    /** Values by parameter name (without `$`); missing ones take the template's defaults. */
    parameters: z.record(z.string().max(64), ParameterValueSchema).default({}),
    series: SeriesKeySchema,
    /** First and last bar open time to trade, epoch ms inclusive; the whole series by default. */
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
export type RunBacktestParams = z.output<typeof RunBacktestParamsSchema>;

export const BacktestStatusSchema = z.enum(['running', 'completed', 'cancelled', 'failed']);
export type BacktestStatus = z.infer<typeof BacktestStatusSchema>;

/** Progress of a run, pushed while it runs and once when it ends. */
export const BacktestProgressSchema = z.object({
  runId: z.string(),
  status: BacktestStatusSchema,
  /** Base bars done and in the range. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type BacktestProgress = z.infer<typeof BacktestProgressSchema>;

/** A closed trade: gross, fee and net P&L, entry and exit reason. */
export const TradeRowSchema = z.object({
  variantId: z.string(),
  tradeId: z.number().int(),
  side: z.enum(['long', 'short']),
  quantity: num,
  leverage: num,
  entryTime: time,
  entryPrice: num,
  entryReason: z.string(),
  exitTime: time,
  exitPrice: num,
  exitReason: z.string(),
  grossPnl: num,
  fee: num,
  netPnl: num,
  margin: num,
  roiPct: num,
});
export type TradeRow = z.infer<typeof TradeRowSchema>;

const nullableNum = num.nullable();
/** A variant's performance statistics (DESIGN.md "Metric definitions"); +∞ is null plus a flag. */
export const MetricsSchema = z.object({
  firstTime: time.nullable(),
  lastTime: time.nullable(),
  bars: z.number().int(),
  periodsPerYear: num,
  initialEquity: num,
  equity: num,
  roiPct: num,
  tradeCount: z.number().int(),
  winningTrades: z.number().int(),
  losingTrades: z.number().int(),
  winRate: nullableNum,
  averageTradePnl: nullableNum,
  grossProfit: num,
  grossLoss: num,
  profitFactor: nullableNum,
  profitFactorInfinite: z.boolean(),
  exposure: nullableNum,
  maxDrawdown: num,
  meanReturn: nullableNum,
  returnSd: nullableNum,
  skewness: nullableNum,
  kurtosis: nullableNum,
  perPeriodSharpe: nullableNum,
  sharpe: nullableNum,
  sortino: nullableNum,
  sortinoInfinite: z.boolean(),
  cagr: nullableNum,
  calmar: nullableNum,
  calmarInfinite: z.boolean(),
  benchmarkSharpe: num,
  psr: nullableNum,
  minTrl: nullableNum,
  trials: z.number().int(),
  trialSharpeVariance: num,
  deflationBenchmarkSharpe: num,
  dsr: nullableNum,
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** A backtest run and, once it ended, what it produced. */
export const BacktestResultSchema = z.object({
  runId: z.string(),
  status: BacktestStatusSchema,
  strategyName: z.string(),
  templateId: z.string().nullable(),
  parameters: z.record(z.string(), ParameterValueSchema),
  series: SeriesKeySchema,
  from: time.nullable(),
  to: time.nullable(),
  /** The strategy's bar length (its trades' times are on this grid). */
  timeframe: z.string(),
  /** Base bars traded. */
  bars: z.number().int().nonnegative(),
  trades: z.array(TradeRowSchema),
  /** Equity at each strategy bar's close (empty for runs read back from the store). */
  equity: z.array(z.object({ time, equity: num })),
  metrics: MetricsSchema.nullable(),
  signalCount: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type BacktestResult = z.infer<typeof BacktestResultSchema>;

/** Which stored trades to export; every field narrows, none means all. */
export const TradeFilterSchema = z
  .object({
    runId: z.string().max(100).optional(),
    variantId: z.string().max(100).optional(),
    side: z.enum(['long', 'short']).optional(),
    /** Trades that closed within [from, to] (bar open times, epoch ms). */
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
export type TradeFilter = z.infer<typeof TradeFilterSchema>;

export const ExportTradesParamsSchema = z
  .object({ filter: TradeFilterSchema.default({}), format: z.enum(['csv', 'json']) })
  .strict();

export const ExportTradesResultSchema = z.object({
  format: z.enum(['csv', 'json']),
  /** Trades in the text: exactly the rows of the filter. */
  rows: z.number().int().nonnegative(),
  text: z.string(),
});

/** A stored run as the backtest page lists it: what ran, how it ended, its headline figures. */
export const BacktestRunSummarySchema = BacktestResultSchema.pick({
  runId: true,
  status: true,
  strategyName: true,
  templateId: true,
  parameters: true,
  series: true,
  from: true,
  to: true,
  bars: true,
  error: true,
}).extend({
  /** When it started and ended (host clock, epoch ms); null while running. */
  startedAt: time,
  finishedAt: time.nullable(),
  /** From its final metrics; null when it stored none (failed, or still running). */
  roiPct: num.nullable(),
  tradeCount: z.number().int().nonnegative().nullable(),
});
export type BacktestRunSummary = z.infer<typeof BacktestRunSummarySchema>;

/** What `listBacktests` takes: how many of the newest runs. */
export const ListBacktestsParamsSchema = z
  .object({ limit: z.number().int().min(1).max(500).default(20) })
  .strict();

/** Names a run. */
export const RunIdParamsSchema = z.object({ runId: name }).strict();
