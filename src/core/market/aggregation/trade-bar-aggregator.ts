import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/market';
import { periodStart } from './timeframe-aggregator';

export interface Trade {
  time: number;
  price: number;
  amount: number;
}

export interface TradeBarUpdate {
  /** The bar the trade closed (the previous period's), if any. */
  closed: Candle | null;
  /** The bar in progress, including the trade. */
  forming: Candle;
}

/**
 * Builds bars from trades, for exchanges that stream trades but not klines. A bar closes when
 * a trade of a later period arrives, or when `closeDue` is called after its period has ended.
 * A trade older than the bar in progress is late: it cannot change a closed bar and is
 * refused (returned as null) so the caller can count it.
 */
export class TradeBarAggregator {
  private readonly barMs: number;
  private current: Candle | null = null;
  private closedUntil = Number.NEGATIVE_INFINITY;

  public constructor(public readonly timeframe: Timeframe = '1m') {
    this.barMs = TIMEFRAME_MS[timeframe];
  }

  public add(trade: Trade): TradeBarUpdate | null {
    const start = periodStart(trade.time, this.timeframe);
    if (start < this.closedUntil || (this.current && start < this.current.time)) return null;
    let closed: Candle | null = null;
    if (this.current && start > this.current.time) closed = this.close();
    const c = this.current;
    this.current = c
      ? {
          time: c.time,
          open: c.open,
          high: Math.max(c.high, trade.price),
          low: Math.min(c.low, trade.price),
          close: trade.price,
          volume: c.volume + trade.amount,
        }
      : {
          time: start,
          open: trade.price,
          high: trade.price,
          low: trade.price,
          close: trade.price,
          volume: trade.amount,
        };
    return { closed, forming: { ...this.current } };
  }

  /** Closes the bar in progress if its period ended at or before `nowMs`. */
  public closeDue(nowMs: number): Candle | null {
    if (this.current && this.current.time + this.barMs <= nowMs) return this.close();
    return null;
  }

  public forming(): Candle | null {
    return this.current ? { ...this.current } : null;
  }

  /** Forgets the bar in progress (after a reconnect its trades are incomplete). */
  public reset(): void {
    this.current = null;
  }

  private close(): Candle {
    const bar = this.current!;
    this.current = null;
    this.closedUntil = bar.time + this.barMs;
    return bar;
  }
}
