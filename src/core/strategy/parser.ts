import {
  joinSpans,
  type BinaryOperator,
  type ExpressionNode,
  type ReferenceNode,
} from './expression-ast';
import { EXPRESSION_LIMITS } from './expression-limits';
import { tokenize, type Token, type TokenKind } from './lexer';
import { ExpressionError, type SourceSpan } from './source-span';

const COMPARISONS: ReadonlySet<TokenKind> = new Set(['<', '<=', '>', '>=', '==', '!=']);

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the rule';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return `\`${text}\``;
}

/**
 * Recursive-descent parser. Precedence, loosest first: OR, AND, NOT, comparison (not
 * chainable), + -, * /, unary minus, history `[n]`.
 */
class Parser {
  private pos = 0;
  private depth = 0;

  public constructor(private readonly tokens: readonly Token[]) {}

  public parseAll(): ExpressionNode {
    if (this.peek().kind === 'eof') {
      throw new ExpressionError('the rule is empty', this.peek().span);
    }
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'eof') {
      const hint =
        next.kind === ')'
          ? 'this `)` has no matching `(`'
          : `unexpected ${describe(next)} after a complete expression — is an AND or OR missing?`;
      throw new ExpressionError(hint, next.span);
    }
    return node;
  }

  private peek(): Token {
    // The token list always ends with eof, and pos never passes it.
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private previous(): Token | undefined {
    return this.pos > 0 ? this.tokens[this.pos - 1] : undefined;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private expect(kind: TokenKind, message: string): Token {
    const token = this.peek();
    if (token.kind !== kind) throw new ExpressionError(message, token.span);
    return this.advance();
  }

  /** Counts one level of nesting; the limit turns 100k `(` into an error, not a stack overflow. */
  private enter(span: SourceSpan): void {
    if (++this.depth > EXPRESSION_LIMITS.maxDepth) {
      throw new ExpressionError(
        `the rule nests too deeply (more than ${EXPRESSION_LIMITS.maxDepth} levels) — simplify it`,
        span,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  private binary(
    operator: BinaryOperator,
    operatorSpan: SourceSpan,
    left: ExpressionNode,
    right: ExpressionNode,
  ): ExpressionNode {
    const height = Math.max(left.height, right.height) + 1;
    if (height > EXPRESSION_LIMITS.maxDepth) {
      throw new ExpressionError(
        `the rule is too long a chain of operators (more than ${EXPRESSION_LIMITS.maxDepth} levels) — simplify it`,
        operatorSpan,
      );
    }
    return {
      kind: 'binary',
      operator,
      operatorSpan,
      left,
      right,
      height,
      span: joinSpans(left.span, right.span),
    };
  }

  private parseOr(): ExpressionNode {
    let left = this.parseAnd();
    while (this.peek().kind === 'or') {
      const op = this.advance();
      left = this.binary('or', op.span, left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): ExpressionNode {
    let left = this.parseNot();
    while (this.peek().kind === 'and') {
      const op = this.advance();
      left = this.binary('and', op.span, left, this.parseNot());
    }
    return left;
  }

  private parseNot(): ExpressionNode {
    const token = this.peek();
    if (token.kind !== 'not') return this.parseComparison();
    this.advance();
    this.enter(token.span);
    const operand = this.parseNot();
    this.leave();
    return {
      kind: 'unary',
      operator: 'not',
      operand,
      height: operand.height + 1,
      span: joinSpans(token.span, operand.span),
    };
  }

  private parseComparison(): ExpressionNode {
    const left = this.parseAdditive();
    const token = this.peek();
    if (!COMPARISONS.has(token.kind)) return left;
    this.advance();
    const right = this.parseAdditive();
    const next = this.peek();
    if (COMPARISONS.has(next.kind)) {
      throw new ExpressionError(
        "comparisons can't be chained — write `a < b AND b < c` instead of `a < b < c`",
        next.span,
      );
    }
    return this.binary(token.kind as BinaryOperator, token.span, left, right);
  }

  private parseAdditive(): ExpressionNode {
    let left = this.parseMultiplicative();
    for (;;) {
      const kind = this.peek().kind;
      if (kind !== '+' && kind !== '-') return left;
      const op = this.advance();
      left = this.binary(kind, op.span, left, this.parseMultiplicative());
    }
  }

  private parseMultiplicative(): ExpressionNode {
    let left = this.parseUnary();
    for (;;) {
      const kind = this.peek().kind;
      if (kind !== '*' && kind !== '/') return left;
      const op = this.advance();
      left = this.binary(kind, op.span, left, this.parseUnary());
    }
  }

  private parseUnary(): ExpressionNode {
    const token = this.peek();
    if (token.kind === '-' || token.kind === '+') {
      this.advance();
      this.enter(token.span);
      const operand = this.parseUnary();
      this.leave();
      if (token.kind === '+') return operand;
      return {
        kind: 'unary',
        operator: '-',
        operand,
        height: operand.height + 1,
        span: joinSpans(token.span, operand.span),
      };
    }
    if (token.kind === 'not') {
      throw new ExpressionError(
        'NOT applies to a whole comparison — write `NOT (a < b)`',
        token.span,
      );
    }
    return this.parsePostfix();
  }

  private parsePostfix(): ExpressionNode {
    let node = this.parsePrimary();
    while (this.peek().kind === '[') {
      const open = this.advance();
      this.enter(open.span);
      if (this.peek().kind === ']') {
        throw new ExpressionError(
          'write how many bars back inside `[ ]`, like `close[1]`',
          this.peek().span,
        );
      }
      const offset = this.parseOr();
      const close = this.expect(
        ']',
        `missing \`]\` to close the \`[\` at ${open.span.line}:${open.span.column}`,
      );
      this.leave();
      const height = Math.max(node.height, offset.height) + 1;
      node = {
        kind: 'history',
        target: node,
        offset,
        height,
        span: joinSpans(node.span, close.span),
      };
    }
    return node;
  }

  private parsePrimary(): ExpressionNode {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.advance();
        return { kind: 'number', value: token.value, height: 1, span: token.span };
      case 'true':
      case 'false':
        this.advance();
        return { kind: 'boolean', value: token.kind === 'true', height: 1, span: token.span };
      case 'parameter':
        this.advance();
        return { kind: 'parameter', name: token.text.slice(1), height: 1, span: token.span };
      case 'identifier':
        return this.parseIdentifier();
      case '(': {
        this.advance();
        this.enter(token.span);
        if (this.peek().kind === ')') {
          throw new ExpressionError(
            'empty parentheses — put an expression inside',
            this.peek().span,
          );
        }
        const inner = this.parseOr();
        const close = this.expect(
          ')',
          `missing \`)\` to close the \`(\` at ${token.span.line}:${token.span.column}` +
            (this.peek().kind === 'eof' ? '' : `, found ${describe(this.peek())}`),
        );
        this.leave();
        // Keep the parentheses in the span so "why it fired" shows the term as written.
        return { ...inner, span: joinSpans(token.span, close.span) };
      }
      default: {
        const prev = this.previous();
        const after = prev ? ` after ${describe(prev)}` : '';
        if (token.kind === 'eof') {
          throw new ExpressionError(
            `the rule ends too early — expected a value${after}`,
            token.span,
          );
        }
        throw new ExpressionError(
          `expected a value (a number, an indicator, a bar field, a $parameter or \`(\`)${after}, got ${describe(token)}`,
          token.span,
        );
      }
    }
  }

  private parseIdentifier(): ExpressionNode {
    const name = this.advance();
    const next = this.peek();
    if (next.kind === '(') {
      this.advance();
      this.enter(next.span);
      const args: ExpressionNode[] = [];
      if (this.peek().kind !== ')') {
        for (;;) {
          args.push(this.parseOr());
          if (this.peek().kind !== ',') break;
          this.advance();
        }
      }
      const close = this.expect(
        ')',
        `missing \`)\` to close the call to ${name.text}(…) at ${next.span.line}:${next.span.column}` +
          (this.peek().kind === 'eof' ? '' : `, found ${describe(this.peek())}`),
      );
      this.leave();
      const height = args.reduce((h, a) => Math.max(h, a.height), 0) + 1;
      return {
        kind: 'call',
        name: name.text,
        nameSpan: name.span,
        args,
        height,
        span: joinSpans(name.span, close.span),
      };
    }
    let output: Token | undefined;
    if (next.kind === '.') {
      this.advance();
      output = this.peek();
      if (output.kind !== 'identifier') {
        throw new ExpressionError(
          `expected an output name after \`${name.text}.\`, like \`macd.signal\``,
          output.span,
        );
      }
      this.advance();
      if (this.peek().kind === '.') {
        throw new ExpressionError('an indicator output has one dot: `id.output`', this.peek().span);
      }
    }
    const node: ReferenceNode = {
      kind: 'reference',
      name: name.text,
      output: output?.text,
      nameSpan: name.span,
      outputSpan: output?.span,
      height: 1,
      span: output ? joinSpans(name.span, output.span) : name.span,
    };
    return node;
  }
}

/**
 * Parses an expression into a syntax tree.
 * @throws ExpressionError with the position of the first problem.
 */
export function parseExpression(text: string): ExpressionNode {
  return new Parser(tokenize(text)).parseAll();
}
