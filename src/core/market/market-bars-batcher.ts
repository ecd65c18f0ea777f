import type { Disposable } from '../../shared/disposable';
import type { Candle, CandleEvent, SeriesKey } from '../../shared/market';
import type { Clock } from '../time/clock';

export interface MarketBarsBatch {
  series: SeriesKey;
  closed: Candle[];
  forming: Candle | null;
}

/**
 * Coalesces feed bars for the UI: closed bars are all kept, in order; in-progress updates keep
 * only the newest. One batch per interval at most, so a fast replay cannot flood the renderer.
 */
export class MarketBarsBatcher implements Disposable {
  private closed: Candle[] = [];
  private forming: Candle | null = null;
  private series: SeriesKey | undefined;
  private timer: Disposable | undefined;

  public constructor(
    private readonly clock: Clock,
    private readonly flush: (batch: MarketBarsBatch) => void,
    private readonly intervalMs = 100,
  ) {}

  public push(event: CandleEvent): void {
    if (this.series && !sameSeries(this.series, event.series)) this.flushNow();
    this.series = event.series;
    if (event.closed) {
      this.closed.push(event.candle);
      if (this.forming && this.forming.time <= event.candle.time) this.forming = null;
    } else {
      this.forming = event.candle;
    }
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, this.intervalMs);
  }

  public flushNow(): void {
    if (!this.series || (this.closed.length === 0 && !this.forming)) return;
    const batch = { series: this.series, closed: this.closed, forming: this.forming };
    this.closed = [];
    this.forming = null;
    this.flush(batch);
  }

  public dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }
}

function sameSeries(a: SeriesKey, b: SeriesKey): boolean {
  return a.exchange === b.exchange && a.symbol === b.symbol && a.timeframe === b.timeframe;
}
