import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { RollingWindow } from '../support/rolling-window';

/** σ / mean below which the volumes count as all equal. */
const FLAT = 1e-10;

/** Parameters of {@link VolumeZScore}, named as in the catalogue. */
export interface VolumeZScoreOptions {
  period: number;
}

/**
 * How unusual this bar's volume is: (volume − mean) / σ over the last `period` bars, this bar
 * included, σ the population standard deviation (as for Bollinger Bands). 0 when every volume in
 * the window is the same (σ = 0, or below 1e-10 of the mean, which is rounding noise): nothing
 * is unusual then. Used by the E3 strategy's "volume z-score ≥ volumeZ" entry filter.
 */
export class VolumeZScore extends IndicatorBase {
  public readonly period: number;
  private readonly window: RollingWindow;

  public constructor({ period }: VolumeZScoreOptions) {
    super('volumeZ', period);
    this.period = period;
    this.window = new RollingWindow(period);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const window = this.window;
    window.push(bar.volume);
    if (!window.full) return;
    const mean = window.mean();
    const sd = Math.sqrt(window.variance());
    // Below this relative spread the window is constant and σ is rounding noise, not volatility.
    this.out[0] = sd > FLAT * mean ? (bar.volume - mean) / sd : 0;
    this.isReady = true;
  }

  protected clear(): void {
    this.window.clear();
  }
}
