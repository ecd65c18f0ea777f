import { z } from 'zod';
import { MetricsSchema, ParameterValueSchema, TradeRowSchema } from './backtest';
import { SeriesKeySchema } from './market';

// The variant-manager part of the API contract: deployed strategies, their main and variants,
// safety limits, the circuit breaker, promotion and its audit, positions, live trades and alerts.
// Plain zod, no Node, DOM or core imports.

const num = z.number();
const time = z.number().int().nonnegative();
const id = z.string().min(1).max(100);
const parameters = z.record(z.string().max(64), ParameterValueSchema);

/** `main` trades at full size; a `variant` is an experiment beside it. */
export const VariantRoleSchema = z.enum(['main', 'variant']);
export type VariantRole = z.infer<typeof VariantRoleSchema>;

/** Paper by default; `real` is reserved for the opt-in live mode and refused for now. */
export const TradingModeSchema = z.enum(['paper', 'real']);
export type TradingMode = z.infer<typeof TradingModeSchema>;

/**
 * - `warming`: reading stored history, not trading yet;
 * - `running`: trading on every closed bar;
 * - `paused`: sees bars (indicators stay current), places no new entries, keeps its position's
 *   stops and targets working;
 * - `stopped`: ended by a person, a safety limit or the emergency stop (see the reason), flat;
 * - `error`: an exception in this variant stopped it alone (the reason says which).
 */
export const VariantStatusSchema = z.enum(['warming', 'running', 'paused', 'stopped', 'error']);
export type VariantStatus = z.infer<typeof VariantStatusSchema>;

/** How the live optimizer draws variants from the parameter space; seeded, so reproducible. */
export const SamplerSchema = z.enum(['random', 'latin-hypercube', 'grid']);
export type Sampler = z.infer<typeof SamplerSchema>;

/** Per-variant safety limits (DESIGN.md: 5% loss, 10% drawdown), percent of the account. */
export const SafetyLimitsSchema = z
  .object({
    maxLossPct: num.gt(0).max(100).default(5),
    maxDrawdownPct: num.gt(0).max(100).default(10),
  })
  .strict();
export type SafetyLimits = z.output<typeof SafetyLimitsSchema>;

/** Global circuit breaker limits over main and every variant together. */
export const CircuitBreakerLimitsSchema = z
  .object({
    /** Drawdown of the summed equity of all running accounts, percent. */
    maxDrawdownPct: num.gt(0).max(100).default(15),
    /** Loss since the UTC day began over all accounts, percent of their summed equity then. */
    maxDailyLossPct: num.gt(0).max(100).default(5),
    /**
     * Losing bars in a row of the whole book: a bar counts as lost when the trades that closed
     * on it, summed over main and every variant, lost money; a bar with a gain or break-even
     * ends the run and a bar with no closed trade leaves it. (Counting single trades across
     * accounts tripped within a minute with 100 variants exiting on the same bars.) Even a book
     * that loses 60% of its closing bars (fees on random entries) runs 20 in a row by chance
     * about once in seven weeks of 1-minute bars.
     */
    maxConsecutiveLosses: z.number().int().min(1).max(100_000).default(20),
    /**
     * Orders submitted per minute (wall clock), across all accounts: a runaway loop's symptom.
     * A 100× replay of 100 variants submits a few hundred a minute.
     */
    maxOrdersPerMinute: z.number().int().min(1).max(1_000_000).default(6_000),
  })
  .strict();
export type CircuitBreakerLimits = z.output<typeof CircuitBreakerLimitsSchema>;

