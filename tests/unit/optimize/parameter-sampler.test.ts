import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ParameterSpaceError,
  sampleParameterSets,
  sampleParameterSpace,
  type ParameterSet,
  type ParameterSpec,
} from '../../../src/core/optimize/parameter-sampler';
import { strategyTemplates } from '../../../src/core/optimize';
import type { Sampler } from '../../../src/shared/variants';

const SAMPLERS: readonly Sampler[] = ['random', 'latin-hypercube', 'grid'];

function templateSpace(id: string): ParameterSpec[] {
  const template = strategyTemplates().find((t) => t.id === id);
  if (!template) throw new Error(`no template ${id}`);
  return template.config.parameters;
}

const keyOf = (set: ParameterSet, space: readonly ParameterSpec[]) =>
  JSON.stringify(space.map((p) => set[p.name]));
const defaultsOf = (space: readonly ParameterSpec[]): ParameterSet =>
  Object.fromEntries(space.map((p) => [p.name, p.default]));

/** Index of `value` on the parameter's list (k with value = min + k·step), or throws. */
function levelIndex(p: ParameterSpec, value: number | string): number {
  if (p.type === 'choice') {
    const k = p.choices.indexOf(value);
    if (k < 0) throw new Error(`${p.name}: ${value} is not a choice`);
    return k;
  }
  if (typeof value !== 'number') throw new Error(`${p.name}: ${value} is not a number`);
  if (value < p.min || value > p.max) throw new Error(`${p.name}: ${value} outside range`);
  const step = p.step ?? (p.type === 'int' ? 1 : undefined);
  if (step === undefined) return NaN;
  const k = Math.round((value - p.min) / step);
  if (Math.abs(p.min + k * step - value) > 1e-9 * Math.max(1, Math.abs(value)))
    throw new Error(`${p.name}: ${value} is off the step grid`);
  return k;
}

function listSize(p: ParameterSpec): number {
  if (p.type === 'choice') return p.choices.length;
  const step = p.step ?? (p.type === 'int' ? 1 : undefined);
  return step === undefined
    ? Number.POSITIVE_INFINITY
    : Math.floor((p.max - p.min) / step + 1e-9) + 1;
}

function expectDistinctAndNotDefault(sets: ParameterSet[], space: readonly ParameterSpec[]) {
  const keys = new Set(sets.map((s) => keyOf(s, space)));
  expect(keys.size).toBe(sets.length);
  expect(keys.has(keyOf(defaultsOf(space), space))).toBe(false);
}

/** Per dimension: each stratum once (list ≥ count or continuous) or each value equally often. */
function expectLatinHypercube(sets: ParameterSet[], space: readonly ParameterSpec[]) {
  const n = sets.length;
  for (const p of space) {
    const size = listSize(p);
    const counts = new Map<number, number>();
    for (const set of sets) {
      let stratum: number;
      if (p.type !== 'choice' && size === Number.POSITIVE_INFINITY) {
        const v = set[p.name] as number;
        stratum = Math.min(n - 1, Math.floor(((v - p.min) / (p.max - p.min)) * n));
      } else {
        const k = levelIndex(p, set[p.name]!);
        stratum = size >= n ? Math.floor((k * n) / size) : k;
      }
      counts.set(stratum, (counts.get(stratum) ?? 0) + 1);
    }
    if (size >= n) {
      // count strata, each holding exactly one sample
      expect(counts.size).toBe(n);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
    } else {
      expect(counts.size).toBe(size);
      for (const c of counts.values()) {
        expect(c).toBeGreaterThanOrEqual(Math.floor(n / size));
        expect(c).toBeLessThanOrEqual(Math.ceil(n / size));
      }
    }
  }
}

