import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';

/** Parameters of {@link Wma}, named as in the catalogue. */
export interface WmaOptions {
  period: number;
  source?: IndicatorSource;
}

/**
 * Linearly weighted moving average: weights 1 (oldest) … period (newest), divided by
 * period·(period+1)/2. O(1) per bar: when the window slides, every weight drops by one, so the
 * weighted sum W becomes W − S + period·x (S the plain sum before the oldest leaves). Both sums
 * are recomputed exactly from the ring once per lap so rounding cannot drift.
 */
export class Wma extends IndicatorBase {
  public readonly period: number;
  public readonly source: IndicatorSource;
  private readonly ring: Float64Array;
  private readonly divisor: number;
  private next = 0;
  private filled = 0;
  private sum = 0;
  private weighted = 0;

  public constructor({ period, source = 'close' }: WmaOptions) {
    super('wma', period);
    this.period = period;
    this.source = source;
    this.ring = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const x = sourcePrice(bar, this.source);
    const n = this.period;
    const ring = this.ring;
    const i = this.next;
    if (this.filled < n) {
      this.filled++;
      this.weighted += this.filled * x;
      this.sum += x;
    } else {
      this.weighted += n * x - this.sum;
      this.sum += x - (ring[i] as number);
    }
    ring[i] = x;
    if (i + 1 === n) {
      this.next = 0;
      if (this.filled === n) this.recompute();
    } else {
      this.next = i + 1;
    }
    if (this.filled === n) {
      this.out[0] = this.weighted / this.divisor;
      this.isReady = true;
    }
  }

  protected clear(): void {
    this.ring.fill(0);
    this.next = 0;
    this.filled = 0;
    this.sum = 0;
    this.weighted = 0;
  }

  /** Exact sums at the end of a lap, when the oldest value sits at ring[0]. */
  private recompute(): void {
    let sum = 0;
    let weighted = 0;
    for (let k = 0; k < this.period; k++) {
      const v = this.ring[k] as number;
      sum += v;
      weighted += (k + 1) * v;
    }
    this.sum = sum;
    this.weighted = weighted;
  }
}
