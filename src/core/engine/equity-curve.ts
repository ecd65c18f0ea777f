/**
 * Equity marked once per closed bar, in two growing Float64Arrays: appending costs no
 * allocation except when the capacity doubles, so it can sit on the per-bar path.
 */
export class EquityCurve {
  private times: Float64Array;
  private values: Float64Array;
  private count = 0;

  public constructor(initialCapacity = 1_024) {
    this.times = new Float64Array(Math.max(1, initialCapacity));
    this.values = new Float64Array(Math.max(1, initialCapacity));
  }

  public get length(): number {
    return this.count;
  }

  /**
   * Makes room for `more` points beyond those held, at once: a run that knows its length (a
   * backtest's bars) never regrows, copies or leaves halves of arrays to collect on the way.
   */
  public reserve(more: number): void {
    if (this.count + more > this.times.length) this.grow(this.count + more);
  }

  /** Appends one bar's open time and its equity at the close. */
  public push(time: number, equity: number): void {
    if (this.count === this.times.length) this.grow(this.count * 2);
    this.times[this.count] = time;
    this.values[this.count] = equity;
    this.count++;
  }

  private grow(capacity: number): void {
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    times.set(this.times.subarray(0, this.count));
    values.set(this.values.subarray(0, this.count));
    this.times = times;
    this.values = values;
  }

  /** The curve as plain points (allocates: for results and the API, not the bar path). */
  public points(): Array<{ time: number; equity: number }> {
    const out = new Array<{ time: number; equity: number }>(this.count);
    for (let i = 0; i < this.count; i++) {
      out[i] = { time: this.times[i] as number, equity: this.values[i] as number };
    }
    return out;
  }
}
