import type { Disposable } from '../../shared/disposable';
import { TIMEFRAME_MS, type Candle, type CandleEvent, type Timeframe } from '../../shared/market';
import { isTradableBar } from '../execution';
import { IndicatorSet, type TimeframeIndicators } from '../indicators';
import type { StrategyInstance } from './strategy-instance';
import { TimeframeRoller } from './timeframe-roller';

/** One timeframe the loop serves: its bars (built from the base bars above it) and its instances. */
interface Level {
  readonly timeframe: Timeframe;
  readonly ms: number;
  /** Null for the base timeframe: its bars are the loop's input. */
  readonly roller: TimeframeRoller | null;
  /** The shared indicators of this timeframe. */
  readonly indicators: TimeframeIndicators;
  instances: StrategyInstance[];
  /** Instances that read this timeframe (any of their timeframes); the level lives while > 0. */
  users: number;
}

/** How a loop is set up. */
export interface EngineBarLoopOptions {
  /** The timeframe of the bars fed to `onClosedBar` (the feed's, normally 1m). */
  readonly baseTimeframe: Timeframe;
  /** The shared indicators; a new set when omitted. */
  readonly indicators?: IndicatorSet;
  /**
   * Called when an instance throws on a bar. The instance is removed from the loop (the others
   * go on); without this option the error propagates, as a backtest wants.
   */
  readonly onInstanceError?: (instance: StrategyInstance, error: unknown) => void;
}

/**
 * The engine's kernel for one bar series: per closed base bar it builds every higher timeframe
 * its instances need, updates the shared {@link IndicatorSet} once per closed bar of each
 * timeframe — so identical indicators are computed once however many variants read them — and
 * then steps every instance whose timeframe closed. Indicators of all timeframes closing at the
 * same moment are updated before any instance steps, so a 5m strategy at 10:00 reads the 1h bar
 * that closed with it (the last closed one). Backtest and live both run this loop: only the
 * source of the bars differs (a stored range, or a feed through {@link EngineBarLoop.attach}).
 */
export class EngineBarLoop implements Disposable {
  public readonly baseTimeframe: Timeframe;
  public readonly indicators: IndicatorSet;
  /** Levels in ascending timeframe order, the base first. */
  private levels: Level[] = [];
  private _bars = 0;
  private _lastTime = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private readonly onInstanceError: EngineBarLoopOptions['onInstanceError'];
  /** Lifetimes of the added instances, so a failing one can be removed. */
  private readonly removals = new Map<StrategyInstance, Disposable>();

  public constructor(options: EngineBarLoopOptions) {
    this.baseTimeframe = options.baseTimeframe;
    this.indicators = options.indicators ?? new IndicatorSet();
    this.onInstanceError = options.onInstanceError;
  }

  /** Base bars processed (warm-up included). */
  public get barsProcessed(): number {
    return this._bars;
  }

  /** Instances stepped by the loop, in the order they were added. */
  public get instances(): StrategyInstance[] {
    return this.levels.flatMap((l) => l.instances);
  }

  /**
   * Adds an instance: from the next base bar on it is stepped on every closed bar of its
   * timeframe. Its timeframes must be whole multiples of the base timeframe.
   * @returns a lifetime that removes it (the instance itself is not disposed).
   * @throws RangeError for a timeframe the base bars cannot build.
   */
  public add(instance: StrategyInstance): Disposable {
    for (const tf of instance.timeframes) this.level(tf).users++;
    this.level(instance.timeframe).instances.push(instance);
    let removed = false;
    const lifetime = {
      dispose: () => {
        if (removed) return;
        removed = true;
        this.removals.delete(instance);
        const own = this.level(instance.timeframe);
        own.instances = own.instances.filter((i) => i !== instance);
        for (const tf of instance.timeframes) this.level(tf).users--;
        this.levels = this.levels.filter((l) => l.users > 0);
      },
    };
    this.removals.set(instance, lifetime);
    return lifetime;
  }

  /** One closed base bar, traded by every instance whose timeframe it closes. */
  public onClosedBar(bar: Candle): void {
    this.step(bar, true);
  }

  /**
   * Closed base bars of stored history, oldest first, before any traded bar: indicators and rules
   * warm up, nothing is traded (DESIGN: instances warm up from stored history before they trade).
   */
  public warmUp(bars: Iterable<Candle>): void {
    for (const bar of bars) this.step(bar, false);
  }

