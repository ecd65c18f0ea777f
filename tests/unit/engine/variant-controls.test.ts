import { describe, expect, it } from 'vitest';
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  StrategyInstance,
} from '../../../src/core/engine';
import { PAPER_ACCOUNT_DEFAULTS } from '../../../src/core/execution';
import { btcUsdtMinutes, strategyOf } from './engine-fixtures';

const SLIP = PAPER_ACCOUNT_DEFAULTS.slippageBps / 10_000;
const bars = btcUsdtMinutes().slice(0, 200);
const alwaysLong = strategyOf({ rules: { entryLong: 'true', exitLong: 'false' } });

function instanceOn(loop: EngineBarLoop, id: string, records: EngineRecordCollector) {
  return createStrategyInstance({
    id,
    strategy: alwaysLong,
    indicators: loop.indicators,
    sink: records,
  });
}

/** A loop that removes an instance that throws and keeps what it threw, as the manager's does. */
function isolatingLoop(): {
  loop: EngineBarLoop;
  errors: Array<{ id: string; message: string }>;
} {
  const errors: Array<{ id: string; message: string }> = [];
  const loop = new EngineBarLoop({
    baseTimeframe: '1m',
    onInstanceError: (instance, error) =>
      errors.push({ id: instance.id, message: (error as Error).message }),
  });
  return { loop, errors };
}

describe('the controls the variant manager drives', () => {
  it('when entries are blocked then entry rules are recorded as blocked and no order is placed', () => {
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const records = new EngineRecordCollector();
    const instance = instanceOn(loop, 'v1', records);
    instance.entriesBlockedBy = 'circuit breaker';
    loop.add(instance);
    for (const bar of bars.slice(0, 5)) loop.onClosedBar(bar);
    expect(records.orders).toEqual([]);
    expect(records.signals.map((s) => s.action)).toEqual(Array(5).fill('blocked'));
    // Lifting the block lets the next bar's entry through, filled at the following open.
    instance.entriesBlockedBy = null;
    loop.onClosedBar(bars[5]!);
    loop.onClosedBar(bars[6]!);
    expect(records.fills[0]!.price).toBeCloseTo(bars[6]!.open * (1 + SLIP), 9);
  });

  it('when a position is flattened with a reason then it closes at the next bar open with that exit reason', () => {
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const records = new EngineRecordCollector();
    const instance = instanceOn(loop, 'v1', records);
    loop.add(instance);
    for (const bar of bars.slice(0, 3)) loop.onClosedBar(bar); // entry on 0, filled at 1's open
    expect(instance.execution.positionSide).toBe('long');
    expect(instance.flatten('kill')).toBe(true);
    expect(instance.flatten('kill')).toBe(true); // already queued: no second exit order
    loop.onClosedBar(bars[3]!);
    const trade = records.trades[0]!;
    expect(trade.exitReason).toBe('kill');
    expect(trade.exitPrice).toBeCloseTo(bars[3]!.open * (1 - SLIP), 9);
    expect(records.orders.filter((o) => o.kind === 'exit')).toHaveLength(1);
    expect(instance.flatten('kill')).toBe(false);
  });

  it('when one instance throws on a bar then only it is removed and reported; the others keep trading', () => {
    const { loop, errors } = isolatingLoop();
    const records = new EngineRecordCollector();
    const healthy = instanceOn(loop, 'healthy', records);
    const faulty = instanceOn(loop, 'faulty', records);
    let calls = 0;
    const original = faulty.onBar.bind(faulty);
    faulty.onBar = (bar) => {
      if (++calls === 3) throw new Error('boom on the third bar');
      original(bar);
    };
    loop.add(faulty);
    loop.add(healthy);
    for (const bar of bars.slice(0, 10)) loop.onClosedBar(bar);
    expect(errors).toEqual([{ id: 'faulty', message: 'boom on the third bar' }]);
    expect(loop.instances.map((i) => i.id)).toEqual(['healthy']);
    expect(healthy.barsSeen).toBe(10);
    expect(calls).toBe(3);
    expect(healthy).toBeInstanceOf(StrategyInstance);
  });

  it('when a bar has inconsistent prices then each instance refuses it on its own, as its exchange would', () => {
    const { loop, errors } = isolatingLoop();
    const records = new EngineRecordCollector();
    for (const id of ['a', 'b']) loop.add(instanceOn(loop, id, records));
    for (const bar of bars.slice(0, 3)) loop.onClosedBar(bar);
    const broken = { ...bars[3]!, high: bars[3]!.low - 1 }; // high below low
    loop.onClosedBar(broken);
    expect(errors.map((e) => e.id)).toEqual(['a', 'b']);
    expect(errors.every((e) => /inconsistent bar/.test(e.message))).toBe(true);
    expect(loop.instances).toEqual([]);

    // Without an error handler (a backtest) the bar stops the run.
    const strict = new EngineBarLoop({ baseTimeframe: '1m' });
    strict.add(instanceOn(strict, 'c', new EngineRecordCollector()));
    strict.onClosedBar(bars[0]!);
    expect(() => strict.onClosedBar({ ...bars[1]!, low: Number.NaN })).toThrow(/inconsistent bar/);
  });
});
