import { z } from 'zod';

/** Bar lengths Parallax knows, in exchange notation. */
export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
] as const;
export const TimeframeSchema = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof TimeframeSchema>;

const MINUTE_MS = 60_000;
/** Length of one bar of each timeframe, in milliseconds. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '2h': 120 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
  '6h': 360 * MINUTE_MS,
  '8h': 480 * MINUTE_MS,
  '12h': 720 * MINUTE_MS,
  '1d': 1440 * MINUTE_MS,
  '3d': 3 * 1440 * MINUTE_MS,
  '1w': 7 * 1440 * MINUTE_MS,
};

/** Finds the timeframe whose bar length is exactly `ms`, if any. */
export function timeframeFromMs(ms: number): Timeframe | undefined {
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms);
}

const finite = z.number().finite();

/** One OHLCV bar; `time` is the bar's open time in epoch milliseconds (UTC). */
export const CandleSchema = z.object({
  time: z.number().int().nonnegative(),
  open: finite,
  high: finite,
  low: finite,
  close: finite,
  volume: finite.nonnegative(),
});
export type Candle = z.infer<typeof CandleSchema>;

const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'letters, digits and . _ : / - only');

/** Identifies one stored or streamed bar series. */
export const SeriesKeySchema = z.object({
  exchange: name,
  symbol: name,
  timeframe: TimeframeSchema,
});
export type SeriesKey = z.infer<typeof SeriesKeySchema>;

export const SeriesSummarySchema = SeriesKeySchema.extend({
  count: z.number().int().nonnegative(),
  firstTime: z.number().int().nonnegative(),
  lastTime: z.number().int().nonnegative(),
});
export type SeriesSummary = z.infer<typeof SeriesSummarySchema>;

export const FEED_KINDS = ['simulated', 'replay', 'exchange'] as const;
export const FeedKindSchema = z.enum(FEED_KINDS);
export type FeedKind = z.infer<typeof FeedKindSchema>;

/** Replay speeds: a multiple of real time, or 'max' for as fast as possible. */
export const ReplaySpeedSchema = z.union([
  z.literal(1),
  z.literal(10),
  z.literal(100),
  z.literal('max'),
]);
export type ReplaySpeed = z.infer<typeof ReplaySpeedSchema>;

export const FeedStateSchema = z.enum([
  'starting',
  'live',
  'reconnecting',
  'paused',
  'ended',
  'error',
]);
export type FeedState = z.infer<typeof FeedStateSchema>;

export const FeedStatusSchema = z.object({
  kind: FeedKindSchema,
  state: FeedStateSchema,
  series: SeriesKeySchema,
  /** Human label, e.g. "SIMULATED market (seed 42)". */
  label: z.string(),
  replaySpeed: ReplaySpeedSchema.nullable(),
  messagesPerSecond: z.number().nonnegative(),
  /** Replay progress in [0, 1]; null for open-ended feeds. */
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable(),
  /** Connection health of a live exchange feed; absent for simulated and replay feeds. */
  health: z
    .object({
      lagMs: z.number().nullable(),
      reconnects: z.number().int().nonnegative(),
      badMessages: z.number().int().nonnegative(),
      duplicateBars: z.number().int().nonnegative(),
      rateLimited: z.number().int().nonnegative(),
      restErrors: z.number().int().nonnegative(),
      lastErrorAt: z.number().nullable(),
    })
    .nullable()
    .optional(),
});
export type FeedStatus = z.infer<typeof FeedStatusSchema>;

/** A bar from a feed: `closed` bars are final; others are in-progress updates of the newest bar. */
export const CandleEventSchema = z.object({
  series: SeriesKeySchema,
  candle: CandleSchema,
  closed: z.boolean(),
});
export type CandleEvent = z.infer<typeof CandleEventSchema>;

export const FeedSelectionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('simulated'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    symbol: name.optional(),
  }),
  z.object({
    kind: z.literal('exchange'),
    /** A ccxt exchange id, e.g. `binance` (spot) or `binanceusdm` (USDⓈ-M futures). */
    exchange: z
      .string()
      .regex(/^[a-z0-9]+$/, 'a ccxt exchange id: lowercase letters and digits')
      .max(32),
    symbol: name,
    /** Higher timeframes built from the 1m stream besides it (UTC boundaries). */
    timeframes: z.array(TimeframeSchema).max(12).optional(),
    source: z.enum(['klines', 'trades']).optional(),
  }),
  z.object({
    kind: z.literal('replay'),
    series: SeriesKeySchema,
    speed: ReplaySpeedSchema,
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  }),
]);
export type FeedSelection = z.infer<typeof FeedSelectionSchema>;
