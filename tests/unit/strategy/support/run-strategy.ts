import type {
  ClosedBarValues,
  CompiledStrategy,
  RuleName,
  StrategySignals,
  TermValue,
} from '../../../../src/core/strategy';
import { TIMEFRAME_MS, type Candle } from '../../../../src/shared/market';
import { referenceSeries, type ReferenceSeries } from './reference-indicators';

/** What a strategy signalled over a run of bars. */
export interface SignalRun {
  readonly bars: number;
  readonly counts: Record<RuleName, number>;
  /** Bar index of the first signal of any kind, or -1. */
  readonly firstSignalBar: number;
  /** The explanation of the first firing of each rule. */
  readonly firstExplanations: Partial<Record<RuleName, TermValue[]>>;
}

const RULES: readonly RuleName[] = ['entryLong', 'entryShort', 'exitLong', 'exitShort'];

/**
 * Feeds `bars` (already of the strategy's timeframe) one closed bar at a time, with indicator
 * values from the reference implementations, and counts the signals.
 */
export function runStrategy(strategy: CompiledStrategy, bars: readonly Candle[]): SignalRun {
  const barMs = TIMEFRAME_MS[strategy.timeframe];
  const series: ReferenceSeries[] = strategy.requirements.map((r) =>
    referenceSeries(r, bars, barMs),
  );
  let index = 0;
  let bar: Candle = bars[0] as Candle;
  const values: ClosedBarValues = {
    get open() {
      return bar.open;
    },
    get high() {
      return bar.high;
    },
    get low() {
      return bar.low;
    },
    get close() {
      return bar.close;
    },
    get volume() {
      return bar.volume;
    },
    indicator: (slot, output) => series[slot]?.[output]?.[index] ?? NaN,
  };
  const counts: Record<RuleName, number> = {
    entryLong: 0,
    entryShort: 0,
    exitLong: 0,
    exitShort: 0,
  };
  const firstExplanations: Partial<Record<RuleName, TermValue[]>> = {};
  let firstSignalBar = -1;
  for (index = 0; index < bars.length; index++) {
    bar = bars[index] as Candle;
    const s: Readonly<StrategySignals> = strategy.evaluate(values);
    for (const rule of RULES) {
      if (!s[rule]) continue;
      counts[rule]++;
      if (firstSignalBar < 0) firstSignalBar = index;
      firstExplanations[rule] ??= strategy.explain(rule);
    }
  }
  return { bars: bars.length, counts, firstSignalBar, firstExplanations };
}
