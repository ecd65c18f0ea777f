/**
 * The equities the circuit breaker sums (DESIGN.md "Safety"): one slot per account, in the order
 * the accounts joined, each either counted with its latest equity or not counted. The manager
 * re-sums them after every bar; one typed array makes that a single pass over contiguous numbers
 * (on runtime objects it was one scattered boxed number each), and the fixed slot order adds them
 * in the same order every time.
 */
export class SummedEquity {
  private values = new Float64Array(64);
  private counted = new Uint8Array(64);
  private length = 0;

  /** A new slot, not counted. */
  public add(): number {
    if (this.length === this.values.length) {
      const values = new Float64Array(this.length * 2);
      values.set(this.values);
      const counted = new Uint8Array(this.length * 2);
      counted.set(this.counted);
      this.values = values;
      this.counted = counted;
    }
    return this.length++;
  }

  /** The slot's equity, or null when not counted. */
  public get(slot: number): number | null {
    return this.counted[slot] === 1 ? (this.values[slot] as number) : null;
  }

  /** Counts the slot with `equity`, or stops counting it (null). */
  public set(slot: number, equity: number | null): void {
    if (equity === null) {
      this.counted[slot] = 0;
      this.values[slot] = 0;
    } else {
      this.counted[slot] = 1;
      this.values[slot] = equity;
    }
  }

  /** A bar's equity: replaces the slot's when counted, else nothing. */
  public mark(slot: number, equity: number): void {
    if (this.counted[slot] === 1) this.values[slot] = equity;
  }

  /** The sum of the counted equities in slot order, or null when none is counted. */
  public total(): number | null {
    const values = this.values;
    const counted = this.counted;
    let total = 0;
    let any = false;
    for (let i = 0; i < this.length; i++) {
      if (counted[i] !== 1) continue;
      total += values[i] as number;
      any = true;
    }
    return any ? total : null;
  }
}
