import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';

/** Parameters of {@link Rsi}, named as in the catalogue. */
export interface RsiOptions {
  period: number;
  source?: IndicatorSource;
}

/**
 * Relative strength index with Wilder's smoothing, as TA-Lib computes it: the first average gain
 * and loss are simple means of the first `period` changes (so the first value needs
 * `period + 1` bars), then avg = (avg·(period − 1) + change) / period, and
 * RSI = 100·avgGain / (avgGain + avgLoss).
 *
 * Never rounded (technicalindicators rounds RSI to 2 decimals; rules must not see that).
 * A window without any change (avgGain = avgLoss = 0) gives 50 — neutral. The references
 * disagree there (TA-Lib 0, technicalindicators 100), and neither is a sensible signal.
 */
export class Rsi extends IndicatorBase {
  public readonly period: number;
  public readonly source: IndicatorSource;
  private count = 0;
  private previous = Number.NaN;
  private avgGain = 0;
  private avgLoss = 0;

  public constructor({ period, source = 'close' }: RsiOptions) {
    super('rsi', period + 1);
    this.period = period;
    this.source = source;
  }

  public update(bar: Candle): void {
    const x = sourcePrice(bar, this.source);
    const change = x - this.previous;
    this.previous = x;
    const n = this.period;
    const count = ++this.count;
    if (count === 1) return;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (count <= n) {
      // Still collecting the first `period` changes: plain sums for now.
      this.avgGain += gain;
      this.avgLoss += loss;
      return;
    }
    if (count === n + 1) {
      this.avgGain = (this.avgGain + gain) / n;
      this.avgLoss = (this.avgLoss + loss) / n;
      this.isReady = true;
    } else {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
      // Keeps `count` from growing without bound: it only has to stay above n + 1.
      this.count = n + 2;
    }
    const total = this.avgGain + this.avgLoss;
    this.out[0] = total > 0 ? (100 * this.avgGain) / total : 50;
  }

  protected clear(): void {
    this.count = 0;
    this.previous = Number.NaN;
    this.avgGain = 0;
    this.avgLoss = 0;
  }
}
