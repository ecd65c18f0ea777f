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

  /** Appends one bar's open time and its equity at the close. */
  public push(time: number, equity: number): void {
    if (this.count === this.times.length) {
      const times = new Float64Array(this.count * 2);
      const values = new Float64Array(this.count * 2);
      times.set(this.times);
      values.set(this.values);
      this.times = times;
      this.values = values;
    }
    this.times[this.count] = time;
    this.values[this.count] = equity;
    this.count++;
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
