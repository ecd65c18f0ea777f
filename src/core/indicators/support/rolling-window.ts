/**
 * The last `length` values in a Float64Array ring, with O(1) mean and population variance.
 *
 * Why not plain running sums: at BTC prices (~2e4) a running sum of squares loses the variance to
 * cancellation, and any running sum drifts as rounding errors pile up over weeks of bars. So the
 * sums are kept relative to a shift near the window's mean, and recomputed exactly from the ring
 * once per lap (every `length` pushes) — two passes of `length` per `length` updates, amortised
 * O(1), with the error bounded by one lap's worth of operations however long the process runs.
 */
export class RollingWindow {
  public readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  private shift = 0;
  private sum = 0;
  private sumSq = 0;

  public constructor(public readonly length: number) {
    if (!Number.isInteger(length) || length < 1)
      throw new RangeError(`window length must be a positive integer, got ${length}`);
    this.values = new Float64Array(length);
  }

  /** Whether the window holds `length` values. */
  public get full(): boolean {
    return this.filled === this.length;
  }

  /** How many values it holds (at most `length`). */
  public get size(): number {
    return this.filled;
  }

  /** Adds `x`, dropping the oldest value once full. */
  public push(x: number): void {
    const values = this.values;
    const i = this.next;
    if (this.filled === 0) this.shift = x;
    const d = x - this.shift;
    if (this.filled < this.length) {
      this.filled++;
      this.sum += d;
      this.sumSq += d * d;
    } else {
      const old = (values[i] as number) - this.shift;
      this.sum += d - old;
      this.sumSq += d * d - old * old;
    }
    values[i] = x;
    if (i + 1 === this.length) {
      this.next = 0;
      if (this.filled === this.length) this.recompute();
    } else {
      this.next = i + 1;
    }
  }

  /** Mean of the values held (NaN when empty). */
  public mean(): number {
    return this.shift + this.sum / this.filled;
  }

  /** Population variance (divided by the count, as TA-Lib's STDDEV and BBANDS do); never negative. */
  public variance(): number {
    const n = this.filled;
    const v = (this.sumSq - (this.sum * this.sum) / n) / n;
    return v > 0 ? v : 0;
  }

  /** The value pushed `back` pushes ago (0 = newest); valid for back < size. */
  public recent(back: number): number {
    let i = this.next - 1 - back;
    if (i < 0) i += this.length;
    return this.values[i] as number;
  }

  public clear(): void {
    this.values.fill(0);
    this.next = 0;
    this.filled = 0;
    this.shift = 0;
    this.sum = 0;
    this.sumSq = 0;
  }

  /** Exact sums from the ring, re-centred on the current mean. Called only when the ring is full. */
  private recompute(): void {
    const values = this.values;
    const n = this.length;
    let raw = 0;
    for (let k = 0; k < n; k++) raw += values[k] as number;
    const shift = raw / n;
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      const d = (values[k] as number) - shift;
      sum += d;
      sumSq += d * d;
    }
    this.shift = shift;
    this.sum = sum;
    this.sumSq = sumSq;
  }
}
