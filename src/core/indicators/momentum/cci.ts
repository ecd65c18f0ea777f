import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { RollingWindow } from '../support/rolling-window';

/** Parameters of {@link Cci}, named as in the catalogue. */
export interface CciOptions {
  period: number;
}

/** Lambert's constant: scales CCI so most values fall within ±100. */
const LAMBERT = 0.015;

/**
 * Commodity channel index on the typical price tp = (high + low + close) / 3:
 * (tp − SMA(tp)) / (0.015 · mean absolute deviation of tp around that SMA), 0 when the deviation
 * is 0 (as TA-Lib). The one indicator here that is O(period) per bar, not O(1): the mean
 * deviation is taken around the *current* mean, so every value in the window contributes anew
 * each bar and no running sum can carry it. Memory stays constant (one ring of `period`).
 */
export class Cci extends IndicatorBase {
  public readonly period: number;
  private readonly window: RollingWindow;

  public constructor({ period }: CciOptions) {
    super('cci', period);
    this.period = period;
    this.window = new RollingWindow(period);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const tp = (bar.high + bar.low + bar.close) / 3;
    const window = this.window;
    window.push(tp);
    if (!window.full) return;
    const mean = window.mean();
    const values = window.values;
    let deviation = 0;
    for (let i = 0; i < values.length; i++) deviation += Math.abs((values[i] as number) - mean);
    deviation /= this.period;
    const distance = tp - mean;
    this.out[0] = deviation > 0 ? distance / (LAMBERT * deviation) : 0;
    this.isReady = true;
  }

  protected clear(): void {
    this.window.clear();
  }
}
