import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';

/** Parameters of {@link Ema}, named as in the catalogue. */
export interface EmaOptions {
  period: number;
  source?: IndicatorSource;
}

/**
 * Exponential moving average, α = 2 / (period + 1).
 *
 * Seeding — Parallax's one definition: the first value is the simple average of the first
 * `period` values (as TA-Lib and technicalindicators do), produced on bar `period`; after that
 * ema += α·(x − ema). trading-signals and Tulip seed from the first price instead; the two agree
 * once the seed has decayed (its weight after k more bars is (1 − α)^k).
 */
export class Ema extends IndicatorBase {
  public readonly period: number;
  public readonly source: IndicatorSource;
  private readonly alpha: number;
  private count = 0;
  private seedSum = 0;
  private ema = Number.NaN;

  public constructor({ period, source = 'close' }: EmaOptions) {
    super('ema', period);
    this.period = period;
    this.source = source;
    this.alpha = 2 / (period + 1);
  }

  public update(bar: Candle): void {
    const x = sourcePrice(bar, this.source);
    if (this.isReady) {
      this.ema += this.alpha * (x - this.ema);
      this.out[0] = this.ema;
      return;
    }
    this.seedSum += x;
    if (++this.count === this.period) {
      this.ema = this.seedSum / this.period;
      this.out[0] = this.ema;
      this.isReady = true;
    }
  }

  protected clear(): void {
    this.count = 0;
    this.seedSum = 0;
    this.ema = Number.NaN;
  }
}