/** What `deployStrategy` takes: a template, main's parameters and how many variants beside it. */
export const DeployStrategyParamsSchema = z
  .object({
    templateId: id,
    /** Main's values by parameter name (without `$`); missing ones take the template's defaults. */
    parameters: parameters.default({}),
    /** Variants drawn beside main (DESIGN: 5 by default; 1,000 must run). */
    variants: z.number().int().min(0).max(1_000).default(5),
    sampler: SamplerSchema.default('latin-hypercube'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    safety: SafetyLimitsSchema.default({ maxLossPct: 5, maxDrawdownPct: 10 }),
    /** Paper account per variant and for main, in quote currency. */
    initialCash: num.gt(0).max(1e12).default(10_000),
    mode: TradingModeSchema.default('paper'),
  })
  .strict();
export type DeployStrategyParams = z.output<typeof DeployStrategyParamsSchema>;

/** The few statistics a table shows, from a variant's latest snapshot. */
export const VariantMetricsSchema = MetricsSchema.pick({
  equity: true,
  roiPct: true,
  sharpe: true,
  dsr: true,
  psr: true,
  maxDrawdown: true,
  winRate: true,
  profitFactor: true,
  profitFactorInfinite: true,
  tradeCount: true,
  exposure: true,
  bars: true,
  lastTime: true,
});
export type VariantMetrics = z.infer<typeof VariantMetricsSchema>;

/** Why a variant is (or is not) a promotion candidate: DESIGN.md's gate with its numbers. */
export const PromotionDecisionSchema = z.object({
  isCandidate: z.boolean(),
  closedTrades: z.object({
    value: z.number().int(),
    required: z.number().int(),
    pass: z.boolean(),
  }),
  dsr: z.object({
    value: num.nullable(),
    required: num,
    benchmarkSharpe: num,
    trials: z.number().int(),
    sharpeVariance: num,
    pass: z.boolean(),
  }),
  sharpe: z.object({
    candidate: num.nullable(),
    main: num.nullable(),
    sameWindow: z.boolean(),
    pass: z.boolean(),
  }),
  /** One sentence per failed check; empty for a candidate. */
  reasons: z.array(z.string()),
  /**
   * Only for a variant that no longer trades (stopped, closing, failed), which is never a
   * candidate: whether it was one when it stopped. Its first reason says the same in words.
   */
  wasCandidate: z.boolean().optional(),
});
export type PromotionDecision = z.infer<typeof PromotionDecisionSchema>;

/** One row of the leaderboard: a variant (or main) and how it is doing now. */
export const VariantRowSchema = z.object({
  variantId: id,
  strategyId: id,
  strategyName: z.string(),
  role: VariantRoleSchema,
  mode: TradingModeSchema,
  status: VariantStatusSchema,
  /**
   * Why it stopped or failed, or why a live one takes no bar now (the feed shows another series,
   * a replay restarted before its last bar, the feed has ended), in words; null otherwise.
   */
  statusReason: z.string().nullable(),
  parameters,
  series: SeriesKeySchema,
  timeframe: z.string(),
  startedAt: time,
  metrics: VariantMetricsSchema,
  /** Main has none; a variant's is refreshed with its metrics. */
  promotion: PromotionDecisionSchema.nullable(),
  /** Bars still needed before it can trade (0 once warm). */
  warmUpBarsLeft: z.number().int().nonnegative(),
  position: z.enum(['long', 'short']).nullable(),
});
export type VariantRow = z.infer<typeof VariantRowSchema>;

/** A deployed strategy: main plus its variants on one series. */
export const StrategySummarySchema = z.object({
  strategyId: id,
  name: z.string(),
  templateId: z.string().nullable(),
  /** Increases on every promotion (main's parameters changed). */
  version: z.number().int().min(1),
  series: SeriesKeySchema,
  timeframe: z.string(),
  mainVariantId: id,
  variantCount: z.number().int().nonnegative(),
  autoPromote: z.boolean(),
  /** Parameter sets ever tried for this strategy, live or backtest: the DSR's N. */
  trials: z.number().int().nonnegative(),
  createdAt: time,
});
export type StrategySummary = z.infer<typeof StrategySummarySchema>;

export const DeployStrategyResultSchema = z.object({
  strategy: StrategySummarySchema,
  variants: z.array(VariantRowSchema),
});

export const VariantActionSchema = z.enum(['pause', 'resume', 'stop', 'restart']);
export type VariantAction = z.infer<typeof VariantActionSchema>;

export const VariantActionParamsSchema = z
  .object({ variantId: id, action: VariantActionSchema })
  .strict();
export const StrategyActionParamsSchema = z
  .object({ strategyId: id, action: VariantActionSchema })
  .strict();
export const VariantIdParamsSchema = z.object({ variantId: id }).strict();
export const StrategyIdParamsSchema = z.object({ strategyId: id }).strict();
export const ListVariantsParamsSchema = z.object({ strategyId: id.optional() }).strict();

/** What a promotion would do, for the confirmation dialog, before anyone clicks. */
export const PromotionPreviewSchema = z.object({
  variantId: id,
  strategyId: id,
  decision: PromotionDecisionSchema,
  /** Main's parameters now and after the promotion. */
  before: parameters,
  after: parameters,
  /** What happens, in one or two sentences (incl. "this variant is not a candidate" when so). */
  summary: z.string(),
});
export type PromotionPreview = z.infer<typeof PromotionPreviewSchema>;

export const PromoteVariantParamsSchema = z
  .object({
    variantId: id,
    /** Must be true to promote a variant the gate does not pass; the dialog says so. */
    acceptNonCandidate: z.boolean().default(false),
  })
  .strict();

/** One promotion, as the audit table keeps it. */
export const PromotionAuditRowSchema = z.object({
  auditId: z.number().int(),
  strategyId: id,
  variantId: id,
  time,
  /** `person` through the API, `auto` when auto-promote did it. */
  by: z.enum(['person', 'auto']),
  wasCandidate: z.boolean(),
  before: parameters,
  after: parameters,
  decision: PromotionDecisionSchema,
  versionBefore: z.number().int(),
  versionAfter: z.number().int(),
});
export type PromotionAuditRow = z.infer<typeof PromotionAuditRowSchema>;

export const SetAutoPromoteParamsSchema = z
  .object({ strategyId: id, enabled: z.boolean() })
  .strict();

export const CircuitBreakerStateSchema = z.object({
  tripped: z.boolean(),
  /** Which limit tripped it, in words; null when not tripped. */
  reason: z.string().nullable(),
  trippedAt: time.nullable(),
  limits: z.object({
    maxDrawdownPct: num,
    maxDailyLossPct: num,
    maxConsecutiveLosses: z.number().int(),
    maxOrdersPerMinute: z.number().int(),
  }),
  /** The measured values the limits are compared with. */
  values: z.object({
    drawdownPct: num,
    dailyLossPct: num,
    consecutiveLosses: z.number().int(),
    ordersLastMinute: z.number().int(),
  }),
});
export type CircuitBreakerState = z.infer<typeof CircuitBreakerStateSchema>;

export const EmergencyStopResultSchema = z.object({
  /** Positions closed at the next bar's open and variants stopped. */
  flattened: z.number().int().nonnegative(),
  stopped: z.number().int().nonnegative(),
  time,
});

/** An open position of main or a variant. */
export const PositionRowSchema = z.object({
  variantId: id,
  strategyId: id,
  role: VariantRoleSchema,
  side: z.enum(['long', 'short']),
  quantity: num,
  leverage: num,
  entryTime: time,
  entryPrice: num,
  markPrice: num,
  unrealisedPnl: num,
  stopPrice: num.nullable(),
  targetPrice: num.nullable(),
  liquidationPrice: num.nullable(),
});
export type PositionRow = z.infer<typeof PositionRowSchema>;

/** A live trade with the strategy and role it belongs to. */
export const LiveTradeRowSchema = TradeRowSchema.extend({
  strategyId: id,
  role: VariantRoleSchema,
});
export type LiveTradeRow = z.infer<typeof LiveTradeRowSchema>;

/** Which live trades to list; every field narrows, none means all. */
export const LiveTradeFilterSchema = z
  .object({
    strategyId: id.optional(),
    variantId: id.optional(),
    role: VariantRoleSchema.optional(),
    side: z.enum(['long', 'short']).optional(),
    exitReason: z.string().max(64).optional(),
    /** Trades that closed within [from, to] (bar open times, epoch ms). */
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
export type LiveTradeFilter = z.infer<typeof LiveTradeFilterSchema>;

export const ListLiveTradesParamsSchema = z
  .object({
    filter: LiveTradeFilterSchema.default({}),
    limit: z.number().int().min(1).max(100_000).default(5_000),
  })
  .strict();

export const ExportLiveTradesParamsSchema = z
  .object({ filter: LiveTradeFilterSchema.default({}), format: z.enum(['csv', 'json']) })
  .strict();

/** One parameter set the trial ledger holds. */
export const TrialRowSchema = z.object({
  strategyId: id,
  parameters,
  source: z.enum(['live', 'backtest']),
  firstSeen: time,
  /** Per-period Sharpe of its latest evaluation, null before it has one. */
  perPeriodSharpe: num.nullable(),
});
export const TrialLedgerSchema = z.object({
  strategyId: id,
  /** N of the DSR. */
  count: z.number().int().nonnegative(),
  /** V of the DSR: variance of the per-period Sharpe across trials that have one. */
  sharpeVariance: num,
  trials: z.array(TrialRowSchema),
});

export const AlertKindSchema = z.enum([
  'safety-stop',
  'promotion-candidate',
  'promoted',
  'circuit-breaker',
  'emergency-stop',
  'variant-error',
  'feed-down',
  'feed-restored',
  'replay-behind',
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** A notification, also kept in the alert log. */
export const AlertSchema = z.object({
  alertId: z.number().int(),
  /** Wall-clock time it was raised, epoch ms. */
  time,
  /**
   * Open time of the market bar it happened at (epoch ms): during a replay the wall clock says
   * nothing about that. Null when no bar applies (before any bar, alerts stored before it was
   * kept).
   */
  barTime: time.nullable(),
  kind: AlertKindSchema,
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  strategyId: id.nullable(),
  variantId: id.nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const ListAlertsParamsSchema = z
  .object({ limit: z.number().int().min(1).max(10_000).default(500) })
  .strict();

/** Batched metric snapshots of every variant that changed (at most ~4 per second in all). */
export const MetricsUpdateSchema = z.object({
  time,
  rows: z.array(
    z.object({
      variantId: id,
      status: VariantStatusSchema,
      /** As in {@link VariantRowSchema}: it changes with the feed too (another series, ended). */
      statusReason: z.string().nullable(),
      metrics: VariantMetricsSchema,
      promotion: PromotionDecisionSchema.nullable(),
      warmUpBarsLeft: z.number().int().nonnegative(),
      position: z.enum(['long', 'short']).nullable(),
    }),
  ),
});
export type MetricsUpdate = z.infer<typeof MetricsUpdateSchema>;

export const VariantStoppedSchema = z.object({
  variantId: id,
  strategyId: id,
  status: VariantStatusSchema,
  reason: z.string().nullable(),
});

export const PromotionCandidateSchema = z.object({
  variantId: id,
  strategyId: id,
  decision: PromotionDecisionSchema,
});
