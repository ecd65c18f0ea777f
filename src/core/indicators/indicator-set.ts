import type { Disposable } from '../../shared/disposable';
import type { Candle, Timeframe } from '../../shared/market';
import { Ema, EmaBank } from './average/ema';
import { Sma } from './average/sma';
import { createIndicator } from './create-indicator';
import type { Indicator, IndicatorReader } from './indicator';
import { INDICATOR_SOURCES } from './indicator-catalog';
import { indicatorKey, type IndicatorRequest } from './indicator-key';
import { Macd, MacdBank } from './momentum/macd';
import { Rsi, RsiBank } from './momentum/rsi';
import {
  BANK_MIN,
  sourceCode,
  sourcePriceByCode,
  type BankMember,
  type IndicatorBank,
} from './support/indicator-bank';
import { BollingerBands, BollingerBandsBank } from './volatility/bollinger-bands';

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
 * The distinct indicators of one timeframe: the bar loop holds this object per timeframe and
 * updates it directly, without a lookup per bar.
 *
 * Why not one loop over the indicators: across many classes `update` is a megamorphic call V8
 * can neither inline nor predict — measured, the dispatch cost as much as the arithmetic. So
 * each hot class (EMA, RSI, MACD, Bollinger Bands, SMA) has a loop of its own, one class per
 * call site; the rest share one generic loop. From {@link BANK_MIN} members of a class on, the
 * members' state moves into an {@link IndicatorBank} of that class, updated by one loop over
 * one typed array (about twice as cheap per indicator as the objects; below that the objects
 * are cheaper, having fewer things to touch per bar). Indicators are independent of each other,
 * so the order between them changes no value.
 */
export class TimeframeIndicators {
  /** @internal Every indicator, in acquisition order (kept by {@link add} and {@link remove}). */
  public readonly indicators: Indicator[] = [];
  /**
   * Members kept as objects, grouped by class in segment order (EMA, RSI, MACD, BB, SMA, the
   * rest), each segment ending where the next begins: one array rather than one per class, and
   * the ends in fields rather than an array, since with a set per variant every object the bar
   * loop touches is a cache miss.
   */
  private readonly objects: Indicator[] = [];
  private emaEnd = 0;
  private rsiEnd = 0;
  private macdEnd = 0;
  private bbEnd = 0;
  private smaEnd = 0;
  // A field per bank: each call site in `update` then sees one class and is inlined.
  private emaBank: EmaBank | null = null;
  private rsiBank: RsiBank | null = null;
  private macdBank: MacdBank | null = null;
  private bandsBank: BollingerBandsBank | null = null;
  /** Source prices of the bar being fed, by source code: what banks read. */
  private readonly prices = new Float64Array(INDICATOR_SOURCES.length);
  /** How many banked members read each source (by code). */
  private readonly sourceUsers = new Int32Array(INDICATOR_SOURCES.length);
  /** Bit c set when a banked member reads source code c (0 without banks). */
  private sourcesRead = 0;

  public constructor(public readonly timeframe: Timeframe) {}

  /** Feeds one closed bar of this timeframe to each indicator once. No allocation. */
  public update(bar: Candle): void {
    const objects = this.objects;
    let i = 0;
    for (const end = this.emaEnd; i < end; i++) (objects[i] as Ema).update(bar);
    for (const end = this.rsiEnd; i < end; i++) (objects[i] as Rsi).update(bar);
    for (const end = this.macdEnd; i < end; i++) (objects[i] as Macd).update(bar);
    for (const end = this.bbEnd; i < end; i++) (objects[i] as BollingerBands).update(bar);
    for (const end = this.smaEnd; i < end; i++) (objects[i] as Sma).update(bar);
    for (; i < objects.length; i++) (objects[i] as Indicator).update(bar);
    let sources = this.sourcesRead;
    if (sources === 0) return;
    const prices = this.prices;
    for (let code = 0; sources !== 0; code++, sources >>>= 1)
      if ((sources & 1) !== 0) prices[code] = sourcePriceByCode(bar, code);
    if (this.emaBank !== null) this.emaBank.update(prices);
    if (this.rsiBank !== null) this.rsiBank.update(prices);
    if (this.macdBank !== null) this.macdBank.update(prices);
    if (this.bandsBank !== null) this.bandsBank.update(prices);
  }

