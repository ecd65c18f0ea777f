import { describe, expect, it } from 'vitest';
import { compileStrategy, formatStrategyIssue } from '../../../src/core/strategy';
import { compileSample, sampleConfig } from './support/sample-strategy';

describe('compileStrategy', () => {
  it('lists the indicators the rules read, resolved, deduplicated, in first-read order', () => {
    const config = sampleConfig({ entryLong: 'macd.signal > 0 AND twin > rsi AND trend > 0' });
    config.indicators = [
      ...(config.indicators ?? []),
      { id: 'twin', type: 'rsi', params: { period: 14 }, source: 'close' },
    ];
    const result = compileStrategy(config, { tf: '4h', maType: 'sma' });
    if (!result.ok) throw new Error(result.issues.map(formatStrategyIssue).join('\n'));
    expect(result.strategy.requirements.map((r) => [r.key, r.ids])).toEqual([
      ['macd(fast=12,slow=26,signal=9)@close/5m', ['macd']],
      ['rsi(period=14)@close/5m', ['rsi', 'twin']],
      ['sma(period=50)@close/4h', ['trend']],
    ]);
    expect(result.strategy.requirements[0]).toMatchObject({
      type: 'macd',
      params: { fast: 12, slow: 26, signal: 9 },
      source: 'close',
      timeframe: '5m',
      outputs: ['macd', 'signal', 'histogram'],
      lookback: 0,
    });
  });

  it('substitutes parameter values into indicators, rules and risk', () => {
    const config = sampleConfig({ entryLong: 'ma < $oversold' });
    config.indicators = [{ id: 'ma', type: 'wma', params: { period: '$len' } }];
    config.risk = { leverage: '$k', stopLoss: { percent: '$oversold', basis: 'roi' } };
    const result = compileStrategy(config, { len: 7, k: 3, oversold: 25 });
    if (!result.ok) throw new Error(result.issues.map(formatStrategyIssue).join('\n'));
    const s = result.strategy;
    expect(s.requirements[0]?.params).toEqual({ period: 7 });
    expect(s.risk).toEqual({
      positionSize: { kind: 'percentOfEquity', percent: 100 },
      leverage: 3,
      stopLoss: { percent: 25, basis: 'roi' },
      maxLossPercent: 5,
      maxDrawdownPercent: 10,
    });
    expect(s.parameters.get('oversold')).toBe(25);
    expect(s.parameters.get('lag')).toBe(1);
    const fire = (ma: number) =>
      s.evaluate({ open: 1, high: 1, low: 1, close: 1, volume: 1, indicator: () => ma }).entryLong;
    expect([fire(24), fire(26)]).toEqual([true, false]);
  });

  it('refuses parameter values outside the space, by name', () => {
    const result = compileStrategy(sampleConfig(), {
      len: 0,
      lag: 1.5,
      maType: 'hma',
      nope: 1,
      oversold: Number.NaN,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatStrategyIssue)).toEqual([
      'parameterValues.len: expected a number from 1 to 200, got 0',
      'parameterValues.lag: expected a whole number, got 1.5',
      'parameterValues.maType: "hma" is not one of "ema", "sma"',
      'parameterValues.nope: `$nope` is not a parameter of this strategy',
      'parameterValues.oversold: expected a number from 10 to 45, got null',
    ]);
  });

  it('checks a parameter-chosen timeframe against a parameter-chosen strategy timeframe', () => {
    const config = sampleConfig({ entryLong: 'trend > 0' });
    config.meta = { ...config.meta, timeframe: '$base' };
    config.parameters = [
      ...(config.parameters ?? []),
      { name: 'base', type: 'choice', default: '5m', choices: ['5m', '1d'] },
    ];
    expect(compileStrategy(config, { base: '5m' }).ok).toBe(true);
    const bad = compileStrategy(config, { base: '1d' });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(formatStrategyIssue(bad.issues[0] ?? { path: '', message: '' })).toMatch(
        /^indicators\[8\]\.timeframe: 1h is shorter than the strategy's 1d/,
      );
  });

  it('returns validation issues instead of throwing', () => {
    const result = compileStrategy({ meta: {} });
    expect(result.ok).toBe(false);
  });

  it('keeps separate state per compiled variant', () => {
    const a = compileSample({ entryLong: 'close > close[1]' });
    const b = compileSample({ entryLong: 'close > close[1]' });
    const bar = (close: number) => ({
      open: 0,
      high: 0,
      low: 0,
      close,
      volume: 0,
      indicator: () => NaN,
    });
    a.evaluate(bar(1));
    expect(a.evaluate(bar(2)).entryLong).toBe(true);
    expect(b.evaluate(bar(2)).entryLong).toBe(false);
  });
});
