/**
 * Refetches something that changes live, at most once per `minGapMs` and never two requests at
 * once, and applies each answer on an animation frame: however fast the feed or the metric
 * events come, the chart redraws at most once per refresh and never mid-frame.
 */
export class ThrottledRefresh<T> {
  private inFlight = false;
  private again = false;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private frame = 0;
  private disposed = false;

  public constructor(
    private readonly fetch: () => Promise<T>,
    private readonly apply: (value: T) => void,
    private readonly onError: (error: unknown) => void,
    private readonly minGapMs = 1_000,
  ) {}

  /** Something changed: refetch soon. */
  public poke(): void {
    if (this.disposed) return;
    if (this.inFlight || this.timer !== null) {
      this.again = this.inFlight;
      return;
    }
    const wait = this.last + this.minGapMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.run();
      }, wait);
      return;
    }
    void this.run();
  }

  public dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    this.again = false;
    this.last = Date.now();
    try {
      const value = await this.fetch();
      if (this.disposed) return;
      if (this.frame !== 0) cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (!this.disposed) this.apply(value);
      });
    } catch (error) {
      if (!this.disposed) this.onError(error);
    } finally {
      this.inFlight = false;
      if (this.again) this.poke();
    }
  }
}
