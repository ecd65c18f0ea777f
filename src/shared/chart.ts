import { z } from 'zod';
import { TradeRowSchema } from './backtest';
import { CandleSchema, SeriesKeySchema } from './market';

// The chart part of the API contract: what the strategy, performance and comparison modes
// draw for a live variant or a backtest run. Plain zod, no Node, DOM or core imports.

const num = z.number();
const time = z.number().int().nonnegative();
const id = z.string().min(1).max(100);

/** Whose chart: a live variant (main included) or a finished backtest run. */
export const ChartSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('variant'), variantId: id }).strict(),
  z.object({ kind: z.literal('backtest'), runId: id }).strict(),
]);
export type ChartSource = z.infer<typeof ChartSourceSchema>;

export const GetStrategyChartParamsSchema = z
  .object({
    source: ChartSourceSchema,
    /** Newest bars of the strategy's timeframe to return. */
    limit: z.number().int().min(1).max(1_000_000).default(5_000),
  })
  .strict();

/** One line of an indicator (`ema_fast`, `macd.signal`, `bb.upper`), NaN-free: warm-up is omitted. */
export const IndicatorLineSchema = z.object({
  /** As rules name it: `ema_fast`, or `bb.upper` for one output of a multi-output indicator. */
  name: z.string(),
  points: z.array(z.object({ time, value: num })),
});

/** An indicator the strategy reads, with where it belongs: over price, or in its own pane. */
export const IndicatorOverlaySchema = z.object({
  id: z.string(),
  type: z.string(),
  /** `price` for averages and bands; `pane` for oscillators (RSI, MACD, Stochastic, ADX…). */
  placement: z.enum(['price', 'pane']),
  /** Its timeframe; higher ones are drawn step-wise at their last closed bar. */
  timeframe: z.string(),
  lines: z.array(IndicatorLineSchema),
});
export type IndicatorOverlay = z.infer<typeof IndicatorOverlaySchema>;

/** A rule that fired on a closed bar, with its terms' values there: "why it fired". */
export const SignalRowSchema = z.object({
  time,
  rule: z.enum(['entryLong', 'entryShort', 'exitLong', 'exitShort']),
  action: z.enum(['entry', 'exit', 'conflict', 'refused', 'blocked']),
  orderId: z.number().int().nullable(),
  /** The rule as written, so the tooltip can quote it. */
  expression: z.string(),
  terms: z.array(z.object({ text: z.string(), value: num })),
});
export type SignalRow = z.infer<typeof SignalRowSchema>;

export const EquityPointSchema = z.object({ time, equity: num });

export const StrategyChartSchema = z.object({
  source: ChartSourceSchema,
  strategyName: z.string(),
  series: SeriesKeySchema,
  timeframe: z.string(),
  candles: z.array(CandleSchema),
  indicators: z.array(IndicatorOverlaySchema),
  signals: z.array(SignalRowSchema),
  trades: z.array(TradeRowSchema),
  equity: z.array(EquityPointSchema),
  /**
   * Open time of the newest bar of the strategy's timeframe whose signals and trades are all in
   * this answer (a live variant may lag the feed's candles); null before its first bar. A live
   * chart merges a newer window only when it starts at or before this time, so no record falls
   * between two refreshes.
   */
  recordsThrough: time.nullable(),
  /** The open position's levels, drawn as price lines; null when flat. */
  position: z
    .object({
      side: z.enum(['long', 'short']),
      entryPrice: num,
      stopPrice: num.nullable(),
      targetPrice: num.nullable(),
      liquidationPrice: num.nullable(),
    })
    .nullable(),
});
export type StrategyChart = z.infer<typeof StrategyChartSchema>;

export const GetEquityCurvesParamsSchema = z
  .object({
    sources: z.array(ChartSourceSchema).min(1).max(50),
    /** Points per curve at most (evenly thinned, last point kept). */
    maxPoints: z.number().int().min(10).max(100_000).default(2_000),
  })
  .strict();

export const EquityCurvesSchema = z.array(
  z.object({ source: ChartSourceSchema, label: z.string(), points: z.array(EquityPointSchema) }),
);
