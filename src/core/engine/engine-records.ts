import type { ClosedTrade, Fill, OrderRejectReason } from '../execution';
import { pairTerms, type RuleName, type TermValue } from '../strategy';

/**
 * What an instance did when a rule fired on a closed bar:
 * - `entry` / `exit`: it submitted that order (see `orderId`);
 * - `conflict`: long and short entry were both true, so nothing was entered;
 * - `refused`: the venue refused the order at submission (the order record says why);
 * - `blocked`: an entry the engine held back (paused variant, circuit breaker): no order.
 */
export type SignalAction = 'entry' | 'exit' | 'conflict' | 'refused' | 'blocked';

/** A rule that fired, with the values of its terms on that bar: the "why it fired" record. */
export interface SignalRecord {
  readonly variantId: string;
  /** Open time of the closed bar the rule fired on. */
  readonly time: number;
  readonly rule: RuleName;
  readonly action: SignalAction;
  /** The order it produced, or null. */
  readonly orderId: number | null;
  /** The rule's terms as written (one array shared by every record of the rule). */
  readonly termTexts: readonly string[];
  /** Their values on that bar, in `termTexts`' order ({@link signalTerms} pairs them). */
  readonly termValues: readonly number[];
}

/**
 * A signal's terms paired with their values: what the store writes and the chart shows. Records
 * keep the two arrays apart so that firing a rule allocates one array, not an object per term.
 */
export function signalTerms(record: SignalRecord): TermValue[] {
  return pairTerms(record.termTexts, record.termValues);
}

/** An order's life: `submitted` when the venue queued it, `rejected` when it refused or dropped it. */
export interface OrderRecord {
  readonly variantId: string;
  readonly orderId: number;
  /** Open time of the bar it was submitted (or rejected) on; null before the first bar. */
  readonly time: number | null;
  readonly status: 'submitted' | 'rejected';
  /** `entry` or `exit`; null for a rejection of an order the engine did not submit itself. */
  readonly kind: 'entry' | 'exit' | null;
  readonly side: 'long' | 'short' | null;
  readonly reason: string;
  readonly rejectReason: OrderRejectReason | null;
  readonly message: string | null;
}

/** A fill of one variant's order. */
export interface FillRecord extends Fill {
  readonly variantId: string;
}

/** A closed trade of one variant: gross, fee and net P&L, entry and exit reason. */
export interface TradeRecord extends ClosedTrade {
  readonly variantId: string;
}

/**
 * `fill` as a record of `variantId`. Written out field by field: an object literal of a known
 * shape costs a few instructions, a spread copy `{ ...fill, variantId }` goes through V8's
 * generic clone (~1,000 instructions, measured), on every fill of every variant.
 */
export function fillRecord(variantId: string, fill: Fill): FillRecord {
  return {
    orderId: fill.orderId,
    time: fill.time,
    side: fill.side,
    opensPosition: fill.opensPosition,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    reason: fill.reason,
    variantId,
  };
}

/** `trade` as a record of `variantId`, field by field for the reason {@link fillRecord} gives. */
export function tradeRecord(variantId: string, trade: ClosedTrade): TradeRecord {
  return {
    tradeId: trade.tradeId,
    side: trade.side,
    quantity: trade.quantity,
    leverage: trade.leverage,
    entryTime: trade.entryTime,
    entryPrice: trade.entryPrice,
    entryReason: trade.entryReason,
    exitTime: trade.exitTime,
    exitPrice: trade.exitPrice,
    exitReason: trade.exitReason,
    grossPnl: trade.grossPnl,
    fee: trade.fee,
    netPnl: trade.netPnl,
    margin: trade.margin,
    roiPct: trade.roiPct,
    variantId,
  };
}

/**
 * Receives an instance's records as they happen. The backtest collects them, the live engine
 * writes them to SQLite in batches. Called on the engine's path: implementations must not
 * block (buffer, then write elsewhere).
 */
export interface EngineRecordSink {
  onSignal?(record: SignalRecord): void;
  onOrder?(record: OrderRecord): void;
  onFill?(record: FillRecord): void;
  onTrade?(record: TradeRecord): void;
}

/** Keeps every record in memory, in order (backtests, tests). */
export class EngineRecordCollector implements EngineRecordSink {
  public readonly signals: SignalRecord[] = [];
  public readonly orders: OrderRecord[] = [];
  public readonly fills: FillRecord[] = [];
  public readonly trades: TradeRecord[] = [];

  public onSignal(record: SignalRecord): void {
    this.signals.push(record);
  }

  public onOrder(record: OrderRecord): void {
    this.orders.push(record);
  }

  public onFill(record: FillRecord): void {
    this.fills.push(record);
  }

  public onTrade(record: TradeRecord): void {
    this.trades.push(record);
  }
}
