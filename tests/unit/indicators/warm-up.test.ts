import { describe, expect, it } from 'vitest';
import {
  createIndicator,
  INDICATOR_SPECS,
  INDICATOR_TYPES,
  type IndicatorParams,
  type IndicatorType,
} from '../../../src/core/indicators';
import { binanceCandles, runSeries } from './indicator-fixtures';

/** Each catalogue type with its defaults, plus non-default shapes whose warm-up is composite. */
const CASES: [IndicatorType, IndicatorParams, number][] = [
  ...INDICATOR_TYPES.map((type): [IndicatorType, IndicatorParams, number] => [
    type,
    {},
    Number.NaN,
  ]),
  ['sma', { period: 1 }, 1],
  ['rsi', { period: 2 }, 3],
  ['macd', { fast: 5, slow: 35, signal: 5 }, 39],
  ['macd', { fast: 12, slow: 26, signal: 1 }, 26],
  ['stoch', { period: 5, kSmoothing: 3, signalPeriod: 4 }, 10],
  ['adx', { period: 2 }, 4],
  ['atr', { period: 1 }, 2],
];

/** Warm-up of the catalogue defaults, written out: bars needed before the first value. */
const DEFAULT_WARMUP: Record<IndicatorType, number> = {
  sma: 20,
  ema: 20,
  wma: 20,
  rsi: 15, // 14 changes need 15 prices
  macd: 34, // slow 26 + signal 9 − 1
  bb: 20,
  atr: 15, // true range needs the previous close
  stoch: 16, // period 14 + signal 3 − 1 (kSmoothing 1)
  adx: 28, // 2 × 14: DI from bar 15, then 14 DX values
  obv: 1,
  vwap: 1,
  cci: 20,
  volumeZ: 20,
};

const candles = binanceCandles(400);

describe('warm-up: nothing before ready, every output after', () => {
  it.each(CASES)('%s %o', (type, params, warmup) => {
    const indicator = createIndicator(type, params);
    const expected = Number.isNaN(warmup) ? DEFAULT_WARMUP[type] : warmup;
    expect(indicator.warmupBars).toBe(expected);
    expect(indicator.outputCount).toBe(INDICATOR_SPECS[type].outputs.length);
    expect(indicator.ready).toBe(false);
    const outputs = indicator.outputs;
    const n = indicator.outputCount;
    // The current outputs, then the same outputs one update back.
    expect(outputs).toHaveLength(2 * n);
    let before = Array.from({ length: n }, () => Number.NaN);
    candles.forEach((bar, i) => {
      indicator.update(bar);
      const shouldBeReady = i + 1 >= expected;
      expect(indicator.ready, `ready after ${i + 1} bars`).toBe(shouldBeReady);
      for (let o = 0; o < indicator.outputCount; o++) {
        const value = indicator.output(o);
        if (shouldBeReady)
          expect(Number.isFinite(value), `output ${o} after ${i + 1} bars`).toBe(true);
        else expect(value, `output ${o} after ${i + 1} bars`).toBeNaN();
      }
      expect(indicator.value).toBe(indicator.output(0));
      // The outputs view is the same numbers, live, not a copy.
      expect(indicator.outputs).toBe(outputs);
      const now = Array.from({ length: n }, (_, o) => indicator.output(o));
      expect(Array.from(outputs)).toEqual([...now, ...before]);
      before = now;
    });
    expect(indicator.output(indicator.outputCount)).toBeNaN();
    expect(indicator.output(-1)).toBeNaN();
  });
});

describe('reset', () => {
  it.each(INDICATOR_TYPES)('%s after reset computes exactly what a new one does', (type) => {
    const used = createIndicator(type, {});
    runSeries(used, binanceCandles(700));
    used.reset();
    expect(used.ready).toBe(false);
    expect(used.value).toBeNaN();
    // Bars from later in the file (another day too, for VWAP), so nothing can pass by accident.
    const later = binanceCandles(3000).slice(1400);
    const again = runSeries(used, later);
    const fresh = runSeries(createIndicator(type, {}), later);
    for (let o = 0; o < fresh.length; o++) expect(again[o]).toEqual(fresh[o]);
  });
});
