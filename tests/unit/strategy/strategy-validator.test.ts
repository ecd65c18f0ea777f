import { describe, expect, it } from 'vitest';
import {
  formatStrategyIssue,
  parseStrategyConfigJson,
  validateStrategyConfig,
  type StrategyConfigInput,
} from '../../../src/core/strategy';
import { sampleConfig } from './support/sample-strategy';

function issuesOf(input: unknown): string[] {
  const result = validateStrategyConfig(input);
  return result.ok ? [] : result.issues.map(formatStrategyIssue);
}

/** The sample config with one section replaced. */
function withSection(key: keyof StrategyConfigInput, value: unknown): unknown {
  return { ...sampleConfig(), [key]: value };
}

describe('validateStrategyConfig', () => {
  it('accepts the sample and fills in defaults', () => {
    const result = validateStrategyConfig(sampleConfig());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.risk).toEqual({
      positionSize: { kind: 'percentOfEquity', percent: 100 },
      leverage: 1,
      maxLossPercent: 5,
      maxDrawdownPercent: 10,
    });
  });

  it('rejects what is not a config object', () => {
    expect(issuesOf(null)).toEqual(['(root): expected a strategy config object']);
    expect(issuesOf([1])).toEqual(['(root): expected a strategy config object']);
  });

  it('names missing sections and misspelt ones', () => {
    const { rules: _rules, ...noRules } = sampleConfig();
    expect(issuesOf({ ...noRules, rulez: {} })).toEqual([
      'rulez: unknown section `rulez` — did you mean `rules`?',
      'rules: required: expected object',
    ]);
  });

  it('reports shape errors with their paths', () => {
    expect(issuesOf(withSection('meta', { name: 'x', timeframe: '7m', version: 0 }))).toEqual([
      'meta.timeframe: expected a timeframe (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w) or a $parameter, got `7m`',
      'meta.version: Too small: expected number to be >=1',
    ]);
    expect(issuesOf(withSection('rules', { entryLong: 'rsi < 30', entrylong: 'x' }))).toEqual([
      'rules: unknown field `entrylong`',
    ]);
  });

  it('checks indicators against the catalogue, by path', () => {
    const config = sampleConfig();
    config.indicators = [
      { id: 'rsi', type: 'rsi', params: { period: 5000 } },
      { id: 'ma', type: 'emaa' },
      { id: 'macd', type: 'macd', params: { fats: 12 } },
      { id: 'atr', type: 'atr', source: 'close' },
      { id: 'rsi', type: 'rsi', params: { period: 2.5 } },
      { id: 'close', type: 'sma' },
    ];
    config.rules = { entryLong: 'rsi < 30' };
    expect(issuesOf(config)).toEqual([
      'indicators[1].type: unknown indicator type `emaa` — did you mean `ema`? (types: sma, ema, wma, rsi, macd, bb, atr, stoch, adx, obv, vwap, cci, volumeZ)',
      'indicators[0].params.period: rsi period must be from 2 to 1000, got 5000',
      'indicators[2].params.fats: macd has no parameter `fats` — did you mean `fast`? (parameters: fast, slow, signal)',
      'indicators[3].source: atr reads the whole bar, not one price; remove `source`',
      'indicators[4].id: indicator id `rsi` is used twice',
      'indicators[4].params.period: rsi period must be a whole number, got 2.5',
      'indicators[5].id: `close` is a reserved word of the rule language; pick another id',
    ]);
  });

  it('checks $parameters: declared, right kind, range inside what the field allows', () => {
    const config = sampleConfig();
    config.indicators = [
      { id: 'a', type: 'ema', params: { period: '$nope' } },
      { id: 'b', type: 'ema', params: { period: '$oversold' } },
      { id: 'c', type: 'ema', params: { period: '$big' } },
      { id: 'd', type: 'ema', params: { period: '$tf' } },
      { id: 'e', type: '$len' },
      { id: 'f', type: 'ema', timeframe: '$maType' },
    ];
    config.rules = { entryLong: 'a > 0' };
    config.parameters = [
      ...(config.parameters ?? []),
      { name: 'big', type: 'int', default: 10, min: 1, max: 2000 },
    ];
    expect(issuesOf(config)).toEqual([
      'indicators[0].params.period: unknown parameter `$nope` — declare it under parameters',
      'indicators[1].params.period: ema period must be a whole number, but `$oversold` is not an int parameter',
      'indicators[2].params.period: `$big` ranges 1..2000, but ema period must be from 1 to 1000',
      'indicators[3].params.period: `$tf` is a choice of text values, but ema period is a number',
      'indicators[4].type: `$len` must be a choice of indicator types to be used here',
      'indicators[5].timeframe: `$maType` offers `ema`, `sma`, which are not timeframes (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w)',
    ]);
  });

  it('checks the parameter space itself', () => {
    const config = sampleConfig();
    config.parameters = [
      { name: 'a', type: 'int', default: 50, min: 1, max: 10 },
      { name: 'b', type: 'float', default: 1, min: 5, max: 2 },
      { name: 'a', type: 'int', default: 1, min: 1, max: 2 },
      { name: 'c', type: 'choice', default: 'x', choices: ['y', 'y'] },
      { name: 'd', type: 'int', default: 1.5, min: 1, max: 2 },
      { name: 'e', type: 'float', default: 1, min: 0, max: 2, step: 5 },
    ];
    config.indicators = [];
    config.rules = { entryLong: 'close > 0' };
    expect(issuesOf(config)).toEqual([
      'parameters[4].default: Invalid input: expected int, received number',
      'parameters[0].default: default 50 is outside the range 1..10',
      'parameters[1].max: max (2) is below min (5)',
      'parameters[2].name: parameter `a` is declared twice',
      'parameters[3].choices: choices must not repeat',
      'parameters[3].default: default "x" is not one of the choices',
      'parameters[5].step: step 5 is larger than the range 0..2',
    ]);
  });

  it('checks higher timeframes against the strategy timeframe', () => {
    const config = sampleConfig();
    config.indicators = [
      { id: 'a', type: 'ema', timeframe: '1m' },
      { id: 'b', type: 'ema', timeframe: '5m' },
      { id: 'c', type: 'ema', timeframe: '3d' },
    ];
    config.meta = { ...config.meta, timeframe: '3m' };
    config.rules = { entryLong: 'a > b' };
    expect(issuesOf(config)).toEqual([
      "indicators[0].timeframe: 1m is shorter than the strategy's 3m; an indicator's timeframe must be the same or higher",
      "indicators[1].timeframe: 5m is not a whole multiple of the strategy's 3m, so its bars would not close on the strategy's bars",
    ]);
  });

  it('checks risk settings, literal or $parameter', () => {
    const config = sampleConfig();
    config.risk = {
      leverage: 200,
      stopLoss: { percent: '$oversold' },
      takeProfit: { percent: -1, basis: 'roi' },
      positionSize: { kind: 'percentOfEquity', percent: 0 },
    };
    expect(issuesOf(config)).toEqual([
      'risk.positionSize.percent: positionSize.percent must be above 0 and up to 100, got 0',
      'risk.leverage: leverage must be from 1 to 125, got 200',
      'risk.takeProfit.percent: takeProfit.percent must be above 0 and up to 10000, got -1',
    ]);
    config.risk = { stopLoss: { percent: '$overbought' } };
    expect(issuesOf(config)).toEqual([]);
  });

  it('needs an entry rule and maps every rule error to its rule', () => {
    expect(issuesOf(withSection('rules', { exitLong: 'rsi > 70' }))).toEqual([
      'rules: a strategy needs at least one entry rule (entryLong or entryShort)',
    ]);
    expect(
      issuesOf(withSection('rules', { entryLong: 'rsi <', entryShort: 'rsi > 70 AND $x' })),
    ).toEqual([
      'rules.entryLong 1:6: the rule ends too early — expected a value after `<`',
      'rules.entryShort 1:14: unknown parameter `$x` — declare it under parameters',
    ]);
  });

  it('still checks rules when an indicator is broken, without blaming its id', () => {
    const config = sampleConfig({ entryLong: 'rsi < 30 AND brokenOne > 1 AND rsii > 2' });
    config.indicators = [...(config.indicators ?? []), { id: 'brokenOne', type: 'nope' }];
    const issues = issuesOf(config);
    expect(issues).toHaveLength(2);
    expect(issues[1]).toBe('rules.entryLong 1:32: unknown indicator `rsii` — did you mean `rsi`?');
  });

  it('parses JSON text with a size cap and reports bad JSON', () => {
    const ok = parseStrategyConfigJson(JSON.stringify(sampleConfig()));
    expect(ok.ok).toBe(true);
    const bad = parseStrategyConfigJson('{"meta": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.message).toMatch(/^not valid JSON/);
    const huge = parseStrategyConfigJson(' '.repeat(1_000_001));
    expect(huge.ok).toBe(false);
    if (!huge.ok)
      expect(huge.issues[0]?.message).toBe(
        'the config is too large: 1000001 characters, the limit is 1000000',
      );
    const infinite = parseStrategyConfigJson(
      JSON.stringify(sampleConfig()).replace('"version":1', '"version":1e400'),
    );
    expect(infinite.ok).toBe(false);
    if (!infinite.ok)
      expect(formatStrategyIssue(infinite.issues[0] ?? { path: '', message: '' })).toBe(
        'meta.version: Invalid input: expected number, received Infinity',
      );
  });

  it('keeps prototype-ish names inert', () => {
    const config = sampleConfig({ entryLong: 'constructor > 1 AND __proto__ > $toString' });
    expect(issuesOf(config)).toEqual([
      'rules.entryLong 1:1: unknown indicator `constructor`',
      'rules.entryLong 1:21: unknown indicator `__proto__`',
      'rules.entryLong 1:33: unknown parameter `$toString` — declare it under parameters',
    ]);
    expect(issuesOf(JSON.parse('{"__proto__": {"x": 1}}'))[0]).toBe(
      '__proto__: unknown section `__proto__`',
    );
  });
});

