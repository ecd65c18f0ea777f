import type { DrawdownState } from './metrics-tracker-state';
import { assertFinite } from './statistic';

/** Running peak of equity and the largest fall from a peak seen so far, in O(1) per bar. */
export class DrawdownTracker {
  private _peak = Number.NEGATIVE_INFINITY;
  private _max = 0;

  /** Adds one equity mark. @throws RangeError on NaN, ±∞ or negative equity. */
  public push(equity: number): void {
    assertFinite(equity, 'equity');
    if (equity < 0) throw new RangeError(`equity must not be negative, got ${equity}`);
    this.add(equity);
  }

  /** {@link push} for equity known to be finite and ≥ 0 (the tracker has checked it). */
  public add(equity: number): void {
    if (equity > this._peak) {
      this._peak = equity;
      return;
    }
    if (this._peak > 0) {
      const dd = (this._peak - equity) / this._peak;
      if (dd > this._max) this._max = dd;
    }
  }

  /** Peak and maximum so far, for a checkpoint. */
  public state(): DrawdownState {
    return { peak: this._peak, maxDrawdown: this._max };
  }

  /** Continues from what {@link state} returned. */
  public restore(state: DrawdownState): void {
    this._peak = state.peak;
    this._max = state.maxDrawdown;
  }

  public reset(): void {
    this._peak = Number.NEGATIVE_INFINITY;
    this._max = 0;
  }

  /** Highest equity so far (−∞ before the first mark). */
  public get peak(): number {
    return this._peak;
  }

  /** max_t (peak_t − E_t) / peak_t as a fraction in [0, 1]: the maximum, not the current drawdown. */
  public get maxDrawdown(): number {
    return this._max;
  }
}
