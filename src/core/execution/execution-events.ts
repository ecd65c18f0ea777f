import type { EpochMs, OrderId, Price, Quantity, TradeId, Usdt } from './nominal';
import type { EntryReason, ExitReason, PositionSide } from './order-request';

/** One execution against the paper (or, later, a real) venue. */
export interface Fill {
  readonly orderId: OrderId;
  /** Open time of the bar in which the fill happened (bars carry no finer time). */
  readonly time: EpochMs;
  readonly side: 'buy' | 'sell';
  /** `true` when it opened the position, `false` when it reduced or closed it. */
  readonly opensPosition: boolean;
  readonly quantity: Quantity;
  /** Execution price, slippage included. */
  readonly price: Price;
  /** Fee charged on this fill (taker fee on notional; on liquidation, the seized remaining margin). */
  readonly fee: Usdt;
  readonly reason: EntryReason | ExitReason;
}

/** A position (or the part of it an exit closed) from entry to exit. */
export interface ClosedTrade {
  readonly tradeId: TradeId;
  readonly side: PositionSide;
  readonly quantity: Quantity;
  readonly leverage: number;
  readonly entryTime: EpochMs;
  readonly entryPrice: Price;
  readonly entryReason: EntryReason;
  readonly exitTime: EpochMs;
  readonly exitPrice: Price;
  readonly exitReason: ExitReason;
  /** Price P&L: quantity × (exit − entry), sign by side. */
  readonly grossPnl: Usdt;
  /** Entry fee (pro rata for a partial exit) plus exit fee. */
  readonly fee: Usdt;
  /** grossPnl − fee: what the account gained or lost. */
  readonly netPnl: Usdt;
  /** Isolated margin the trade tied up (pro rata for a partial exit): entry notional / leverage. */
  readonly margin: Usdt;
  /** netPnl / margin × 100. */
  readonly roiPct: number;
}

/** Why the venue refused an order. Refusals are events and return values, never exceptions. */
export const ORDER_REJECT_REASONS = [
  /** An entry while a position is open or an exit is pending (no pyramiding, no same-bar reversal). */
  'positionOpen',
  /** A second entry while one is waiting for the next bar. */
  'entryPending',
  /** An exit with no position to reduce. */
  'noPosition',
  /** A second exit while one is waiting for the next bar. */
  'exitPending',
  /** Margin plus entry fee exceed the cash at the fill. */
  'insufficientFunds',
  /** A stop-loss or take-profit price on the wrong side of the fill price. */
  'invalidProtection',
  /** A malformed request (NaN, non-positive size, ROI of the wrong sign…). */
  'invalidOrder',
  /** Pending orders dropped by `cancelPending` or by an immediate close. */
  'cancelled',
] as const;
export type OrderRejectReason = (typeof ORDER_REJECT_REASONS)[number];

/** An order the venue did not (or no longer will) execute. */
export interface OrderRejection {
  readonly orderId: OrderId;
  /** Time of the last bar the venue saw, or null before the first bar. */
  readonly time: EpochMs | null;
  readonly reason: OrderRejectReason;
  readonly message: string;
}

/** What submitting an order returned. Acceptance means "queued for the next bar's open". */
export type SubmitResult =
  | {
      readonly accepted: true;
      readonly orderId: OrderId;
      /** For an exit larger than the position: the quantity it was clipped to. */
      readonly clippedTo?: Quantity;
    }
  | { readonly accepted: false; readonly rejection: OrderRejection };
