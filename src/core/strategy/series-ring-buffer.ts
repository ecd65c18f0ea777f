/**
 * The last `capacity` values of one series, newest first by index: `get(0)` is the current closed
 * bar, `get(1)` the one before. Constant memory however long the strategy runs.
 */
export class SeriesRingBuffer {
  // Public for reading only: compiled rules read the values inline, since a method call that is
  // not inlined returns its double boxed, one heap allocation per read on the per-bar path.
  // `data[head]` is the newest value, `data[head - k]` (wrapped by `capacity`) k bars back,
  // valid for k < `count`. Write through the methods only.
  public data: Float64Array;
  public capacity: number;
  public head = -1;
  public count = 0;

  public constructor(capacity = 1) {
    this.capacity = Math.max(1, capacity);
    this.data = new Float64Array(this.capacity);
  }

  /** Grows the buffer to hold at least `depth` values (compile time only: it drops history). */
  public require(depth: number): void {
    if (depth <= this.capacity) return;
    this.capacity = depth;
    this.data = new Float64Array(depth);
    this.reset();
  }

  /** Grows the buffer to hold at least `depth` values, keeping the values it holds. */
  public grow(depth: number): void {
    if (depth <= this.capacity) return;
    const data = new Float64Array(depth);
    for (let k = this.count - 1, i = 0; k >= 0; k--, i++) data[i] = this.get(k);
    this.data = data;
    this.capacity = depth;
    this.head = this.count - 1;
  }

  /** How many values it keeps. */
  public get size(): number {
    return this.capacity;
  }

  /** Appends the newest value, dropping the oldest when full. */
  public push(value: number): void {
    const next = this.head + 1;
    this.head = next === this.capacity ? 0 : next;
    this.data[this.head] = value;
    if (this.count < this.capacity) this.count++;
  }

  /** The value `barsAgo` bars back, or NaN when the series is not that long yet. */
  public get(barsAgo: number): number {
    if (barsAgo >= this.count) return NaN;
    const i = this.head - barsAgo;
    return this.data[i < 0 ? i + this.capacity : i] as number;
  }

  /** Forgets all values. */
  public reset(): void {
    this.head = -1;
    this.count = 0;
  }
}
