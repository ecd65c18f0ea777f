import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  periodStart,
  TimeframeAggregator,
  TradeBarAggregator,
} from '../../../src/core/market/aggregation';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../src/shared/market';
import { readBinanceArchive, readKrakenOhlcvt } from '../../support/fake-exchange';

const FIL = readBinanceArchive('candles/binance-um_FILUSDT-1m-2023-08.csv.gz');

/** The reference: group 1m bars by their UTC period, written the plain way. */
function groupByPeriod(bars: readonly Candle[], tf: Timeframe): Candle[] {
  const groups = new Map<number, Candle[]>();
  for (const b of bars) {
    const start = Math.floor(b.time / TIMEFRAME_MS[tf]) * TIMEFRAME_MS[tf];
    groups.set(start, [...(groups.get(start) ?? []), b]);
  }
  return [...groups.entries()].map(([time, g]) => ({
    time,
    open: g[0]!.open,
    high: Math.max(...g.map((b) => b.high)),
    low: Math.min(...g.map((b) => b.low)),
    close: g.at(-1)!.close,
    volume: g.reduce((s, b) => s + b.volume, 0),
  }));
}

function aggregate(
  bars: readonly Candle[],
  tf: Timeframe,
): { closed: Candle[]; closedAfter: number[] } {
  const agg = new TimeframeAggregator(tf);
  const closed: Candle[] = [];
  const closedAfter: number[] = [];
  for (const bar of bars) {
    for (const c of agg.pushClosed(bar)) {
      closed.push(c);
      closedAfter.push(bar.time);
    }
  }
  return { closed, closedAfter };
}

describe('TimeframeAggregator', () => {
  it.each(['5m', '15m', '1h', '4h', '1d'] as const)(
    'builds %s bars from a real month of 1m bars, on UTC boundaries',
    (tf) => {
      const month = FIL.slice(0, 44_640);
      const { closed, closedAfter } = aggregate(month, tf);
      expect(closed).toEqual(groupByPeriod(month, tf));
      // Each closed as soon as its last 1m bar closed: the month has no holes.
      closed.forEach((c, i) => expect(closedAfter[i]).toBe(c.time + TIMEFRAME_MS[tf] - 60_000));
      if (tf === '1d')
        expect(new Date(closed[1]!.time).toISOString()).toBe('2023-08-02T00:00:00.000Z');
      if (tf === '4h') expect(new Date(closed[1]!.time).getUTCHours()).toBe(4);
    },
  );

  it('on sparse history closes a bar when a later period begins, and leaves empty periods out', () => {
    const sparse = readKrakenOhlcvt('candles/kraken_XBTUSDC_1_2023Q1.csv.gz').slice(0, 5000);
    const { closed } = aggregate(sparse, '5m');
    const reference = groupByPeriod(sparse, '5m');
    // All but the last period are closed (its tail may still come).
    const lastComplete =
      sparse.at(-1)!.time + 60_000 === periodStart(sparse.at(-1)!.time, '5m') + 300_000;
    expect(closed).toEqual(lastComplete ? reference : reference.slice(0, -1));
    const times = new Set(closed.map((c) => c.time));
    expect(times.size).toBeLessThan((closed.at(-1)!.time - closed[0]!.time) / 300_000 + 1); // there were empty periods
  });

  it('shows the higher bar in progress as the closed part plus the 1m bar in progress', () => {
    const agg = new TimeframeAggregator('5m');
    const [a, b, c] = FIL;
    agg.pushClosed(a!);
    agg.pushClosed(b!);
    expect(agg.forming(c!)).toEqual(groupByPeriod([a!, b!, c!], '5m')[0]);
  });

  it('property: any in-order subset of minutes aggregates to the plain grouping', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 600 }),
        fc.constantFrom<Timeframe>('5m', '15m', '1h'),
        (keep, tf) => {
          const bars = FIL.slice(0, keep.length).filter((_, i) => keep[i]);
          const { closed } = aggregate(bars, tf);
          const reference = groupByPeriod(bars, tf);
          // Everything but possibly the newest period is closed, and closed bars are the reference.
          expect(closed).toEqual(reference.slice(0, closed.length));
          expect(closed.length).toBeGreaterThanOrEqual(reference.length - 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses timeframes that are not epoch-aligned multiples', () => {
    expect(() => new TimeframeAggregator('1w')).toThrow();
    expect(() => new TimeframeAggregator('5m', '15m')).toThrow();
  });
});

describe('TradeBarAggregator', () => {
  it('rebuilds 1m bars from trades, closing on the next minute, refusing late trades', () => {
    const agg = new TradeBarAggregator('1m');
    const t0 = 1_690_848_000_000;
    expect(agg.add({ time: t0 + 1_000, price: 10, amount: 1 })).toMatchObject({ closed: null });
    agg.add({ time: t0 + 2_000, price: 12, amount: 2 });
    agg.add({ time: t0 + 3_000, price: 9, amount: 0.5 });
    const next = agg.add({ time: t0 + 61_000, price: 11, amount: 1 });
    expect(next?.closed).toEqual({ time: t0, open: 10, high: 12, low: 9, close: 9, volume: 3.5 });
    expect(next?.forming).toEqual({
      time: t0 + 60_000,
      open: 11,
      high: 11,
      low: 11,
      close: 11,
      volume: 1,
    });
    expect(agg.add({ time: t0 + 59_000, price: 1, amount: 1 })).toBeNull();
    expect(agg.closeDue(t0 + 119_999)).toBeNull();
    expect(agg.closeDue(t0 + 120_000)).toMatchObject({ time: t0 + 60_000 });
    expect(agg.forming()).toBeNull();
  });
});
