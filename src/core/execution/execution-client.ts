import type { Disposable } from '../../shared/disposable';
import type { ClosedTrade, Fill, OrderRejection, SubmitResult } from './execution-events';
import type { OrderExitReason, OrderRequest } from './order-request';

/** Receives what happens to orders and positions. Every member is optional. */
export interface ExecutionListener {
  onFill?(fill: Fill): void;
  onTradeClosed?(trade: ClosedTrade): void;
  onOrderRejected?(rejection: OrderRejection): void;
}

/**
 * The one contract the engine trades through, whatever the venue: the paper exchange in backtests
 * and paper mode, a real exchange adapter later (Nautilus: the simulated venue is one more
 * execution client). Orders reach it only after risk has passed them.
 */
export interface ExecutionClient {
  /** Queues an order for the next bar's open, or refuses it with a reason. */
  submit(request: OrderRequest): SubmitResult;
  /** Drops queued orders (each gets an `orderRejected` event with reason `cancelled`). Returns how many. */
  cancelPending(): number;
  /**
   * Closes the whole position now at a known market price (kill, emergency stop between bars), and
   * drops queued orders. `price` and `time` come from the feed; the venue never reads a clock.
   */
  closeNow(
    market: { readonly price: number; readonly time: number },
    reason: OrderExitReason,
  ): SubmitResult;
  /** Listens to fills, closed trades and rejections until the returned lifetime is disposed. */
  subscribe(listener: ExecutionListener): Disposable;
}
