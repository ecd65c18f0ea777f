import { describe, expect, it } from 'vitest';
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  type StrategyInstance,
} from '../../../src/core/engine';
import { planShards } from '../../../src/core/engine/shard-plan';
import type { ShardVariantOutcome } from '../../../src/core/engine/shard-protocol';
import { runSharded, ShardedRunError } from '../../../src/core/engine/sharded-runner';
import { compileStrategy } from '../../../src/core/strategy';
import { btcUsdtMinutes } from './engine-fixtures';

const GRID_STRATEGY = {
  meta: { name: 'grid', timeframe: '1m', version: 1 },
  indicators: [
    { id: 'rsi', type: 'rsi', params: { period: '$rsi' } },
    { id: 'fast', type: 'ema', params: { period: '$fast' } },
    { id: 'slow', type: 'ema', params: { period: '$slow' } },
    { id: 'bb', type: 'bb', params: { period: 20, stdDev: 2 } },
  ],
  parameters: [
    { name: 'rsi', type: 'int', default: 14, min: 2, max: 50 },
    { name: 'fast', type: 'int', default: 12, min: 2, max: 30 },
    { name: 'slow', type: 'int', default: 50, min: 31, max: 300 },
  ],
  rules: {
    entryLong: 'crossover(fast, slow) AND rsi < 70',
    entryShort: 'crossunder(fast, slow) AND rsi > 30',
    exitLong: 'close > bb.upper OR crossunder(fast, slow)',
    exitShort: 'close < bb.lower OR crossover(fast, slow)',
  },
  risk: { leverage: 3, stopLoss: { percent: 1 }, trailingStop: { percent: 1.5 } },
};

/** What a shard reports of a collector's records: how many of each. */
function countsOf(records: EngineRecordCollector): ShardVariantOutcome['records'] {
  return {
    signals: records.signals.length,
    orders: records.orders.length,
    fills: records.fills.length,
    trades: records.trades.length,
  };
}

describe('planShards', () => {
  const keys = (...k: string[]) => ({ indicatorKeys: k });

  it('when variants share indicators then they land in the same shard, shards stay balanced', () => {
    const variants = [
      keys('ema9', 'rsi14'),
      keys('ema21', 'rsi9'),
      keys('ema9', 'rsi14'),
      keys('ema21', 'rsi9'),
      keys('rsi14', 'ema9'),
      keys('ema21', 'rsi9'),
    ];
    expect(planShards(variants, 2)).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
  });

  it('when a cluster is larger than a shard then it is split and every variant is placed once', () => {
    const variants = Array.from({ length: 7 }, (_, i) => keys(i < 5 ? 'a' : 'b'));
    const plan = planShards(variants, 3);
    // 'a' fills shard 0 and spills into shard 1; 'b' takes the empty shard 2 rather than mix.
    expect(plan).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(plan.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(planShards(variants, 3)).toEqual(plan);
  });

  it('never makes more shards than variants, nor any for none', () => {
    expect(planShards([keys('a')], 4)).toEqual([[0]]);
    expect(planShards([], 4)).toEqual([]);
  });
});

describe('runSharded on real BTC/USDT minutes', () => {
  const bars = btcUsdtMinutes().slice(0, 4_000);
  const params = [
    { rsi: 14, fast: 9, slow: 50 },
    { rsi: 9, fast: 12, slow: 100 },
    { rsi: 14, fast: 9, slow: 100 },
    { rsi: 21, fast: 20, slow: 50 },
    { rsi: 9, fast: 12, slow: 50 },
  ];
  const variants = params.map((p, i) => ({ id: `v${i}`, config: GRID_STRATEGY, parameters: p }));

  /** The same variants in one loop in this thread, every record kept: the reference. */
  function runInOneLoop(): Array<{ instance: StrategyInstance; records: EngineRecordCollector }> {
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const local: Array<{ instance: StrategyInstance; records: EngineRecordCollector }> = [];
    for (const v of variants) {
      const compiled = compileStrategy(v.config, v.parameters);
      if (!compiled.ok) throw new Error('grid strategy does not compile');
      const records = new EngineRecordCollector();
      const instance = createStrategyInstance({
        id: v.id,
        strategy: compiled.strategy,
        indicators: loop.indicators,
        sink: records,
      });
      loop.add(instance);
      local.push({ instance, records });
    }
    loop.warmUp(bars.slice(0, 300));
    for (const bar of bars.slice(300)) loop.onClosedBar(bar);
    return local;
  }

  it('when variants run on two worker threads then each trades and scores exactly as alone in one loop', async () => {
    const result = await runSharded({
      baseTimeframe: '1m',
      bars,
      warmUpBars: 300,
      variants,
      shards: 2,
    });
    expect(result.shards.map((s) => s.variants).sort()).toEqual([2, 3]);

    const local = runInOneLoop();

    expect(result.outcomes.map((o) => o.id)).toEqual(variants.map((v) => v.id));
    result.outcomes.forEach((o, i) => {
      const { instance, records } = local[i]!;
      expect(o.trades).toEqual(records.trades);
      expect(o.metrics).toEqual(instance.snapshot());
      expect(o.records).toEqual(countsOf(records));
    });
    expect(result.outcomes.reduce((n, o) => n + o.trades.length, 0)).toBeGreaterThan(50);
  });

  it('when trades are not asked for and the shards JIT-warm first then metrics and record counts are still those of one loop', async () => {
    const result = await runSharded({
      baseTimeframe: '1m',
      bars,
      warmUpBars: 300,
      variants,
      shards: 2,
      trades: false,
      // Longer than the run: the throwaway passes are capped at the bars there are.
      jitWarmUpBars: 5_000,
    });

    const local = runInOneLoop();

    result.outcomes.forEach((o, i) => {
      const { instance, records } = local[i]!;
      // The warm-up passes ran on throwaway copies: nothing of them leaks into the outcome.
      expect(o.metrics).toEqual(instance.snapshot());
      expect(o.trades).toEqual([]);
      expect(o.records).toEqual(countsOf(records));
    });
    expect(result.outcomes.reduce((n, o) => n + o.records.trades, 0)).toBeGreaterThan(50);
    expect(result.outcomes.reduce((n, o) => n + o.records.signals, 0)).toBeGreaterThan(
      result.outcomes.reduce((n, o) => n + o.records.trades, 0),
    );
  });

  it('when a variant does not compile then the run is refused naming it, before any thread starts', async () => {
    const broken = { id: 'bad', config: GRID_STRATEGY, parameters: { slow: 5 } };
    await expect(
      runSharded({ baseTimeframe: '1m', bars, variants: [...variants, broken] }),
    ).rejects.toThrow(ShardedRunError);
    await expect(
      runSharded({ baseTimeframe: '1m', bars, variants: [...variants, broken] }),
    ).rejects.toThrow(/variants\[5\] \(bad\)/);
  });
});
