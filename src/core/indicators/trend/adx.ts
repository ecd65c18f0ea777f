import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { trueRange } from '../volatility/atr';

/** Parameters of {@link Adx}, named as in the catalogue. */
export interface AdxOptions {
  period: number;
}

/** Output slots, in catalogue order. */
const ADX = 0;
const PDI = 1;
const MDI = 2;

/**
 * Average directional index with +DI and −DI, exactly as TA-Lib's TA_ADX / TA_PLUS_DI /
 * TA_MINUS_DI (checked against TA-Lib's regression table to 4 decimals).
 *
 * Directional movement and true range start on the second bar. Wilder's running sums are
 * seeded TA-Lib's way: the first `period − 1` values are summed, and on bar `period + 1` the
 * smoothing step S = S − S/period + x already applies. (technicalindicators sums `period` values
 * first instead; the first DI values then differ by ~0.1 and the gap decays by (1 − 1/period)
 * per bar.) DX = 100·|+DI − −DI| / (+DI + −DI); the first ADX is the mean of the first `period`
 * DX values (bar 2·period), then ADX = (ADX·(period − 1) + DX) / period. When +DI + −DI is 0 the
 * DX is undefined and, as in TA-Lib, the ADX keeps its value (the seed counts it as 0); a zero
 * true range gives DI = 0.
 */
export class Adx extends IndicatorBase {
  public readonly period: number;
  private count = 0;
  private previousHigh = 0;
  private previousLow = 0;
  private previousClose = 0;
  private plusDm = 0;
  private minusDm = 0;
  private tr = 0;
  private dxCount = 0;
  private adx = 0;

  public constructor({ period }: AdxOptions) {
    super('adx', 2 * period);
    this.period = period;
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const high = bar.high;
    const low = bar.low;
    const count = this.count;
    if (count === 0) {
      this.count = 1;
      this.previousHigh = high;
      this.previousLow = low;
      this.previousClose = bar.close;
      return;
    }
    const up = high - this.previousHigh;
    const down = this.previousLow - low;
    const plus = up > 0 && up > down ? up : 0;
    const minus = down > 0 && down > up ? down : 0;
    const tr = trueRange(bar, this.previousClose);
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = bar.close;

    const n = this.period;
    if (count < n) {
      this.count = count + 1;
      this.plusDm += plus;
      this.minusDm += minus;
      this.tr += tr;
      return;
    }
    this.plusDm += plus - this.plusDm / n;
    this.minusDm += minus - this.minusDm / n;
    this.tr += tr - this.tr / n;
    const pdi = this.tr > 0 ? (100 * this.plusDm) / this.tr : 0;
    const mdi = this.tr > 0 ? (100 * this.minusDm) / this.tr : 0;
    const diSum = pdi + mdi;
    const dx = diSum > 0 ? (100 * Math.abs(pdi - mdi)) / diSum : Number.NaN;

    if (this.isReady) {
      if (!Number.isNaN(dx)) this.adx = (this.adx * (n - 1) + dx) / n;
    } else {
      if (!Number.isNaN(dx)) this.adx += dx;
      if (++this.dxCount < n) return;
      this.adx /= n;
      this.isReady = true;
    }
    const out = this.out;
    out[ADX] = this.adx;
    out[PDI] = pdi;
    out[MDI] = mdi;
  }

  protected clear(): void {
    this.count = 0;
    this.previousHigh = 0;
    this.previousLow = 0;
    this.previousClose = 0;
    this.plusDm = 0;
    this.minusDm = 0;
    this.tr = 0;
    this.dxCount = 0;
    this.adx = 0;
  }
}
