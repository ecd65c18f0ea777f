import type { IndicatorSource, IndicatorType } from '../indicators/indicator-catalog';
import type { Timeframe } from '../../shared/market';

/**
 * What a compiled strategy reads once per closed bar — the whole contract with the indicator
 * engine. The engine computes every indicator in `CompiledStrategy.requirements` and exposes
 * its values for the bar that just closed; the strategy copies what its rules use into its own
 * history buffers, so the engine keeps no history on the strategy's behalf.
 *
 * @example
 * const values: ClosedBarValues = {
 *   open, high, low, close, volume,
 *   indicator: (slot, output) => registry.value(handles[slot], output),
 * };
 * const signals = strategy.evaluate(values);
 */
export interface ClosedBarValues {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /**
   * Output number `output` (index into `requirements[slot].outputs`) of the indicator at
   * `requirements[slot]`, as of the bar that just closed. For a higher-timeframe indicator: its
   * value at the last *closed* bar of that timeframe. NaN while the indicator is warming up.
   * Called once per used (slot, output) per bar.
   */
  indicator(slot: number, output: number): number;
  /**
   * Optionally, the indicators' outputs themselves by slot (`outputs[slot][output]` equals
   * `indicator(slot, output)`): the same arrays, updated in place, every time this object is
   * passed. A strategy then reads them directly instead of calling `indicator` per value.
   */
  readonly outputs?: readonly Float64Array[];
}

/** One indicator a compiled strategy needs, with every parameter resolved to a number. */
export interface IndicatorRequirement {
  /**
   * Canonical identity, e.g. `ema(period=21)@close/5m`: equal keys mean identical series, which
   * the engine computes once for every variant that needs them.
   */
  readonly key: string;
  readonly type: IndicatorType;
  /** Every catalogue parameter, defaults included. */
  readonly params: Readonly<Record<string, number>>;
  /** The price it reads, or null for indicators that read the whole bar. */
  readonly source: IndicatorSource | null;
  readonly timeframe: Timeframe;
  /** Output names in catalogue order: the `output` index of `ClosedBarValues.indicator`. */
  readonly outputs: readonly string[];
  /** The config ids that name it (identical indicators declared twice share one slot). */
  readonly ids: readonly string[];
  /** Closed bars of its values the rules look back beyond the current one (0: current only). */
  readonly lookback: number;
}

/** The four signals of one closed bar. */
export interface StrategySignals {
  entryLong: boolean;
  entryShort: boolean;
  exitLong: boolean;
  exitShort: boolean;
}

/** One term of a rule and its value on the bar evaluated last: the "why it fired" record. */
export interface TermValue {
  /** The term as written in the rule, e.g. `rsi` or `bb.upper[1]`. */
  readonly text: string;
  readonly value: number;
}
