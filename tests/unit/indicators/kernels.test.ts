import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndicator } from '../../../src/core/indicators';
import { RollingExtreme } from '../../../src/core/indicators/support/rolling-extreme';
import { RollingWindow } from '../../../src/core/indicators/support/rolling-window';
import type { Candle } from '../../../src/shared/market';

const closeBar = (close: number, i = 0): Candle => ({
  time: i * 60_000,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

/** Prices like BTC's: large level, small moves — the case where naive running sums go wrong. */
const priceSeries = fc.array(fc.double({ min: 15_000, max: 30_000, noNaN: true }), {
  minLength: 1,
  maxLength: 300,
});

/**
 * The scale of a rolling variance's rounding error: our sums are kept relative to the mean at
 * the last lap, so the error grows with the squared range of the last two laps, not with the
 * price level — down to a floor set by the prices' own rounding (a few ulps, ~1e-15 of the
 * level, squared). 1e-12 of the squared range is far below anything a rule could notice.
 */
function varianceTolerance(values: readonly number[], end: number, length: number): number {
  const recent = values.slice(Math.max(0, end + 1 - 2 * length), end + 1);
  const top = Math.max(...recent);
  const range = top - Math.min(...recent);
  return 1e-12 * range * range + (1e-15 * top) ** 2;
}

function naiveStats(window: readonly number[]): { mean: number; variance: number } {
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  return { mean, variance: window.reduce((a, b) => a + (b - mean) ** 2, 0) / window.length };
}

describe('RollingWindow', () => {
  it('mean and population variance equal a two-pass computation over the last `length` values', () => {
    fc.assert(
      fc.property(priceSeries, fc.integer({ min: 1, max: 40 }), (values, length) => {
        const window = new RollingWindow(length);
        values.forEach((x, i) => {
          window.push(x);
          const last = values.slice(Math.max(0, i + 1 - length), i + 1);
          const { mean, variance } = naiveStats(last);
          expect(window.size).toBe(last.length);
          expect(window.full).toBe(last.length === length);
          expect(Math.abs(window.mean() - mean)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(window.variance() - variance)).toBeLessThanOrEqual(
            varianceTolerance(values, i, length),
          );
          expect(window.recent(0)).toBe(x);
        });
      }),
    );
  });

  it('a constant series has variance exactly 0, not rounding noise below 0', () => {
    const window = new RollingWindow(7);
    for (let i = 0; i < 100; i++) window.push(23_456.78);
    expect(window.variance()).toBeGreaterThanOrEqual(0);
    expect(Math.sqrt(window.variance())).toBeLessThan(1e-9);
  });

  it('does not drift over a million pushes: still equals a fresh two-pass computation', () => {
    const window = new RollingWindow(20);
    let x = 25_000;
    const last: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      // A deterministic wiggle with a slow trend, so the level moves far from where it began.
      x += Math.sin(i * 0.37) * 13 + 0.01;
      window.push(x);
      if (i >= 1_000_000 - 20) last.push(x);
    }
    const { mean, variance } = naiveStats(last);
    expect(Math.abs(window.mean() - mean) / mean).toBeLessThan(1e-14);
    expect(Math.abs(window.variance() - variance) / variance).toBeLessThan(1e-9);
  });
});

describe('RollingExtreme', () => {
  it('equals the max / min of the last `length` values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 25 }),
        (values, length) => {
          const highest = new RollingExtreme(length, true);
          const lowest = new RollingExtreme(length, false);
          values.forEach((x, i) => {
            const last = values.slice(Math.max(0, i + 1 - length), i + 1);
            expect(highest.push(x)).toBe(Math.max(...last));
            expect(lowest.push(x)).toBe(Math.min(...last));
          });
        },
      ),
    );
  });
});

