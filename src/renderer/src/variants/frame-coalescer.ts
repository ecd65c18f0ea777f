/** How a frame is requested; `requestAnimationFrame` in the page. */
export type ScheduleFrame = (callback: () => void) => void;

/**
 * Buffers keyed updates and hands them over once per animation frame, later updates of a key
 * merged into earlier ones. However many metric batches arrive between two frames, the store
 * changes once, so React renders once. While the page is hidden frames stop; the buffer then
 * holds at most one entry per key (per variant), never a backlog.
 */
export class FrameCoalescer<K, V> {
  private pending = new Map<K, V>();
  private scheduled = false;

  public constructor(
    private readonly merge: (earlier: V, later: V) => V,
    private readonly apply: (batch: ReadonlyMap<K, V>) => void,
    private readonly schedule: ScheduleFrame = (cb) => void requestAnimationFrame(cb),
  ) {}

  public push(key: K, value: V): void {
    const earlier = this.pending.get(key);
    this.pending.set(key, earlier === undefined ? value : this.merge(earlier, value));
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Applies what is buffered now (also called by the frame). */
  public flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.apply(batch);
  }

  /** Forgets what is buffered (after a full reload replaced the rows). */
  public clear(): void {
    this.pending.clear();
  }
}
