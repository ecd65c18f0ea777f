import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileStrategy,
  EXPRESSION_LIMITS,
  parseStrategyConfigJson,
  validateStrategyConfig,
  type CompiledStrategy,
  type StrategyIssue,
} from '../../../src/core/strategy';
import { sampleConfig } from './support/sample-strategy';

/**
 * Hostile and random input at the validator and compiler: every case must come back as a
 * compiled strategy or as structured issues — never an exception, never the internal-error
 * fallback, never a strategy that keeps more history than the limit. Counts are printed.
 */
const tally = { cases: 0, compiled: 0, rejected: 0, uncaught: 0, evaluations: 0 };
const SEED = 20_260_714;

function isStructured(issues: readonly StrategyIssue[]): boolean {
  return (
    issues.length > 0 &&
    issues.every(
      (i) =>
        typeof i.path === 'string' &&
        typeof i.message === 'string' &&
        i.message.length > 0 &&
        !i.message.startsWith('internal error'),
    )
  );
}

/** Runs one case; anything thrown, or an unstructured result, counts as uncaught and fails. */
function attempt(
  run: () =>
    { ok: true; strategy?: CompiledStrategy } | { ok: false; issues: readonly StrategyIssue[] },
): CompiledStrategy | undefined {
  tally.cases++;
  let result;
  try {
    result = run();
  } catch (error) {
    tally.uncaught++;
    throw error;
  }
  if (!result.ok) {
    if (!isStructured(result.issues)) {
      tally.uncaught++;
      throw new Error(`unstructured issues: ${JSON.stringify(result.issues).slice(0, 500)}`);
    }
    tally.rejected++;
    return undefined;
  }
  tally.compiled++;
  if (result.strategy && result.strategy.maxLookback > EXPRESSION_LIMITS.maxHistory) {
    tally.uncaught++;
    throw new Error(`lookback ${result.strategy.maxLookback} over the limit`);
  }
  return result.strategy;
}

const compileRule = (rule: string) =>
  attempt(() => compileStrategy(sampleConfig({ entryLong: rule })));

const HOSTILE_NUMBERS = [Number.NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324];

/** Evaluates a compiled strategy on a few bars of random (and non-finite) values. */
function exercise(strategy: CompiledStrategy, values: readonly number[]): void {
  values.forEach((v, i) => {
    const signals = strategy.evaluate({
      open: v,
      high: values[(i + 1) % values.length] ?? v,
      low: -v,
      close: v * 2,
      volume: Math.abs(v),
      indicator: (slot, output) => v + slot - output,
    });
    tally.evaluations++;
    expect(typeof signals.entryLong).toBe('boolean');
    if (signals.entryLong) {
      for (const term of strategy.explain('entryLong')) expect(typeof term.value).toBe('number');
    }
  });
}

const VOCABULARY = [
  'rsi',
  'macd',
  'macd.signal',
  'bb.upper',
  'bb.',
  '.lower',
  'close',
  'open',
  'high',
  'low',
  'volume',
  'ema_fast',
  'ema_slow',
  'atr',
  'volz',
  'trend',
  'stoch.k',
  'rsi2',
  'sma',
  'NaN',
  'Infinity',
  'undefined',
  '$oversold',
  '$lag',
  '$len',
  '$tf',
  '$k',
  '$',
  '$nope',
  'AND',
  'and',
  'OR',
  'NOT',
  'not',
  'true',
  'FALSE',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '+',
  '-',
  '*',
  '/',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '=',
  '!',
  '&&',
  '||',
  '0',
  '1',
  '2.5',
  '.5',
  '1e400',
  '-1',
  '1e-400',
  '5000',
  '5001',
  '99999999999999999999',
  '0x10',
  '1_000',
  'crossover(',
  'crossunder(',
  'rising(',
  'falling(',
  'highest(',
  'lowest(',
  'abs(',
  'min(',
  'max(',
  '__proto__',
  'constructor',
  'toString',
  '"',
  "'",
  '\n',
  '\t',
  '€',
  '😀',
  '\u0000',
  '\u202e',
  'é',
  '💥',
];

