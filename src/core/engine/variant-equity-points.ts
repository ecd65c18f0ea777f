/**
 * A variant's equity at bar closes in bounded memory, for its chart: up to `capacity` points.
 * When full, every other point is dropped and from then on only every second bar is kept (then
 * every fourth…), so the curve always spans the variant's whole life at an even resolution and
 * the newest mark is always there. 1,000 variants × 2,048 points × 16 bytes = 32 MB.
 */
export class ThinnedEquityCurve {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private count = 0;
  /** Keep one bar in `stride`. */
  private stride = 1;
  private skipped = 0;
  private lastTime = Number.NaN;
  private lastEquity = Number.NaN;

  public constructor(private readonly capacity = 2_048) {
    if (capacity < 4 || capacity % 2 !== 0) throw new RangeError('capacity must be even and ≥ 4');
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Points kept (the newest mark included even when thinned away). */
  public get length(): number {
    return this.count + (this.pendingNewest() ? 1 : 0);
  }

  /** One bar's open time and the equity marked at its close. */
  public push(time: number, equity: number): void {
    this.lastTime = time;
    this.lastEquity = equity;
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    if (this.count === this.capacity) {
      // Keep the odd points (each the later of a pair): the newest survives every halving.
      const half = this.capacity / 2;
      for (let i = 0; i < half; i++) {
        this.times[i] = this.times[2 * i + 1] as number;
        this.values[i] = this.values[2 * i + 1] as number;
      }
      this.count = half;
      this.stride *= 2;
    }
    this.times[this.count] = time;
    this.values[this.count] = equity;
    this.count++;
  }

  /** The curve as plain points, oldest first (allocates: for the API). */
  public points(): Array<{ time: number; equity: number }> {
    const out: Array<{ time: number; equity: number }> = [];
    for (let i = 0; i < this.count; i++)
      out.push({ time: this.times[i] as number, equity: this.values[i] as number });
    if (this.pendingNewest()) out.push({ time: this.lastTime, equity: this.lastEquity });
    return out;
  }

  private pendingNewest(): boolean {
    return (
      !Number.isNaN(this.lastTime) &&
      (this.count === 0 || (this.times[this.count - 1] as number) !== this.lastTime)
    );
  }
}
