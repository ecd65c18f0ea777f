import { describe, expect, it } from 'vitest';
import type { Candle, CandleEvent } from '../../../src/shared/market';
import { MarketSimulator } from '../../../src/core/market/market-simulator';
import { SimulatedFeed } from '../../../src/core/market/simulated-feed';
import { TestClock } from '../../../src/core/time/clock';

const bars = (seed: number, n: number): Candle[] => {
  const sim = new MarketSimulator({ seed });
  return Array.from({ length: n }, (_, i) => sim.nextBar(i * 60_000));
};

const logReturns = (candles: readonly Candle[]): number[] =>
  candles.slice(1).map((c, i) => Math.log(c.close / candles[i]!.close));

function moments(xs: readonly number[]): { mean: number; sd: number; kurtosis: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / n;
  return { mean, sd: Math.sqrt(m2), kurtosis: m4 / (m2 * m2) };
}

function autocorrelation(xs: readonly number[], lag: number): number {
  const { mean } = moments(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    den += (xs[i]! - mean) ** 2;
    if (i >= lag) num += (xs[i]! - mean) * (xs[i - lag]! - mean);
  }
  return num / den;
}

describe('MarketSimulator statistics (20,000 one-minute bars)', () => {
  const candles = bars(7, 20_000);
  const r = logReturns(candles);
  const band = 2 / Math.sqrt(r.length); // ~95 % band of a sample autocorrelation under independence

  it('has fat tails: kurtosis of returns well above the normal 3', () => {
    expect(moments(r).kurtosis).toBeGreaterThan(4);
  });

  it('clusters volatility: squared returns are autocorrelated far beyond noise at lags 1–5', () => {
    const sq = r.map((x) => x * x);
    for (let lag = 1; lag <= 5; lag++) expect(autocorrelation(sq, lag)).toBeGreaterThan(3 * band);
  });

  it('has no exploitable drift: returns themselves are not autocorrelated', () => {
    for (let lag = 1; lag <= 5; lag++)
      expect(Math.abs(autocorrelation(r, lag))).toBeLessThan(2 * band);
  });

  it('runs at roughly the configured 60 % annual volatility', () => {
    const annual = moments(r).sd * Math.sqrt(525_600);
    expect(annual).toBeGreaterThan(0.4);
    expect(annual).toBeLessThan(0.85);
  });

  it('is not a sine wave: the sign of returns is close to a coin flip', () => {
    const ups = r.filter((x) => x > 0).length / r.length;
    expect(ups).toBeGreaterThan(0.45);
    expect(ups).toBeLessThan(0.55);
  });

  it('builds consistent bars: high and low contain open and close, volume positive', () => {
    for (const c of candles) {
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.volume).toBeGreaterThan(0);
    }
  });

  it('trades more when prices move more', () => {
    const ranges = candles.map((c) => Math.log(c.high / c.low));
    const vols = candles.map((c) => c.volume);
    const mr = moments(ranges).mean;
    const mv = moments(vols).mean;
    let cov = 0;
    for (let i = 0; i < candles.length; i++) cov += (ranges[i]! - mr) * (vols[i]! - mv);
    const corr = cov / candles.length / (moments(ranges).sd * moments(vols).sd);
    expect(corr).toBeGreaterThan(0.3);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(bars(7, 500)).toEqual(candles.slice(0, 500));
    expect(bars(8, 500)).not.toEqual(candles.slice(0, 500));
  });
});

describe('SimulatedFeed', () => {
  it('starts with history, updates the forming bar each tick and closes it at the minute', () => {
    const start = Date.UTC(2024, 0, 1, 12, 0, 30);
    const clock = new TestClock(start);
    const feed = new SimulatedFeed(clock, { seed: 1, historyBars: 100 });
    const events: CandleEvent[] = [];
    feed.onBar((e) => events.push(e));
    expect(feed.recent(1000).candles).toHaveLength(100);
    expect(feed.recent(1000).candles.at(-1)!.time).toBe(Date.UTC(2024, 0, 1, 11, 59));
    feed.start();
    clock.advance(89_000);
    const closed = events.filter((e) => e.closed);
    expect(closed.map((e) => e.candle.time)).toEqual([Date.UTC(2024, 0, 1, 12, 0)]);
    const updates = events.filter((e) => !e.closed);
    expect(updates.length).toBe(89);
    expect(feed.status()).toMatchObject({
      kind: 'simulated',
      state: 'live',
      label: expect.stringMatching(/SIMULATED/),
    });
    for (const e of events)
      expect(e.candle.high).toBeGreaterThanOrEqual(Math.max(e.candle.open, e.candle.close));
    feed.dispose();
  });
});
