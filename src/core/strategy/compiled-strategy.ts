import type { Timeframe } from '../../shared/market';
import type {
  ClosedBarValues,
  IndicatorRequirement,
  StrategySignals,
  TermValue,
} from './evaluation-context';
import type { SeriesPool } from './compile-strategy';
import type { SharedValue } from './compiler';
import type { RuleName, StrategyConfig } from './strategy-config-schema';

/**
 * The four rules as tests of the last bar taken in by `observe` (or `evaluate`). A rule the
 * config leaves out never holds. Pure reads of the rules' history: testing a rule or not changes
 * nothing, so the engine tests only the rules the position needs.
 */
export type RuleTests = { readonly [rule in RuleName]: () => boolean };

/** Each rule's gate (see `CompiledRule.gate`): a rule whose gate does not read 1 does not hold. */
export type RuleGates = { readonly [rule in RuleName]: SharedValue | null };

/** The bar fields of a closed bar and its open time (a `Candle` has them). */
export interface BarFieldValues {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * One instance's own rules and history, built by `CompiledStrategy.instantiate` on the
 * indicators' output arrays: current-bar values are read from those arrays directly, so a bar
 * costs only the history buffers the rules need. Several instances of one compiled strategy
 * each get their own.
 */
export interface StrategyEvaluator {
  /** The bar that just closed, after its indicators were updated. Once per closed bar, in order. */
  observeBar(bar: BarFieldValues): void;
  /** Each rule on the last observed bar, tested only when called. */
  readonly tests: RuleTests;
  /** Each rule's gate on the last observed bar: a cheaper first look than its test. */
  readonly gates: RuleGates;
  /** The terms of `rule` as written, in {@link termValues}' order (the same array every call). */
  termTexts(rule: RuleName): readonly string[];
  /** The values of `rule`'s terms on the last observed bar, one number per term. */
  termValues(rule: RuleName): number[];
  /** Forgets all history (its own; a pooled evaluator's history is shared and stays). */
  reset(): void;
  /** Lets go of what it holds in a pool (after its last bar). */
  release(): void;
}

/** A risk setting with every `$parameter` replaced by the variant's value. */
export interface ResolvedRisk {
  readonly positionSize:
    | { readonly kind: 'percentOfEquity'; readonly percent: number }
    | { readonly kind: 'fixedQuote'; readonly amount: number };
  readonly leverage: number;
  readonly stopLoss?: { readonly percent: number; readonly basis: 'price' | 'roi' };
  readonly takeProfit?: { readonly percent: number; readonly basis: 'price' | 'roi' };
  readonly trailingStop?: { readonly percent: number };
  readonly maxLossPercent: number;
  readonly maxDrawdownPercent: number;
}

/**
 * A strategy with concrete parameter values, ready to run on closed bars. One instance per
 * variant: it keeps the history its rules look back on, in constant memory.
 */
export interface CompiledStrategy {
  readonly config: StrategyConfig;
  /** Every parameter's value for this variant, defaults included. */
  readonly parameters: ReadonlyMap<string, number | string>;
  readonly timeframe: Timeframe;
  /**
   * The indicators the rules read, deduplicated; a requirement's index is its `slot` in
   * `ClosedBarValues.indicator(slot, output)`.
   */
  readonly requirements: readonly IndicatorRequirement[];
  /** Largest number of bars back any rule reads, bar fields and indicators alike. */
  readonly maxLookback: number;
  readonly risk: ResolvedRisk;
  /**
   * Bars of history needed before the first possible signal: max over requirements of
   * (their warm-up + their lookback), and the bar fields' lookback. The indicator engine knows
   * each indicator's warm-up, so it supplies it.
   */
  warmupBars(indicatorWarmup: (requirement: IndicatorRequirement) => number): number;
  /**
   * Takes the bar that just closed and returns the four signals. Call exactly once per closed
   * bar, in order. The returned object is reused by the next call: copy it to keep it.
   */
  evaluate(values: ClosedBarValues): Readonly<StrategySignals>;
  /**
   * Takes the bar that just closed into the rules' history without testing any rule: the first
   * half of `evaluate`. Call exactly once per closed bar, in order; then read `tests`.
   */
  observe(values: ClosedBarValues): void;
  /** Each rule on the last observed bar, tested only when called. */
  readonly tests: RuleTests;
  /**
   * A new evaluator of these rules with its own history, reading current-bar indicator values
   * straight from `outputs` (one array per requirement slot, every output, updated in place by
   * the indicators: e.g. the shared indicators' `outputs`). The compiled strategy itself is not
   * changed. With a `pool`, history buffers and subexpressions are shared with every other instance
   * built on the same pool (one per indicator set): identical series and subexpressions are kept
   * and computed once per bar. @throws RangeError when an array is missing or short.
   */
  instantiate(outputs: readonly Float64Array[], pool?: SeriesPool): StrategyEvaluator;
  /** The terms of `rule` and their values on the last evaluated bar ("why it fired"). */
  explain(rule: RuleName): TermValue[];
  /** Forgets all history, as on a fresh start. */
  reset(): void;
}
