import type {
  EntryOrderRequest,
  EntryReason,
  ExitOrderRequest,
  PositionSide,
} from './order-request';

/** The open position of a {@link PaperExchangeState}, with every level as the exchange keeps it. */
export interface PaperPositionState {
  readonly side: PositionSide;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryTime: number;
  readonly entryReason: EntryReason;
  /** Entry fee not yet charged to a closed trade (all of it unless partly exited). */
  readonly entryFeeLeft: number;
  /** Isolated margin still tied up. */
  readonly margin: number;
  /** The leverage the position was opened with (its margin and liquidation price depend on it). */
  readonly leverage: number;
  /** −∞ (long) / +∞ (short) when unset: the side where it never triggers. */
  readonly stopLoss: number;
  /** +∞ (long) / −∞ (short) when unset. */
  readonly takeProfit: number;
  /** Trailing distance as a fraction of price; 0 without a trailing stop. */
  readonly trailingDistance: number;
  /** The trailing stop's level, moved from the best bar extreme since entry (±∞ when unset). */
  readonly trailingStop: number;
  readonly liquidationPrice: number;
}

/**
 * Everything a {@link PaperExchange} needs to carry on exactly where it was: the account, the
 * position, the queued orders and the id counters (so ids never repeat after a restart). Plain
 * numbers, ±∞ and NaN included: the engine's checkpoint encodes them for JSON.
 */
export interface PaperExchangeState {
  readonly cash: number;
  readonly equity: number;
  /** Open time of the last bar seen; −∞ before the first. */
  readonly lastBarTime: number;
  /** Close of the last bar seen; NaN before the first. */
  readonly lastClose: number;
  readonly barExposed: boolean;
  readonly nextOrderId: number;
  readonly nextTradeId: number;
  readonly position: PaperPositionState | null;
  readonly pendingEntry: { readonly orderId: number; readonly request: EntryOrderRequest } | null;
  readonly pendingExit: { readonly orderId: number; readonly request: ExitOrderRequest } | null;
}
