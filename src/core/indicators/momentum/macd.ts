import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';

/** Parameters of {@link Macd}, named as in the catalogue. */
export interface MacdOptions {
  fast: number;
  slow: number;
  signal: number;
  source?: IndicatorSource;
}

/** Output slots, in catalogue order. */
const MACD = 0;
const SIGNAL = 1;
const HISTOGRAM = 2;

/**
 * MACD exactly as TA-Lib's TA_MACD computes it (checked against TA-Lib's regression table):
 * both EMAs start together on bar `slow`, each seeded with the simple average of its own last
 * `period` prices there (the fast one does *not* start on bar `fast`); MACD = fast − slow; the
 * signal line is an EMA of MACD seeded with the average of its first `signal` values;
 * histogram = MACD − signal. All three outputs appear on bar `slow + signal − 1`.
 * α = 2 / (n + 1) for every period (Tulip's special 0.15 / 0.075 for 12/26 is not used).
 * As in TA-Lib, fast > slow is swapped rather than refused.
 */
export class Macd extends IndicatorBase {
  public readonly fast: number;
  public readonly slow: number;
  public readonly signal: number;
  public readonly source: IndicatorSource;
  private readonly fastAlpha: number;
  private readonly slowAlpha: number;
  private readonly signalAlpha: number;
  private count = 0;
  private fastSum = 0;
  private slowSum = 0;
  private fastEma = 0;
  private slowEma = 0;
  private signalCount = 0;
  private signalSum = 0;
  private signalEma = 0;

  public constructor({ fast, slow, signal, source = 'close' }: MacdOptions) {
    const lo = Math.min(fast, slow);
    const hi = Math.max(fast, slow);
    super('macd', hi + signal - 1);
    this.fast = lo;
    this.slow = hi;
    this.signal = signal;
    this.source = source;
    this.fastAlpha = 2 / (lo + 1);
    this.slowAlpha = 2 / (hi + 1);
    this.signalAlpha = 2 / (signal + 1);
  }

  public update(bar: Candle): void {
    const x = sourcePrice(bar, this.source);
    const slow = this.slow;
    let macd: number;
    if (this.count < slow) {
      const count = ++this.count;
      this.slowSum += x;
      if (count > slow - this.fast) this.fastSum += x;
      if (count < slow) return;
      this.fastEma = this.fastSum / this.fast;
      this.slowEma = this.slowSum / slow;
      macd = this.fastEma - this.slowEma;
    } else {
      this.fastEma += this.fastAlpha * (x - this.fastEma);
      this.slowEma += this.slowAlpha * (x - this.slowEma);
      macd = this.fastEma - this.slowEma;
    }
    if (this.isReady) {
      this.signalEma += this.signalAlpha * (macd - this.signalEma);
    } else {
      this.signalSum += macd;
      if (++this.signalCount < this.signal) return;
      this.signalEma = this.signalSum / this.signal;
      this.isReady = true;
    }
    const out = this.out;
    out[MACD] = macd;
    out[SIGNAL] = this.signalEma;
    out[HISTOGRAM] = macd - this.signalEma;
  }

  protected clear(): void {
    this.count = 0;
    this.fastSum = 0;
    this.slowSum = 0;
    this.fastEma = 0;
    this.slowEma = 0;
    this.signalCount = 0;
    this.signalSum = 0;
    this.signalEma = 0;
  }
}
