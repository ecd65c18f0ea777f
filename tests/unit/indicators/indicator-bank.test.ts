import { describe, expect, it } from 'vitest';
import {
  createIndicator,
  IndicatorSet,
  type Indicator,
  type IndicatorLease,
  type IndicatorRequest,
} from '../../../src/core/indicators';
import type { Candle } from '../../../src/shared/market';
import { binanceCandles } from './indicator-fixtures';

/**
 * A set holding many indicators of one class keeps their state in a bank (one typed array, one
 * loop); these tests hold every banked value bit for bit to a lone indicator object fed the same
 * bars, through members joining, leaving, priming and resets.
 */

type Request = Omit<IndicatorRequest, 'timeframe'>;

/** 6 of each banked class: differing periods and sources (the bank mixes sources per member). */
const REQUESTS: Request[] = [
  ...[5, 9, 12, 20, 26, 50].map((period, i): Request => ({
    type: 'ema',
    params: { period },
    source: i % 2 === 0 ? 'close' : 'hlc3',
  })),
  ...[2, 7, 9, 14, 21, 30].map((period, i): Request => ({
    type: 'rsi',
    params: { period },
    source: i % 3 === 0 ? 'open' : 'close',
  })),
  ...[
    [12, 26, 9],
    [8, 21, 5],
    [5, 35, 5],
    [26, 12, 9],
    [3, 10, 16],
    [12, 26, 2],
  ].map(([fast, slow, signal], i): Request => ({
    type: 'macd',
    params: { fast: fast as number, slow: slow as number, signal: signal as number },
    source: i === 0 ? 'close' : i % 2 === 0 ? 'ohlc4' : 'hl2',
  })),
  ...[
    [20, 2],
    [20, 2.5],
    [50, 2],
    [5, 1],
    [13, 3],
    [100, 2],
  ].map(([period, stdDev], i): Request => ({
    type: 'bb',
    params: { period: period as number, stdDev: stdDev as number },
    source: i % 2 === 0 ? 'close' : 'low',
  })),
];

interface Pair {
  lease: IndicatorLease;
  alone: Indicator;
}

function pair(set: IndicatorSet, request: Request): Pair {
  const lease = set.acquire({ ...request, timeframe: '1m' });
  const alone = createIndicator(request.type, request.params, request.source);
  return { lease, alone };
}

/** Every output and the ready flag identical (Object.is: NaN = NaN, 0 ≠ −0). */
function expectSame(pairs: readonly Pair[], bar: number): void {
  for (const { lease, alone } of pairs) {
    const shared = lease.indicator;
    if (shared.ready !== alone.ready)
      expect.fail(`${lease.key} ready ${shared.ready} vs ${alone.ready} at bar ${bar}`);
    // Current and previous values (outputs[outputCount + o]) alike.
    for (let o = 0; o < 2 * alone.outputCount; o++) {
      if (!Object.is(shared.outputs[o], alone.outputs[o]))
        expect.fail(
          `${lease.key} outputs[${o}] ${shared.outputs[o]} vs ${alone.outputs[o]} at bar ${bar}`,
        );
    }
  }
}

function feed(set: IndicatorSet, pairs: readonly Pair[], bars: readonly Candle[], from = 0): void {
  bars.forEach((bar, k) => {
    set.update('1m', bar);
    for (const { alone } of pairs) alone.update(bar);
    expectSame(pairs, from + k);
  });
}

describe('indicator banks', () => {
  const bars = binanceCandles(3000);

  it('give every member bit for bit the values of a lone indicator, bar by bar', () => {
    const set = new IndicatorSet();
    const pairs = REQUESTS.map((r) => pair(set, r));
    expect(set.size).toBe(REQUESTS.length);
    const views = pairs.map((p) => p.lease.indicator.outputs);
    feed(set, pairs, bars);
    // The readers' views stayed theirs: still the arrays the bank writes into.
    pairs.forEach((p, i) => {
      expect(p.lease.indicator.outputs).toBe(views[i]);
      expect(p.lease.indicator.outputs[0]).toBe(p.alone.outputs[0]);
      expect(p.lease.indicator.ready).toBe(true);
    });
  });

  it('take members in mid-run with their state, and prime a newcomer on its own', () => {
    const set = new IndicatorSet();
    // Two of each class first: kept as objects, fed 400 bars.
    const early = REQUESTS.filter((_, i) => i % 6 < 2).map((r) => pair(set, r));
    feed(set, early, bars.slice(0, 400));
    // Then the rest join one by one: the class moves into a bank as it grows, running members
    // carrying their state along; each newcomer is primed from the same history alone.
    const late = REQUESTS.filter((_, i) => i % 6 >= 2).map((r) => {
      const p = pair(set, r);
      expect(p.lease.created).toBe(true);
      set.prime(p.lease.key, bars.slice(0, 400));
      for (const bar of bars.slice(0, 400)) p.alone.update(bar);
      return p;
    });
    const all = [...early, ...late];
    expectSame(all, 399);
    feed(set, all, bars.slice(400, 1500), 400);
  });

  it('let members go (the others move within the bank) and leave a held reader its values', () => {
    const set = new IndicatorSet();
    const pairs = REQUESTS.map((r) => pair(set, r));
    feed(set, pairs, bars.slice(0, 600));
    // Release the first and fourth of each class: swap-remove moves later members into them.
    const gone = pairs.filter((_, i) => i % 6 === 0 || i % 6 === 3);
    const kept = pairs.filter((_, i) => i % 6 !== 0 && i % 6 !== 3);
    const frozen = gone.map((p) => Float64Array.from(p.lease.indicator.outputs));
    for (const p of gone) p.lease.dispose();
    expect(set.size).toBe(kept.length);
    feed(set, kept, bars.slice(600, 1200), 600);
    // A released indicator is no longer updated, but whoever still holds it reads its last values.
    gone.forEach((p, i) => {
      expect([...p.lease.indicator.outputs]).toEqual([...(frozen[i] as Float64Array)]);
      expect(p.lease.indicator.ready).toBe(true);
    });
    // The same key again: a fresh indicator, joining the bank, with the right values once primed.
    const again = gone.map((p) => {
      const request = REQUESTS[pairs.indexOf(p)] as Request;
      const fresh = pair(set, request);
      expect(fresh.lease.created).toBe(true);
      expect(fresh.lease.indicator).not.toBe(p.lease.indicator);
      expect(fresh.lease.indicator.ready).toBe(false);
      set.prime(fresh.lease.key, bars.slice(0, 1200));
      for (const bar of bars.slice(0, 1200)) fresh.alone.update(bar);
      return fresh;
    });
    feed(set, [...kept, ...again], bars.slice(1200, 1800), 1200);
  });

  it('reset with the set: empty, not ready, then the values of a fresh start', () => {
    const set = new IndicatorSet();
    const pairs = REQUESTS.map((r) => pair(set, r));
    feed(set, pairs, bars.slice(0, 300));
    set.resetAll();
    for (const { lease, alone } of pairs) {
      expect(lease.indicator.ready).toBe(false);
      expect([...lease.indicator.outputs].every(Number.isNaN)).toBe(true);
      alone.reset();
    }
    feed(set, pairs, bars.slice(300, 900), 300);
  });
});