describe('moving averages against their definitions', () => {
  it('SMA, WMA and Bollinger Bands equal the formulas over the last `period` values', () => {
    fc.assert(
      fc.property(
        priceSeries,
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (values, period, k) => {
          const sma = createIndicator('sma', { period });
          const wma = createIndicator('wma', { period });
          const bb = period >= 2 ? createIndicator('bb', { period, stdDev: k }) : undefined;
          values.forEach((x, i) => {
            const bar = closeBar(x, i);
            sma.update(bar);
            wma.update(bar);
            bb?.update(bar);
            if (i + 1 < period) {
              expect(sma.value).toBeNaN();
              return;
            }
            const last = values.slice(i + 1 - period, i + 1);
            const { mean, variance } = naiveStats(last);
            const weighted =
              last.reduce((a, v, j) => a + (j + 1) * v, 0) / ((period * (period + 1)) / 2);
            expect(Math.abs(sma.value - mean)).toBeLessThanOrEqual(1e-9);
            expect(Math.abs(wma.value - weighted)).toBeLessThanOrEqual(1e-9);
            if (bb) {
              // Compared through the variance: σ is a square root, and near σ = 0 a rounding-sized
              // variance error becomes a much larger σ error.
              expect(Math.abs(bb.output(0) - mean)).toBeLessThanOrEqual(1e-9);
              const upper = ((bb.output(1) - bb.output(0)) / k) ** 2;
              const lower = ((bb.output(0) - bb.output(2)) / k) ** 2;
              // Plus the bands' own rounding, relative to σ².
              const tolerance = varianceTolerance(values, i, period) + 1e-9 * variance;
              expect(Math.abs(upper - variance)).toBeLessThanOrEqual(tolerance);
              expect(Math.abs(lower - variance)).toBeLessThanOrEqual(tolerance);
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('EMA is the SMA seed then x·α + ema·(1 − α), step by step', () => {
    fc.assert(
      fc.property(priceSeries, fc.integer({ min: 1, max: 30 }), (values, period) => {
        const ema = createIndicator('ema', { period });
        const alpha = 2 / (period + 1);
        let expected = Number.NaN;
        values.forEach((x, i) => {
          ema.update(closeBar(x, i));
          if (i + 1 === period)
            expected = values.slice(0, period).reduce((a, b) => a + b, 0) / period;
          else if (i + 1 > period) expected = x * alpha + expected * (1 - alpha);
          if (i + 1 < period) expect(ema.value).toBeNaN();
          else expect(Math.abs(ema.value - expected)).toBeLessThanOrEqual(1e-9);
        });
      }),
    );
  });
});

describe('edge cases with a stated answer', () => {
  it('RSI of a flat series is 50; of a rising one 100; of a falling one 0', () => {
    const cases: [number[], number][] = [
      [[5, 5, 5, 5], 50],
      [[1, 2, 3, 4], 100],
      [[4, 3, 2, 1], 0],
    ];
    for (const [closes, expected] of cases) {
      const rsi = createIndicator('rsi', { period: 3 });
      closes.forEach((c, i) => rsi.update(closeBar(c, i)));
      expect(rsi.value).toBe(expected);
    }
  });

  it('a stochastic over an empty range (high = low throughout) is 0, as TA-Lib', () => {
    const stoch = createIndicator('stoch', { period: 3, signalPeriod: 2 });
    for (let i = 0; i < 5; i++) stoch.update(closeBar(100, i));
    expect([stoch.output(0), stoch.output(1)]).toEqual([0, 0]);
  });

  it('CCI with no deviation is 0, and volume z-score over equal volumes is 0', () => {
    const cci = createIndicator('cci', { period: 4 });
    const volumeZ = createIndicator('volumeZ', { period: 4 });
    for (let i = 0; i < 6; i++) {
      cci.update(closeBar(100, i));
      volumeZ.update({ ...closeBar(100 + i, i), volume: 3.3 });
    }
    expect(cci.value).toBe(0);
    expect(volumeZ.value).toBe(0);
  });

  it('volume z-score of a spike is (v − mean) / σ', () => {
    const volumeZ = createIndicator('volumeZ', { period: 4 });
    for (const [i, volume] of [1, 1, 1, 5].entries())
      volumeZ.update({ ...closeBar(100, i), volume });
    // mean 2, population σ = √3.
    expect(volumeZ.value).toBeCloseTo(3 / Math.sqrt(3), 12);
  });

  it('ADX with no directional movement yet: DI are 0, the undefined DX counts as 0 in the seed (as TA-Lib)', () => {
    const adx = createIndicator('adx', { period: 2 });
    const flat = (i: number): Candle => ({
      time: i,
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      volume: 1,
    });
    for (let i = 0; i < 4; i++) adx.update(flat(i));
    expect(adx.ready).toBe(true);
    expect([adx.output(0), adx.output(1), adx.output(2)]).toEqual([0, 0, 0]);
    // A clean up-move: +DM only, so DX = 100 and ADX = (0·(2 − 1) + 100) / 2.
    adx.update({ time: 4, open: 100, high: 103, low: 100, close: 102, volume: 1 });
    expect(adx.output(2)).toBe(0);
    expect(adx.output(1)).toBeGreaterThan(0);
    expect(adx.value).toBeCloseTo(50, 12);
  });
});
