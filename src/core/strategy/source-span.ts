/** A range of an expression's text; `line` and `column` are 1-based, offsets 0-based. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** A problem in an expression, with the text range to underline. */
export interface ExpressionDiagnostic {
  readonly message: string;
  readonly span: SourceSpan;
}

/**
 * Thrown inside the lexer and parser only (recursive descent unwinds best with an exception);
 * the public entry points catch it and return diagnostics instead.
 */
export class ExpressionError extends Error {
  public constructor(
    message: string,
    public readonly span: SourceSpan,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Computes the span of `text[start, end)`, counting lines and columns from the start. */
export function spanAt(text: string, start: number, end: number): SourceSpan {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(start, text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { start, end: Math.max(start, end), line, column: start - lineStart + 1 };
}
