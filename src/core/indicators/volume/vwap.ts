import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';

const DAY_MS = 86_400_000;

/**
 * Volume-weighted average price of the current UTC day: Σ(typical price · volume) / Σ volume
 * over the day's bars so far, typical price = (high + low + close) / 3. The sums restart on the
 * first bar whose open time falls on a new UTC day (bar `time` is its open time).
 *
 * A bar without volume adds nothing, so it leaves the value unchanged. The same holds for the
 * zero-volume bars that open a day: until the day's first trade the value stays at the previous
 * day's last VWAP rather than turning NaN under a running strategy. Before any bar with volume
 * has been seen, nothing is known and the indicator is not ready.
 */
export class Vwap extends IndicatorBase {
  private day = Number.NaN;
  private priceVolume = 0;
  private volume = 0;

  public constructor() {
    super('vwap', 1);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const day = Math.floor(bar.time / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.priceVolume = 0;
      this.volume = 0;
    }
    const volume = bar.volume;
    if (volume <= 0) return;
    this.priceVolume += ((bar.high + bar.low + bar.close) / 3) * volume;
    this.volume += volume;
    this.out[0] = this.priceVolume / this.volume;
    this.isReady = true;
  }

  protected clear(): void {
    this.day = Number.NaN;
    this.priceVolume = 0;
    this.volume = 0;
  }
}
