import { TIMEFRAMES, TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/market';

/**
 * Timeframes whose periods are whole multiples of a minute aligned to the Unix epoch, which is
 * midnight UTC: their boundaries are UTC boundaries (5m at :00, :05 …; 4h at 00:00, 04:00 …;
 * 1d at 00:00 UTC). 3d and 1w are not: Binance's weeks start on Monday, the epoch on a Thursday.
 */
export const AGGREGATABLE_TIMEFRAMES: readonly Timeframe[] = TIMEFRAMES.filter(
  (tf) => TIMEFRAME_MS[tf] <= TIMEFRAME_MS['1d'],
);

/** Open time of the period of `timeframe` that contains `time` (UTC). */
export function periodStart(time: number, timeframe: Timeframe): number {
  const ms = TIMEFRAME_MS[timeframe];
  return time - (((time % ms) + ms) % ms);
}

/** Merges `bar` into `into` (which must be earlier in the same period). */
function merge(into: Candle, bar: Candle): Candle {
  return {
    time: into.time,
    open: into.open,
    high: Math.max(into.high, bar.high),
    low: Math.min(into.low, bar.low),
    close: bar.close,
    volume: into.volume + bar.volume,
  };
}

/**
 * Builds bars of a higher timeframe from closed bars of a base timeframe (normally 1m).
 *
 * Rule for closing, gaps included:
 * - a higher bar closes when the base bar that ends its period closes, or else when the first
 *   closed base bar of a later period arrives (the exchange had no bar for the period's tail —
 *   e.g. Kraken omits minutes without trades);
 * - only closed base bars close a higher bar: an in-progress base bar of the next period does
 *   not, because a missed closed bar of this period may still arrive by backfill;
 * - a period in which the exchange has no base bar at all yields no higher bar: a hole stays a
 *   hole, nothing is synthesised;
 * - the higher bar's time is its period's open time even when its first base bar came later.
 * Base bars must arrive in time order, each once (the exchange feed guarantees it).
 */
export class TimeframeAggregator {
  private readonly baseMs: number;
  private readonly targetMs: number;
  private current: Candle | null = null;

  public constructor(
    public readonly target: Timeframe,
    public readonly base: Timeframe = '1m',
  ) {
    if (!AGGREGATABLE_TIMEFRAMES.includes(target) || !AGGREGATABLE_TIMEFRAMES.includes(base)) {
      throw new Error(
        `cannot aggregate ${base} into ${target}: only epoch-aligned timeframes up to 1d`,
      );
    }
    this.baseMs = TIMEFRAME_MS[base];
    this.targetMs = TIMEFRAME_MS[target];
    if (this.targetMs % this.baseMs !== 0 || this.targetMs < this.baseMs) {
      throw new Error(`${target} is not a whole multiple of ${base}`);
    }
  }

  /** Adds a closed base bar; returns the higher bars it closes (at most two, oldest first). */
  public pushClosed(bar: Candle): Candle[] {
    const closed: Candle[] = [];
    const start = periodStart(bar.time, this.target);
    if (this.current && this.current.time !== start) {
      closed.push(this.current);
      this.current = null;
    }
    this.current = this.current ? merge(this.current, bar) : { ...bar, time: start };
    if (bar.time + this.baseMs >= start + this.targetMs) {
      closed.push(this.current);
      this.current = null;
    }
    return closed;
  }

  /** The higher bar in progress given the base bar in progress (not stored: nothing changes). */
  public forming(baseForming: Candle): Candle {
    const start = periodStart(baseForming.time, this.target);
    if (this.current && this.current.time === start) return merge(this.current, baseForming);
    return { ...baseForming, time: start };
  }

  /** The closed base bars of the open period, so far, merged (null before the first). */
  public pending(): Candle | null {
    return this.current ? { ...this.current } : null;
  }
}