  /** @internal Called by the set when an indicator is created. */
  public add(indicator: Indicator): void {
    this.indicators.push(indicator);
    const segment = segmentOf(indicator);
    switch (segment) {
      case EMA:
        this.emaBank = this.join(segment, indicator as Ema, this.emaBank, () => new EmaBank());
        break;
      case RSI:
        this.rsiBank = this.join(segment, indicator as Rsi, this.rsiBank, () => new RsiBank());
        break;
      case MACD:
        this.macdBank = this.join(segment, indicator as Macd, this.macdBank, () => new MacdBank());
        break;
      case BB:
        this.bandsBank = this.join(
          segment,
          indicator as BollingerBands,
          this.bandsBank,
          () => new BollingerBandsBank(),
        );
        break;
      default:
        this.insert(segment, indicator);
    }
  }

  /**
   * @internal Called by the set when the last lease on an indicator is released. A banked one
   * leaves its bank with its state, so a reader still holding it reads on unharmed. A bank,
   * once made, stays (members may come back; an empty one costs a loop of nothing).
   */
  public remove(indicator: Indicator): void {
    removeFrom(this.indicators, indicator);
    const member = indicator as Partial<BankMember>;
    if (member.bank != null) {
      member.bank.leave(member as BankMember);
      this.countSource(member as BankMember, -1);
      return;
    }
    const index = this.objects.indexOf(indicator);
    if (index < 0) return;
    this.objects.splice(index, 1);
    this.shiftEnds(segmentOf(indicator), -1);
  }

  /** Adds `member` as an object, or to its class's bank, made once the class has enough. */
  private join<M extends BankMember & Indicator, B extends IndicatorBank<M>>(
    segment: number,
    member: M,
    bank: B | null,
    makeBank: () => B,
  ): B | null {
    if (bank !== null) {
      bank.join(member);
      this.countSource(member, 1);
      return bank;
    }
    this.insert(segment, member);
    const start = segment === 0 ? 0 : this.end(segment - 1);
    const count = this.end(segment) - start;
    if (count < BANK_MIN) return null;
    const made = makeBank();
    for (const m of this.objects.splice(start, count) as M[]) {
      made.join(m);
      this.countSource(m, 1);
    }
    this.shiftEnds(segment, -count);
    return made;
  }

  /** Puts `indicator` at the end of its class's segment of {@link objects}. */
  private insert(segment: number, indicator: Indicator): void {
    if (segment === SEGMENTS) {
      this.objects.push(indicator);
      return;
    }
    this.objects.splice(this.end(segment), 0, indicator);
    this.shiftEnds(segment, 1);
  }

  /** Where segment k ends in {@link objects} (k < SEGMENTS). */
  private end(k: number): number {
    return [this.emaEnd, this.rsiEnd, this.macdEnd, this.bbEnd, this.smaEnd][k] as number;
  }

  /** Moves the ends of segment `from` and every later one by `delta`. */
  private shiftEnds(from: number, delta: number): void {
    if (from <= EMA) this.emaEnd += delta;
    if (from <= RSI) this.rsiEnd += delta;
    if (from <= MACD) this.macdEnd += delta;
    if (from <= BB) this.bbEnd += delta;
    if (from <= SMA) this.smaEnd += delta;
  }

  private countSource(member: BankMember, delta: number): void {
    const code = sourceCode(member.source);
    this.sourceUsers[code] = (this.sourceUsers[code] as number) + delta;
    this.sourcesRead = 0;
    for (let c = 0; c < this.sourceUsers.length; c++)
      if ((this.sourceUsers[c] as number) > 0) this.sourcesRead |= 1 << c;
  }
}

/** Segments of {@link TimeframeIndicators}' objects, in order; SEGMENTS = the rest. */
const EMA = 0;
const RSI = 1;
const MACD = 2;
const BB = 3;
const SMA = 4;
const SEGMENTS = 5;

/** The segment of `indicator`'s exact class (a subclass would make a call site polymorphic). */
function segmentOf(indicator: Indicator): number {
  switch (Object.getPrototypeOf(indicator)) {
    case Ema.prototype:
      return EMA;
    case Rsi.prototype:
      return RSI;
    case Macd.prototype:
      return MACD;
    case BollingerBands.prototype:
      return BB;
    case Sma.prototype:
      return SMA;
    default:
      return SEGMENTS;
  }
}

function removeFrom(array: readonly Indicator[], indicator: Indicator): void {
  const index = array.indexOf(indicator);
  if (index >= 0) (array as Indicator[]).splice(index, 1);
}

/**
 * The indicators of all strategy instances, each identical (type, params, source, timeframe)
 * computed once: acquiring a key that is already held returns the same instance, and
 * `update` advances each distinct indicator once per bar however many variants read it.
 * Indicators are kept per timeframe ({@link TimeframeIndicators}: grouped by class, many of a
 * class in a bank); each one's values depend on its own bars only, so the order of updates
 * changes no value. An indicator lives while at least one lease on it is undisposed.
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
