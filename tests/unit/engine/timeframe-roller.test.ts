import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EngineBarLoop,
  TimeframeRoller,
  createStrategyInstance,
  EngineRecordCollector,
} from '../../../src/core/engine';
import { parseCandleFile, decodeCandleBytes } from '../../../src/core/history/candle-file-parser';
import { TimeframeAggregator } from '../../../src/core/market/aggregation';
import type { Candle, Timeframe } from '../../../src/shared/market';
import { sharedDataPath } from '../../support/shared-data';
import { readFileSync } from 'node:fs';
import { btcUsdtMinutes, strategyOf } from './engine-fixtures';

function rollAll(bars: readonly Candle[], target: Timeframe, base: Timeframe): Candle[] {
  const roller = new TimeframeRoller(target, base);
  const out: Candle[] = [];
  for (const bar of bars) {
    roller.push(bar);
    if (roller.gapDidClose) out.push({ ...roller.gapClosed });
    if (roller.didClose) out.push({ ...roller.closed });
  }
  return out;
}

function aggregateAll(bars: readonly Candle[], target: Timeframe, base: Timeframe): Candle[] {
  const aggregator = new TimeframeAggregator(target, base);
  return bars.flatMap((bar) => aggregator.pushClosed(bar));
}

describe('TimeframeRoller', () => {
  it('when BTC/USDT minutes are rolled into 5m, 1h and 1d then the bars equal the market aggregator’s', () => {
    const bars = btcUsdtMinutes();
    for (const tf of ['5m', '1h', '1d'] as const) {
      const rolled = rollAll(bars, tf, '1m');
      expect(rolled.length).toBe(tf === '5m' ? 30_240 / 5 : tf === '1h' ? 504 : 21);
      expect(rolled).toEqual(aggregateAll(bars, tf, '1m'));
    }
  });

  it('when Kraken 5m bars with gaps are rolled into 1h then gapped periods close like the market aggregator’s', () => {
    const path = sharedDataPath('candles/kraken_XBTUSDT_5_2023Q1.csv.gz');
    const parsed = parseCandleFile(basename(path), decodeCandleBytes(readFileSync(path)), {});
    const bars = parsed.candles;
    const rolled = rollAll(bars, '1h', '5m');
    expect(rolled).toEqual(aggregateAll(bars, '1h', '5m'));
    expect(rolled.length).toBeGreaterThan(2_000);
  });

  it('when the target is not a multiple of the base then it refuses', () => {
    expect(() => new TimeframeRoller('5m', '3m')).toThrow(RangeError);
    expect(() => new TimeframeRoller('1m', '5m')).toThrow(RangeError);
  });
});

describe('EngineBarLoop with a higher-timeframe indicator', () => {
  it('when a 5m strategy reads a 1h EMA then at each bar it sees the EMA of the last closed hour', () => {
    const bars = btcUsdtMinutes().slice(0, 2_000);
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const records = new EngineRecordCollector();
    const strategy = strategyOf({
      timeframe: '5m',
      indicators: [{ id: 'trend', type: 'ema', params: { period: 3 }, timeframe: '1h' }],
      rules: { entryLong: 'trend > 0', exitLong: 'trend > 0' },
    });
    const instance = createStrategyInstance({
      id: 'v',
      strategy,
      indicators: loop.indicators,
      sink: records,
    });
    loop.add(instance);
    for (const bar of bars) loop.onClosedBar(bar);

    // The 1h EMA(3) by hand, from the hours that closed.
    const hours = rollAll(bars, '1h', '1m');
    const k = 2 / 4;
    const ema: Array<{ closesAt: number; value: number }> = [];
    let value = 0;
    hours.forEach((h, i) => {
      value = i < 3 ? (value * i + h.close) / (i + 1) : h.close * k + value * (1 - k);
      if (i >= 2) ema.push({ closesAt: h.time + 3_600_000, value });
    });
    expect(records.signals.length).toBeGreaterThan(10);
    for (const signal of records.signals) {
      // The 5m bar opening at `time` closes at time + 5m: it reads the hour closed by then.
      const closedBy = signal.time + 300_000;
      const expected = ema.filter((e) => e.closesAt <= closedBy).at(-1)!;
      expect(signal.termValues[0]).toBeCloseTo(expected.value, 6);
    }
    // The first signal comes on the 5m bar that closes with the third hour.
    expect(records.signals[0]!.time + 300_000).toBe(ema[0]!.closesAt);
  });
});
