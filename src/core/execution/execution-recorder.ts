import type { ExecutionListener } from './execution-client';
import type { ClosedTrade, Fill, OrderRejection } from './execution-events';

/** Keeps every fill, closed trade and rejection it hears, in order (backtests, tests, exports). */
export class ExecutionRecorder implements ExecutionListener {
  public readonly fills: Fill[] = [];
  public readonly trades: ClosedTrade[] = [];
  public readonly rejections: OrderRejection[] = [];

  public onFill(fill: Fill): void {
    this.fills.push(fill);
  }

  public onTradeClosed(trade: ClosedTrade): void {
    this.trades.push(trade);
  }

  public onOrderRejected(rejection: OrderRejection): void {
    this.rejections.push(rejection);
  }
}
