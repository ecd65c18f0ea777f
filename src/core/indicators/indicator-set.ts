import type { Disposable } from '../../shared/disposable';
import type { Candle, Timeframe } from '../../shared/market';
import { Ema } from './average/ema';
import { Sma } from './average/sma';
import { createIndicator } from './create-indicator';
import type { Indicator, IndicatorReader } from './indicator';
import { indicatorKey, type IndicatorRequest } from './indicator-key';
import { Macd } from './momentum/macd';
import { Rsi } from './momentum/rsi';
import { BollingerBands } from './volatility/bollinger-bands';

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
 *
 * Why grouped by class: one loop over indicators of many classes makes `update` a megamorphic
 * call that V8 can neither inline nor predict — measured, the dispatch cost as much as the
 * arithmetic. So the common classes each get their own array and loop (one class per call
 * site, inlined), and the rest share one generic loop. Indicators are independent of each
 * other, so the order between classes changes no value; within a class it is acquisition order.
 */
export class TimeframeIndicators {
  /** @internal Every indicator, in acquisition order (kept by {@link add} and {@link remove}). */
  public readonly indicators: Indicator[] = [];
  private readonly emas: Ema[] = [];
  private readonly rsis: Rsi[] = [];
  private readonly macds: Macd[] = [];
  private readonly bands: BollingerBands[] = [];
  private readonly smas: Sma[] = [];
  private readonly others: Indicator[] = [];

  public constructor(public readonly timeframe: Timeframe) {}

  /** Feeds one closed bar of this timeframe to each indicator once. No allocation. */
  public update(bar: Candle): void {
    const emas = this.emas;
    for (let i = 0; i < emas.length; i++) (emas[i] as Ema).update(bar);
    const rsis = this.rsis;
    for (let i = 0; i < rsis.length; i++) (rsis[i] as Rsi).update(bar);
    const macds = this.macds;
    for (let i = 0; i < macds.length; i++) (macds[i] as Macd).update(bar);
    const bands = this.bands;
    for (let i = 0; i < bands.length; i++) (bands[i] as BollingerBands).update(bar);
    const smas = this.smas;
    for (let i = 0; i < smas.length; i++) (smas[i] as Sma).update(bar);
    const others = this.others;
    for (let i = 0; i < others.length; i++) (others[i] as Indicator).update(bar);
  }

  /** @internal Called by the set when an indicator is created. */
  public add(indicator: Indicator): void {
    this.indicators.push(indicator);
    this.classArray(indicator).push(indicator);
  }

  /** @internal Called by the set when the last lease on an indicator is released. */
  public remove(indicator: Indicator): void {
    removeFrom(this.indicators, indicator);
    removeFrom(this.classArray(indicator), indicator);
  }

  private classArray(indicator: Indicator): Indicator[] {
    // Exact classes only: a subclass would make the call site polymorphic again.
    switch (Object.getPrototypeOf(indicator)) {
      case Ema.prototype:
        return this.emas;
      case Rsi.prototype:
        return this.rsis;
      case Macd.prototype:
        return this.macds;
      case BollingerBands.prototype:
        return this.bands;
      case Sma.prototype:
        return this.smas;
      default:
        return this.others;
    }
  }
}

function removeFrom(array: Indicator[], indicator: Indicator): void {
  const index = array.indexOf(indicator);
  if (index >= 0) array.splice(index, 1);
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
      this.group(request.timeframe).add(indicator);
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
    this.byTimeframe.get(entry.timeframe)?.remove(entry.indicator);
  }
}
