import { describe, expect, it } from 'vitest';
import {
  decodeDouble,
  encodeDouble,
  EngineRecordCollector,
  InstanceCheckpointError,
  type InstanceCheckpoint,
} from '../../../src/core/engine';
import { PaperExchange } from '../../../src/core/execution';
import { SINGLE_TRIAL } from '../../../src/core/metrics';
import { strategyTemplates } from '../../../src/core/optimize';
import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';
import type { Candle } from '../../../src/shared/market';
import {
  btcUsdtMinutes,
  freshInstance,
  strategyOf,
  type InstanceRun as Run,
} from './engine-fixtures';

/** The EMA crossover template on 1m bars (its 1h trend EMA rolled up from them) with stops. */
function emaCrossoverWithStops(risk: Record<string, unknown>): CompiledStrategy {
  const template = strategyTemplates().find((t) => t.id === 'ema-crossover-trend');
  if (template === undefined) throw new Error('no EMA crossover template');
  const result = compileStrategy({
    ...template.config,
    meta: { ...template.config.meta, timeframe: '1m' },
    risk: { ...template.config.risk, ...risk },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

/** What the records held when a checkpoint was taken, to cut the uninterrupted run there. */
interface Taken {
  index: number;
  checkpoint: InstanceCheckpoint;
  counts: { signals: number; orders: number; fills: number; trades: number };
}

const counts = (r: EngineRecordCollector): Taken['counts'] => ({
  signals: r.signals.length,
  orders: r.orders.length,
  fills: r.fills.length,
  trades: r.trades.length,
});

/** Through the storage path: JSON text and back, as the variant manager keeps it in SQLite. */
const stored = (cp: InstanceCheckpoint): InstanceCheckpoint =>
  JSON.parse(JSON.stringify(cp)) as InstanceCheckpoint;

/**
 * Runs `bars` uninterrupted, taking a checkpoint after each bar `pick` chooses (at most one per
 * kind it names), and returns the run with the checkpoints.
 */
function uninterrupted(
  strategy: CompiledStrategy,
  bars: readonly Candle[],
  pick: (cp: InstanceCheckpoint, index: number) => string | null,
  flattenAt: number | null = null,
): { run: Run; taken: Map<string, Taken> } {
  const run = freshInstance(strategy);
  const taken = new Map<string, Taken>();
  bars.forEach((bar, index) => {
    run.loop.onClosedBar(bar);
    if (index === flattenAt) run.instance.flatten('kill');
    const cp = run.instance.checkpoint();
    const kind = pick(cp, index);
    if (kind !== null && !taken.has(kind)) {
      taken.set(kind, { index, checkpoint: stored(cp), counts: counts(run.records) });
    }
  });
  return { run, taken };
}

/** Restores `taken` into a fresh instance, re-warms it from the bars up to it, trades the rest. */
function resumed(
  strategy: CompiledStrategy,
  bars: readonly Candle[],
  taken: Taken,
  warmUp: 'loop' | 'instance' = 'loop',
  flattenAt: number | null = null,
): Run {
  const run = freshInstance(strategy);
  run.instance.restore(taken.checkpoint);
  const history = bars.slice(0, taken.index + 1);
  if (warmUp === 'loop') run.loop.warmUp(history);
  else run.instance.warmUp(history);
  for (let i = taken.index + 1; i < bars.length; i++) {
    run.loop.onClosedBar(bars[i]!);
    if (i === flattenAt) run.instance.flatten('kill');
  }
  return run;
}

function expectSameContinuation(original: Run, taken: Taken, restored: Run): void {
  const o = original.records;
  const r = restored.records;
  expect(r.trades).toEqual(o.trades.slice(taken.counts.trades));
  expect(r.fills).toEqual(o.fills.slice(taken.counts.fills));
  expect(r.orders).toEqual(o.orders.slice(taken.counts.orders));
  expect(r.signals).toEqual(o.signals.slice(taken.counts.signals));
  expect(restored.instance.snapshot(SINGLE_TRIAL)).toEqual(
    original.instance.snapshot(SINGLE_TRIAL),
  );
  expect(restored.instance.checkpoint()).toEqual(original.instance.checkpoint());
  expect(restored.instance.barsSeen).toBe(original.instance.barsSeen);
}

describe('StrategyInstance checkpoint and restore on real BTC/USDT minutes', () => {
  const bars = btcUsdtMinutes().slice(0, 9_000);
  /** The bar after which a person kills the position (both runs): a queued exit with reason kill. */
  const KILL_AT = 7_000;

  it('when restored at any point (cold, flat, in a trailing position, with a queued entry, exit or kill) then the rest of the run is identical to the last digit', () => {
    // Leverage 5, a stop-loss and a trailing stop, no take-profit (so +∞ is stored for it).
    const strategy = emaCrossoverWithStops({
      leverage: 5,
      stopLoss: { percent: 0.3, basis: 'price' },
      trailingStop: { percent: 0.8 },
    });
    const { run, taken } = uninterrupted(
      strategy,
      bars,
      (cp, index) => {
        const x = cp.exchange;
        if (!cp.warm) return index === 1_500 ? 'cold' : null;
        if (x.pendingEntry !== null) return 'queued entry';
        if (x.pendingExit !== null)
          return x.pendingExit.request.reason === 'kill' ? 'queued kill' : 'queued exit';
        if (x.position === null) return index > 6_000 ? 'flat' : null;
        // In a position whose trailing stop has moved above its initial level (and beyond the stop).
        const p = x.position;
        const initialTrail = p.entryPrice * (1 - (p.side === 'long' ? 1 : -1) * p.trailingDistance);
        return p.trailingStop !== initialTrail && cp.metrics.trades.count > 3 ? 'trailing' : null;
      },
      KILL_AT,
    );
    expect([...taken.keys()].sort()).toEqual([
      'cold',
      'flat',
      'queued entry',
      'queued exit',
      'queued kill',
      'trailing',
    ]);
    expect(run.records.trades.length).toBeGreaterThan(20);
    const exitReasons = new Set(run.records.trades.map((t) => t.exitReason));
    expect([...exitReasons].sort()).toEqual(['kill', 'signal', 'stopLoss', 'trailingStop']);
    const inPosition = taken.get('trailing')!.checkpoint.exchange.position!;
    expect(inPosition.takeProfit).toBe(inPosition.side === 'long' ? 'Infinity' : '-Infinity');

    for (const [kind, t] of taken) {
      const restored = resumed(strategy, bars, t, 'loop', KILL_AT);
      expect(restored.records.trades.length, kind).toBeGreaterThan(0);
      expectSameContinuation(run, t, restored);
    }
  });

  it('when restored with a take-profit, a queued entry and warmed up by the instance itself then the rest is identical', () => {
    const strategy = strategyOf({
      indicators: [
        { id: 'fast', type: 'sma', params: { period: 7 } },
        { id: 'slow', type: 'wma', params: { period: 30 } },
      ],
      rules: {
        entryLong: 'crossover(fast, slow) AND rising(close, 2)',
        entryShort: 'crossunder(fast, slow)',
        exitLong: 'crossunder(fast, slow)',
        exitShort: 'close > highest(high, 20)[1]',
      },
      risk: {
        leverage: 10,
        stopLoss: { percent: 8, basis: 'roi' },
        takeProfit: { percent: 6, basis: 'roi' },
      },
    });
    const part = bars.slice(0, 4_000);
    const { run, taken } = uninterrupted(strategy, part, (cp, index) =>
      index > 2_000 && cp.exchange.pendingEntry !== null ? 'queued entry' : null,
    );
    expect(run.records.trades.some((t) => t.exitReason === 'takeProfit')).toBe(true);
    const t = taken.get('queued entry')!;
    expectSameContinuation(run, t, resumed(strategy, part, t, 'instance'));
  });

  it('when checkpointed before its look-back was filled then the restored instance waits exactly as long, even with more history to warm up on', () => {
    // sma(10) is ready on its 10th bar; `sma[20]` then needs 20 more ready bars.
    const strategy = strategyOf({
      indicators: [{ id: 'sma', type: 'sma', params: { period: 10 } }],
      rules: { entryLong: 'sma[20] > 0', exitLong: 'true' },
    });
    const start = 100;
    const tradedBars = bars.slice(start, start + 200);
    const { run, taken } = uninterrupted(strategy, tradedBars, (_cp, index) =>
      index === 15 ? 'streak' : null,
    );
    const t = taken.get('streak')!;
    expect(t.checkpoint.warm).toBe(false);
    expect(t.checkpoint.readyStreak).toBe(7); // ready from index 9: bars 9…15
    // Re-warmed on 115 bars of history (the original had seen 16): naturally warm, held back.
    const restored = freshInstance(strategy);
    restored.instance.restore(t.checkpoint);
    restored.loop.warmUp(bars.slice(0, start + t.index + 1));
    for (const bar of tradedBars.slice(t.index + 1)) restored.loop.onClosedBar(bar);
    expect(restored.records.signals).toEqual(run.records.signals.slice(t.counts.signals));
    expect(restored.records.signals[0]!.time).toBe(tradedBars[9 + 20]!.time);
    expect(restored.instance.snapshot()).toEqual(run.instance.snapshot());
  });

  it('when the warm-up after a restore is too short then the instance stays cold until its indicators are ready', () => {
    const strategy = strategyOf({
      indicators: [{ id: 'sma', type: 'sma', params: { period: 50 } }],
      rules: { entryLong: 'close > sma', exitLong: 'close < sma' },
    });
    const { taken } = uninterrupted(strategy, bars.slice(0, 300), (cp, i) =>
      cp.warm && i === 200 ? 'warm' : null,
    );
    const t = taken.get('warm')!;
    const restored = freshInstance(strategy);
    restored.instance.restore(t.checkpoint);
    restored.loop.warmUp(bars.slice(190, 201)); // 11 bars: sma(50) is not ready
    restored.loop.onClosedBar(bars[201]!);
    expect(restored.instance.warm).toBe(false);
    for (const bar of bars.slice(202, 300)) restored.loop.onClosedBar(bar);
    expect(restored.instance.warm).toBe(true);
    // Ready on its 50th bar (from bar 190): no signal before bar 239.
    expect(restored.records.signals[0]!.time).toBeGreaterThanOrEqual(bars[239]!.time);
  });

  it('when a fresh instance is checkpointed then ±∞ and NaN survive JSON as strings and restore exactly', () => {
    const strategy = strategyOf({ rules: { entryLong: 'true', exitLong: 'false' } });
    const a = freshInstance(strategy);
    const cp = a.instance.checkpoint();
    expect(cp.time).toBeNull();
    expect(cp.exchange.lastBarTime).toBe('-Infinity');
    expect(cp.exchange.lastClose).toBe('NaN');
    expect(stored(cp)).toEqual(cp);
    const b = freshInstance(strategy);
    b.instance.restore(stored(cp));
    for (const bar of bars.slice(0, 50)) {
      a.loop.onClosedBar(bar);
      b.loop.onClosedBar(bar);
    }
    expect(b.records).toEqual(a.records);
    expect(b.instance.checkpoint()).toEqual(a.instance.checkpoint());
  });

  it('encodes every double exactly, −0 included', () => {
    for (const x of [0, -0, 1.1, -2.5e-300, Number.MAX_VALUE, Infinity, -Infinity, NaN, 1 / 3]) {
      const back = decodeDouble(JSON.parse(JSON.stringify(encodeDouble(x))) as never);
      expect(Object.is(back, x)).toBe(true);
    }
  });

  it('when the checkpoint is malformed, foreign or late then restore refuses it with a reason', () => {
    const strategy = strategyOf({ rules: { entryLong: 'true', exitLong: 'false' } });
    const a = freshInstance(strategy);
    for (const bar of bars.slice(0, 5)) a.loop.onClosedBar(bar);
    const cp = stored(a.instance.checkpoint());

    const broken = { ...cp, exchange: { ...cp.exchange, cash: 'lots' } } as unknown;
    expect(() => freshInstance(strategy).instance.restore(broken as InstanceCheckpoint)).toThrow(
      InstanceCheckpointError,
    );
    expect(() => freshInstance(strategy).instance.restore(broken as InstanceCheckpoint)).toThrow(
      /exchange\.cash/,
    );
    expect(() => freshInstance(strategy).instance.restore({ ...cp, variantId: 'v2' })).toThrow(
      /checkpoint of v2 given to instance v1/,
    );
    const started = freshInstance(strategy);
    started.loop.onClosedBar(bars[0]!);
    expect(() => started.instance.restore(cp)).toThrow(/already started/);

    const other = new PaperExchange({ leverage: 3 });
    const position = new PaperExchange({ leverage: 2 });
    position.submit({ type: 'entry', side: 'long', size: { kind: 'cashFraction', fraction: 1 } });
    position.onBar(bars[0]!);
    expect(() => other.restore(position.checkpoint())).toThrow(/leverage 2, this account 3/);
  });
});
