import type { Candle } from '../../shared/market';
import { INDICATOR_SPECS, type IndicatorType } from './indicator-catalog';

/**
 * What a strategy reads from an indicator. It cannot advance it: a shared instance is updated
 * once per bar by its {@link IndicatorSet}, however many variants read it.
 */
export interface IndicatorReader {
  readonly type: IndicatorType;
  /**
   * Closed bars needed before the first value: `ready` turns true after this many updates
   * (VWAP, which needs traded volume, may take longer when its first bars have none).
   */
  readonly warmupBars: number;
  /** True once every output holds a value; before that every output is NaN. */
  readonly ready: boolean;
  /** Number of outputs, in the catalogue's order (`INDICATOR_SPECS[type].outputs`). */
  readonly outputCount: number;
  /** Output `index` (catalogue order) after the last update; NaN before ready or out of range. */
  output(index: number): number;
  /** The default output (`output(0)`): `rsi` alone means `rsi.value`, `macd` means `macd.macd`. */
  readonly value: number;
  /**
   * The outputs themselves, catalogue order, updated in place by every bar: for compiled rules
   * that read many indicators each bar. Every indicator's outputs are a Float64Array, so a read
   * `outputs[i]` stays monomorphic where `output(i)` across many indicator classes does not.
   * After the `outputCount` current values come the same outputs one update back
   * (`outputs[outputCount + i]`, NaN before the second update): a rule reading `ema[1]` or
   * `crossover(fast, slow)` on the indicator's own timeframe reads them here, in the cache line
   * it reads the current values from, instead of a history buffer pushed every bar.
   * Read only: writing into it corrupts every reader of a shared indicator.
   */
  readonly outputs: Float64Array;
}

/**
 * One incremental indicator: one closed bar in, new values out, O(1) per update (CCI: O(period))
 * and constant memory — no state grows with history.
 */
export interface Indicator extends IndicatorReader {
  /** Feeds one closed bar. Bars must arrive in time order, each once. */
  update(bar: Candle): void;
  /** Forgets all history: the indicator is as if just built. */
  reset(): void;
}

/**
 * Shared plumbing: the output slots (a small Float64Array, NaN until ready) and the ready flag.
 * Subclasses implement `update` and `clear`.
 */
export abstract class IndicatorBase implements Indicator {
  public readonly outputCount: number;
  protected readonly out: Float64Array;
  protected isReady = false;

  protected constructor(
    public readonly type: IndicatorType,
    public readonly warmupBars: number,
  ) {
    this.outputCount = INDICATOR_SPECS[type].outputs.length;
    this.out = new Float64Array(2 * this.outputCount).fill(Number.NaN);
  }

  public get ready(): boolean {
    return this.isReady;
  }

  public get outputs(): Float64Array {
    return this.out;
  }

  public get value(): number {
    return this.out[0] ?? Number.NaN;
  }

  public output(index: number): number {
    return index >= 0 && index < this.outputCount ? (this.out[index] as number) : Number.NaN;
  }

  public abstract update(bar: Candle): void;

  public reset(): void {
    this.isReady = false;
    this.out.fill(Number.NaN);
    this.clear();
  }

  /**
   * Copies the current outputs over the previous ones: every `update` calls it first, so
   * `outputs[outputCount + i]` is output i one update back. A bank's `run` does the same per
   * member, written out: a shared helper with its loop, called there, cost ~10 % on variants
   * with no indicator in common (measured, alternated).
   */
  protected keepPrevious(): void {
    const out = this.out;
    const n = this.outputCount;
    for (let o = 0; o < n; o++) out[n + o] = out[o] as number;
  }

  /** Drops the subclass's own state (called by `reset`). */
  protected abstract clear(): void;
}