/** A random parameter space: at least one dimension fine enough for one value per stratum. */
const spaceArb = (n: number) => {
  const fine = fc.oneof(
    fc
      .record({
        min: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        width: fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
      })
      .map(({ min, width }) => ({ type: 'float' as const, min, max: min + width, default: min })),
    fc
      .record({
        min: fc.integer({ min: -500, max: 500 }),
        extra: fc.integer({ min: 0, max: 300 }),
        step: fc.integer({ min: 1, max: 4 }),
      })
      .map(({ min, extra, step }) => ({
        type: 'int' as const,
        min,
        max: min + (n - 1) * step + extra,
        step,
        default: min + step,
      })),
    fc
      .record({ min: fc.integer({ min: -50, max: 50 }), extra: fc.integer({ min: 0, max: 40 }) })
      .map(({ min, extra }) => ({
        type: 'float' as const,
        min: min / 4,
        max: min / 4 + ((n - 1 + extra) * 5) / 100,
        step: 0.05,
        default: min / 4,
      })),
  );
  const coarse = fc.oneof(
    fc.integer({ min: 2, max: 6 }).map((k) => ({
      type: 'choice' as const,
      choices: ['1m', '5m', '15m', '1h', '4h', '1d'].slice(0, k),
      default: '1m',
    })),
    fc
      .record({ min: fc.integer({ min: 0, max: 9 }), size: fc.integer({ min: 2, max: 12 }) })
      .map(({ min, size }) => ({ type: 'int' as const, min, max: min + size - 1, default: min })),
  );
  return fc
    .tuple(fc.array(fine, { minLength: 1, maxLength: 3 }), fc.array(coarse, { maxLength: 3 }))
    .chain(([a, b]) => fc.shuffledSubarray([...a, ...b], { minLength: a.length + b.length }))
    .map((dims) => dims.map((d, i) => ({ ...d, name: `p${i}` }) as ParameterSpec));
};

describe('sampleParameterSets: Latin hypercube', () => {
  it('puts one sample in each of the count strata of every dimension (fast-check)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) => fc.tuple(fc.constant(n), spaceArb(n), fc.nat())),
        ([n, space, seed]) => {
          const sets = sampleParameterSets(space, n, 'latin-hypercube', seed);
          expect(sets).toHaveLength(n);
          expectLatinHypercube(sets, space);
          expectDistinctAndNotDefault(sets, space);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps each value of a short list equally used over 1,000 weighted-score variants', () => {
    const space = templateSpace('weighted-signal-score');
    const sets = sampleParameterSets(space, 1_000, 'latin-hypercube', 7);
    // w_macd has 7 values (0…0.3 by 0.05): each used 142 or 143 times; takeProfitRoi 21 values:
    // 47 or 48 times.
    expectLatinHypercube(sets, space);
    const macd = new Map<number | string, number>();
    for (const s of sets) macd.set(s.w_macd!, (macd.get(s.w_macd!) ?? 0) + 1);
    expect([...macd.keys()].sort()).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect([...macd.values()].every((c) => c === 142 || c === 143)).toBe(true);
  });
});

describe('sampleParameterSets: Latin hypercube, a clash with the defaults', () => {
  it('moves the sample off the defaults by swapping strata, keeping the design', () => {
    // 4 samples, 4 values of `a`: one sample has a = 0, and half the time b = x too, which is
    // the defaults. Redrawing inside its strata cannot help (one value per stratum), so the fix
    // must swap b between two samples: a stays one-per-stratum and b two x, two y.
    const space: ParameterSpec[] = [
      { name: 'a', type: 'int', default: 0, min: 0, max: 3 },
      { name: 'b', type: 'choice', default: 'x', choices: ['x', 'y'] },
    ];
    for (let seed = 0; seed < 20; seed++) {
      const sets = sampleParameterSets(space, 4, 'latin-hypercube', seed);
      expectLatinHypercube(sets, space);
      expectDistinctAndNotDefault(sets, space);
    }
  });
});

describe('sampleParameterSets: reproducible for a seed', () => {
  it.each(SAMPLERS)('%s: the same seed gives the same sets, another seed others', (sampler) => {
    const space = templateSpace('ema-crossover-trend');
    const a = sampleParameterSets(space, 50, sampler, 42);
    expect(sampleParameterSets(space, 50, sampler, 42)).toEqual(a);
    const b = sampleParameterSets(space, 50, sampler, 43);
    expect(b).not.toEqual(a);
    expect(b.filter((s, i) => keyOf(s, space) === keyOf(a[i]!, space)).length).toBeLessThan(50);
  });
});

describe('sampleParameterSets: 1,000 variants of the weighted-score template', () => {
  const space = templateSpace('weighted-signal-score');

  it.each(SAMPLERS)(
    '%s: distinct, not the defaults, on the step grid, within bounds',
    (sampler) => {
      const sets = sampleParameterSets(space, 1_000, sampler, 1);
      expect(sets).toHaveLength(1_000);
      expectDistinctAndNotDefault(sets, space);
      for (const set of sets) {
        expect(Object.keys(set).sort()).toEqual(space.map((p) => p.name).sort());
        for (const p of space) levelIndex(p, set[p.name]!); // throws when off the grid
      }
      // Values are the decimals the grid means, not binary near-misses.
      const written = new Set(sets.map((s) => String(s.strongSell)));
      expect([...written].sort()).toEqual(['-0.6', '-0.65', '-0.7', '-0.75', '-0.8']);
    },
  );
});

