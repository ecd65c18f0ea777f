import type { Disposable } from '../../shared/disposable';
import type { Candle, Timeframe } from '../../shared/market';
import { createIndicator } from './create-indicator';
import type { Indicator, IndicatorReader } from './indicator';
import { indicatorKey, type IndicatorRequest } from './indicator-key';

/** A strategy instance's hold on a shared indicator; `dispose` lets it go. */
export interface IndicatorLease extends Disposable {
  /** The canonical key ({@link indicatorKey}). */
  readonly key: string;
  /** The shared instance: the same object for every lease on the same key. */
  readonly indicator: IndicatorReader;
  /**
   * True when this lease built the indicator: it has seen no bars yet, and the caller should
   * {@link IndicatorSet.prime} it from history before reading it.
   */
  readonly created: boolean;
}

interface Entry {
  readonly key: string;
  readonly timeframe: Timeframe;
  readonly indicator: Indicator;
  leases: number;
}

/**
 * The distinct indicators of one timeframe, in acquisition order: the bar loop holds this object
 * per timeframe and updates it directly, without a lookup per bar.
 */
export class TimeframeIndicators {
  /** @internal Kept by the set: added on acquire, removed on the last release. */
  public readonly indicators: Indicator[] = [];

  public constructor(public readonly timeframe: Timeframe) {}

  /** Feeds one closed bar of this timeframe to each indicator once. No allocation. */
  public update(bar: Candle): void {
    const indicators = this.indicators;
    for (let i = 0; i < indicators.length; i++) (indicators[i] as Indicator).update(bar);
  }
}

/**
 * The indicators of all strategy instances, each identical (type, params, source, timeframe)
 * computed once: acquiring a key that is already held returns the same instance, and
 * `update` advances each distinct indicator once per bar however many variants read it.
 * Indicators are kept per timeframe in acquisition order, so updates run in a deterministic
 * order. An indicator lives while at least one lease on it is undisposed.
 */
export class IndicatorSet {
  private readonly entries = new Map<string, Entry>();
  /** Groups live as long as the set (an empty one costs a loop of nothing). */
  private readonly byTimeframe = new Map<Timeframe, TimeframeIndicators>();

  /** Number of distinct indicators held. */
  public get size(): number {
    return this.entries.size;
  }

  /** Distinct keys held, in acquisition order. */
  public keys(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * A lease on the indicator for `request`, building it on first use. Throws
   * `IndicatorConfigError` for an invalid request.
   */
  public acquire(request: IndicatorRequest): IndicatorLease {
    const key = indicatorKey(request);
    let entry = this.entries.get(key);
    const created = entry === undefined;
    if (entry === undefined) {
      const indicator = createIndicator(request.type, request.params, request.source);
      entry = { key, timeframe: request.timeframe, indicator, leases: 0 };
      this.entries.set(key, entry);
      this.group(request.timeframe).indicators.push(indicator);
    }
    entry.leases++;
    const held = entry;
    let disposed = false;
    return {
      key,
      indicator: held.indicator,
      created,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.release(held);
      },
    };
  }

  /** The indicator held under `key`, if any. */
  public get(key: string): IndicatorReader | undefined {
    return this.entries.get(key)?.indicator;
  }

  /** How many undisposed leases hold `key` (0 when it is not held). */
  public leaseCount(key: string): number {
    return this.entries.get(key)?.leases ?? 0;
  }

  /**
   * Feeds one closed bar of `timeframe` to every distinct indicator on that timeframe, once
   * each. The hot path: a plain loop over an array, no allocation.
   */
  public update(timeframe: Timeframe, bar: Candle): void {
    this.byTimeframe.get(timeframe)?.update(bar);
  }

  /**
   * The indicators of `timeframe`, now and later: the same object for the set's lifetime, which
   * indicators acquired afterwards join. For a loop that updates a timeframe on every bar.
   */
  public group(timeframe: Timeframe): TimeframeIndicators {
    let group = this.byTimeframe.get(timeframe);
    if (group === undefined)
      this.byTimeframe.set(timeframe, (group = new TimeframeIndicators(timeframe)));
    return group;
  }

  /**
   * Feeds history to the one indicator under `key` — for a newly created indicator joining a
   * running set, so that it catches up with the others. The bars must end with the last bar the
   * set has been updated with on that timeframe.
   */
  public prime(key: string, bars: Iterable<Candle>): void {
    const entry = this.entries.get(key);
    if (entry === undefined) throw new Error(`no indicator held under ${key}`);
    for (const bar of bars) entry.indicator.update(bar);
  }

  /** Empties every indicator, keeping the leases (e.g. before replaying a series from its start). */
  public resetAll(): void {
    for (const entry of this.entries.values()) entry.indicator.reset();
  }

  private release(entry: Entry): void {
    entry.leases--;
    if (entry.leases > 0) return;
    this.entries.delete(entry.key);
    const group = this.byTimeframe.get(entry.timeframe)?.indicators;
    if (group === undefined) return;
    const index = group.indexOf(entry.indicator);
    if (index >= 0) group.splice(index, 1);
  }
}
