import { INDICATOR_SPECS } from '../indicators/indicator-catalog';
import { didYouMean } from './edit-distance';
import type { ExpressionNode, ReferenceNode } from './expression-ast';
import { FUNCTION_SPECS } from './expression-functions';
import { EXPRESSION_LIMITS } from './expression-limits';
import { BAR_FIELDS, type ExpressionScope } from './expression-scope';
import type { ExpressionDiagnostic, SourceSpan } from './source-span';

/** The two value types of the language. */
export type ValueType = 'number' | 'boolean';

/** The outcome of checking one expression; `type` is undefined when it has errors. */
export interface CheckResult {
  readonly type: ValueType | undefined;
  readonly diagnostics: readonly ExpressionDiagnostic[];
}

const BAR_FIELD_SET: ReadonlySet<string> = new Set(BAR_FIELDS);

const typeName = (t: ValueType): string => (t === 'number' ? 'a number' : 'true/false');

/** The range of whole numbers a window or history index can take, or a reason it can't be one. */
type IntegerRange = { min: number; max: number } | { error: string };

class TypeChecker {
  public readonly diagnostics: ExpressionDiagnostic[] = [];
  private reportedHistoryLimit = false;

  public constructor(private readonly scope: ExpressionScope) {}

  private error(message: string, span: SourceSpan): undefined {
    // One problem per spot is enough: a broken term often upsets its parents too.
    if (!this.diagnostics.some((d) => d.span.start === span.start && d.span.end === span.end)) {
      this.diagnostics.push({ message, span });
    }
    return undefined;
  }

  /** Checks `node`; `lookback` is how many bars back (at most) the node is read. */
  public check(node: ExpressionNode, lookback: number): ValueType | undefined {
    switch (node.kind) {
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'parameter':
        return this.checkParameter(node.name, node.span);
      case 'reference':
        return this.checkReference(node, lookback);
      case 'history': {
        const range = this.integerRange(node.offset, 0, 'history index');
        if ('error' in range) {
          this.check(node.target, lookback);
          return this.error(range.error, node.offset.span);
        }
        return this.check(node.target, lookback + range.max);
      }
      case 'unary': {
        const t = this.check(node.operand, lookback);
        if (t === undefined) return undefined;
        if (node.operator === 'not') {
          return t === 'boolean'
            ? 'boolean'
            : this.error(`NOT needs true/false, got ${typeName(t)}`, node.span);
        }
        return t === 'number'
          ? 'number'
          : this.error(`\`-\` needs a number, got ${typeName(t)}`, node.span);
      }
      case 'binary': {
        const l = this.check(node.left, lookback);
        const r = this.check(node.right, lookback);
        if (l === undefined || r === undefined) return undefined;
        const op = node.operator;
        const sides = (want: ValueType): string =>
          l !== want && r !== want
            ? `${typeName(l)} on both sides`
            : l !== want
              ? `${typeName(l)} on the left`
              : `${typeName(r)} on the right`;
        if (op === 'and' || op === 'or') {
          if (l === 'boolean' && r === 'boolean') return 'boolean';
          return this.error(
            `${op.toUpperCase()} needs true/false on both sides, got ${sides('boolean')}`,
            node.operatorSpan,
          );
        }
        if (op === '==' || op === '!=') {
          if (l === r) return 'boolean';
          return this.error(
            `\`${op}\` compares two numbers or two true/false values, got ${typeName(l)} on the left and ${typeName(r)} on the right`,
            node.operatorSpan,
          );
        }
        if (l !== 'number' || r !== 'number') {
          const verb =
            op === '<' || op === '<=' || op === '>' || op === '>=' ? 'compares' : 'needs';
          return this.error(
            `\`${op}\` ${verb} numbers on both sides, got ${sides('number')}`,
            node.operatorSpan,
          );
        }
        return op === '+' || op === '-' || op === '*' || op === '/' ? 'number' : 'boolean';
      }
      case 'call':
        return this.checkCall(node, lookback);
    }
  }

  private checkParameter(name: string, span: SourceSpan): ValueType | undefined {
    const param = this.scope.parameters.get(name);
    if (!param) {
      return this.error(
        `unknown parameter \`$${name}\`${didYouMean(name, this.scope.parameters.keys(), '$')} — declare it under parameters`,
        span,
      );
    }
    if (!param.numeric) {
      return this.error(
        `\`$${name}\` is a choice of text values (a timeframe or an indicator type), so a rule can't compute with it`,
        span,
      );
    }
    return 'number';
  }

