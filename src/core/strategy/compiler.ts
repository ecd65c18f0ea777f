import type { TermValue } from './evaluation-context';
import type { ExpressionNode, ReferenceNode } from './expression-ast';
import { FUNCTION_SPECS } from './expression-functions';
import type { SeriesRingBuffer } from './series-ring-buffer';

/**
 * A compiled expression node: its value `barsAgo` closed bars back. Numbers are numbers;
 * true/false are 1/0, and NaN means "unknown" (a value it needed was NaN, e.g. an indicator
 * still warming up). One closure shape for every node keeps the call sites monomorphic.
 */
export type CompiledNode = (barsAgo: number) => number;

/** How the compiler turns names into storage; supplied by the strategy runtime. */
export interface CompileBindings {
  /**
   * The history buffer of a bar field or indicator output (the reference is already
   * type-checked). The same buffer must come back for the same series, so rules share it.
   */
  series(ref: ReferenceNode): SeriesRingBuffer;
  /** The value of a numeric `$parameter` for this variant. */
  parameter(name: string): number;
}

/** A compiled rule. */
export interface CompiledRule {
  /** The expression's source text. */
  readonly text: string;
  /** True when the rule holds on the current closed bar; false when not or when unknown. */
  readonly test: () => boolean;
  /** Largest number of bars back the rule reads (0: current bar only). */
  readonly lookback: number;
  /**
   * The values of the rule's terms on the current bar — the operands of its comparisons and
   * crossovers, as written. Allocates, so call it only when the rule fired.
   */
  readonly terms: () => TermValue[];
}

const NAN = Number.NaN;

class RuleCompiler {
  public lookback = 0;

  public constructor(private readonly bindings: CompileBindings) {}

  private integer(node: ExpressionNode): number {
    if (node.kind === 'number') return node.value;
    if (node.kind === 'parameter') return this.bindings.parameter(node.name);
    // The type checker admits only literals and parameters here.
    throw new Error(`internal: window is a ${node.kind}`);
  }

  /** Compiles `node`, which is read up to `depth` bars back beyond the current one. */
  public compile(node: ExpressionNode, depth: number): CompiledNode {
    switch (node.kind) {
      case 'number': {
        const v = node.value;
        return () => v;
      }
      case 'boolean': {
        const v = node.value ? 1 : 0;
        return () => v;
      }
      case 'parameter': {
        const v = this.bindings.parameter(node.name);
        return () => v;
      }
      case 'reference': {
        const ring = this.bindings.series(node);
        ring.require(depth + 1);
        if (depth > this.lookback) this.lookback = depth;
        return (k) => ring.get(k);
      }
      case 'history': {
        const n = this.integer(node.offset);
        const inner = this.compile(node.target, depth + n);
        return n === 0 ? inner : (k) => inner(k + n);
      }
      case 'unary': {
        const f = this.compile(node.operand, depth);
        if (node.operator === '-') return (k) => -f(k);
        return (k) => {
          const v = f(k);
          return v !== v ? v : 1 - v;
        };
      }
      case 'binary':
        return this.binary(node, depth);
      case 'call':
        return this.call(node, depth);
    }
  }

