/**
 * Highest (or lowest) of the last `length` values in amortised O(1): a monotonic deque kept in
 * two fixed Float64Array rings (values and their arrival numbers). Each value enters and leaves
 * the deque once, and the deque never holds more than `length` entries.
 */
export class RollingExtreme {
  private readonly vals: Float64Array;
  private readonly seq: Float64Array;
  private head = 0;
  private size = 0;
  /** Arrival number of the last value; a float counts exactly to 2^53 bars. */
  private counter = -1;

  public constructor(
    public readonly length: number,
    private readonly highest: boolean,
  ) {
    if (!Number.isInteger(length) || length < 1)
      throw new RangeError(`window length must be a positive integer, got ${length}`);
    this.vals = new Float64Array(length);
    this.seq = new Float64Array(length);
  }

  /** Adds `x` and returns the extreme of the last `length` values, `x` included. */
  public push(x: number): number {
    const cap = this.length;
    const vals = this.vals;
    const seq = this.seq;
    const now = ++this.counter;
    // Drop the front once it has left the window.
    if (this.size > 0 && (seq[this.head] as number) <= now - cap) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    // Drop from the back every value that can never again be the extreme.
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= cap) back -= cap;
      const v = vals[back] as number;
      if (this.highest ? v > x : v < x) break;
      this.size--;
    }
    let tail = this.head + this.size;
    if (tail >= cap) tail -= cap;
    vals[tail] = x;
    seq[tail] = now;
    this.size++;
    return vals[this.head] as number;
  }

  public clear(): void {
    this.head = 0;
    this.size = 0;
    this.counter = -1;
    this.vals.fill(0);
    this.seq.fill(0);
  }
}
