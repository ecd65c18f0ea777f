import type { ReturnMomentsState } from './metrics-tracker-state';
import { assertFinite } from './statistic';

/**
 * Running moments of per-bar returns, updated in O(1) without storing the series: count, mean,
 * central sums M2, M3, M4 (Welford's update extended by Terriberry, numerically stable where
 * Σr, Σr², … would cancel), and Σ min(r, 0)² for the Sortino denominator.
 */
export class ReturnMoments {
  private _n = 0;
  private _mean = 0;
  private _m2 = 0;
  private _m3 = 0;
  private _m4 = 0;
  private _downsideSq = 0;

  /** Adds one return. @throws RangeError on NaN or ±∞. */
  public push(r: number): void {
    assertFinite(r, 'return');
    this.add(r);
  }

  /** {@link push} for a return known to be finite (the tracker has checked its inputs). */
  public add(r: number): void {
    const n1 = this._n;
    const n = n1 + 1;
    const delta = r - this._mean;
    const deltaN = delta / n;
    const deltaN2 = deltaN * deltaN;
    const term1 = delta * deltaN * n1;
    this._mean += deltaN;
    this._m4 +=
      term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * this._m2 - 4 * deltaN * this._m3;
    this._m3 += term1 * deltaN * (n - 2) - 3 * deltaN * this._m2;
    this._m2 += term1;
    this._n = n;
    if (r < 0) this._downsideSq += r * r;
  }

  /** The running sums, for a checkpoint. */
  public state(): ReturnMomentsState {
    return {
      count: this._n,
      mean: this._mean,
      m2: this._m2,
      m3: this._m3,
      m4: this._m4,
      downsideSq: this._downsideSq,
    };
  }

  /** Continues from sums {@link state} returned. */
  public restore(state: ReturnMomentsState): void {
    this._n = state.count;
    this._mean = state.mean;
    this._m2 = state.m2;
    this._m3 = state.m3;
    this._m4 = state.m4;
    this._downsideSq = state.downsideSq;
  }

  public reset(): void {
    this._n = 0;
    this._mean = 0;
    this._m2 = 0;
    this._m3 = 0;
    this._m4 = 0;
    this._downsideSq = 0;
  }

  /** Number of returns T. */
  public get count(): number {
    return this._n;
  }

  /** Mean return, or null with no returns. */
  public get mean(): number | null {
    return this._n > 0 ? this._mean : null;
  }

  /** Sample standard deviation (divides by T − 1), or null below two returns. */
  public get sampleSd(): number | null {
    return this._n > 1 ? Math.sqrt(this._m2 / (this._n - 1)) : null;
  }

  /**
   * Skewness γ₃ = m₃ / m₂^{3/2} with population central moments m_k = Σ(r − r̄)^k / T, as in
   * Bailey & López de Prado. Null below two returns or with zero variance.
   */
  public get skewness(): number | null {
    if (this._n < 2 || !(this._m2 > 0)) return null;
    return (Math.sqrt(this._n) * this._m3) / Math.pow(this._m2, 1.5);
  }

  /**
   * Kurtosis γ₄ = m₄ / m₂², NOT excess kurtosis (a normal distribution gives 3). Null below two
   * returns or with zero variance.
   */
  public get kurtosis(): number | null {
    if (this._n < 2 || !(this._m2 > 0)) return null;
    return (this._n * this._m4) / (this._m2 * this._m2);
  }

  /** (1/T) Σ min(r, 0)², over ALL T returns, not only the negative ones. Null with no returns. */
  public get downsideMeanSquare(): number | null {
    return this._n > 0 ? this._downsideSq / this._n : null;
  }
}