describe('MACD periods', () => {
  const config = (params: Record<string, unknown>, parameters: unknown[] = []) => ({
    meta: { name: 'm', timeframe: '1m', version: 1 },
    indicators: [{ id: 'macd', type: 'macd', params }],
    parameters,
    rules: { entryLong: 'macd.histogram > 0' },
  });
  const messages = (input: unknown): string[] => {
    const result = validateStrategyConfig(input);
    return result.ok ? [] : result.issues.map(formatStrategyIssue);
  };

  it('when fast is not shorter than slow then the error names the field and both values', () => {
    expect(messages(config({ fast: 26, slow: 12 }))).toEqual([
      'indicators[0].params.fast: macd fast (26) must be shorter than slow (12)',
    ]);
    expect(messages(config({ fast: 30 }))).toEqual([
      'indicators[0].params.fast: macd fast (30) must be shorter than slow (26)',
    ]);
    expect(messages(config({ fast: 12, slow: 26 }))).toEqual([]);
  });

  it('when parameter ranges overlap then some variants would have fast ≥ slow, and it says so', () => {
    const space = (fastMax: number) => [
      { name: 'f', type: 'int', default: 10, min: 5, max: fastMax },
      { name: 's', type: 'int', default: 30, min: 21, max: 60 },
    ];
    expect(messages(config({ fast: '$f', slow: '$s' }, space(20)))).toEqual([]);
    expect(messages(config({ fast: '$f', slow: '$s' }, space(25)))).toEqual([
      "indicators[0].params.fast: macd fast can reach 25 while slow can be as short as 21; keep fast's range below slow's so every variant has fast < slow",
    ]);
  });
});