  private checkReference(node: ReferenceNode, lookback: number): ValueType | undefined {
    if (lookback > EXPRESSION_LIMITS.maxHistory && !this.reportedHistoryLimit) {
      this.reportedHistoryLimit = true;
      this.error(
        `\`${node.name}\` is read up to ${lookback} bars back; the limit is ${EXPRESSION_LIMITS.maxHistory}`,
        node.span,
      );
    }
    if (BAR_FIELD_SET.has(node.name)) {
      if (node.output !== undefined) {
        return this.error(
          `\`${node.name}\` is a bar field and has no outputs`,
          node.outputSpan ?? node.span,
        );
      }
      return 'number';
    }
    const indicator = this.scope.indicators.get(node.name);
    if (indicator) {
      if (node.output === undefined) return 'number';
      for (const type of indicator.types) {
        const outputs = indicator.outputsByType.get(type) ?? [];
        if (!outputs.includes(node.output)) {
          const via = indicator.types.length > 1 ? ` when its type is ${type}` : '';
          return this.error(
            `\`${node.name}\` (${type}) has no output \`${node.output}\`${via}${didYouMean(node.output, outputs)} (outputs: ${outputs.join(', ')})`,
            node.outputSpan ?? node.span,
          );
        }
      }
      return 'number';
    }
    if (FUNCTION_SPECS.has(node.name)) {
      return this.error(
        `\`${node.name}\` is a function — call it: ${FUNCTION_SPECS.get(node.name)?.usage ?? ''}`,
        node.nameSpan,
      );
    }
    const known = [...this.scope.indicators.keys(), ...BAR_FIELDS];
    let hint = didYouMean(node.name, known);
    if (hint === '' && Object.hasOwn(INDICATOR_SPECS, node.name)) {
      hint = ` — add a ${node.name} indicator under indicators and refer to it by its id`;
    }
    return this.error(`unknown indicator \`${node.name}\`${hint}`, node.nameSpan);
  }

  private checkCall(
    node: Extract<ExpressionNode, { kind: 'call' }>,
    lookback: number,
  ): ValueType | undefined {
    const spec = FUNCTION_SPECS.get(node.name);
    if (!spec) {
      for (const arg of node.args) this.check(arg, lookback);
      if (this.scope.indicators.has(node.name)) {
        return this.error(
          `\`${node.name}\` is an indicator, not a function — set its parameters under indicators and write just \`${node.name}\``,
          node.nameSpan,
        );
      }
      return this.error(
        `unknown function \`${node.name}\`${didYouMean(node.name, FUNCTION_SPECS.keys())} (functions: ${[...FUNCTION_SPECS.keys()].join(', ')})`,
        node.nameSpan,
      );
    }
    const count = node.args.length;
    const fixed = spec.args.length;
    if (spec.variadic ? count < fixed : count !== fixed) {
      for (const arg of node.args) this.check(arg, lookback);
      const need = spec.variadic ? `at least ${fixed}` : `${fixed}`;
      return this.error(
        `${node.name} needs ${need} argument${fixed === 1 ? '' : 's'}, got ${count} — ${spec.usage}`,
        node.span,
      );
    }
    let extra = 0;
    let ok = true;
    const windowIndex = spec.args.indexOf('window');
    if (windowIndex >= 0) {
      const windowNode = node.args[windowIndex];
      if (windowNode) {
        const range = this.integerRange(windowNode, 1, `${node.name}'s window`);
        if ('error' in range) {
          this.error(range.error, windowNode.span);
          ok = false;
        } else {
          extra = spec.extraLookback(range.max);
        }
      }
    }
    node.args.forEach((arg, i) => {
      if (i === windowIndex) return;
      const t = this.check(arg, lookback + extra);
      if (t === undefined) ok = false;
      else if (t !== 'number') {
        this.error(
          `${node.name} needs a number as argument ${i + 1}, got ${typeName(t)} — ${spec.usage}`,
          arg.span,
        );
        ok = false;
      }
    });
    return ok ? spec.result : undefined;
  }