  /** Steps on every closed bar `feed` emits (in-progress updates are ignored) until disposed. */
  public attach(feed: { onBar(listener: (event: CandleEvent) => void): Disposable }): Disposable {
    return feed.onBar((event) => {
      if (event.closed && event.series.timeframe === this.baseTimeframe)
        this.onClosedBar(event.candle);
    });
  }

  public dispose(): void {
    this.disposed = true;
    this.levels = [];
  }

  private step(bar: Candle, trading: boolean): void {
    if (this.disposed) return;
    if (!(bar.time > this._lastTime)) {
      throw new RangeError(
        `bar time ${bar.time} is not after the previous bar (${this._lastTime})`,
      );
    }
    this._lastTime = bar.time;
    this._bars++;
    const levels = this.levels;
    // Every higher timeframe sees the bar first: some may close the tail of a gapped period.
    let gaps = false;
    for (let i = 0; i < levels.length; i++) {
      const roller = (levels[i] as Level).roller;
      if (roller !== null) {
        roller.push(bar);
        if (roller.gapDidClose) gaps = true;
      }
    }
    if (gaps) {
      for (let i = 0; i < levels.length; i++) {
        const level = levels[i] as Level;
        if (level.roller?.gapDidClose) {
          const closed = level.roller.gapClosed;
          level.indicators.update(closed);
          this.stepInstances(level.instances, closed, trading, isTradableBar(closed));
        }
      }
    }
    // Then every bar closing now updates its indicators, all timeframes before any instance.
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as Level;
      if (level.roller === null) level.indicators.update(bar);
      else if (level.roller.didClose) level.indicators.update(level.roller.closed);
    }
    // Each bar's prices are checked once here, not once per instance's paper exchange; a bar
    // that fails goes unchecked to the instances, whose exchanges refuse it (each on its own).
    let tradable: boolean | undefined;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as Level;
      if (level.instances.length === 0) continue;
      if (level.roller === null) {
        tradable ??= isTradableBar(bar);
        this.stepInstances(level.instances, bar, trading, tradable);
      } else if (level.roller.didClose) {
        const closed = level.roller.closed;
        this.stepInstances(level.instances, closed, trading, isTradableBar(closed));
      }
    }
  }

  private stepInstances(
    instances: StrategyInstance[],
    bar: Candle,
    trading: boolean,
    tradable: boolean,
  ): void {
    if (this.onInstanceError !== undefined) {
      this.stepIsolated(instances, bar, trading, tradable, this.onInstanceError);
      return;
    }
    if (trading)
      for (let i = 0; i < instances.length; i++)
        (instances[i] as StrategyInstance).onBar(bar, tradable);
    else
      for (let i = 0; i < instances.length; i++) (instances[i] as StrategyInstance).warmUpBar(bar);
  }

  /** Steps each instance on its own: one that throws is removed and reported, the rest go on. */
  private stepIsolated(
    instances: StrategyInstance[],
    bar: Candle,
    trading: boolean,
    tradable: boolean,
    onError: NonNullable<EngineBarLoopOptions['onInstanceError']>,
  ): void {
    let failed: Array<{ instance: StrategyInstance; error: unknown }> | null = null;
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[i] as StrategyInstance;
      try {
        if (trading) instance.onBar(bar, tradable);
        else instance.warmUpBar(bar);
      } catch (error) {
        (failed ??= []).push({ instance, error });
      }
    }
    if (failed === null) return;
    // Removed after the pass: the array being iterated is replaced, not mutated, by removal.
    for (const { instance, error } of failed) {
      this.removals.get(instance)?.dispose();
      onError(instance, error);
    }
  }

  private level(timeframe: Timeframe): Level {
    let level = this.levels.find((l) => l.timeframe === timeframe);
    if (level !== undefined) return level;
    const ms = TIMEFRAME_MS[timeframe];
    const base = TIMEFRAME_MS[this.baseTimeframe];
    if (ms < base || ms % base !== 0) {
      throw new RangeError(
        `a ${timeframe} strategy or indicator cannot run on ${this.baseTimeframe} bars`,
      );
    }
    level = {
      timeframe,
      ms,
      roller:
        timeframe === this.baseTimeframe
          ? null
          : new TimeframeRoller(timeframe, this.baseTimeframe),
      indicators: this.indicators.group(timeframe),
      instances: [],
      users: 0,
    };
    this.levels = [...this.levels, level].sort((a, b) => a.ms - b.ms);
    return level;
  }
}
