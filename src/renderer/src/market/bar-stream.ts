import type { Candle, SeriesKey } from '../../../shared/market';

export interface BarChange {
  /** True when the listener must replace everything it shows with `all()`. */
  reset: boolean;
  closed: readonly Candle[];
  forming: Candle | null;
}

const sameSeries = (a: SeriesKey | null, b: SeriesKey): boolean =>
  a !== null && a.exchange === b.exchange && a.symbol === b.symbol && a.timeframe === b.timeframe;

/**
 * The bars the chart shows, kept outside React: feed batches arrive here and the chart reads
 * them on its own animation frames (zustand's "transient updates"), so a fast feed never
 * re-renders components.
 */
export class BarStream {
  private series: SeriesKey | null = null;
  private closed: Candle[] = [];
  private forming: Candle | null = null;
  private readonly listeners = new Set<(change: BarChange) => void>();

  public get current(): SeriesKey | null {
    return this.series;
  }

  public all(): { closed: readonly Candle[]; forming: Candle | null } {
    return { closed: this.closed, forming: this.forming };
  }

  public isFor(series: SeriesKey): boolean {
    return sameSeries(this.series, series);
  }

  public reset(series: SeriesKey, closed: Candle[], forming: Candle | null): void {
    this.series = series;
    this.closed = closed;
    this.forming = forming;
    this.emit({ reset: true, closed, forming });
  }

  /** Appends closed bars newer than what is held (older or repeated ones are dropped). */
  public append(series: SeriesKey, closed: readonly Candle[], forming: Candle | null): void {
    if (!sameSeries(this.series, series)) return;
    const lastTime = this.closed.length > 0 ? this.closed[this.closed.length - 1]!.time : -1;
    const fresh = closed.filter((c) => c.time > lastTime);
    for (const c of fresh) this.closed.push(c);
    const newest = this.closed.length > 0 ? this.closed[this.closed.length - 1]!.time : -1;
    this.forming = forming && forming.time > newest ? forming : null;
    if (fresh.length > 0 || forming)
      this.emit({ reset: false, closed: fresh, forming: this.forming });
  }

  public subscribe(listener: (change: BarChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: BarChange): void {
    for (const l of this.listeners) l(change);
  }
}

export const barStream = new BarStream();
