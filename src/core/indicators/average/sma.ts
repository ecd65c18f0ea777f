import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { RollingWindow } from '../support/rolling-window';

/** Parameters of {@link Sma}, named as in the catalogue. */
export interface SmaOptions {
  period: number;
  source?: IndicatorSource;
}

/** Simple moving average: mean of the last `period` values. Ready after `period` bars. */
export class Sma extends IndicatorBase {
  public readonly period: number;
  public readonly source: IndicatorSource;
  private readonly window: RollingWindow;

  public constructor({ period, source = 'close' }: SmaOptions) {
    super('sma', period);
    this.period = period;
    this.source = source;
    this.window = new RollingWindow(period);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const window = this.window;
    window.push(sourcePrice(bar, this.source));
    if (window.full) {
      this.out[0] = window.mean();
      this.isReady = true;
    }
  }

  protected clear(): void {
    this.window.clear();
  }
}