  /** A window or history index: a whole-number literal or an int `$parameter`, within limits. */
  private integerRange(node: ExpressionNode, least: number, what: string): IntegerRange {
    const limit = EXPRESSION_LIMITS.maxHistory;
    const example =
      least === 0 ? '`close[1]` or `close[$lag]`' : '`highest(high, 20)` or `highest(high, $len)`';
    if (node.kind === 'number') {
      if (!Number.isInteger(node.value))
        return { error: `${what} must be a whole number of bars, like ${example}` };
      if (node.value < least) return { error: `${what} must be at least ${least}` };
      if (node.value > limit) return { error: `${what} can be at most ${limit} bars` };
      return { min: node.value, max: node.value };
    }
    if (node.kind === 'unary' && node.operator === '-' && node.operand.kind === 'number') {
      return least === 0
        ? {
            error: `${what} can't be negative: rules see closed bars only, so \`[-n]\` would be a future bar`,
          }
        : { error: `${what} must be at least ${least}` };
    }
    if (node.kind === 'parameter') {
      const param = this.scope.parameters.get(node.name);
      if (param?.unchecked) return { min: least, max: least };
      if (!param) {
        return {
          error: `unknown parameter \`$${node.name}\`${didYouMean(node.name, this.scope.parameters.keys(), '$')} — declare it under parameters`,
        };
      }
      if (!param.numeric || !param.integer) {
        return {
          error: `${what} must be a whole number, but \`$${node.name}\` is not an int parameter`,
        };
      }
      if (param.min < least) {
        return {
          error: `${what} must be at least ${least}, but \`$${node.name}\` can be ${param.min}`,
        };
      }
      if (param.max > limit) {
        return {
          error: `${what} can be at most ${limit} bars, but \`$${node.name}\` can be ${param.max}`,
        };
      }
      return { min: param.min, max: param.max };
    }
    return {
      error: `${what} must be a whole-number literal or an int $parameter, like ${example}`,
    };
  }
}

/** How many times a function evaluates its (non-window) arguments per call, given window `n`. */
function argumentEvaluations(name: string, n: number): number {
  switch (name) {
    case 'crossover':
    case 'crossunder':
      return 2;
    case 'rising':
    case 'falling':
      return n + 1;
    case 'highest':
    case 'lowest':
      return n;
    default:
      return 1;
  }
}

/**
 * Closure calls to evaluate `node` once: window functions and crossovers evaluate their
 * arguments once per bar of the window, so nesting multiplies. Parameters count at their max.
 */
function evaluationSteps(node: ExpressionNode, scope: ExpressionScope): number {
  switch (node.kind) {
    case 'number':
    case 'boolean':
    case 'parameter':
    case 'reference':
      return 1;
    case 'history':
      return evaluationSteps(node.target, scope) + 1;
    case 'unary':
      return evaluationSteps(node.operand, scope) + 1;
    case 'binary':
      return evaluationSteps(node.left, scope) + evaluationSteps(node.right, scope) + 1;
    case 'call': {
      const windowIndex = FUNCTION_SPECS.get(node.name)?.args.indexOf('window') ?? -1;
      const windowNode = windowIndex >= 0 ? node.args[windowIndex] : undefined;
      let n = 1;
      if (windowNode?.kind === 'number') n = windowNode.value;
      else if (windowNode?.kind === 'parameter')
        n = scope.parameters.get(windowNode.name)?.max ?? 1;
      const args = node.args.reduce(
        (sum, a, i) => (i === windowIndex ? sum : sum + evaluationSteps(a, scope)),
        0,
      );
      return args * argumentEvaluations(node.name, n) + 1;
    }
  }
}

/**
 * Checks names and types of a parsed expression against a strategy's scope.
 * @param expected - the type the whole expression must have (rules: 'boolean').
 */
export function checkExpression(
  node: ExpressionNode,
  scope: ExpressionScope,
  expected?: ValueType,
): CheckResult {
  const checker = new TypeChecker(scope);
  const type = checker.check(node, 0);
  if (type !== undefined && expected !== undefined && type !== expected) {
    const message =
      expected === 'boolean'
        ? 'a rule must be true or false, but this gives a number — compare it, e.g. `rsi < 30`'
        : 'expected a number, but this is true/false';
    return { type: undefined, diagnostics: [{ message, span: node.span }] };
  }
  if (checker.diagnostics.length === 0) {
    const steps = evaluationSteps(node, scope);
    if (steps > EXPRESSION_LIMITS.maxStepsPerBar) {
      const limit = EXPRESSION_LIMITS.maxStepsPerBar.toLocaleString('en-US');
      const about = Number.isFinite(steps)
        ? `about ${Math.round(steps).toLocaleString('en-US')}`
        : 'too many';
      const message = `this rule would take ${about} steps per bar — windows nested inside windows multiply; the limit is ${limit}`;
      return { type: undefined, diagnostics: [{ message, span: node.span }] };
    }
  }
  return {
    type: checker.diagnostics.length === 0 ? type : undefined,
    diagnostics: checker.diagnostics,
  };
}
