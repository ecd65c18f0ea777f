import {
  BollingerBands as TiBollingerBands,
  EMA as TiEma,
  MACD as TiMacd,
  RSI as TiRsi,
} from 'technicalindicators';
import type { Candle } from '../../src/shared/market';

/**
 * DESIGN.md's benchmark workload, shared by the engine and variant-manager benchmarks: the
 * 5-indicator strategy (RSI, two EMAs, MACD, Bollinger Bands) and the naive way of running it
 * that every figure is compared with in the same run.
 */

export const GRID_STRATEGY = {
  meta: { name: 'grid 5-indicator', timeframe: '1m', version: 1 },
  indicators: [
    { id: 'rsi', type: 'rsi', params: { period: '$rsi' } },
    { id: 'fast', type: 'ema', params: { period: '$fast' } },
    { id: 'slow', type: 'ema', params: { period: '$slow' } },
    { id: 'macd', type: 'macd', params: { fast: '$mf', slow: '$ms', signal: '$msig' } },
    { id: 'bb', type: 'bb', params: { period: '$bbp', stdDev: '$bbk' } },
  ],
  parameters: [
    { name: 'rsi', type: 'int', default: 14, min: 2, max: 50 },
    { name: 'fast', type: 'int', default: 12, min: 2, max: 50 },
    { name: 'slow', type: 'int', default: 100, min: 10, max: 300 },
    { name: 'mf', type: 'int', default: 12, min: 2, max: 20 },
    { name: 'ms', type: 'int', default: 26, min: 21, max: 100 },
    { name: 'msig', type: 'int', default: 9, min: 2, max: 50 },
    { name: 'bbp', type: 'int', default: 20, min: 5, max: 100 },
    { name: 'bbk', type: 'float', default: 2, min: 1, max: 4 },
  ],
  rules: {
    entryLong: 'crossover(fast, slow) AND rsi < 70 AND macd.macd > macd.signal',
    entryShort: 'crossunder(fast, slow) AND rsi > 30 AND macd.macd < macd.signal',
    exitLong: 'close > bb.upper OR crossunder(fast, slow)',
    exitShort: 'close < bb.lower OR crossover(fast, slow)',
  },
};

/**
 * The grid strategy with parameter ranges wide enough for 100 variants whose indicators are all
 * distinct (RSI, fast EMA and Bollinger periods up to 200): the same rules and indicators.
 */
export const DISTINCT_GRID_STRATEGY = {
  ...GRID_STRATEGY,
  meta: { ...GRID_STRATEGY.meta, name: 'grid 5-indicator, distinct' },
  parameters: GRID_STRATEGY.parameters.map((p) =>
    p.name === 'rsi' || p.name === 'fast' || p.name === 'bbp' ? { ...p, max: 200 } : p,
  ),
};

/** One variant's values of {@link GRID_STRATEGY}'s parameters, by name. */
export type GridParams = Readonly<Record<string, number>>;

/** Bars the naive baseline is timed on (it is slow: a few thousand variant-bars per second). */
export const NAIVE_BARS = 20;
const WINDOW = 200;

/**
 * The naive way: per bar and variant, every indicator recomputed over the last 200 bars with
 * technicalindicators' batch functions (indicators only, no rules or fills).
 * @returns variant-bars per second over {@link NAIVE_BARS} bars.
 */
export function naiveRecompute(variants: readonly GridParams[], bars: readonly Candle[]): number {
  const closes = bars.map((b) => b.close);
  let checksum = 0;
  const start = performance.now();
  for (let t = WINDOW; t < WINDOW + NAIVE_BARS; t++) {
    const values = closes.slice(t - WINDOW + 1, t + 1);
    for (const p of variants) {
      const rsi = TiRsi.calculate({ period: p.rsi as number, values }).at(-1) ?? 0;
      const fast = TiEma.calculate({ period: p.fast as number, values }).at(-1) ?? 0;
      const slow = TiEma.calculate({ period: p.slow as number, values }).at(-1) ?? 0;
      const macd = TiMacd.calculate({
        values,
        fastPeriod: p.mf as number,
        slowPeriod: p.ms as number,
        signalPeriod: p.msig as number,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }).at(-1);
      const bb = TiBollingerBands.calculate({
        period: p.bbp as number,
        stdDev: p.bbk as number,
        values,
      }).at(-1);
      checksum += rsi + fast + slow + (macd?.MACD ?? 0) + (bb?.upper ?? 0);
    }
  }
  if (checksum === Number.NEGATIVE_INFINITY) console.log(checksum);
  return (variants.length * NAIVE_BARS) / ((performance.now() - start) / 1000);
}