  private binary(node: Extract<ExpressionNode, { kind: 'binary' }>, depth: number): CompiledNode {
    const l = this.compile(node.left, depth);
    const r = this.compile(node.right, depth);
    switch (node.operator) {
      case '+':
        return (k) => l(k) + r(k);
      case '-':
        return (k) => l(k) - r(k);
      case '*':
        return (k) => l(k) * r(k);
      case '/':
        // x / 0 is NaN, not ±Infinity: a rule comparing it must not fire.
        return (k) => {
          const d = r(k);
          return d === 0 ? NAN : l(k) / d;
        };
      case '<':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a < b ? 1 : 0;
        };
      case '<=':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a <= b ? 1 : 0;
        };
      case '>':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a > b ? 1 : 0;
        };
      case '>=':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a >= b ? 1 : 0;
        };
      case '==':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a === b ? 1 : 0;
        };
      case '!=':
        return (k) => {
          const a = l(k);
          const b = r(k);
          return a !== a || b !== b ? NAN : a !== b ? 1 : 0;
        };
      // AND/OR short-circuit: the right side is not "needed" once the left decides, so its
      // NaN does not matter. A NaN on a side that is needed makes the result unknown.
      case 'and':
        return (k) => {
          const a = l(k);
          return a === 1 ? r(k) : a;
        };
      case 'or':
        return (k) => {
          const a = l(k);
          return a === 0 ? r(k) : a;
        };
    }
  }

  private call(node: Extract<ExpressionNode, { kind: 'call' }>, depth: number): CompiledNode {
    const spec = FUNCTION_SPECS.get(node.name);
    const windowIndex = spec ? spec.args.indexOf('window') : -1;
    const windowNode = windowIndex >= 0 ? node.args[windowIndex] : undefined;
    const n = windowNode ? this.integer(windowNode) : 0;
    const extra = spec ? spec.extraLookback(n) : 0;
    const args = node.args.map((a, i) =>
      i === windowIndex ? () => n : this.compile(a, depth + extra),
    );
    const [a = () => NAN, b = () => NAN] = args;
    switch (node.name) {
      case 'crossover':
        return (k) => {
          const a0 = a(k);
          const b0 = b(k);
          const a1 = a(k + 1);
          const b1 = b(k + 1);
          if (a0 !== a0 || b0 !== b0 || a1 !== a1 || b1 !== b1) return NAN;
          return a0 > b0 && a1 <= b1 ? 1 : 0;
        };
      case 'crossunder':
        return (k) => {
          const a0 = a(k);
          const b0 = b(k);
          const a1 = a(k + 1);
          const b1 = b(k + 1);
          if (a0 !== a0 || b0 !== b0 || a1 !== a1 || b1 !== b1) return NAN;
          return a0 < b0 && a1 >= b1 ? 1 : 0;
        };
      case 'rising':
      case 'falling': {
        const up = node.name === 'rising';
        return (k) => {
          let newer = a(k);
          for (let i = 1; i <= n; i++) {
            const older = a(k + i);
            if (newer !== newer || older !== older) return NAN;
            if (up ? !(newer > older) : !(newer < older)) return 0;
            newer = older;
          }
          return 1;
        };
      }
      case 'highest':
        return (k) => {
          let m = -Infinity;
          for (let i = 0; i < n; i++) {
            const v = a(k + i);
            if (v !== v) return NAN;
            if (v > m) m = v;
          }
          return m;
        };
      case 'lowest':
        return (k) => {
          let m = Infinity;
          for (let i = 0; i < n; i++) {
            const v = a(k + i);
            if (v !== v) return NAN;
            if (v < m) m = v;
          }
          return m;
        };
      case 'abs':
        return (k) => Math.abs(a(k));
      case 'min':
        if (args.length === 2) return (k) => Math.min(a(k), b(k));
        return (k) => {
          let m = Infinity;
          for (const f of args) m = Math.min(m, f(k));
          return m;
        };
      case 'max':
        if (args.length === 2) return (k) => Math.max(a(k), b(k));
        return (k) => {
          let m = -Infinity;
          for (const f of args) m = Math.max(m, f(k));
          return m;
        };
      default:
        throw new Error(`internal: unknown function ${node.name}`);
    }
  }
}

/** The numeric operands a rule's truth depends on, walking through AND, OR and NOT. */
function collectTerms(node: ExpressionNode, out: ExpressionNode[]): void {
  if (node.kind === 'unary' && node.operator === 'not') {
    collectTerms(node.operand, out);
  } else if (node.kind === 'binary') {
    if (node.operator === 'and' || node.operator === 'or') {
      collectTerms(node.left, out);
      collectTerms(node.right, out);
    } else {
      for (const side of [node.left, node.right]) {
        if (side.kind === 'binary' || (side.kind === 'unary' && side.operator === 'not')) {
          // Comparing two true/false values: their parts are the terms.
          if (
            side.kind === 'unary' ||
            ['and', 'or', '<', '<=', '>', '>=', '==', '!='].includes(side.operator)
          ) {
            collectTerms(side, out);
            continue;
          }
        }
        if (side.kind !== 'number' && side.kind !== 'boolean') out.push(side);
      }
    }
  } else if (node.kind === 'call') {
    const spec = FUNCTION_SPECS.get(node.name);
    node.args.forEach((arg, i) => {
      if (spec?.args[Math.min(i, spec.args.length - 1)] !== 'window' && arg.kind !== 'number')
        out.push(arg);
    });
  }
}

/**
 * Compiles a parsed, type-checked rule into closures over the bindings' buffers.
 * @param text - the source the tree was parsed from (term texts are slices of it).
 */
export function compileRule(
  text: string,
  ast: ExpressionNode,
  bindings: CompileBindings,
): CompiledRule {
  const compiler = new RuleCompiler(bindings);
  const root = compiler.compile(ast, 0);
  const termNodes: ExpressionNode[] = [];
  collectTerms(ast, termNodes);
  const seen = new Set<string>();
  const terms: { text: string; fn: CompiledNode }[] = [];
  for (const node of termNodes) {
    const termText = text.slice(node.span.start, node.span.end);
    if (seen.has(termText)) continue;
    seen.add(termText);
    // Compiled at the term's own depth 0: it reuses the rule's buffers, which are deep enough.
    terms.push({ text: termText, fn: new RuleCompiler(bindings).compile(node, 0) });
  }
  return {
    text,
    lookback: compiler.lookback,
    test: () => root(0) === 1,
    terms: () => terms.map((t) => ({ text: t.text, value: t.fn(0) })),
  };
}
