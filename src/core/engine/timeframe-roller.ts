import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../shared/market';

/** A bar whose fields the roller rewrites in place: read it before the next `push`. */
export interface MutableCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * A class, not an object literal: literals of this shape share their hidden class with every
 * candle built elsewhere, and one non-double value in any of them would make every field store
 * here allocate. Fields start as doubles (NaN) for the same reason.
 */
class RollingCandle implements MutableCandle {
  public time = Number.NaN;
  public open = Number.NaN;
  public high = Number.NaN;
  public low = Number.NaN;
  public close = Number.NaN;
  public volume = Number.NaN;
}

const emptyCandle = (): MutableCandle => new RollingCandle();

/**
 * Rolls closed bars of a base timeframe up into one higher timeframe without allocating: the
 * engine's per-bar path runs it for every base bar, so it reuses two bar objects instead of
 * building a new one per merge (market/aggregation's `TimeframeAggregator` allocates; it serves
 * the chart, not the hot path). Same closing rule as that aggregator:
 * - a higher bar closes with the base bar that ends its period;
 * - or, when the exchange had no bar for the period's tail, when the first base bar of a later
 *   period arrives (then `push` may close two bars: that tail and, rarely, the new one);
 * - a period without any base bar yields no bar; the bar's time is its period's open time.
 */
export class TimeframeRoller {
  /** The bar closed because a later period began (a gap at the end of its period). */
  public readonly gapClosed: MutableCandle = emptyCandle();
  /** The bar closed by the base bar that ended its period. */
  public readonly closed: MutableCandle = emptyCandle();
  /** Whether the last `push` closed `gapClosed` / `closed`. */
  public gapDidClose = false;
  public didClose = false;

  private readonly baseMs: number;
  private readonly targetMs: number;
  private readonly current: MutableCandle = emptyCandle();
  private open = false;
  /** End (exclusive) of the open period. */
  private end = 0;

  /**
   * @param target - the higher timeframe to build.
   * @param base - the timeframe of the bars pushed; `target` must be a whole multiple of it.
   * @throws RangeError when it is not.
   */
  public constructor(
    public readonly target: Timeframe,
    public readonly base: Timeframe,
  ) {
    this.baseMs = TIMEFRAME_MS[base];
    this.targetMs = TIMEFRAME_MS[target];
    if (this.targetMs < this.baseMs || this.targetMs % this.baseMs !== 0) {
      throw new RangeError(`cannot build ${target} bars from ${base} bars`);
    }
  }

  /** Adds one closed base bar; then read `gapDidClose` / `didClose` and the bars they flag. */
  public push(bar: Candle): void {
    const time = bar.time;
    const c = this.current;
    this.gapDidClose = false;
    this.didClose = false;
    if (this.open && time >= c.time && time < this.end) {
      if (bar.high > c.high) c.high = bar.high;
      if (bar.low < c.low) c.low = bar.low;
      c.close = bar.close;
      c.volume += bar.volume;
    } else {
      if (this.open) {
        copy(c, this.gapClosed);
        this.gapDidClose = true;
      }
      // The period start only when a period begins: a float modulo per bar costs more than the
      // rest of the roll-up together.
      const ms = this.targetMs;
      const start = time - (((time % ms) + ms) % ms);
      c.time = start;
      c.open = bar.open;
      c.high = bar.high;
      c.low = bar.low;
      c.close = bar.close;
      c.volume = bar.volume;
      this.end = start + ms;
      this.open = true;
    }
    if (time + this.baseMs >= this.end) {
      copy(c, this.closed);
      this.didClose = true;
      this.open = false;
    }
  }

  /** Forgets the period in progress. */
  public reset(): void {
    this.open = false;
    this.gapDidClose = false;
    this.didClose = false;
  }
}

function copy(from: MutableCandle, to: MutableCandle): void {
  to.time = from.time;
  to.open = from.open;
  to.high = from.high;
  to.low = from.low;
  to.close = from.close;
  to.volume = from.volume;
}
