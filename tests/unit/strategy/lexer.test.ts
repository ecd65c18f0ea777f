import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/core/strategy/lexer';
import { ExpressionError } from '../../../src/core/strategy/source-span';

const kinds = (text: string) => tokenize(text).map((t) => t.kind);

function lexError(text: string): ExpressionError {
  try {
    tokenize(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('tokenize', () => {
  it('splits a rule into tokens with their values', () => {
    const tokens = tokenize('crossover(ema_fast, ema_slow) AND rsi < $oversold');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['identifier', 'crossover'],
      ['(', '('],
      ['identifier', 'ema_fast'],
      [',', ','],
      ['identifier', 'ema_slow'],
      [')', ')'],
      ['and', 'AND'],
      ['identifier', 'rsi'],
      ['<', '<'],
      ['parameter', '$oversold'],
      ['eof', ''],
    ]);
  });

  it('reads keywords in any case and numbers in decimal and exponent form', () => {
    expect(kinds('and Or NOT True false')).toEqual(['and', 'or', 'not', 'true', 'false', 'eof']);
    expect(
      tokenize('1 2.5 .5 1e3 2.5E-2')
        .slice(0, 5)
        .map((t) => t.value),
    ).toEqual([1, 2.5, 0.5, 1000, 0.025]);
    expect(kinds('a<=b>=c==d!=e')).toEqual([
      'identifier',
      '<=',
      'identifier',
      '>=',
      'identifier',
      '==',
      'identifier',
      '!=',
      'identifier',
      'eof',
    ]);
  });

  it('tracks line and column across newlines', () => {
    const tokens = tokenize('rsi < 30\n  AND close > 1');
    const and = tokens.find((t) => t.kind === 'and');
    expect(and?.span).toMatchObject({ line: 2, column: 3, start: 11, end: 14 });
  });

  it('explains operators borrowed from other languages', () => {
    expect(lexError('a && b').message).toBe('write AND instead of &&');
    expect(lexError('a || b').message).toBe('write OR instead of ||');
    expect(lexError('a = b').message).toMatch(/write == to compare/);
    expect(lexError('!a').message).toBe('write NOT instead of !');
    expect(lexError('a => b').message).toBe('did you mean `>=`?');
  });

  it('rejects numbers that overflow and malformed numbers, with their position', () => {
    const e = lexError('rsi < 1e400');
    expect(e.message).toBe('number `1e400` is too large');
    expect(e.span).toMatchObject({ line: 1, column: 7 });
    expect(lexError('rsi < 30abc').message).toBe('`30abc` is not a number');
    expect(lexError('1.2.3').message).toBe('`1.2.3` is not a number');
  });

  it('names unexpected characters, invisible ones by code point', () => {
    expect(lexError('rsi < 30 €').message).toBe('unexpected character `€` (U+20AC)');
    expect(lexError('rsi\u0000').message).toBe('unexpected character U+0000');
    expect(lexError('rsi < 😀').message).toBe('unexpected character `😀` (U+1F600)');
    expect(lexError('$ < 3').message).toMatch(/`\$` must be followed by a parameter name/);
  });

  it('refuses text longer than the limit before reading it', () => {
    expect(lexError('a'.repeat(10_001)).message).toBe(
      'expression is too long: 10001 characters, the limit is 10000',
    );
  });
});
