import type { SourceSpan } from './source-span';

/**
 * One problem with a strategy config: where (`rules.entryLong`, `indicators[2].params.period`),
 * what is expected, and for rule expressions the text range to underline.
 */
export interface StrategyIssue {
  readonly path: string;
  readonly message: string;
  readonly span?: SourceSpan;
}

/** `rules.entryLong 1:5: unknown indicator …` — one line, for logs and the CLI. */
export function formatStrategyIssue(issue: StrategyIssue): string {
  const at = issue.span ? ` ${issue.span.line}:${issue.span.column}` : '';
  return `${issue.path}${at}: ${issue.message}`;
}
