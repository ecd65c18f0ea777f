import {
  compileStrategy,
  formatStrategyIssue,
  type CompiledStrategy,
  type StrategyConfigInput,
  type StrategySignals,
} from '../../../../src/core/strategy';

/**
 * A config declaring a bit of everything, for tests that need names to resolve: indicators
 * rsi, ema_fast, ema_slow, macd, bb, atr, volz, stoch, a higher-timeframe trend, and parameters
 * $oversold, $overbought (float), $lag, $len (int), $maType, $tf (text choices), $k (choice 1|2|3).
 */
export function sampleConfig(
  rules: Record<string, string> = { entryLong: 'rsi < 30' },
): StrategyConfigInput {
  return {
    meta: { name: 'sample', timeframe: '5m', version: 1 },
    indicators: [
      { id: 'rsi', type: 'rsi', params: { period: 14 } },
      { id: 'ema_fast', type: 'ema', params: { period: 12 } },
      { id: 'ema_slow', type: 'ema', params: { period: 26 } },
      { id: 'macd', type: 'macd' },
      { id: 'bb', type: 'bb', params: { period: 20, stdDev: 2 } },
      { id: 'atr', type: 'atr' },
      { id: 'volz', type: 'volumeZ' },
      { id: 'stoch', type: 'stoch' },
      { id: 'trend', type: '$maType', params: { period: 50 }, timeframe: '$tf' },
    ],
    parameters: [
      { name: 'oversold', type: 'float', default: 30, min: 10, max: 45 },
      { name: 'overbought', type: 'float', default: 70, min: 55, max: 90 },
      { name: 'lag', type: 'int', default: 1, min: 0, max: 10 },
      { name: 'len', type: 'int', default: 20, min: 1, max: 200 },
      { name: 'maType', type: 'choice', default: 'ema', choices: ['ema', 'sma'] },
      { name: 'tf', type: 'choice', default: '1h', choices: ['1h', '4h'] },
      { name: 'k', type: 'choice', default: 2, choices: [1, 2, 3] },
    ],
    rules,
  };
}

/** Compiles `sampleConfig` with the given rules, failing the test with the issues if invalid. */
export function compileSample(
  rules: Record<string, string>,
  values: Record<string, number | string> = {},
): CompiledStrategy {
  const result = compileStrategy(sampleConfig(rules), values);
  if (!result.ok) throw new Error(result.issues.map(formatStrategyIssue).join('\n'));
  return result.strategy;
}

/** A bar of hand-made values; missing fields are NaN. */
export type TestBar = Partial<Record<'open' | 'high' | 'low' | 'close' | 'volume', number>>;

/**
 * Runs a strategy over hand-made series. `series` is keyed by `id` (first output) or
 * `id.output`; a series shorter than the run, or a missing one, reads NaN.
 */
export function runSeries(
  strategy: CompiledStrategy,
  length: number,
  series: Record<string, readonly number[]>,
  bars: readonly TestBar[] = [],
): StrategySignals[] {
  const out: StrategySignals[] = [];
  for (let i = 0; i < length; i++) {
    const bar = bars[i] ?? {};
    const signals = strategy.evaluate({
      open: bar.open ?? NaN,
      high: bar.high ?? NaN,
      low: bar.low ?? NaN,
      close: bar.close ?? NaN,
      volume: bar.volume ?? NaN,
      indicator: (slot, output) => {
        const req = strategy.requirements[slot];
        if (!req) throw new Error(`no slot ${slot}`);
        for (const id of req.ids) {
          const named = series[`${id}.${req.outputs[output] ?? ''}`];
          if (named) return named[i] ?? NaN;
          if (output === 0 && series[id]) return series[id][i] ?? NaN;
        }
        return NaN;
      },
    });
    out.push({ ...signals });
  }
  return out;
}

/** Whether `rule` (as entryLong) fires on each bar of the given series. */
export function fires(
  rule: string,
  series: Record<string, readonly number[]>,
  bars: readonly TestBar[] = [],
  values: Record<string, number | string> = {},
): boolean[] {
  const length = Math.max(bars.length, ...Object.values(series).map((s) => s.length));
  return runSeries(compileSample({ entryLong: rule }, values), length, series, bars).map(
    (s) => s.entryLong,
  );
}
