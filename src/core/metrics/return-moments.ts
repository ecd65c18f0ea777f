import type { ReturnMomentsState } from './metrics-tracker-state';
import { assertFinite } from './statistic';

/**
 * Running moments of per-bar returns, updated in O(1) without storing the series: count, mean,
 * central sums M2, M3, M4 (Welford's update extended by Terriberry, numerically stable where
 * Σr, Σr², … would cancel), and Σ min(r, 0)² for the Sortino denominator.
 *
 * Zero returns — every bar of a flat account, most bars of most variants — are only counted
 * ({@link addZero}) and folded in as one group when the next non-zero return arrives (Chan et
 * al.'s pairwise combination with a group of k zeros): a flat bar costs an increment instead of a
 * Welford step. Reads combine the pending zeros without changing the sums, so the figures never
 * depend on when they are read — a live run read every tick and a backtest read once hold the
 * same sums to the last bit, and a checkpoint carries the pending count.
 */
export class ReturnMoments {
  private _n = 0;
  private _mean = 0;
  private _m2 = 0;
  private _m3 = 0;
  private _m4 = 0;
  private _downsideSq = 0;
  /** Zero returns after the last non-zero one, not yet in the sums above. */
  private _zeros = 0;

  /** Adds one return. @throws RangeError on NaN or ±∞. */
  public push(r: number): void {
    assertFinite(r, 'return');
    this.add(r);
  }

  /** {@link push} for a return known to be finite (the tracker has checked its inputs). */
  public add(r: number): void {
    if (this._zeros > 0) this.foldZeros();
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

  /** Adds one zero return (a bar whose equity did not move). */
  public addZero(): void {
    this._zeros++;
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
      zeros: this._zeros,
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
    this._zeros = state.zeros;
  }

  public reset(): void {
    this._n = 0;
    this._mean = 0;
    this._m2 = 0;
    this._m3 = 0;
    this._m4 = 0;
    this._downsideSq = 0;
    this._zeros = 0;
  }

  /** Number of returns T. */
  public get count(): number {
    return this._n + this._zeros;
  }

  /** Mean return, or null with no returns. */
  public get mean(): number | null {
    return this.count > 0 ? this.combined().mean : null;
  }

  /** Sample standard deviation (divides by T − 1), or null below two returns. */
  public get sampleSd(): number | null {
    const n = this.count;
    return n > 1 ? Math.sqrt(this.combined().m2 / (n - 1)) : null;
  }

  /**
   * Skewness γ₃ = m₃ / m₂^{3/2} with population central moments m_k = Σ(r − r̄)^k / T, as in
   * Bailey & López de Prado. Null below two returns or with zero variance.
   */
  public get skewness(): number | null {
    const n = this.count;
    const s = this.combined();
    if (n < 2 || !(s.m2 > 0)) return null;
    return (Math.sqrt(n) * s.m3) / Math.pow(s.m2, 1.5);
  }

  /**
   * Kurtosis γ₄ = m₄ / m₂², NOT excess kurtosis (a normal distribution gives 3). Null below two
   * returns or with zero variance.
   */
  public get kurtosis(): number | null {
    const n = this.count;
    const s = this.combined();
    if (n < 2 || !(s.m2 > 0)) return null;
    return (n * s.m4) / (s.m2 * s.m2);
  }

  /** (1/T) Σ min(r, 0)², over ALL T returns, not only the negative ones. Null with no returns. */
  public get downsideMeanSquare(): number | null {
    const n = this.count;
    return n > 0 ? this._downsideSq / n : null;
  }

  /** The sums with the pending zeros combined in (this object unchanged). */
  private combined(): CentralSums {
    const sums = { n: this._n, mean: this._mean, m2: this._m2, m3: this._m3, m4: this._m4 };
    return combineZeros(sums, this._zeros);
  }

  private foldZeros(): void {
    const s = this.combined();
    this._n = s.n;
    this._mean = s.mean;
    this._m2 = s.m2;
    this._m3 = s.m3;
    this._m4 = s.m4;
    this._zeros = 0;
  }
}

/** Count, mean and central sums M2–M4 of a group of returns. */
interface CentralSums {
  readonly n: number;
  readonly mean: number;
  readonly m2: number;
  readonly m3: number;
  readonly m4: number;
}

/**
 * `a` combined with a group of `k` zero returns (mean 0, central sums 0): Chan, Golub & LeVeque's
 * pairwise update, as extended to M3 and M4 by Terriberry, with δ = −mean_a.
 */
function combineZeros(s: CentralSums, k: number): CentralSums {
  if (k === 0) return s;
  const na = s.n;
  const n = na + k;
  const delta = -s.mean;
  const dn = delta / n;
  const ab = na * k;
  return {
    n,
    mean: s.mean + dn * k,
    m2: s.m2 + delta * dn * ab,
    m3: s.m3 + delta * dn * dn * ab * (na - k) - 3 * dn * k * s.m2,
    m4:
      s.m4 +
      delta * dn * dn * dn * ab * (na * na - ab + k * k) +
      6 * dn * dn * k * k * s.m2 -
      4 * dn * k * s.m3,
  };
}
