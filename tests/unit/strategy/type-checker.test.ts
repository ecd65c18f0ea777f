import { describe, expect, it } from 'vitest';
import { validateStrategyConfig, type StrategyIssue } from '../../../src/core/strategy';
import { sampleConfig } from './support/sample-strategy';

/** The issues of a sample config whose entryLong is `rule`. */
function ruleIssues(rule: string): StrategyIssue[] {
  const result = validateStrategyConfig(sampleConfig({ entryLong: rule }));
  return result.ok ? [] : [...result.issues];
}

function firstMessage(rule: string): string {
  const issues = ruleIssues(rule);
  expect(issues.length, `expected \`${rule}\` to be rejected`).toBeGreaterThan(0);
  return issues[0]?.message ?? '';
}

describe('type checker (through rule validation)', () => {
  it('accepts well-typed rules', () => {
    for (const rule of [
      'crossover(ema_fast, ema_slow) AND rsi < $oversold',
      'macd.histogram > 0 OR close > bb.upper[1]',
      'rising(rsi, 3) == falling(close, $len) OR true',
      '(close - open)[1] > 0',
      '(rsi < 30)[2] AND NOT (rsi < 30)',
      'highest(high[$lag], $len) < close AND min(atr, 1) < 2',
      'trend > 0 AND $k > 1',
    ]) {
      expect(ruleIssues(rule), rule).toEqual([]);
    }
  });

  it('maps errors to the rule path with line and column', () => {
    const [issue] = ruleIssues('rsi < 30 AND\n  rsi2 > 3');
    expect(issue).toMatchObject({
      path: 'rules.entryLong',
      message: 'unknown indicator `rsi2` — did you mean `rsi`?',
      span: { line: 2, column: 3 },
    });
  });

  it('suggests close names for indicators, outputs, parameters and functions', () => {
    expect(firstMessage('rsi2 < 30')).toBe('unknown indicator `rsi2` — did you mean `rsi`?');
    expect(firstMessage('RSI < 30')).toBe('unknown indicator `RSI` — did you mean `rsi`?');
    expect(firstMessage('macd.sig > 0')).toBe(
      '`macd` (macd) has no output `sig` — did you mean `signal`? (outputs: macd, signal, histogram)',
    );
    expect(firstMessage('rsi < $oversld')).toBe(
      'unknown parameter `$oversld` — did you mean `$oversold`? — declare it under parameters',
    );
    expect(firstMessage('crosover(rsi, 30)')).toMatch(
      /^unknown function `crosover` — did you mean `crossover`\?/,
    );
    expect(firstMessage('sma20 > close')).toBe('unknown indicator `sma20`');
    expect(firstMessage('wma > close')).toBe(
      'unknown indicator `wma` — add a wma indicator under indicators and refer to it by its id',
    );
  });

  it('explains type mismatches in terms of the rule', () => {
    expect(firstMessage('rsi AND close > 1')).toBe(
      'AND needs true/false on both sides, got a number on the left',
    );
    expect(firstMessage('rsi < 3 OR 4')).toBe(
      'OR needs true/false on both sides, got a number on the right',
    );
    expect(firstMessage('NOT rsi')).toBe('NOT needs true/false, got a number');
    expect(firstMessage('(rsi < 3) + 1 > 0')).toBe(
      '`+` needs numbers on both sides, got true/false on the left',
    );
    expect(firstMessage('rsi < (close > 1)')).toBe(
      '`<` compares numbers on both sides, got true/false on the right',
    );
    expect(firstMessage('rsi == (close > 1)')).toMatch(
      /compares two numbers or two true\/false values/,
    );
    expect(firstMessage('rsi + 1')).toBe(
      'a rule must be true or false, but this gives a number — compare it, e.g. `rsi < 30`',
    );
    expect(firstMessage('crossover(rsi < 3, 30)')).toMatch(
      /crossover needs a number as argument 1, got true\/false/,
    );
  });

  it('checks calls: arity, known functions, indicators used as functions', () => {
    expect(firstMessage('crossover(rsi) ')).toMatch(/^crossover needs 2 arguments, got 1/);
    expect(firstMessage('min(rsi) > 1')).toMatch(/^min needs at least 2 arguments, got 1/);
    expect(firstMessage('rsi(14) < 30')).toMatch(/`rsi` is an indicator, not a function/);
    expect(firstMessage('crossover > 1')).toMatch(/`crossover` is a function — call it/);
    expect(firstMessage('close.value > 1')).toBe('`close` is a bar field and has no outputs');
  });

  it('keeps history and windows to whole, bounded, past bar counts', () => {
    expect(firstMessage('close[-1] > 0')).toMatch(/can't be negative: rules see closed bars only/);
    expect(firstMessage('close[1.5] > 0')).toMatch(/whole number of bars/);
    expect(firstMessage('close[rsi] > 0')).toMatch(/whole-number literal or an int \$parameter/);
    expect(firstMessage('close[$oversold] > 0')).toMatch(/`\$oversold` is not an int parameter/);
    expect(firstMessage('close[5001] > 0')).toMatch(/at most 5000 bars/);
    expect(firstMessage('highest(close, 0) > 0')).toMatch(/highest's window must be at least 1/);
    expect(firstMessage('highest(close, $lag) > 0')).toMatch(/at least 1, but `\$lag` can be 0/);
    expect(firstMessage('highest(close[3000], 3000) > 0')).toMatch(
      /read up to 5999 bars back; the limit is 5000/,
    );
    expect(ruleIssues('close[5000] > 0 AND highest(close, 5000) > 0')).toEqual([]);
  });

  it('refuses rules whose nested windows would cost too much per bar', () => {
    expect(firstMessage('highest(lowest(close, 2000), 2000) > 0')).toBe(
      'this rule would take about 4,002,003 steps per bar — windows nested inside windows multiply; the limit is 100,000',
    );
    expect(firstMessage('rising(highest(close, $len), 1000) ')).toMatch(
      /about 201,202 steps per bar/,
    );
    expect(
      ruleIssues(
        'highest(close, 5000) > lowest(close, 5000) AND crossover(highest(high, 20), close)',
      ),
    ).toEqual([]);
  });

  it('refuses text-valued parameters in arithmetic', () => {
    expect(firstMessage('rsi < $tf')).toMatch(/choice of text values/);
  });

  it('checks outputs of a type-varying indicator against every type it can take', () => {
    const config = sampleConfig({ entryLong: 'trend.signal > 0' });
    const result = validateStrategyConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]?.message).toMatch(
        /`trend` \(ema\) has no output `signal` when its type is ema/,
      );
  });

  it('reports several independent errors of one rule at once', () => {
    const issues = ruleIssues('rsi2 < 30 AND macd.sig > 0 AND $nope > 1');
    expect(issues.map((i) => i.span?.column)).toEqual([1, 20, 32]);
  });
});