const CONFIG_KEYS = [
  'meta',
  'indicators',
  'parameters',
  'rules',
  'risk',
  'models',
  '$schema',
  '__proto__',
  'x',
];

describe('validator and compiler robustness (fast-check)', () => {
  afterAll(() => {
    console.log(
      `robustness: ${tally.cases} cases tried — ${tally.compiled} compiled, ${tally.rejected} rejected with structured issues, ` +
        `${tally.uncaught} uncaught; ${tally.evaluations} random-bar evaluations`,
    );
  });

  it('random unicode strings as rules', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (rule) => {
        compileRule(rule);
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('token soup from the language and its neighbours, evaluated when it compiles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 40 }),
        fc.array(fc.oneof(fc.double(), fc.constantFrom(...HOSTILE_NUMBERS)), {
          minLength: 1,
          maxLength: 6,
        }),
        (tokens, values) => {
          const strategy = compileRule(tokens.join(' '));
          if (strategy) exercise(strategy, values);
        },
      ),
      { numRuns: 3000, seed: SEED },
    );
  });

  it('well-formed random expression trees compile and evaluate on non-finite values', () => {
    const { num } = fc.letrec<{ num: string; bool: string }>((tie) => ({
      num: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(
          'close',
          'open',
          'volume',
          'rsi',
          'macd.histogram',
          'bb.lower',
          'atr',
          '$oversold',
          '$k',
          '0',
          '1e308',
        ),
        fc
          .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/'), tie('num'))
          .map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc.tuple(tie('num'), fc.integer({ min: 0, max: 6000 })).map(([a, n]) => `(${a})[${n}]`),
        fc
          .tuple(
            fc.constantFrom('highest', 'lowest'),
            tie('num'),
            fc.integer({ min: 0, max: 6000 }),
          )
          .map(([f, a, n]) => `${f}(${a}, ${n})`),
        fc
          .tuple(
            fc.constantFrom('min', 'max'),
            fc.array(tie('num'), { minLength: 1, maxLength: 4 }),
          )
          .map(([f, args]) => `${f}(${args.join(', ')})`),
        tie('num').map((a) => `abs(-${a})`),
      ),
      bool: fc.oneof(
        { depthSize: 'small' },
        fc
          .tuple(tie('num'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('num'))
          .map(([a, op, b]) => `${a} ${op} ${b}`),
        fc
          .tuple(fc.constantFrom('crossover', 'crossunder'), tie('num'), tie('num'))
          .map(([f, a, b]) => `${f}(${a}, ${b})`),
        fc
          .tuple(
            fc.constantFrom('rising', 'falling'),
            tie('num'),
            fc.constantFrom('1', '3', '$lag', '$len'),
          )
          .map(([f, a, n]) => `${f}(${a}, ${n})`),
        fc
          .tuple(tie('bool'), fc.constantFrom('AND', 'OR'), tie('bool'))
          .map(([a, op, b]) => `(${a} ${op} ${b})`),
        tie('bool').map((a) => `NOT (${a})`),
      ),
    }));
    let compiled = 0;
    fc.assert(
      fc.property(
        fc.tuple(num, fc.constantFrom('<', '>', '=='), num),
        fc.array(fc.oneof(fc.double(), fc.constantFrom(...HOSTILE_NUMBERS)), {
          minLength: 1,
          maxLength: 8,
        }),
        ([a, op, b], values) => {
          const strategy = compileRule(`${a} ${op} ${b}`);
          if (!strategy) return;
          compiled++;
          exercise(strategy, values);
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
    // Most are valid (some break the 1-bar window or the 5000-bar limit on purpose).
    expect(compiled).toBeGreaterThan(500);
  });

  it('pathological sizes: deep nesting, long chains, megabyte strings', () => {
    const cases = [
      `${'('.repeat(100_000)}rsi < 30${')'.repeat(100_000)}`,
      `${'('.repeat(9_000)}`,
      `${'NOT '.repeat(2_400)}true`,
      `${'-'.repeat(9_999)}1 < 0`,
      `${Array.from({ length: 2_400 }, () => 'rsi').join(' + ')} > 0`,
      `${Array.from({ length: 1_200 }, () => 'rsi < 30').join(' AND ')}`,
      `max(${Array.from({ length: 3_000 }, () => '1').join(',')}) > 0`,
      'a'.repeat(1_000_000),
      `rsi < ${'9'.repeat(9_000)}`,
      `close${'[1]'.repeat(3_000)} > 0`,
      'highest(highest(highest(close, 5000), 5000), 5000) > 0',
      '\u202e'.repeat(5_000),
      '😀'.repeat(4_000),
      'x'.repeat(EXPRESSION_LIMITS.maxExpressionLength),
    ];
    for (const rule of cases) compileRule(rule);
    // A megabyte of config JSON is refused before parsing, a huge valid one is parsed and checked.
    attempt(() => parseStrategyConfigJson(`{"meta": "${'x'.repeat(2_000_000)}"}`));
    attempt(() => parseStrategyConfigJson(`${'['.repeat(200_000)}${']'.repeat(200_000)}`));
    attempt(() =>
      parseStrategyConfigJson(
        '{"meta":{"name":"n","timeframe":"5m","version":1e400},"rules":{"entryLong":"1e400 > 0"}}',
      ),
    );
    attempt(() =>
      validateStrategyConfig({
        ...sampleConfig(),
        indicators: new Array(100_000).fill({ id: 'a', type: 'ema' }),
      }),
    );
    attempt(() =>
      validateStrategyConfig({ ...sampleConfig(), rules: { entryLong: 'r'.repeat(1_000_000) } }),
    );
  });

  it('random JSON in place of the whole config and of each section', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        attempt(() => validateStrategyConfig(value));
      }),
      { numRuns: 1000, seed: SEED },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CONFIG_KEYS),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 })),
        (key, value) => {
          const config: Record<string, unknown> = { ...sampleConfig() };
          Object.defineProperty(config, key, {
            value,
            enumerable: true,
            configurable: true,
            writable: true,
          });
          attempt(() => compileStrategy(config));
        },
      ),
      { numRuns: 1500, seed: SEED },
    );
  });

  it('mutated fields deep inside a valid config, and random parameter values', () => {
    const paths: readonly (readonly (string | number)[])[] = [
      ['meta', 'timeframe'],
      ['meta', 'version'],
      ['meta', 'name'],
      ['indicators', 0, 'type'],
      ['indicators', 0, 'params'],
      ['indicators', 1, 'params', 'period'],
      ['indicators', 8, 'timeframe'],
      ['indicators', 3, 'id'],
      ['indicators', 4, 'source'],
      ['parameters', 0, 'min'],
      ['parameters', 0, 'default'],
      ['parameters', 4, 'choices'],
      ['parameters', 2, 'type'],
      ['rules', 'entryShort'],
      ['risk'],
      ['risk', 'leverage'],
    ];
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(
        ...HOSTILE_NUMBERS,
        '$oversold',
        '$lag',
        '$tf',
        '$nope',
        '1h',
        '1m',
        'rsi',
        'ema',
        '',
        '__proto__',
      ),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        hostile,
        fc.dictionary(
          fc.constantFrom('oversold', 'lag', 'len', 'maType', 'tf', 'k', 'nope', '__proto__'),
          hostile,
          { maxKeys: 3 },
        ),
        (path, value, params) => {
          const config = structuredClone(
            sampleConfig({ entryLong: 'rsi < $oversold', exitLong: 'trend[$lag] > close' }),
          ) as Record<string, unknown>;
          let node: Record<string | number, unknown> = config;
          for (const key of path.slice(0, -1)) {
            const next = node[key];
            if (typeof next !== 'object' || next === null) return;
            node = next as Record<string | number, unknown>;
          }
          node[path[path.length - 1] as string | number] = value;
          const strategy = attempt(() =>
            compileStrategy(config, params as Record<string, number | string>),
          );
          if (strategy) exercise(strategy, [1, Number.NaN, 2]);
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
  });
});
