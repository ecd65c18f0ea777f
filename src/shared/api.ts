import { z } from 'zod';
import {
  BacktestProgressSchema,
  BacktestResultSchema,
  ExportTradesParamsSchema,
  ExportTradesResultSchema,
  RunBacktestParamsSchema,
  RunIdParamsSchema,
  StrategyTemplateSummarySchema,
} from './backtest';
import type { Disposable } from './disposable';
import { ImportReportSchema, ImportRequestSchema } from './history';
import {
  CandleSchema,
  FeedSelectionSchema,
  FeedStatusSchema,
  ReplaySpeedSchema,
  SeriesKeySchema,
  SeriesSummarySchema,
} from './market';

/** Largest request frame a transport accepts before it answers PAYLOAD_TOO_LARGE. */
export const MAX_REQUEST_BYTES = 72 * 1024 * 1024;

const noParams = z.object({}).strict();

/**
 * The one API contract. Every request (`methods`) and every event (`events`) is defined here
 * once; both transports (Electron IPC and the headless WebSocket host) validate against it.
 */
export const apiMethods = {
  getAppInfo: {
    params: noParams,
    result: z.object({ name: z.string(), version: z.string(), node: z.string() }),
  },
  getFeedStatus: { params: noParams, result: FeedStatusSchema },
  selectFeed: { params: FeedSelectionSchema, result: FeedStatusSchema },
  setReplaySpeed: {
    params: z.object({ speed: ReplaySpeedSchema }).strict(),
    result: FeedStatusSchema,
  },
  /** Bars the current feed has produced so far (newest last), for a chart's first paint. */
  getFeedCandles: {
    params: z.object({ limit: z.number().int().min(1).max(1_000_000).default(5_000) }).strict(),
    result: z.object({
      series: SeriesKeySchema,
      candles: z.array(CandleSchema),
      forming: CandleSchema.nullable(),
    }),
  },
  /** Stored history of one series. */
  getCandles: {
    params: z
      .object({
        series: SeriesKeySchema,
        from: z.number().int().nonnegative().optional(),
        to: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(1_000_000).default(10_000),
      })
      .strict(),
    result: z.object({ series: SeriesKeySchema, candles: z.array(CandleSchema) }),
  },
  listSeries: { params: noParams, result: z.array(SeriesSummarySchema) },
  importHistory: { params: ImportRequestSchema.strict(), result: ImportReportSchema },
  /** The shipped strategy templates a backtest can run. */
  listStrategyTemplates: { params: noParams, result: z.array(StrategyTemplateSummarySchema) },
  /** Starts a backtest; it runs in the host, reporting `backtestProgress` until it ends. */
  runBacktest: { params: RunBacktestParamsSchema, result: z.object({ runId: z.string() }) },
  /** Stops a running backtest at its next yield; false when it was not running. */
  cancelBacktest: { params: RunIdParamsSchema, result: z.object({ cancelled: z.boolean() }) },
  /** A run's trades, equity curve and metrics (status `running` until it ends). */
  getBacktestResult: { params: RunIdParamsSchema, result: BacktestResultSchema },
  /** Stored trades matching a filter, as CSV or JSON text. */
  exportTrades: { params: ExportTradesParamsSchema, result: ExportTradesResultSchema },
} as const;

/** Events pushed from the host; high-rate ones are batched on the host before they cross. */
export const apiEvents = {
  /** Feed bars, batched: closed bars in order, then the newest in-progress bar if any. */
  marketBars: z.object({
    series: SeriesKeySchema,
    closed: z.array(CandleSchema),
    forming: CandleSchema.nullable(),
  }),
  feedStatus: FeedStatusSchema,
  historyImported: ImportReportSchema,
  /** A backtest's progress while it runs, and its final status. */
  backtestProgress: BacktestProgressSchema,
} as const;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type EventName = keyof typeof apiEvents;
/** What a caller passes (defaults may be omitted). */
export type ParamsIn<M extends MethodName> = z.input<ApiMethods[M]['params']>;
/** What a handler receives, after validation and defaults. */
export type Params<M extends MethodName> = z.output<ApiMethods[M]['params']>;
export type Result<M extends MethodName> = z.output<ApiMethods[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof apiEvents)[E]>;

/** The handler table core builds; both hosts serve it. */
export type ApiHandlers = {
  [M in MethodName]: (params: Params<M>) => Promise<Result<M>> | Result<M>;
};

/** What the renderer talks to; it never knows which transport sits behind it. */
export type Api = { [M in MethodName]: (params: ParamsIn<M>) => Promise<Result<M>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Disposable;
};

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(apiEvents, value);
}
