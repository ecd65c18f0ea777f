import type { SourceSpan } from './source-span';

/** Binary operators, by the words used in the source (`and`, `or` lower-cased). */
export type BinaryOperator =
  '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

interface NodeBase {
  readonly span: SourceSpan;
  /** Height of the subtree (a leaf is 1); bounded by `EXPRESSION_LIMITS.maxDepth`. */
  readonly height: number;
}

export interface NumberNode extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
}
export interface BooleanNode extends NodeBase {
  readonly kind: 'boolean';
  readonly value: boolean;
}
/** `$name`; `name` is without the dollar. */
export interface ParameterNode extends NodeBase {
  readonly kind: 'parameter';
  readonly name: string;
}
/** A bar field (`close`) or an indicator output (`rsi`, `macd.signal`). */
export interface ReferenceNode extends NodeBase {
  readonly kind: 'reference';
  readonly name: string;
  readonly output: string | undefined;
  readonly nameSpan: SourceSpan;
  readonly outputSpan: SourceSpan | undefined;
}
/** `target[offset]`: the value `offset` closed bars ago. */
export interface HistoryNode extends NodeBase {
  readonly kind: 'history';
  readonly target: ExpressionNode;
  readonly offset: ExpressionNode;
}
export interface CallNode extends NodeBase {
  readonly kind: 'call';
  readonly name: string;
  readonly nameSpan: SourceSpan;
  readonly args: readonly ExpressionNode[];
}
export interface UnaryNode extends NodeBase {
  readonly kind: 'unary';
  readonly operator: '-' | 'not';
  readonly operand: ExpressionNode;
}
export interface BinaryNode extends NodeBase {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly operatorSpan: SourceSpan;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

/** The syntax tree of one expression. */
export type ExpressionNode =
  | NumberNode
  | BooleanNode
  | ParameterNode
  | ReferenceNode
  | HistoryNode
  | CallNode
  | UnaryNode
  | BinaryNode;

/** The span from the start of `a` to the end of `b`. */
export function joinSpans(a: SourceSpan, b: SourceSpan): SourceSpan {
  return { start: a.start, end: b.end, line: a.line, column: a.column };
}
