import { describe, expect, it } from 'vitest';
import { Vwap } from '../../../src/core/indicators';
import type { Candle } from '../../../src/shared/market';

const at = (iso: string, close: number, volume: number, spread = 2): Candle => ({
  time: Date.parse(iso),
  open: close,
  high: close + spread,
  low: close - spread,
  close,
  volume,
});

/** Typical price of `at` bars: (high + low + close) / 3 = close, whatever the spread. */
describe('VWAP', () => {
  it('is Σ(typical price × volume) / Σ volume over the day so far', () => {
    const vwap = new Vwap();
    const bars = [
      at('2023-03-01T10:00:00Z', 100, 1),
      at('2023-03-01T10:01:00Z', 110, 3),
      at('2023-03-01T10:02:00Z', 90, 4),
    ];
    const seen: number[] = [];
    for (const bar of bars) {
      vwap.update(bar);
      seen.push(vwap.value);
    }
    expect(seen[0]).toBeCloseTo(100, 12);
    expect(seen[1]).toBeCloseTo((100 + 330) / 4, 12);
    expect(seen[2]).toBeCloseTo((100 + 330 + 360) / 8, 12);
  });

  it('uses (high + low + close) / 3, not the close', () => {
    const vwap = new Vwap();
    vwap.update({ time: 0, open: 1, high: 12, low: 3, close: 6, volume: 5 });
    expect(vwap.value).toBe(7);
  });

  it('restarts at 00:00 UTC: the first bar of a new day is its own VWAP', () => {
    const vwap = new Vwap();
    vwap.update(at('2023-03-01T23:58:00Z', 100, 10));
    vwap.update(at('2023-03-01T23:59:00Z', 200, 10));
    expect(vwap.value).toBeCloseTo(150, 12);
    vwap.update(at('2023-03-02T00:00:00Z', 300, 1));
    expect(vwap.value).toBeCloseTo(300, 12);
    vwap.update(at('2023-03-02T00:01:00Z', 100, 1));
    expect(vwap.value).toBeCloseTo(200, 12);
  });

  it('does not restart within a UTC day, whatever the local time zone would say', () => {
    const vwap = new Vwap();
    // 23:00 and 01:00 UTC+2 are the same UTC day (21:00, 23:00 UTC).
    vwap.update(at('2023-03-01T21:00:00Z', 100, 1));
    vwap.update(at('2023-03-01T23:00:00Z', 300, 1));
    expect(vwap.value).toBeCloseTo(200, 12);
  });

  it('a zero-volume bar leaves it unchanged, even with a far-off price', () => {
    const vwap = new Vwap();
    vwap.update(at('2023-03-01T10:00:00Z', 100, 2));
    vwap.update(at('2023-03-01T10:01:00Z', 120, 2));
    const before = vwap.value;
    vwap.update(at('2023-03-01T10:02:00Z', 1_000_000, 0));
    expect(vwap.value).toBe(before);
    vwap.update(at('2023-03-01T10:03:00Z', 140, 4));
    expect(vwap.value).toBeCloseTo((200 + 240 + 560) / 8, 12);
  });

  it('is not ready before any volume, and a new day opening on zero volume keeps the last value until its first trade', () => {
    const vwap = new Vwap();
    vwap.update(at('2023-03-01T10:00:00Z', 100, 0));
    expect(vwap.ready).toBe(false);
    expect(vwap.value).toBeNaN();
    vwap.update(at('2023-03-01T10:01:00Z', 100, 5));
    expect(vwap.ready).toBe(true);
    expect(vwap.value).toBeCloseTo(100, 12);
    vwap.update(at('2023-03-02T00:00:00Z', 500, 0));
    expect(vwap.value).toBeCloseTo(100, 12);
    // The day's first trade starts the new day's sums; yesterday's bars are gone.
    vwap.update(at('2023-03-02T00:01:00Z', 500, 1));
    expect(vwap.value).toBeCloseTo(500, 12);
  });
});
