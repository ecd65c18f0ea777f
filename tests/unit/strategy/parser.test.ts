import { describe, expect, it } from 'vitest';
import type { ExpressionNode } from '../../../src/core/strategy/expression-ast';
import { parseExpression } from '../../../src/core/strategy/parser';
import { ExpressionError } from '../../../src/core/strategy/source-span';

/** A compact, fully parenthesised rendering of the tree, to assert precedence. */
function show(node: ExpressionNode): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'boolean':
      return String(node.value);
    case 'parameter':
      return `$${node.name}`;
    case 'reference':
      return node.output === undefined ? node.name : `${node.name}.${node.output}`;
    case 'history':
      return `${show(node.target)}[${show(node.offset)}]`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'unary':
      return node.operator === 'not' ? `(not ${show(node.operand)})` : `(-${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
  }
}

function parseError(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('parseExpression', () => {
  it('gives OR < AND < NOT < comparison < + - < * / < unary minus < history', () => {
    expect(show(parseExpression('a OR b AND NOT c < d + e * -f[1]'))).toBe(
      '(a or (b and (not (c < (d + (e * (-f[1])))))))',
    );
    expect(show(parseExpression('a - b - c'))).toBe('((a - b) - c)');
    expect(show(parseExpression('(a OR b) AND c'))).toBe('((a or b) and c)');
  });

  it('reads outputs, parameters, calls and history', () => {
    expect(show(parseExpression('macd.histogram > 0 OR close > bb.upper[1]'))).toBe(
      '((macd.histogram > 0) or (close > bb.upper[1]))',
    );
    expect(show(parseExpression('crossover(ema_fast, ema_slow) AND rsi < $oversold'))).toBe(
      '(crossover(ema_fast, ema_slow) and (rsi < $oversold))',
    );
    expect(show(parseExpression('max(a, b, c) > highest(high[$lag], 20)'))).toBe(
      '(max(a, b, c) > highest(high[$lag], 20))',
    );
  });

  it('keeps parentheses in a node span so terms show as written', () => {
    const node = parseExpression('(close - open) > 0');
    expect(node.kind === 'binary' && node.left.span).toMatchObject({ start: 0, end: 14 });
  });

  it('points at the problem with a message a trader can act on', () => {
    expect(parseError('').message).toBe('the rule is empty');
    expect(parseError('rsi < 30 AND').message).toBe(
      'the rule ends too early — expected a value after `AND`',
    );
    expect(parseError('rsi < 30 rsi').message).toBe(
      'unexpected `rsi` after a complete expression — is an AND or OR missing?',
    );
    expect(parseError('a < b < c').message).toMatch(/comparisons can't be chained/);
    const open = parseError('(rsi < 30');
    expect(open.message).toBe('missing `)` to close the `(` at 1:1');
    expect(parseError('rsi < 30)').message).toBe('this `)` has no matching `(`');
    expect(parseError('close[]').message).toMatch(/write how many bars back/);
    expect(parseError('macd.').message).toMatch(/expected an output name after `macd\.`/);
    expect(parseError('a.b.c').message).toMatch(/one dot/);
    expect(parseError('rsi < NOT 3').message).toMatch(/NOT applies to a whole comparison/);
  });

  it('reports position of errors on later lines', () => {
    const e = parseError('rsi < 30 AND\n  close > ');
    expect(e.span.line).toBe(2);
  });

  it('turns 100k nested parentheses into an error, not a stack overflow', () => {
    const deep = `${'('.repeat(100_000)}1${')'.repeat(100_000)}`.slice(0, 10_000);
    expect(parseError(deep).message).toMatch(/nests too deeply/);
    expect(parseError(`${'-'.repeat(5000)}1`).message).toMatch(/nests too deeply/);
    expect(parseError(`${'NOT '.repeat(1000)}a`).message).toMatch(/nests too deeply/);
  });

  it('bounds long flat operator chains too, since evaluation recurses per level', () => {
    expect(parseError(Array.from({ length: 500 }, () => 'a').join(' + ')).message).toMatch(
      /too long a chain of operators/,
    );
    expect(() => parseExpression(Array.from({ length: 50 }, () => 'a').join(' + '))).not.toThrow();
  });
});
