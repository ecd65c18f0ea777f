import { EXPRESSION_LIMITS } from './expression-limits';
import { ExpressionError, spanAt, type SourceSpan } from './source-span';

/** Kinds of token; keywords are matched case-insensitively (`and`, `AND`, `And`). */
export type TokenKind =
  | 'number'
  | 'identifier'
  | 'parameter'
  | 'and'
  | 'or'
  | 'not'
  | 'true'
  | 'false'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | '.'
  | '+'
  | '-'
  | '*'
  | '/'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'eof';

/** One token; `text` is the source text, `value` the number for number tokens. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: number;
  readonly span: SourceSpan;
}

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['true', 'true'],
  ['false', 'false'],
]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** Symbols people bring from other languages, with what to write instead. */
const FOREIGN_OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ['&&', 'write AND instead of &&'],
  ['||', 'write OR instead of ||'],
  ['=>', 'did you mean `>=`?'],
  ['=<', 'did you mean `<=`?'],
  ['<>', 'write != for "not equal"'],
  ['**', 'there is no power operator; multiply instead'],
];

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = code > 32 && code !== 127 && !(code >= 0x80 && code <= 0x9f);
  return printable ? `\`${ch}\` (${hex})` : hex;
}

/**
 * Splits an expression into tokens, ending with an `eof` token.
 * @throws ExpressionError on text the language cannot contain, with its position.
 */
export function tokenize(text: string): Token[] {
  if (text.length > EXPRESSION_LIMITS.maxExpressionLength) {
    throw new ExpressionError(
      `expression is too long: ${text.length} characters, the limit is ${EXPRESSION_LIMITS.maxExpressionLength}`,
      spanAt(text, 0, 0),
    );
  }
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  // Tracked as we go: computing each span from the start would be quadratic in the length.
  let line = 1;
  let lineStart = 0;
  const span = (start: number, end: number): SourceSpan => ({
    start,
    end,
    line,
    column: start - lineStart + 1,
  });
  const push = (kind: TokenKind, start: number, end: number, value = NaN): void => {
    tokens.push({ kind, text: text.slice(start, end), value, span: span(start, end) });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace, including newlines: multi-line rules are allowed.
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      if (c === 10) {
        line++;
        lineStart = i;
      }
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      const e = text.charCodeAt(i);
      if (e === 101 || e === 69) {
        let j = i + 1;
        const sign = text.charCodeAt(j);
        if (sign === 43 || sign === 45) j++;
        if (isDigit(text.charCodeAt(j))) {
          while (j < n && isDigit(text.charCodeAt(j))) j++;
          i = j;
        }
      }
      if (i < n && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) {
        let j = i;
        while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
        throw new ExpressionError(
          `\`${text.slice(start, Math.min(j, start + 40))}\` is not a number`,
          span(start, j),
        );
      }
      const literal = text.slice(start, i);
      const value = Number(literal);
      if (!Number.isFinite(value)) {
        throw new ExpressionError(
          `number \`${literal.slice(0, 40)}\` is too large`,
          span(start, i),
        );
      }
      push('number', start, i, value);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      push(KEYWORDS.get(word.toLowerCase()) ?? 'identifier', start, i);
      continue;
    }
    if (c === 36 /* $ */) {
      i++;
      if (!isIdentStart(text.charCodeAt(i))) {
        throw new ExpressionError(
          '`$` must be followed by a parameter name, like `$oversold`',
          span(start, i),
        );
      }
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      push('parameter', start, i);
      continue;
    }
    const two = text.slice(i, i + 2);
    const foreign = FOREIGN_OPERATORS.find(([op]) => op === two);
    if (foreign) throw new ExpressionError(foreign[1], span(i, i + 2));
    if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
      i += 2;
      push(two, start, i);
      continue;
    }
    const ch = text[i] ?? '';
    switch (ch) {
      case '(':
      case ')':
      case '[':
      case ']':
      case ',':
      case '.':
      case '+':
      case '-':
      case '*':
      case '/':
      case '<':
      case '>':
        i++;
        push(ch, start, i);
        continue;
      case '=':
        throw new ExpressionError(
          'write == to compare (a single = is not an operator)',
          span(i, i + 1),
        );
      case '!':
        throw new ExpressionError('write NOT instead of !', span(i, i + 1));
      case '&':
        throw new ExpressionError('write AND instead of &', span(i, i + 1));
      case '|':
        throw new ExpressionError('write OR instead of |', span(i, i + 1));
      case '"':
      case "'":
        throw new ExpressionError('text in quotes has no meaning in a rule', span(i, i + 1));
    }
    const cp = text.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    throw new ExpressionError(
      `unexpected character ${describeChar(String.fromCodePoint(cp))}`,
      span(i, i + len),
    );
  }
  push('eof', n, n);
  return tokens;
}
