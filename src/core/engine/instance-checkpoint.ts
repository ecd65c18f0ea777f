import { z } from 'zod';
import {
  ENTRY_REASONS,
  ORDER_EXIT_REASONS,
  type PaperExchangeState,
  type PaperPositionState,
} from '../execution';
import type { MetricsTrackerState } from '../metrics';

/**
 * A double as JSON carries it exactly: finite numbers as numbers (JSON round-trips them to the last
 * bit), and the values JSON has no number for — ±∞ (an unset stop), NaN (no close seen yet) and
 * −0 (which JSON turns into 0) — as strings.
 */
export const JsonDoubleSchema = z.union([
  z.number(),
  z.enum(['Infinity', '-Infinity', 'NaN', '-0']),
]);
export type JsonDouble = z.infer<typeof JsonDoubleSchema>;

export function encodeDouble(x: number): JsonDouble {
  if (Number.isFinite(x)) return Object.is(x, -0) ? '-0' : x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

export function decodeDouble(x: JsonDouble): number {
  if (typeof x === 'number') return x;
  return x === '-0' ? -0 : x === 'NaN' ? Number.NaN : x === 'Infinity' ? Infinity : -Infinity;
}

const double = JsonDoubleSchema;
const count = z.number().int().nonnegative();
const id = z.number().int().positive();
const side = z.enum(['long', 'short']);
const finitePositive = z.number().positive();

const ProtectionLevelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('price'), price: finitePositive }),
  z.object({ kind: z.literal('roi'), roiPct: z.number() }),
]);

/** An entry order waiting for the next bar's open, as it was submitted. */
const EntryRequestSchema = z.object({
  type: z.literal('entry'),
  side,
  size: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('quantity'), quantity: finitePositive }),
    z.object({ kind: z.literal('cashFraction'), fraction: finitePositive.max(1) }),
  ]),
  stopLoss: ProtectionLevelSchema.optional(),
  takeProfit: ProtectionLevelSchema.optional(),
  trailingStop: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('percent'), percent: finitePositive }),
      z.object({ kind: z.literal('roi'), roiPct: z.number() }),
    ])
    .optional(),
  reason: z.enum(ENTRY_REASONS).optional(),
});

const ExitRequestSchema = z.object({
  type: z.literal('exit'),
  reason: z.enum(ORDER_EXIT_REASONS),
  quantity: finitePositive.optional(),
});

const PositionSchema = z.object({
  side,
  quantity: finitePositive,
  entryPrice: finitePositive,
  entryTime: z.number(),
  entryReason: z.enum(ENTRY_REASONS),
  entryFeeLeft: double,
  margin: double,
  leverage: finitePositive,
  /** ±∞ when unset (the side where it never triggers). */
  stopLoss: double,
  takeProfit: double,
  trailingDistance: z.number().nonnegative(),
  trailingStop: double,
  liquidationPrice: double,
});

/** The paper exchange's account, position, queued orders and id counters. */
export const ExchangeCheckpointSchema = z.object({
  cash: double,
  equity: double,
  /** −∞ before the first bar. */
  lastBarTime: double,
  /** NaN before the first bar. */
  lastClose: double,
  barExposed: z.boolean(),
  nextOrderId: id,
  nextTradeId: id,
  position: PositionSchema.nullable(),
  pendingEntry: z.object({ orderId: id, request: EntryRequestSchema }).nullable(),
  pendingExit: z.object({ orderId: id, request: ExitRequestSchema }).nullable(),
});

/** The metrics tracker's running sums and counters. */
export const MetricsCheckpointSchema = z.object({
  initialEquity: finitePositive,
  periodsPerYear: finitePositive,
  equity: double,
  bars: count,
  exposedBars: count,
  firstTime: z.number().nullable(),
  lastTime: z.number().nullable(),
  returns: z.object({
    count,
    mean: double,
    m2: double,
    m3: double,
    m4: double,
    downsideSq: double,
    /** Pending zero returns (absent in checkpoints written before they were deferred). */
    zeros: count.default(0),
  }),
  /** Peak is −∞ before the first mark. */
  drawdown: z.object({ peak: double, maxDrawdown: double }),
  trades: z.object({
    count,
    wins: count,
    losses: count,
    grossProfit: double,
    grossLoss: double,
    netPnl: double,
  }),
});

export const INSTANCE_CHECKPOINT_VERSION = 1;

/**
 * A strategy instance's state between two bars, JSON-safe, exact to the last bit: what a variant
 * persists with its trades so that after a hard kill it is rebuilt — restored, re-warmed from
 * stored candles up to `time`, then traded from the next bar — and goes on exactly as if it had
 * never stopped. Indicators and the rules' look-back are not in it: they re-warm from candles.
 */
export const InstanceCheckpointSchema = z.object({
  version: z.literal(INSTANCE_CHECKPOINT_VERSION),
  /** The instance (variant) it was taken from. */
  variantId: z.string(),
  /** Open time of the last bar the instance had processed (traded or warmed up on), or null. */
  time: z.number().nullable(),
  /** Closed bars seen, warm-up included. */
  barsSeen: count,
  /** Whether the rules were allowed to act (every indicator ready, look-back filled). */
  warm: z.boolean(),
  /** Consecutive ready bars counted towards warmth while not yet warm. */
  readyStreak: count,
  exchange: ExchangeCheckpointSchema,
  metrics: MetricsCheckpointSchema,
});
export type InstanceCheckpoint = z.infer<typeof InstanceCheckpointSchema>;
export type ExchangeCheckpoint = z.infer<typeof ExchangeCheckpointSchema>;
export type MetricsCheckpoint = z.infer<typeof MetricsCheckpointSchema>;

