import type { Disposable } from '../../shared/disposable';
import type { Candle, CandleEvent, FeedKind, FeedStatus, SeriesKey } from '../../shared/market';

/**
 * A source of bars for one series. Simulated, replay and (later) exchange feeds all implement
 * it, so everything downstream — the chart, strategies, variants — reads them the same way.
 * A feed emits closed bars in time order, exactly once each; in-progress updates of the
 * newest bar may come between them.
 */
export interface MarketFeed extends Disposable {
  readonly kind: FeedKind;
  readonly series: SeriesKey;
  start(): void;
  stop(): void;
  status(): FeedStatus;
  /** Closed bars so far (the newest `limit`, oldest first) and the bar in progress, if any. */
  recent(limit: number): { candles: Candle[]; forming: Candle | null };
  onBar(listener: (event: CandleEvent) => void): Disposable;
  onStatus(listener: (status: FeedStatus) => void): Disposable;
}

/** Counts events in a sliding one-second window of clock time. */
export class RateMeter {
  private readonly stamps: number[] = [];

  public mark(now: number, count = 1): void {
    for (let i = 0; i < count; i++) this.stamps.push(now);
    this.trim(now);
  }

  public perSecond(now: number): number {
    this.trim(now);
    return this.stamps.length;
  }

  private trim(now: number): void {
    let drop = 0;
    while (drop < this.stamps.length && this.stamps[drop]! <= now - 1000) drop++;
    if (drop > 0) this.stamps.splice(0, drop);
  }
}

/** Keeps at most `capacity` newest bars. */
export class BarBuffer {
  private readonly bars: Candle[] = [];

  public constructor(private readonly capacity: number) {}

  public push(bar: Candle): void {
    this.bars.push(bar);
    if (this.bars.length > this.capacity * 1.25)
      this.bars.splice(0, this.bars.length - this.capacity);
  }

  public newest(limit: number): Candle[] {
    const all = this.bars.length > this.capacity ? this.bars.slice(-this.capacity) : this.bars;
    return all.slice(-limit);
  }
}