describe('sampleParameterSpace: grid', () => {
  const small: ParameterSpec[] = [
    { name: 'a', type: 'int', default: 1, min: 1, max: 3 },
    { name: 'b', type: 'choice', default: 'x', choices: ['x', 'y'] },
    { name: 'c', type: 'float', default: 0.5, min: 0, max: 1, step: 0.5 },
  ];

  it('returns the whole product when it is smaller than asked, and says so', () => {
    // 3 × 2 × 3 = 18 points, the defaults (1, x, 0.5) among them: 17 new ones.
    const result = sampleParameterSpace(small, 100, 'grid', 5);
    expect(result.spaceSize).toBe(18);
    expect(result.exhausted).toBe(true);
    expect(result.sets).toHaveLength(17);
    expectDistinctAndNotDefault(result.sets, small);
    for (const set of result.sets) for (const p of small) levelIndex(p, set[p.name]!);
    // Exhaustive: with the defaults, every combination is there.
    const all = new Set([...result.sets, defaultsOf(small)].map((s) => keyOf(s, small)));
    const expected = new Set<string>();
    for (const a of [1, 2, 3])
      for (const b of ['x', 'y'])
        for (const c of [0, 0.5, 1]) expected.add(JSON.stringify([a, b, c]));
    expect(all).toEqual(expected);
    // A seeded order: another seed, same points, another order.
    const other = sampleParameterSpace(small, 100, 'grid', 6).sets;
    expect(new Set(other.map((s) => keyOf(s, small)))).toEqual(
      new Set(result.sets.map((s) => keyOf(s, small))),
    );
    expect(other).not.toEqual(result.sets);
  });

  it('leaves out avoided points too, e.g. the variants already running', () => {
    const running = sampleParameterSets(small, 5, 'grid', 1);
    const result = sampleParameterSpace(small, 100, 'grid', 1, { avoid: running });
    expect(result.sets).toHaveLength(12);
    const runningKeys = new Set(running.map((s) => keyOf(s, small)));
    expect(result.sets.some((s) => runningKeys.has(keyOf(s, small)))).toBe(false);
  });

  it('spreads count points evenly over a larger grid: evenly spaced values per dimension', () => {
    const space: ParameterSpec[] = [
      { name: 'period', type: 'int', default: 10, min: 10, max: 49 }, // 40 values
      { name: 'k', type: 'float', default: 1, min: 1, max: 3, step: 0.5 }, // 5 values
    ];
    const result = sampleParameterSpace(space, 10, 'grid', 3);
    expect(result.spaceSize).toBe(200);
    expect(result.exhausted).toBe(false);
    // 40 values in 10 strata of 4: the centre of stratum j is index 4j + 2 (the upper middle).
    expect(result.sets.map((s) => s.period).sort((x, y) => Number(x) - Number(y))).toEqual([
      12, 16, 20, 24, 28, 32, 36, 40, 44, 48,
    ]);
    // 5 values over 10 samples: each twice.
    const ks = result.sets.map((s) => s.k).sort();
    expect(ks).toEqual([1, 1, 1.5, 1.5, 2, 2, 2.5, 2.5, 3, 3]);
    expectDistinctAndNotDefault(result.sets, space);
  });

  it('splits a float without a step into evenly spaced values, ends included', () => {
    const space: ParameterSpec[] = [{ name: 'v', type: 'float', default: 0.5, min: 0, max: 0.01 }];
    const result = sampleParameterSpace(space, 4, 'grid', 1);
    // 4 wanted + 1 avoided point (the defaults) = 5 values: 0, 0.0025, …, 0.01 — more than
    // can be avoided, so the space never runs out. 5 values in 4 strata: [0, 1], [2], [3], [4].
    expect(result.spaceSize).toBe(5);
    expect(result.exhausted).toBe(false);
    expect(result.sets.map((s) => s.v).sort()).toEqual([0.0025, 0.005, 0.0075, 0.01]);
  });
});

