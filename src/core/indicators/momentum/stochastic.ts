import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { RollingExtreme } from '../support/rolling-extreme';
import { RollingWindow } from '../support/rolling-window';

/** Parameters of {@link Stochastic}, named as in the catalogue. */
export interface StochasticOptions {
  /** Look-back of the highest high and lowest low. */
  period: number;
  /** %D: simple average of %K over this many bars. */
  signalPeriod: number;
  /**
   * Simple average applied to the raw %K first (1 = none: the "fast" stochastic, as
   * technicalindicators and TradingView's default; 3 = the classic "slow" one, TA-Lib's STOCH).
   */
  kSmoothing?: number;
}

/**
 * Stochastic oscillator: raw %K = 100·(close − lowest low) / (highest high − lowest low) over
 * `period` bars (0 when that range is empty, as TA-Lib and technicalindicators do), %K = its
 * `kSmoothing`-bar SMA, %D = the `signalPeriod`-bar SMA of %K. The highs and lows come from
 * monotonic deques, so each bar is amortised O(1) whatever the period.
 */
export class Stochastic extends IndicatorBase {
  public readonly period: number;
  public readonly signalPeriod: number;
  public readonly kSmoothing: number;
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;
  private readonly kWindow: RollingWindow;
  private readonly dWindow: RollingWindow;
  private count = 0;

  public constructor({ period, signalPeriod, kSmoothing = 1 }: StochasticOptions) {
    super('stoch', period + kSmoothing - 1 + signalPeriod - 1);
    this.period = period;
    this.signalPeriod = signalPeriod;
    this.kSmoothing = kSmoothing;
    this.highs = new RollingExtreme(period, true);
    this.lows = new RollingExtreme(period, false);
    this.kWindow = new RollingWindow(kSmoothing);
    this.dWindow = new RollingWindow(signalPeriod);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const highest = this.highs.push(bar.high);
    const lowest = this.lows.push(bar.low);
    if (this.count < this.period) {
      if (++this.count < this.period) return;
    }
    const range = highest - lowest;
    const rawK = range > 0 ? (100 * (bar.close - lowest)) / range : 0;
    const kWindow = this.kWindow;
    kWindow.push(rawK);
    if (!kWindow.full) return;
    const k = kWindow.mean();
    const dWindow = this.dWindow;
    dWindow.push(k);
    if (!dWindow.full) return;
    this.out[0] = k;
    this.out[1] = dWindow.mean();
    this.isReady = true;
  }

  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
    this.kWindow.clear();
    this.dWindow.clear();
    this.count = 0;
  }
}
