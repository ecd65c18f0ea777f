import { z } from 'zod';
import {
  BacktestProgressSchema,
  BacktestResultSchema,
  BacktestRunSummarySchema,
  ExportTradesParamsSchema,
  ListBacktestsParamsSchema,
  ExportTradesResultSchema,
  RunBacktestParamsSchema,
  RunIdParamsSchema,
  StrategyTemplateSummarySchema,
} from './backtest';
import {
  EquityCurvesSchema,
  GetEquityCurvesParamsSchema,
  GetStrategyChartParamsSchema,
  StrategyChartSchema,
} from './chart';
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
import {
  AlertSchema,
  CircuitBreakerLimitsSchema,
  CircuitBreakerStateSchema,
  DeployStrategyParamsSchema,
  DeployStrategyResultSchema,
  EmergencyStopResultSchema,
  ExportLiveTradesParamsSchema,
  ListAlertsParamsSchema,
  ListLiveTradesParamsSchema,
  ListVariantsParamsSchema,
  LiveTradeRowSchema,
  MetricsUpdateSchema,
  PositionRowSchema,
  PromoteVariantParamsSchema,
  PromotionAuditRowSchema,
  PromotionCandidateSchema,
  PromotionPreviewSchema,
  SetAutoPromoteParamsSchema,
  StrategyActionParamsSchema,
  StrategyIdParamsSchema,
  StrategySummarySchema,
  TrialLedgerSchema,
  VariantActionParamsSchema,
  VariantIdParamsSchema,
  VariantRowSchema,
  VariantStoppedSchema,
} from './variants';

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
  /** The newest stored runs first (they outlive a reload and a restart of the host). */
  listBacktests: {
    params: ListBacktestsParamsSchema,
    result: z.array(BacktestRunSummarySchema),
  },
  /** Stored trades matching a filter, as CSV or JSON text. */
  exportTrades: { params: ExportTradesParamsSchema, result: ExportTradesResultSchema },

  // The variant manager: main and its variants on the current feed.
  /** Deploys a template as main plus N variants drawn from its parameter space; they warm up, then trade. */
  deployStrategy: { params: DeployStrategyParamsSchema, result: DeployStrategyResultSchema },
  listStrategies: { params: noParams, result: z.array(StrategySummarySchema) },
  listVariants: { params: ListVariantsParamsSchema, result: z.array(VariantRowSchema) },
  /** Pause, resume, stop or restart one variant (main included) without touching the others. */
  controlVariant: { params: VariantActionParamsSchema, result: VariantRowSchema },
  /** The same action on main and every variant of a strategy. */
  controlStrategy: { params: StrategyActionParamsSchema, result: z.array(VariantRowSchema) },
  /** Stops a variant now, closing its position at the next bar's open. */
  killVariant: { params: VariantIdParamsSchema, result: VariantRowSchema },
  /** What promoting would do (the confirmation's text and numbers); changes nothing. */
  previewPromotion: { params: VariantIdParamsSchema, result: PromotionPreviewSchema },
  /** The variant's parameters become main's; recorded in the audit table. */
  promoteVariant: { params: PromoteVariantParamsSchema, result: PromotionAuditRowSchema },
  listPromotionAudit: {
    params: z.object({ strategyId: z.string().min(1).max(100).optional() }).strict(),
    result: z.array(PromotionAuditRowSchema),
  },
  /** Auto-promote is off by default. */
  setAutoPromote: { params: SetAutoPromoteParamsSchema, result: StrategySummarySchema },
  getTrialLedger: { params: StrategyIdParamsSchema, result: TrialLedgerSchema },
  /** Flatten everything: every position closed at the next bar's open, every strategy stopped. */
  emergencyStop: { params: noParams, result: EmergencyStopResultSchema },
  getCircuitBreaker: { params: noParams, result: CircuitBreakerStateSchema },
  setCircuitBreakerLimits: {
    params: CircuitBreakerLimitsSchema,
    result: CircuitBreakerStateSchema,
  },
  /** Re-allows new entries after a trip (a person's decision). */
  resetCircuitBreaker: { params: noParams, result: CircuitBreakerStateSchema },
  listPositions: { params: noParams, result: z.array(PositionRowSchema) },
  listLiveTrades: { params: ListLiveTradesParamsSchema, result: z.array(LiveTradeRowSchema) },
  /** Live trades matching a filter, as CSV or JSON text: exactly the rows `listLiveTrades` gives. */
  exportLiveTrades: { params: ExportLiveTradesParamsSchema, result: ExportTradesResultSchema },
  listAlerts: { params: ListAlertsParamsSchema, result: z.array(AlertSchema) },

  // Charts.
  /** Candles, indicator overlays, "why it fired" signals, trades, equity and position levels. */
  getStrategyChart: { params: GetStrategyChartParamsSchema, result: StrategyChartSchema },
  /** Equity curves of several variants or runs, for the comparison mode. */
  getEquityCurves: { params: GetEquityCurvesParamsSchema, result: EquityCurvesSchema },
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
  variantStarted: VariantRowSchema,
  variantStopped: VariantStoppedSchema,
  tradeExecuted: LiveTradeRowSchema,
  /** Snapshots of the variants that changed, batched: at most ~4 per second in all. */
  metricsUpdate: MetricsUpdateSchema,
  promotionCandidate: PromotionCandidateSchema,
  promoted: PromotionAuditRowSchema,
  circuitBreaker: CircuitBreakerStateSchema,
  alert: AlertSchema,
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
