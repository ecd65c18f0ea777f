import { RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { aggregateCandles, BTCUSDT_1M, loadCandles } from './support/real-candles';
import { compileSample, runSeries } from './support/sample-strategy';

/**
 * The compiled closures against the same logic written out by hand, on a month of real
 * 5-minute bars: every bar must agree, not just the counts.
 */
describe('compiled rules on real candles agree with hand-written logic', () => {
  const bars = aggregateCandles(loadCandles(BTCUSDT_1M), '5m');
  const closes = bars.map((b) => b.close);
  const rsiRaw = RSI.calculate({ period: 14, values: closes });
  const rsi = [...new Array<number>(bars.length - rsiRaw.length).fill(NaN), ...rsiRaw];

  it('crossover(rsi, $oversold) OR close > highest(high[1], $len) AND volume > volume[2] * 2', () => {
    const strategy = compileSample(
      {
        entryLong:
          'crossover(rsi, $oversold) OR close > highest(high[1], $len) AND volume > volume[2] * 2',
      },
      { oversold: 32, len: 12 },
    );
    const got = runSeries(strategy, bars.length, { rsi }, bars).map((s) => s.entryLong);
    const want = bars.map((bar, i) => {
      const prev = rsi[i - 1] ?? NaN;
      const cross =
        i >= 1 &&
        !Number.isNaN(prev) &&
        !Number.isNaN(rsi[i] ?? NaN) &&
        (rsi[i] ?? 0) > 32 &&
        prev <= 32;
      if (cross) return true;
      if (i < 12) return false;
      const hh = Math.max(...bars.slice(i - 12, i).map((b) => b.high));
      return bar.close > hh && i >= 2 && bar.volume > (bars[i - 2]?.volume ?? NaN) * 2;
    });
    expect(got.filter(Boolean).length).toBeGreaterThan(20);
    expect(got).toEqual(want);
  });
});