describe('sampleParameterSpace: small spaces, fixed parameters, choices', () => {
  it.each(SAMPLERS)('%s: a space smaller than asked gives all its new points', (sampler) => {
    const space: ParameterSpec[] = [
      { name: 'n', type: 'int', default: 2, min: 1, max: 9, step: 2 },
    ];
    const result = sampleParameterSpace(space, 10, sampler, 1);
    expect(result.exhausted).toBe(true);
    expect(result.sets.map((s) => s.n).sort()).toEqual([1, 3, 5, 7, 9]); // default 2 is off-grid
  });

  it('keeps the default of a parameter whose range is one point', () => {
    const space: ParameterSpec[] = [
      { name: 'fixed', type: 'float', default: 0.3, min: 0.3, max: 0.3 },
      { name: 'only', type: 'choice', default: 'ema', choices: ['ema'] },
      { name: 'x', type: 'int', default: 0, min: 0, max: 100 },
    ];
    for (const sampler of SAMPLERS) {
      for (const set of sampleParameterSets(space, 20, sampler, 9)) {
        expect(set.fixed).toBe(0.3);
        expect(set.only).toBe('ema');
        expect(set.x).not.toBe(0);
      }
    }
  });

  it('draws timeframes and indicator types from their lists', () => {
    const space = templateSpace('ema-crossover-trend');
    for (const sampler of SAMPLERS) {
      const sets = sampleParameterSets(space, 200, sampler, 11);
      expect(new Set(sets.map((s) => s.maType))).toEqual(new Set(['ema', 'sma', 'wma']));
      expect(new Set(sets.map((s) => s.trendTimeframe))).toEqual(new Set(['30m', '1h', '4h']));
      expectDistinctAndNotDefault(sets, space);
    }
  });

  it('draws continuous floats inside their range', () => {
    const space = templateSpace('e3-body-volume-breakout');
    for (const sampler of SAMPLERS) {
      const sets = sampleParameterSets(space, 300, sampler, 4);
      expect(sets).toHaveLength(300);
      for (const s of sets) for (const p of space) levelIndex(p, s[p.name]!);
    }
  });

  it('returns nothing for a count of 0', () => {
    expect(sampleParameterSets(templateSpace('rsi-mean-reversion'), 0, 'grid', 1)).toEqual([]);
  });
});

describe('sampleParameterSpace: bad input', () => {
  const ok: ParameterSpec = { name: 'a', type: 'int', default: 1, min: 1, max: 5 };
  const errorOf = (f: () => unknown): ParameterSpaceError => {
    try {
      f();
    } catch (error) {
      if (error instanceof ParameterSpaceError) return error;
      throw error;
    }
    throw new Error('no error thrown');
  };

  it('names the parameter whose range is empty or invalid', () => {
    const empty = errorOf(() =>
      sampleParameterSets(
        [ok, { name: 'slow', type: 'int', default: 5, min: 10, max: 5 }],
        3,
        'random',
        1,
      ),
    );
    expect(empty.parameter).toBe('slow');
    expect(empty.message).toBe('parameter `slow`: the range is empty: max (5) is below min (10)');
    expect(
      errorOf(() =>
        sampleParameterSets(
          [{ name: 'w', type: 'float', default: 0, min: 0, max: 1, step: 0 }],
          3,
          'grid',
          1,
        ),
      ).message,
    ).toMatch(/^parameter `w`: step must be a positive number/);
    expect(
      errorOf(() =>
        sampleParameterSets(
          [{ name: 'tf', type: 'choice', default: '1h', choices: [] }],
          3,
          'grid',
          1,
        ),
      ).parameter,
    ).toBe('tf');
    expect(
      errorOf(() =>
        sampleParameterSets(
          [{ name: 'n', type: 'int', default: 1, min: 0.5, max: 3 }],
          3,
          'grid',
          1,
        ),
      ).message,
    ).toBe('parameter `n`: min must be an integer, got 0.5');
    expect(
      errorOf(() =>
        sampleParameterSets(
          [{ name: 'x', type: 'float', default: 0, min: 0, max: Number.NaN }],
          3,
          'grid',
          1,
        ),
      ).message,
    ).toBe('parameter `x`: max must be a finite number');
    expect(errorOf(() => sampleParameterSets([ok, ok], 3, 'grid', 1)).message).toBe(
      'parameter `a` is declared twice',
    );
  });

  it('refuses a count outside 0..100,000, an unknown sampler and a fractional seed', () => {
    expect(errorOf(() => sampleParameterSets([ok], -1, 'random', 1)).message).toMatch(
      /count must be an integer from 0 to 100,000, got -1/,
    );
    expect(() => sampleParameterSets([ok], 100_001, 'random', 1)).toThrow(/count/);
    expect(() => sampleParameterSets([ok], 2.5, 'random', 1)).toThrow(/count/);
    expect(() => sampleParameterSets([ok], 2, 'sobol' as Sampler, 1)).toThrow(/sampler/);
    expect(() => sampleParameterSets([ok], 2, 'random', 0.5)).toThrow(/seed/);
  });
});
