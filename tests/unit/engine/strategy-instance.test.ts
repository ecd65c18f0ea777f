import { describe, expect, it } from 'vitest';
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
} from '../../../src/core/engine';
import { PAPER_ACCOUNT_DEFAULTS } from '../../../src/core/execution';
import type { CompiledStrategy } from '../../../src/core/strategy';
import type { Candle } from '../../../src/shared/market';
import { btcUsdtMinutes, freshInstance, strategyOf, type InstanceRun } from './engine-fixtures';

const SLIP = PAPER_ACCOUNT_DEFAULTS.slippageBps / 10_000;

function run(
  strategy: CompiledStrategy,
  bars: readonly Candle[],
  warmUp: readonly Candle[] = [],
): InstanceRun {
  const played = freshInstance(strategy);
  played.loop.warmUp(warmUp);
  for (const bar of bars) played.loop.onClosedBar(bar);
  return played;
}

const index = (bars: readonly Candle[], time: number): number =>
  bars.findIndex((b) => b.time === time);

describe('StrategyInstance on real BTC/USDT minutes', () => {
  const bars = btcUsdtMinutes().slice(0, 3_000);

  it('when the rules read an indicator then no signal fires before it is ready', () => {
    const strategy = strategyOf({
      indicators: [{ id: 'sma', type: 'sma', params: { period: 50 } }],
      rules: { entryLong: 'close > sma OR close <= sma', exitLong: 'true' },
    });
    const { records, instance } = run(strategy, bars.slice(0, 200));
    expect(instance.warm).toBe(true);
    const first = records.signals[0]!;
    // sma(50) is ready on its 50th bar (index 49): the first signal comes on that bar, not earlier.
    expect(index(bars, first.time)).toBe(49);
  });

  it('when a rule looks back then the first signal waits until the look-back is filled with ready values', () => {
    const strategy = strategyOf({
      indicators: [{ id: 'sma', type: 'sma', params: { period: 10 } }],
      rules: { entryLong: 'sma[2] > 0', exitLong: 'true' },
    });
    const { records } = run(strategy, bars.slice(0, 50));
    expect(index(bars, records.signals[0]!.time)).toBe(9 + 2);
  });

  it('when an entry fires on bar t then it fills at bar t+1 open plus slippage, and the signal keeps its terms', () => {
    const strategy = strategyOf({
      indicators: [{ id: 'fast', type: 'ema', params: { period: 5 } }],
      rules: { entryLong: 'close > fast', exitLong: 'close < fast' },
    });
    const { records } = run(strategy, bars.slice(0, 400));
    const signal = records.signals[0]!;
    expect(signal.rule).toBe('entryLong');
    expect(signal.action).toBe('entry');
    expect(signal.termTexts).toEqual(['close', 'fast']);
    const bar = bars[index(bars, signal.time)]!;
    expect(signal.termValues[0]).toBe(bar.close);
    expect(signal.termValues[0]).toBeGreaterThan(signal.termValues[1]!);
    // Every signal of a rule shares its texts; each has its own values.
    const entries = records.signals.filter((s) => s.rule === 'entryLong');
    expect(entries.every((s) => s.termTexts === signal.termTexts)).toBe(true);
    expect(new Set(entries.map((s) => s.termValues)).size).toBe(entries.length);
    const fill = records.fills[0]!;
    const next = bars[index(bars, signal.time) + 1]!;
    expect(fill.time).toBe(next.time);
    expect(fill.price).toBeCloseTo(next.open * (1 + SLIP), 9);
    expect(records.orders[0]).toMatchObject({ status: 'submitted', kind: 'entry', side: 'long' });
  });

  it('when the entry rule stays true in a position then there is no pyramiding: one entry per trade', () => {
    const strategy = strategyOf({ rules: { entryLong: 'true', exitLong: 'close < close[1]' } });
    const { records } = run(strategy, bars.slice(0, 600));
    const entries = records.orders.filter((o) => o.kind === 'entry');
    const exits = records.orders.filter((o) => o.kind === 'exit');
    expect(records.trades.length).toBeGreaterThan(10);
    // Every entry is followed by its exit before the next entry.
    expect(entries.length - exits.length).toBeLessThanOrEqual(1);
    expect(records.orders.filter((o) => o.status === 'rejected')).toEqual([]);
    for (let i = 1; i < records.trades.length; i++) {
      expect(records.trades[i]!.entryTime).toBeGreaterThan(records.trades[i - 1]!.exitTime);
    }
  });

  it('when an exit fires then the next entry comes on a later bar: a reversal is an exit, then an entry', () => {
    const strategy = strategyOf({
      rules: {
        entryLong: 'close > open',
        entryShort: 'close < open',
        exitLong: 'close < open',
        exitShort: 'close > open',
      },
    });
    const { records } = run(strategy, bars.slice(0, 300));
    expect(records.trades.length).toBeGreaterThan(10);
    for (let i = 1; i < records.trades.length; i++) {
      const previous = records.trades[i - 1]!;
      const trade = records.trades[i]!;
      // The exit filled at bar t's open; the earliest entry is signalled on t and fills at t+1.
      expect(trade.entryTime).toBeGreaterThanOrEqual(previous.exitTime + 60_000);
    }
  });

  it('when long and short entry are both true on a bar then nothing is entered and both are recorded as a conflict', () => {
    const strategy = strategyOf({ rules: { entryLong: 'true', entryShort: 'volume >= 0' } });
    const { records, instance } = run(strategy, bars.slice(0, 20));
    expect(records.orders).toEqual([]);
    expect(records.trades).toEqual([]);
    expect(instance.execution.positionSide).toBeNull();
    expect(records.signals.length).toBe(40);
    expect(new Set(records.signals.map((s) => s.action))).toEqual(new Set(['conflict']));
  });

  it('when the risk section sets a price stop, leverage and size then the venue gets them', () => {
    const strategy = strategyOf({
      rules: { entryShort: 'true', exitShort: 'false' },
      risk: {
        positionSize: { kind: 'percentOfEquity', percent: 50 },
        leverage: 5,
        stopLoss: { percent: 0.5, basis: 'price' },
        takeProfit: { percent: 10, basis: 'roi' },
      },
    });
    const { records, instance } = run(strategy, bars.slice(0, 3_000));
    const trade = records.trades[0]!;
    expect(trade.leverage).toBe(5);
    expect(['stopLoss', 'takeProfit']).toContain(trade.exitReason);
    // Half the cash as margin plus fee: notional ≈ 0.5 · 10,000 · 5 / (1 + 5 · fee).
    const notional = trade.quantity * trade.entryPrice;
    expect(notional).toBeCloseTo((0.5 * 10_000) / (1 / 5 + PAPER_ACCOUNT_DEFAULTS.takerFeeRate), 6);
    if (trade.exitReason === 'stopLoss') {
      // 0.5% above a short's entry, paid with slippage.
      expect(trade.exitPrice).toBeGreaterThanOrEqual(trade.entryPrice * 1.005 * (1 + SLIP) - 1e-6);
    } else {
      // ROI +10% at 5× leverage: 2% below the entry.
      expect(trade.exitPrice).toBeCloseTo(trade.entryPrice * (1 - 0.1 / 5), 6);
    }
    expect(instance.metrics.trades.count).toBe(records.trades.length);
  });

  it('when trades close then metrics see every bar and every net P&L, and the equity is the venue’s', () => {
    const strategy = strategyOf({
      indicators: [
        { id: 'fast', type: 'ema', params: { period: 9 } },
        { id: 'slow', type: 'ema', params: { period: 21 } },
      ],
      rules: {
        entryLong: 'crossover(fast, slow)',
        exitLong: 'crossunder(fast, slow)',
      },
    });
    const { records, instance } = run(strategy, bars);
    const snapshot = instance.snapshot();
    expect(snapshot.bars).toBe(bars.length);
    expect(snapshot.tradeCount).toBe(records.trades.length);
    const net = records.trades.reduce((s, t) => s + t.netPnl, 0);
    expect(snapshot.grossProfit - snapshot.grossLoss).toBeCloseTo(net, 6);
    expect(instance.execution.positionSide === null ? snapshot.equity : 10_000 + net).toBeCloseTo(
      10_000 + net,
      6,
    );
    for (const t of records.trades) expect(t.netPnl).toBeCloseTo(t.grossPnl - t.fee, 9);
  });

  it('when warmed up from stored history then nothing trades during the warm-up and it signals from the first live bar', () => {
    const strategy = strategyOf({
      indicators: [{ id: 'sma', type: 'sma', params: { period: 100 } }],
      rules: { entryLong: 'close > sma', exitLong: 'close < sma' },
    });
    const history = bars.slice(0, 150);
    const live = bars.slice(150, 400);
    const { records, instance } = run(strategy, live, history);
    expect(instance.metrics.bars).toBe(live.length);
    expect(records.signals.length).toBeGreaterThan(0);
    expect(records.signals.every((s) => s.time >= live[0]!.time)).toBe(true);
    // Warm before the first traded bar: a signal is possible on it.
    const fresh = run(
      strategyOf({
        indicators: [{ id: 'sma', type: 'sma', params: { period: 100 } }],
        rules: { entryLong: 'sma > 0' },
      }),
      live.slice(0, 1),
      history,
    );
    expect(fresh.records.signals.map((s) => s.time)).toEqual([live[0]!.time]);
  });

  it('when an instance warms up on its own then its indicators match one that saw the bars live', () => {
    const config = {
      indicators: [{ id: 'rsi', type: 'rsi', params: { period: 14 } }],
      rules: { entryLong: 'rsi < 30', exitLong: 'rsi > 70' },
    };
    const history = bars.slice(0, 500);
    const live = bars.slice(500, 1_500);
    const together = run(strategyOf(config), live, history);

    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const records = new EngineRecordCollector();
    const alone = createStrategyInstance({
      id: 'v1',
      strategy: strategyOf(config),
      indicators: loop.indicators,
      sink: records,
    });
    alone.warmUp(history);
    loop.add(alone);
    for (const bar of live) loop.onClosedBar(bar);
    expect(records.trades).toEqual(together.records.trades);
    expect(alone.snapshot()).toEqual(together.instance.snapshot());
  });

  it('when two instances use identical indicators then the shared set computes each once and both trade the same', () => {
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const make = (id: string, period: number) => {
      const records = new EngineRecordCollector();
      const instance = createStrategyInstance({
        id,
        strategy: strategyOf({
          indicators: [
            { id: 'a', type: 'ema', params: { period: 9 } },
            { id: 'b', type: 'ema', params: { period } },
          ],
          rules: { entryLong: 'crossover(a, b)', exitLong: 'crossunder(a, b)' },
        }),
        indicators: loop.indicators,
        sink: records,
      });
      loop.add(instance);
      return { instance, records };
    };
    const x = make('x', 21);
    const y = make('y', 21);
    const z = make('z', 50);
    expect(loop.indicators.size).toBe(3);
    for (const bar of bars) loop.onClosedBar(bar);
    expect(x.records.trades.length).toBeGreaterThan(0);
    expect(y.records.trades.map((t) => ({ ...t, variantId: 'x' }))).toEqual(x.records.trades);
    expect(z.records.trades).not.toEqual(x.records.trades);
    z.instance.dispose();
    expect(loop.indicators.size).toBe(2);
  });

  it('when two instances run one compiled strategy then each keeps its own rule history and trades as if alone', () => {
    const strategy = strategyOf({
      indicators: [
        { id: 'fast', type: 'ema', params: { period: 9 } },
        { id: 'slow', type: 'ema', params: { period: 21 } },
      ],
      rules: { entryLong: 'crossover(fast, slow)', exitLong: 'crossunder(fast, slow)' },
    });
    const alone = run(strategy, bars.slice(0, 1_500));
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const pair = ['a', 'b'].map((id) => {
      const records = new EngineRecordCollector();
      const instance = createStrategyInstance({
        id,
        strategy,
        indicators: loop.indicators,
        sink: records,
      });
      loop.add(instance);
      return records;
    });
    for (const bar of bars.slice(0, 1_500)) loop.onClosedBar(bar);
    expect(alone.records.trades.length).toBeGreaterThan(10);
    for (const records of pair) {
      expect(records.trades.map(({ variantId: _, ...t }) => t)).toEqual(
        alone.records.trades.map(({ variantId: _, ...t }) => t),
      );
    }
  });

  it('when many variants share a loop then each trades exactly as alone, joining late or not, and the shared history goes with the last', () => {
    // Variants that share some series and subexpressions and differ in others: the pool shares
    // `crossover(fast, slow)` between those with the same EMAs, `rsi < $cap` only with equal caps.
    const grid = (fast: number, slow: number, cap: number, timeframe = '1m') =>
      strategyOf({
        timeframe,
        indicators: [
          { id: 'fast', type: 'ema', params: { period: fast } },
          { id: 'slow', type: 'ema', params: { period: slow } },
          { id: 'rsi', type: 'rsi', params: { period: 14 } },
          { id: 'trend', type: 'sma', params: { period: 20 }, timeframe: '1h' },
        ],
        rules: {
          entryLong: `crossover(fast, slow) AND rsi < ${cap} AND close > trend`,
          entryShort: `crossunder(fast, slow) AND close[2] < close[1]`,
          exitLong: 'crossunder(fast, slow) OR close < lowest(low, 5)[1]',
          exitShort: 'crossover(fast, slow)',
        },
      });
    const specs: Array<[number, number, number, string?]> = [
      [9, 21, 70],
      [9, 21, 60],
      [9, 50, 70],
      [12, 21, 70],
      [9, 21, 70, '5m'],
      [9, 21, 60, '5m'],
    ];
    const part = bars.slice(0, 2_400);
    const alone = specs.map(([f, sl, c, tf]) => run(grid(f, sl, c, tf), part).records.trades);
    expect(alone.every((t) => t.length > 0)).toBe(true);

    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const shared = specs.map(([f, sl, c, tf], i) => {
      const records = new EngineRecordCollector();
      const instance = createStrategyInstance({
        id: 'v1',
        strategy: grid(f, sl, c, tf),
        indicators: loop.indicators,
        sink: records,
      });
      // The last one joins after 1,200 bars, warmed up on its own on the bars it missed.
      if (i < specs.length - 1) loop.add(instance);
      return { instance, records };
    });
    part.slice(0, 1_200).forEach((bar) => loop.onClosedBar(bar));
    const late = shared.at(-1)!;
    late.instance.warmUp(part.slice(0, 1_200));
    loop.add(late.instance);
    part.slice(1_200).forEach((bar) => loop.onClosedBar(bar));
    shared.slice(0, -1).forEach(({ records }, i) => expect(records.trades).toEqual(alone[i]));
    // The late one shares indicators with the running ones, so it re-fills its look-back from
    // live bars first (as before sharing): from then on its trades are the ones alone.
    const lateTrades = late.records.trades;
    expect(lateTrades.length).toBeGreaterThan(0);
    expect(alone.at(-1)!.slice(-lateTrades.length)).toEqual(lateTrades);

    for (const { instance } of shared) instance.dispose();
    expect(loop.indicators.size).toBe(0);
  });
});