/** A checkpoint that does not match the schema: `issues` name every path that is wrong. */
export class InstanceCheckpointError extends Error {
  public constructor(public readonly issues: readonly string[]) {
    super(`invalid instance checkpoint: ${issues.join('; ')}`);
    this.name = 'InstanceCheckpointError';
  }
}

/**
 * Validates a checkpoint read back from storage (e.g. `JSON.parse` of a stored row).
 * @throws InstanceCheckpointError naming each wrong field.
 */
export function parseInstanceCheckpoint(input: unknown): InstanceCheckpoint {
  const result = InstanceCheckpointSchema.safeParse(input);
  if (!result.success) {
    throw new InstanceCheckpointError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

export function encodeExchangeState(s: PaperExchangeState): ExchangeCheckpoint {
  const p = s.position;
  return {
    cash: encodeDouble(s.cash),
    equity: encodeDouble(s.equity),
    lastBarTime: encodeDouble(s.lastBarTime),
    lastClose: encodeDouble(s.lastClose),
    barExposed: s.barExposed,
    nextOrderId: s.nextOrderId,
    nextTradeId: s.nextTradeId,
    position:
      p === null
        ? null
        : {
            side: p.side,
            quantity: p.quantity,
            entryPrice: p.entryPrice,
            entryTime: p.entryTime,
            entryReason: p.entryReason,
            entryFeeLeft: encodeDouble(p.entryFeeLeft),
            margin: encodeDouble(p.margin),
            leverage: p.leverage,
            stopLoss: encodeDouble(p.stopLoss),
            takeProfit: encodeDouble(p.takeProfit),
            trailingDistance: p.trailingDistance,
            trailingStop: encodeDouble(p.trailingStop),
            liquidationPrice: encodeDouble(p.liquidationPrice),
          },
    // Requests hold finite numbers only (the exchange refuses others at submission).
    ...copyPending(s),
  };
}

/** The queued orders, copied so a checkpoint and an exchange never share one. */
function copyPending(
  s: Pick<PaperExchangeState, 'pendingEntry' | 'pendingExit'>,
): Pick<PaperExchangeState, 'pendingEntry' | 'pendingExit'> {
  return {
    pendingEntry:
      s.pendingEntry === null
        ? null
        : { orderId: s.pendingEntry.orderId, request: structuredClone(s.pendingEntry.request) },
    pendingExit:
      s.pendingExit === null
        ? null
        : { orderId: s.pendingExit.orderId, request: { ...s.pendingExit.request } },
  };
}

export function decodeExchangeState(c: ExchangeCheckpoint): PaperExchangeState {
  const p = c.position;
  const position: PaperPositionState | null =
    p === null
      ? null
      : {
          ...p,
          entryFeeLeft: decodeDouble(p.entryFeeLeft),
          margin: decodeDouble(p.margin),
          stopLoss: decodeDouble(p.stopLoss),
          takeProfit: decodeDouble(p.takeProfit),
          trailingStop: decodeDouble(p.trailingStop),
          liquidationPrice: decodeDouble(p.liquidationPrice),
        };
  return {
    cash: decodeDouble(c.cash),
    equity: decodeDouble(c.equity),
    lastBarTime: decodeDouble(c.lastBarTime),
    lastClose: decodeDouble(c.lastClose),
    barExposed: c.barExposed,
    nextOrderId: c.nextOrderId,
    nextTradeId: c.nextTradeId,
    position,
    ...copyPending(c),
  };
}

export function encodeMetricsState(s: MetricsTrackerState): MetricsCheckpoint {
  const r = s.returns;
  const t = s.trades;
  return {
    initialEquity: s.initialEquity,
    periodsPerYear: s.periodsPerYear,
    equity: encodeDouble(s.equity),
    bars: s.bars,
    exposedBars: s.exposedBars,
    firstTime: s.firstTime,
    lastTime: s.lastTime,
    returns: {
      count: r.count,
      mean: encodeDouble(r.mean),
      m2: encodeDouble(r.m2),
      m3: encodeDouble(r.m3),
      m4: encodeDouble(r.m4),
      downsideSq: encodeDouble(r.downsideSq),
      zeros: r.zeros,
    },
    drawdown: {
      peak: encodeDouble(s.drawdown.peak),
      maxDrawdown: encodeDouble(s.drawdown.maxDrawdown),
    },
    trades: {
      count: t.count,
      wins: t.wins,
      losses: t.losses,
      grossProfit: encodeDouble(t.grossProfit),
      grossLoss: encodeDouble(t.grossLoss),
      netPnl: encodeDouble(t.netPnl),
    },
  };
}

export function decodeMetricsState(c: MetricsCheckpoint): MetricsTrackerState {
  const r = c.returns;
  const t = c.trades;
  return {
    initialEquity: c.initialEquity,
    periodsPerYear: c.periodsPerYear,
    equity: decodeDouble(c.equity),
    bars: c.bars,
    exposedBars: c.exposedBars,
    firstTime: c.firstTime,
    lastTime: c.lastTime,
    returns: {
      count: r.count,
      mean: decodeDouble(r.mean),
      m2: decodeDouble(r.m2),
      m3: decodeDouble(r.m3),
      m4: decodeDouble(r.m4),
      downsideSq: decodeDouble(r.downsideSq),
      zeros: r.zeros,
    },
    drawdown: {
      peak: decodeDouble(c.drawdown.peak),
      maxDrawdown: decodeDouble(c.drawdown.maxDrawdown),
    },
    trades: {
      count: t.count,
      wins: t.wins,
      losses: t.losses,
      grossProfit: decodeDouble(t.grossProfit),
      grossLoss: decodeDouble(t.grossLoss),
      netPnl: decodeDouble(t.netPnl),
    },
  };
}
