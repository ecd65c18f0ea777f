import { describe, expect, it } from 'vitest';
import { SeriesPool } from '../../../src/core/strategy/compile-strategy';
import { pairTerms } from '../../../src/core/strategy/compiler';
import { compileSample, fires, runSeries } from './support/sample-strategy';

const N = NaN;

describe('compiled rules', () => {
  it('compare, add and multiply bar by bar', () => {
    expect(fires('rsi < $oversold', { rsi: [25, 35, 29.9, 30] })).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(fires('rsi * 2 - 10 >= 50', { rsi: [29, 30, 31] })).toEqual([false, true, true]);
    expect(fires('-rsi < -50', { rsi: [49, 51] })).toEqual([false, true]);
    expect(fires('rsi == 30 OR rsi != rsi', { rsi: [30, 31] })).toEqual([true, false]);
  });

  it('are false while any value they need is NaN (warm-up), even under NOT', () => {
    expect(fires('rsi < 50', { rsi: [N, N, 40] })).toEqual([false, false, true]);
    expect(fires('NOT (rsi > 50)', { rsi: [N, 40, 60] })).toEqual([false, true, false]);
    expect(fires('NOT (rsi > 50 AND macd > 0)', { rsi: [60, 60], macd: [N, 1] })).toEqual([
      false,
      false,
    ]);
    expect(fires('rsi < 50 AND macd > 0', { rsi: [40, 40], macd: [N, 1] })).toEqual([false, true]);
    // OR's right side is not needed once the left is true.
    expect(fires('rsi < 50 OR macd > 0', { rsi: [40, 60], macd: [N, N] })).toEqual([true, false]);
  });

  it('test an AND / OR chain at the root exactly as the same chain nested under NOT NOT', () => {
    // Every combination of unknown, low, middle and high values of three series, one per bar.
    const levels = [N, 10, 20, 30];
    const rsi: number[] = [];
    const macd: number[] = [];
    const bars: Array<{ close: number }> = [];
    for (const a of levels)
      for (const b of levels)
        for (const c of levels) {
          rsi.push(a);
          macd.push(b);
          bars.push({ close: c });
        }
    const rules = [
      'rsi < 20 AND macd > rsi AND close >= 20',
      'rsi < 20 OR macd > rsi OR close == 20',
      'rsi <= $oversold AND (macd > 10 OR close != 30) AND close > rsi',
      'macd != 20 OR rsi > 10 AND close < 30 OR crossover(rsi, 15)',
    ];
    for (const rule of rules) {
      // The root chain is tested part by part; under NOT NOT every operator is its own closure.
      const nested = fires(`NOT NOT (${rule})`, { rsi, macd }, bars);
      expect(fires(rule, { rsi, macd }, bars), rule).toEqual(nested);
      expect(nested.some(Boolean), rule).toBe(true);
    }
    // By hand, first rule: bar 0 is (NaN, NaN, NaN); rsi 10, macd 20, close 20 is bar 1·16+2·4+2.
    const first = fires(rules[0] as string, { rsi, macd }, bars);
    expect(first[0]).toBe(false);
    expect(first[16 + 2 * 4 + 2]).toBe(true);
    expect(first[16 + 2 * 4 + 1]).toBe(false);
    // Second rule: an unknown first part makes the OR unknown even when a later part holds.
    const second = fires(rules[1] as string, { rsi, macd }, bars);
    expect(second[0 * 16 + 3 * 4 + 2]).toBe(false);
    expect(second[1 * 16 + 0 * 4 + 0]).toBe(true);
  });

  it('treat division by zero as NaN, so comparisons are false', () => {
    expect(
      fires('close / volume > 1', {}, [
        { close: 5, volume: 0 },
        { close: 5, volume: 2 },
      ]),
    ).toEqual([false, true]);
    expect(fires('NOT (close / volume < 1)', {}, [{ close: 5, volume: 0 }])).toEqual([false]);
  });

  it('read history of series and of whole expressions, NaN before it exists', () => {
    expect(
      fires('close > close[1]', {}, [{ close: 1 }, { close: 2 }, { close: 1 }, { close: 3 }]),
    ).toEqual([false, true, false, true]);
    const bars = [
      { open: 1, close: 2 },
      { open: 2, close: 1 },
      { open: 1, close: 3 },
    ];
    expect(fires('(close - open)[1] > 0', {}, bars)).toEqual([false, true, false]);
    expect(fires('(close > open)[$lag]', {}, bars, { lag: 2 })).toEqual([false, false, true]);
    expect(fires('bb.upper[2] == 10', { 'bb.upper': [10, 11, 12, 13] })).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it('detect crossovers and crossunders on the bar they happen', () => {
    const fast = [1, 2, 3, 3, 2, 1, 2];
    const slow = [2, 2, 2, 3, 3, 3, 2];
    expect(fires('crossover(ema_fast, ema_slow)', { ema_fast: fast, ema_slow: slow })).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(fires('crossunder(ema_fast, ema_slow)', { ema_fast: fast, ema_slow: slow })).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(fires('crossover(rsi, $oversold)', { rsi: [N, 25, 35, 40, 20, 31] })).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('evaluate rising, falling, highest and lowest over windows', () => {
    expect(
      fires(
        'rising(close, 2)',
        {},
        [1, 2, 3, 3, 4, 5].map((close) => ({ close })),
      ),
    ).toEqual([false, false, true, false, false, true]);
    expect(
      fires(
        'falling(close, 1)',
        {},
        [3, 2, 2, 1].map((close) => ({ close })),
      ),
    ).toEqual([false, true, false, true]);
    const highs = [5, 7, 6, 4, 3, 8].map((high) => ({ high, close: high }));
    expect(fires('highest(high, 3) == 7', {}, highs)).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(fires('close > highest(high[1], 2)', {}, highs)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(fires('lowest(close, $len) == 3', {}, highs, { len: 3 })).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('computes abs, min and max with any number of arguments', () => {
    expect(
      fires('abs(close - open) >= 2', {}, [
        { open: 5, close: 3 },
        { open: 3, close: 4 },
      ]),
    ).toEqual([true, false]);
    expect(fires('max(-1, min(1, rsi / 10)) == 1', { rsi: [20, 5, -30] })).toEqual([
      true,
      false,
      false,
    ]);
    expect(fires('min(rsi, 3, 7, macd) == 2', { rsi: [9], macd: [2] })).toEqual([true]);
    expect(fires('max(rsi, 3, 7, macd) == 9', { rsi: [9], macd: [N] })).toEqual([false]);
  });

  it('sizes history buffers by the lookback the rules need and reports it', () => {
    const s = compileSample(
      {
        entryLong: 'crossover(ema_fast, ema_slow) AND close > highest(high[1], $len)',
        exitLong: 'rsi[$lag] > 70',
      },
      { len: 30, lag: 4 },
    );
    const byId = new Map(s.requirements.map((r) => [r.ids[0], r.lookback]));
    expect(byId).toEqual(
      new Map([
        ['ema_fast', 1],
        ['ema_slow', 1],
        ['rsi', 4],
      ]),
    );
    expect(s.maxLookback).toBe(30);
    expect(s.warmupBars((r) => (r.type === 'rsi' ? 15 : 26))).toBe(30);
    expect(s.warmupBars((r) => (r.type === 'rsi' ? 100 : 26))).toBe(104);
  });

  it('explains the terms of a rule with their current values', () => {
    const s = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow) AND rsi < $oversold OR (close - open) / atr > 2',
    });
    runSeries(s, 2, { ema_fast: [1, 3], ema_slow: [2, 2], rsi: [40, 28.1], atr: [1, 1] }, [
      {},
      { open: 1, close: 2 },
    ]);
    expect(s.explain('entryLong')).toEqual([
      { text: 'ema_fast', value: 3 },
      { text: 'ema_slow', value: 2 },
      { text: 'rsi', value: 28.1 },
      { text: '$oversold', value: 30 },
      { text: '(close - open) / atr', value: 1 },
    ]);
    expect(s.explain('exitLong')).toEqual([]);
  });

  it('returns all four signals and forgets history on reset', () => {
    const s = compileSample({
      entryLong: 'close > close[1]',
      entryShort: 'close < close[1]',
      exitLong: 'close < 2',
      exitShort: 'close > 2',
    });
    const bars = [{ close: 1 }, { close: 3 }];
    expect(runSeries(s, 2, {}, bars)).toEqual([
      { entryLong: false, entryShort: false, exitLong: true, exitShort: false },
      { entryLong: true, entryShort: false, exitLong: false, exitShort: true },
    ]);
    s.reset();
    expect(runSeries(s, 1, {}, [{ close: 5 }])[0]?.entryLong).toBe(false);
  });

  it('computes a subexpression written in several rules once per bar, with the same values as written once', () => {
    const score = '(rsi - 50) / 20 + (close - open) / atr';
    const shared = compileSample({
      entryLong: `${score} >= 0.5`,
      entryShort: `${score} <= -0.5`,
      exitLong: `${score} < 0 OR (${score})[1] > 1`,
      exitShort: `(${score})[1] < -1`,
    });
    const once = (rule: string) => compileSample({ entryLong: rule });
    const series = { rsi: [60, 40, 80, 20, NaN, 55], atr: [1, 2, 1, 1, 1, 1] };
    const bars = [
      { open: 1, close: 2 },
      { open: 2, close: 1 },
      { open: 1, close: 2 },
      { open: 3, close: 1 },
      { open: 1, close: 1 },
      { open: 1, close: 1.5 },
    ];
    const got = runSeries(shared, 6, series, bars);
    const expected = (rule: string) =>
      runSeries(once(rule), 6, series, bars).map((s) => s.entryLong);
    expect(got.map((s) => s.entryLong)).toEqual(expected(`${score} >= 0.5`));
    expect(got.map((s) => s.entryShort)).toEqual(expected(`${score} <= -0.5`));
    expect(got.map((s) => s.exitLong)).toEqual(expected(`${score} < 0 OR (${score})[1] > 1`));
    expect(got.map((s) => s.exitShort)).toEqual(expected(`(${score})[1] < -1`));
    // Hand-worked: scores 1.5, -1, 2.5, -3.5, NaN, 0.75.
    expect(got.map((s) => s.entryLong)).toEqual([true, false, true, false, false, true]);
    expect(got.map((s) => s.exitShort)).toEqual([false, false, false, false, true, false]);
  });

  it('tests only the rule asked for, while every bar still enters the history', () => {
    const s = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow)',
      exitLong: 'close > close[2]',
    });
    const feed = (fast: number, slow: number, close: number) =>
      s.observe({
        open: close,
        high: close,
        low: close,
        close,
        volume: 1,
        indicator: (slot) => (slot === 0 ? fast : slow),
      });
    // Three bars observed without testing a rule; the fourth tests against all of them.
    feed(1, 2, 10);
    feed(1, 2, 11);
    feed(1, 2, 12);
    expect(s.tests.exitLong()).toBe(true); // 12 > 10
    feed(3, 2, 9);
    expect(s.tests.entryLong()).toBe(true);
    expect(s.tests.exitLong()).toBe(false); // 9 > 11 is false
    expect(s.tests.entryShort()).toBe(false); // not written: never holds
  });

  it('instantiates evaluators that read the indicator outputs directly, each with its own history', () => {
    const s = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow) AND rsi < $oversold',
      exitLong: 'close > close[1]',
    });
    const slot = (id: string) => s.requirements.findIndex((r) => r.ids.includes(id));
    const outputs = s.requirements.map((r) => new Float64Array(r.outputs.length).fill(NaN));
    const set = (id: string, v: number) => (outputs[slot(id)]![0] = v);
    const a = s.instantiate(outputs);
    const b = s.instantiate(outputs);
    set('ema_fast', 1);
    set('ema_slow', 2);
    set('rsi', 20);
    a.observeBar({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    set('ema_fast', 3);
    a.observeBar({ time: 1, open: 2, high: 2, low: 2, close: 2, volume: 1 });
    expect(a.tests.entryLong()).toBe(true);
    expect(a.tests.exitLong()).toBe(true);
    // A value changed in place is what the rules read now: no copy is kept per bar.
    set('rsi', 40);
    expect(a.tests.entryLong()).toBe(false);
    // b has seen one bar only: no crossover yet, and its history is its own.
    b.observeBar({ time: 0, open: 5, high: 5, low: 5, close: 5, volume: 1 });
    expect(b.tests.exitLong()).toBe(false);
    expect(pairTerms(a.termTexts('exitLong'), a.termValues('exitLong'))).toEqual([
      { text: 'close', value: 2 },
      { text: 'close[1]', value: 1 },
    ]);
    expect(a.termTexts('exitLong')).toBe(a.termTexts('exitLong'));
    expect(() => s.instantiate([])).toThrow(RangeError);
  });

  it('shares history and subexpressions through a pool only where series and parameter values agree', () => {
    const rules = { entryLong: 'crossover(ema_fast, ema_slow) AND rsi < $oversold' };
    const low = compileSample(rules, { oversold: 30 });
    const high = compileSample(rules, { oversold: 40 });
    const outputs = low.requirements.map((r) => new Float64Array(r.outputs.length).fill(NaN));
    const slot = (id: string) => low.requirements.findIndex((r) => r.ids.includes(id));
    const pool = new SeriesPool();
    const a = low.instantiate(outputs, pool);
    const b = high.instantiate(outputs, pool);
    const c = low.instantiate(outputs, pool);
    // Two rings (fast, slow), shared by all three; the crossover shared, `rsi < 30` and
    // `rsi < 40` (and the rules around them) not.
    expect(pool.size.rings).toBe(2);
    const bar = (time: number, fast: number, rsi: number) => {
      outputs[slot('ema_fast')]![0] = fast;
      outputs[slot('ema_slow')]![0] = 2;
      outputs[slot('rsi')]![0] = rsi;
      for (const e of [a, b, c])
        e.observeBar({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    };
    bar(0, 1, 35);
    bar(1, 3, 35);
    expect([a.tests.entryLong(), b.tests.entryLong(), c.tests.entryLong()]).toEqual([
      false,
      true,
      false,
    ]);
    bar(2, 1, 20);
    bar(3, 3, 20);
    expect([a.tests.entryLong(), b.tests.entryLong(), c.tests.entryLong()]).toEqual([
      true,
      true,
      true,
    ]);
    const held = pool.size.nodes;
    a.release();
    expect(pool.size.nodes).toBe(held); // c still uses the same ones
    c.release();
    b.release();
    expect(pool.size).toEqual({ rings: 0, nodes: 0 });
  });

  it('read series kept one bar back in place (indicator outputs, bar fields) exactly as from history buffers, apart from deeper readers of the same series', () => {
    // Pairs: every series of `pairs` is read at most one bar back, so in a pool it reads the
    // previous values from where indicators keep them (outputs[n + i]) and the frame's bar
    // cells. `deeper` keeps ema_fast and ema_slow three deep (a crossover one bar back): history
    // buffers, and cached subexpressions of its own even where the text is the same.
    const pairs = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow) AND rsi < $oversold',
      entryShort: 'crossunder(ema_fast, ema_slow) AND close < close[1]',
      exitLong: 'ema_fast[1] > ema_slow OR crossover(rsi, 50)',
      exitShort: 'crossover(ema_fast, 100)',
    });
    const deeper = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow)[1] AND rsi < $oversold',
      entryShort: 'crossunder(ema_fast, ema_slow) AND close < close[1]',
      exitLong: 'ema_fast[2] > ema_slow',
      exitShort: 'crossover(ema_fast, 100)',
    });
    const slot = (id: string) => pairs.requirements.findIndex((r) => r.ids.includes(id));
    const width = (k: number) => pairs.requirements[k]!.outputs.length;
    // As indicators keep them: n current outputs, then the same n one update back.
    const kept = pairs.requirements.map((r) => new Float64Array(2 * r.outputs.length).fill(NaN));
    const plain = pairs.requirements.map((r) => new Float64Array(r.outputs.length).fill(NaN));
    const pool = new SeriesPool();
    const pooled = [pairs.instantiate(kept, pool), deeper.instantiate(kept, pool)];
    expect(pool.size.rings).toBe(2); // deeper's ema_fast and ema_slow; pairs' none
    const alone = [pairs.instantiate(plain), deeper.instantiate(plain)];
    const rules = ['entryLong', 'entryShort', 'exitLong', 'exitShort'] as const;
    const fired = { entryLong: 0, entryShort: 0, exitLong: 0, exitShort: 0 };
    let x = 11;
    const next = (spread: number) => ((x = (x * 48_271) % 2_147_483_647) % spread) - spread / 2;
    for (let time = 0; time < 600; time++) {
      for (let k = 0; k < kept.length; k++) {
        const n = width(k);
        for (let o = 0; o < n; o++) kept[k]![n + o] = kept[k]![o]!;
      }
      const values: Array<[string, number]> = [
        ['ema_fast', time < 5 ? Number.NaN : 100 + next(9)],
        ['ema_slow', time < 8 ? Number.NaN : 100 + next(3)],
        ['rsi', 50 + next(60)],
      ];
      for (const [id, v] of values) {
        kept[slot(id)]![0] = v;
        plain[slot(id)]![0] = v;
      }
      const close = 100 + next(20);
      const bar = { time, open: close, high: close, low: close, close, volume: 1 };
      for (const e of [...pooled, ...alone]) e.observeBar(bar);
      for (let i = 0; i < 2; i++) {
        for (const rule of rules) {
          const got = pooled[i]!.tests[rule]();
          if (got !== alone[i]!.tests[rule]())
            expect.fail(`${i === 0 ? 'pairs' : 'deeper'} ${rule} at bar ${time}: pooled ${got}`);
          if (got) fired[rule]++;
          if (got) expect(pooled[i]!.termValues(rule)).toEqual(alone[i]!.termValues(rule));
        }
      }
    }
    // Every rule fired on some bars, so the comparison above compared something.
    for (const rule of rules) expect(fired[rule], rule).toBeGreaterThan(5);
  });

  it("names a rule's gate only where the rule cannot hold without it, and the gate agrees with the test", () => {
    const s = compileSample({
      entryLong: 'crossover(ema_fast, ema_slow) AND rsi < $oversold',
      entryShort: 'rsi > 70 AND crossunder(ema_fast, ema_slow)',
      exitLong: 'crossunder(ema_fast, ema_slow)',
      exitShort: 'crossover(ema_fast, ema_slow) OR rsi > 90',
    });
    const outputs = s.requirements.map((r) => new Float64Array(r.outputs.length).fill(NaN));
    const slot = (id: string) => s.requirements.findIndex((r) => r.ids.includes(id));
    const e = s.instantiate(outputs, new SeriesPool());
    // An AND chain led by a crossover, and a lone crossover, have one; an AND chain led by a
    // plain comparison and an OR chain do not (their first part alone does not decide).
    expect(e.gates.entryLong).not.toBeNull();
    expect(e.gates.exitLong).not.toBeNull();
    expect(e.gates.entryShort).toBeNull();
    expect(e.gates.exitShort).toBeNull();
    let x = 7;
    for (let time = 0; time < 400; time++) {
      x = (x * 48_271) % 2_147_483_647;
      outputs[slot('ema_fast')]![0] = 100 + (x % 21) - 10; // wanders around the slow one
      outputs[slot('ema_slow')]![0] = time < 3 ? Number.NaN : 100;
      outputs[slot('rsi')]![0] = x % 100;
      e.observeBar({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
      for (const rule of ['entryLong', 'exitLong'] as const) {
        const gate = e.gates[rule]!.read();
        // Not 1 (false or unknown): the rule does not hold. 1: the test decides.
        if (gate !== 1) expect(e.tests[rule]()).toBe(false);
        if (rule === 'exitLong') expect(e.tests[rule]()).toBe(gate === 1);
      }
    }
  });
});
