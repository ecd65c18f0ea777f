import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { RollingWindow } from '../support/rolling-window';

/** Parameters of {@link BollingerBands}, named as in the catalogue. */
export interface BollingerBandsOptions {
  period: number;
  /** Band width in standard deviations. */
  stdDev: number;
  source?: IndicatorSource;
}

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± stdDev · σ, where σ is the
 * *population* standard deviation of the same `period` values (divide by period, not
 * period − 1) — what TA-Lib's BBANDS, technicalindicators, trading-signals and Tulip all use.
 * Outputs in catalogue order: middle, upper, lower.
 */
export class BollingerBands extends IndicatorBase {
  public readonly period: number;
  public readonly stdDev: number;
  public readonly source: IndicatorSource;
  private readonly window: RollingWindow;

  public constructor({ period, stdDev, source = 'close' }: BollingerBandsOptions) {
    super('bb', period);
    this.period = period;
    this.stdDev = stdDev;
    this.source = source;
    this.window = new RollingWindow(period);
  }

  public update(bar: Candle): void {
    const window = this.window;
    window.push(sourcePrice(bar, this.source));
    if (!window.full) return;
    const middle = window.mean();
    const width = this.stdDev * Math.sqrt(window.variance());
    const out = this.out;
    out[0] = middle;
    out[1] = middle + width;
    out[2] = middle - width;
    this.isReady = true;
  }

  protected clear(): void {
    this.window.clear();
  }
}
