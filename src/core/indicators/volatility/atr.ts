import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';

/** Parameters of {@link Atr}, named as in the catalogue. */
export interface AtrOptions {
  period: number;
}

/**
 * Average true range with Wilder's smoothing, as TA-Lib: the true range needs the previous
 * close, so it starts on the second bar; the first ATR (bar `period + 1`) is the mean of the
 * first `period` true ranges, then atr = (atr·(period − 1) + tr) / period.
 * (Tulip instead counts the first bar's high − low as a true range, which shifts its seed.)
 */
export class Atr extends IndicatorBase {
  public readonly period: number;
  private count = 0;
  private previousClose = Number.NaN;
  private atr = 0;

  public constructor({ period }: AtrOptions) {
    super('atr', period + 1);
    this.period = period;
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const previousClose = this.previousClose;
    this.previousClose = bar.close;
    if (this.count === 0) {
      this.count = 1;
      return;
    }
    const tr = trueRange(bar, previousClose);
    const n = this.period;
    if (this.isReady) {
      this.atr = (this.atr * (n - 1) + tr) / n;
    } else {
      this.atr += tr;
      if (++this.count <= n) return;
      this.atr /= n;
      this.isReady = true;
    }
    this.out[0] = this.atr;
  }

  protected clear(): void {
    this.count = 0;
    this.previousClose = Number.NaN;
    this.atr = 0;
  }
}

/** Wilder's true range: the bar's range stretched to include the previous close. */
export function trueRange(bar: Candle, previousClose: number): number {
  const high = bar.high > previousClose ? bar.high : previousClose;
  const low = bar.low < previousClose ? bar.low : previousClose;
  return high - low;
}
