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

/** A series the rules read only on the current bar: one cell the runtime writes each bar. */
export interface SeriesCell {
  readonly cells: Float64Array;
  readonly index: number;
}

/**
 * A series the rules read at most one bar back, kept in place by its producer: `cells[index]` on
 * the current bar, `cells[previous]` one bar back (an indicator's outputs keep both, see
 * IndicatorReader.outputs). Both values sit in one small array, so reading them costs what a
 * cell costs, and nothing is pushed per bar.
 */
export interface SeriesPair {
  readonly cells: Float64Array;
  readonly index: number;
  readonly previous: number;
}

/** How the compiler turns names into storage; supplied by the strategy runtime. */
export interface CompileBindings {
  /**
   * The history buffer of a bar field or indicator output (the reference is already
   * type-checked). The same buffer must come back for the same series, so rules share it.
   */
  series(ref: ReferenceNode): SeriesRingBuffer;
  /**
   * The cell of a series no rule reads beyond the current bar, when the runtime knows that (a
   * first compilation sized the buffers): cheaper per bar than a history buffer.
   */
  cell?(ref: ReferenceNode): SeriesCell | undefined;
  /**
   * The pair of a series no rule reads beyond one bar back, when its producer keeps the previous
   * value in place: cheaper per bar than a history buffer. The runtime must give cache keys of
   * subexpressions over pairs their own names (a closure over a pair reads two bars, no more).
   */
  pair?(ref: ReferenceNode): SeriesPair | undefined;
  /** The value of a numeric `$parameter` for this variant. */
  parameter(name: string): number;
  /**
   * Subexpressions computed once per bar and shared by every reader: `cacheKey` names the ones to
   * cache (undefined: not cached), equal keys meaning equal values on every bar; `bar` is the
   * counter they are cached against and must change on every bar; `nodes` holds the one cached
   * closure per key, filled as rules compile (and may be shared by several strategies' rules when
   * their keys and counter are).
   */
  readonly shared?: {
    readonly cacheKey: (node: ExpressionNode) => string | undefined;
    readonly bar: { value: number };
    readonly nodes: Map<string, CompiledNode>;
  };
}

/** A compiled rule. */
export interface CompiledRule {
  /** The expression's source text. */
  readonly text: string;
  /** True when the rule holds on the current closed bar; false when not or when unknown. */
  readonly test: () => boolean;
  /**
   * A shared subexpression the rule cannot hold without: its whole expression, or the first
   * part of its root AND chain (`crossover(fast, slow) AND …`). When it does not read 1 the rule
   * does not hold — one read, shared by every variant with the same gate, instead of the test.
   * Null when the rule has none.
   */
  readonly gate: SharedValue | null;
  /** Largest number of bars back the rule reads (0: current bar only). */
  readonly lookback: number;
  /**
   * The rule's terms — the operands of its comparisons and crossovers, as written — in the order
   * {@link termValues} gives their values. One array for the rule's life: records share it.
   */
  readonly termTexts: readonly string[];
  /**
   * The values of the rule's terms on the current bar, in {@link termTexts}' order. Allocates one
   * array of numbers (not an object per term: records of fired rules are kept by the thousand),
   * so call it only when the rule fired.
   */
  readonly termValues: () => number[];
}

/** Term texts paired with their values, in order: the "why it fired" shape the store and chart use. */
export function pairTerms(texts: readonly string[], values: readonly number[]): TermValue[] {
  return texts.map((text, i) => ({ text, value: values[i] as number }));
}

const NAN = Number.NaN;

/**
 * A canonical text for `node`, equal for subexpressions that always have the same value whatever
 * their spelling or spacing: within one strategy, parameters by name and references by name;
 * `leaf` may name them otherwise (by value and by series, to compare across strategies).
 */
export function nodeKey(
  node: ExpressionNode,
  leaf?: (node: Extract<ExpressionNode, { kind: 'reference' | 'parameter' }>) => string,
): string {
  const key = (n: ExpressionNode): string => nodeKey(n, leaf);
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'parameter':
      return leaf ? leaf(node) : `$${node.name}`;
    case 'reference':
      if (leaf) return leaf(node);
      return node.output === undefined ? node.name : `${node.name}.${node.output}`;
    case 'history':
      return `(${key(node.target)})[${key(node.offset)}]`;
    case 'unary':
      return `${node.operator}(${key(node.operand)})`;
    case 'binary':
      return `(${key(node.left)} ${node.operator} ${key(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(key).join(', ')})`;
  }
}

/** Counts every non-leaf subexpression of `node` by {@link nodeKey} into `counts`. */
export function countSubexpressions(node: ExpressionNode, counts: Map<string, number>): void {
  switch (node.kind) {
    case 'number':
    case 'boolean':
    case 'parameter':
    case 'reference':
      return;
    case 'history':
      countSubexpressions(node.target, counts);
      break;
    case 'unary':
      countSubexpressions(node.operand, counts);
      break;
    case 'binary':
      countSubexpressions(node.left, counts);
      countSubexpressions(node.right, counts);
      break;
    case 'call':
      for (const a of node.args) countSubexpressions(a, counts);
      break;
  }
  const key = nodeKey(node);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** A constant operand (number, true/false, parameter), or undefined. */
type Leaf =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'cell'; readonly cells: Float64Array; readonly index: number }
  | {
      readonly kind: 'pair';
      readonly cells: Float64Array;
      readonly index: number;
      readonly previous: number;
    }
  | { readonly kind: 'ring'; readonly ring: SeriesRingBuffer };

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

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
    const shared = this.bindings.shared;
    if (shared === undefined || node.height < 2) return this.compileNode(node, depth);
    const key = shared.cacheKey(node);
    if (key === undefined) return this.compileNode(node, depth);
    // Compiled even when cached, so that this rule registers the depths it reads.
    const f = this.compileNode(node, depth);
    const known = shared.nodes.get(key);
    if (known !== undefined) return known;
    // Cached for the current bar only: history reads (k > 0) are rarer and computed afresh.
    const value = new SharedValue(f, shared.bar);
    const cachedNode: CompiledNode = (k) => (k !== 0 ? f(k) : value.read());
    SHARED_VALUES.set(cachedNode, value);
    shared.nodes.set(key, cachedNode);
    return cachedNode;
  }

  /**
   * The rule's test: true when `node` is 1 on the current bar. A chain of ANDs (or of ORs) at the
   * root is tested part by part in one loop, and the parts that compare plain current-bar values
   * are read inline: per bar a flat variant tests its entries, whose first part (a cached
   * crossover, usually false) decides alone, so one closure call instead of one per operator.
   * Same truth as `compile(node, 0)(0) === 1`: an AND chain is 1 only when every part is 1; an OR
   * chain is 1 when a part is 1 after parts that are all 0 (an unknown part first makes it unknown).
   */
  public compileTest(node: ExpressionNode): { test: () => boolean; gate: SharedValue | null } {
    const operator = node.kind === 'binary' ? node.operator : undefined;
    if (operator !== 'and' && operator !== 'or') {
      const root = this.compile(node, 0);
      return { test: () => root(0) === 1, gate: SHARED_VALUES.get(root) ?? null };
    }
    const parts: ExpressionNode[] = [];
    const flatten = (n: ExpressionNode): void => {
      if (n.kind === 'binary' && n.operator === operator) {
        flatten(n.left);
        flatten(n.right);
      } else parts.push(n);
    };
    flatten(node);
    let gate: SharedValue | null = null;
    const program = parts.map((part, i) => {
      const fused = part.kind === 'binary' ? this.inlineComparison(part) : undefined;
      if (fused !== undefined) return TestPart.comparison(fused);
      const compiled = this.compile(part, 0);
      if (i === 0 && operator === 'and') gate = SHARED_VALUES.get(compiled) ?? null;
      return TestPart.closure(compiled);
    });
    return operator === 'and'
      ? { test: () => allHold(program), gate }
      : { test: () => anyHolds(program), gate: null };
  }

  /** A comparison `compileTest` reads inline: a current-bar cell against a constant or a cell. */
  private inlineComparison(
    node: Extract<ExpressionNode, { kind: 'binary' }>,
  ): InlineComparison | undefined {
    const op = COMPARISON_CODES.get(node.operator);
    if (op === undefined || node.left.kind !== 'reference') return undefined;
    const rightKind = node.right.kind;
    if (rightKind !== 'reference' && rightKind !== 'number' && rightKind !== 'parameter')
      return undefined;
    const a = currentCell(this.leaf(node.left, 0));
    const b = currentCell(this.leaf(node.right, 0));
    if (a?.kind !== 'cell' || b === undefined || b.kind === 'ring') return undefined;
    return b.kind === 'const'
      ? { op, a, b: CONST_CELL, c: b.value }
      : { op, a, b: { cells: b.cells, index: b.index }, c: 0 };
  }

  /**
   * A reference or constant as storage the caller can read inline (no closure call), or
   * undefined for anything else. Registers the reference's depth like `compile` would.
   */
  private leaf(node: ExpressionNode, depth: number): Leaf | undefined {
    switch (node.kind) {
      case 'number':
        return { kind: 'const', value: node.value };
      case 'boolean':
        return { kind: 'const', value: node.value ? 1 : 0 };
      case 'parameter':
        return { kind: 'const', value: this.bindings.parameter(node.name) };
      case 'reference': {
        const cell = depth === 0 ? this.bindings.cell?.(node) : undefined;
        if (cell !== undefined) return { kind: 'cell', cells: cell.cells, index: cell.index };
        const pair = depth <= 1 ? this.bindings.pair?.(node) : undefined;
        if (pair !== undefined) {
          if (depth > this.lookback) this.lookback = depth;
          return { kind: 'pair', cells: pair.cells, index: pair.index, previous: pair.previous };
        }
        const ring = this.bindings.series(node);
        ring.require(depth + 1);
        if (depth > this.lookback) this.lookback = depth;
        return { kind: 'ring', ring };
      }
      default:
        return undefined;
    }
  }

  private compileNode(node: ExpressionNode, depth: number): CompiledNode {
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
        const leaf = this.leaf(node, depth) as Exclude<Leaf, { kind: 'const' }>;
        if (leaf.kind === 'cell') {
          const { cells, index } = leaf;
          return (k) => (k === 0 ? (cells[index] as number) : NAN);
        }
        if (leaf.kind === 'pair') {
          const { cells, index, previous } = leaf;
          return (k) =>
            k === 0 ? (cells[index] as number) : k === 1 ? (cells[previous] as number) : NAN;
        }
        const ring = leaf.ring;
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
    if (COMPARISONS.has(node.operator)) {
      const fused = this.fusedComparison(node, depth);
      if (fused !== undefined) return fused;
    }
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

  /**
   * A comparison of a series with a constant or with another current-bar series, read inline:
   * the commonest rule terms (`rsi < 30`, `close > bb.upper`), without a closure per operand.
   */
  private fusedComparison(
    node: Extract<ExpressionNode, { kind: 'binary' }>,
    depth: number,
  ): CompiledNode | undefined {
    const leftKind = node.left.kind;
    const rightKind = node.right.kind;
    const isLeaf = (k: string) =>
      k === 'reference' || k === 'number' || k === 'parameter' || k === 'boolean';
    if (!isLeaf(leftKind) || !isLeaf(rightKind) || leftKind !== 'reference') return undefined;
    const a = this.leaf(node.left, depth);
    const b = this.leaf(node.right, depth);
    if (a === undefined || b === undefined || a.kind !== 'cell') return undefined;
    if (b.kind === 'const')
      return b.value !== b.value ? () => NAN : cellVsConst(node.operator, a, b.value);
    if (b.kind === 'cell') return cellVsCell(node.operator, a, b);
    return undefined;
  }

  /** `crossover` / `crossunder` of a series with a series or a constant, read inline. */
  private fusedCross(
    node: Extract<ExpressionNode, { kind: 'call' }>,
    depth: number,
  ): CompiledNode | undefined {
    const [x, y] = node.args;
    if (x === undefined || y === undefined || x.kind !== 'reference') return undefined;
    const a = this.leaf(x, depth);
    const b = this.leaf(y, depth);
    if (a?.kind === 'pair' && (b?.kind === 'pair' || b?.kind === 'const'))
      return crossOfPairs(node.name === 'crossover', a, b);
    if (a?.kind !== 'ring' || b === undefined || b.kind === 'cell' || b.kind === 'pair')
      return undefined;
    const ra = a.ring;
    const up = node.name === 'crossover';
    // One closure per direction, so the per-bar call takes no branch on it.
    if (b.kind === 'const') {
      const c = b.value;
      if (c !== c) return () => NAN;
      return up
        ? (k) => {
            if (k + 1 >= ra.count) return NAN;
            const d = ra.data;
            const i = ra.head - k;
            const a0 = d[i < 0 ? i + ra.capacity : i] as number;
            const a1 = d[i < 1 ? i - 1 + ra.capacity : i - 1] as number;
            if (a0 !== a0 || a1 !== a1) return NAN;
            return a0 > c && a1 <= c ? 1 : 0;
          }
        : (k) => {
            if (k + 1 >= ra.count) return NAN;
            const d = ra.data;
            const i = ra.head - k;
            const a0 = d[i < 0 ? i + ra.capacity : i] as number;
            const a1 = d[i < 1 ? i - 1 + ra.capacity : i - 1] as number;
            if (a0 !== a0 || a1 !== a1) return NAN;
            return a0 < c && a1 >= c ? 1 : 0;
          };
    }
    const rb = b.ring;
    // The buffers are read inline (see SeriesRingBuffer): k and k + 1 bars back of both series.
    return up
      ? (k) => {
          if (k + 1 >= ra.count || k + 1 >= rb.count) return NAN;
          const da = ra.data;
          const db = rb.data;
          const i = ra.head - k;
          const j = rb.head - k;
          const a0 = da[i < 0 ? i + ra.capacity : i] as number;
          const a1 = da[i < 1 ? i - 1 + ra.capacity : i - 1] as number;
          const b0 = db[j < 0 ? j + rb.capacity : j] as number;
          const b1 = db[j < 1 ? j - 1 + rb.capacity : j - 1] as number;
          if (a0 !== a0 || b0 !== b0 || a1 !== a1 || b1 !== b1) return NAN;
          return a0 > b0 && a1 <= b1 ? 1 : 0;
        }
      : (k) => {
          if (k + 1 >= ra.count || k + 1 >= rb.count) return NAN;
          const da = ra.data;
          const db = rb.data;
          const i = ra.head - k;
          const j = rb.head - k;
          const a0 = da[i < 0 ? i + ra.capacity : i] as number;
          const a1 = da[i < 1 ? i - 1 + ra.capacity : i - 1] as number;
          const b0 = db[j < 0 ? j + rb.capacity : j] as number;
          const b1 = db[j < 1 ? j - 1 + rb.capacity : j - 1] as number;
          if (a0 !== a0 || b0 !== b0 || a1 !== a1 || b1 !== b1) return NAN;
          return a0 < b0 && a1 >= b1 ? 1 : 0;
        };
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
    if (node.name === 'crossover' || node.name === 'crossunder') {
      const fused = this.fusedCross(node, depth + extra);
      if (fused !== undefined) return fused;
    }
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

type Cell = { readonly cells: Float64Array; readonly index: number };

/** Comparison operators as codes for {@link TestPart}. */
const COMPARISON_CODES = new Map<string, number>([
  ['<', 1],
  ['<=', 2],
  ['>', 3],
  ['>=', 4],
  ['==', 5],
  ['!=', 6],
]);

/** A comparison read inline: `a op b`, b a cell or (`b` = CONST_CELL) the constant `c`. */
interface InlineComparison {
  readonly op: number;
  readonly a: Cell;
  readonly b: Cell;
  readonly c: number;
}

/**
 * A subexpression's value on the current bar, computed by its first reader and kept until the
 * bar counter moves: one per cache key, read by every rule (of every variant) that has the key.
 */
export class SharedValue {
  // A bar counter (small integer): -1 rather than NaN keeps the field a Smi, stored in the object.
  private at = -1;
  private value = NAN;

  public constructor(
    private readonly f: CompiledNode,
    private readonly bar: { readonly value: number },
  ) {}

  /** The value on the current bar: 1 / 0 for true / false, NaN when unknown. */
  public read(): number {
    const bar = this.bar.value;
    if (this.at !== bar) {
      this.value = this.f(0);
      this.at = bar;
    }
    return this.value;
  }
}

/** The shared value behind each cached closure, so a rule can name its gate. */
const SHARED_VALUES = new WeakMap<CompiledNode, SharedValue>();

/** Stands for "compare with the constant" (an empty cell array is never read). */
const CONST_CELL: Cell = { cells: new Float64Array(0), index: -1 };
const NEVER: CompiledNode = () => NAN;

/**
 * One part of a root AND / OR chain: a compiled closure (`op` 0) or `a op b` of cells read
 * inline (`indexB` −1: b is the constant `c`). One class for every part of every rule keeps the
 * per-bar test monomorphic, and one object per part keeps it to one cache line or two: a test
 * usually stops at its first part.
 */
class TestPart {
  public constructor(
    public readonly op: number,
    public readonly fn: CompiledNode,
    public readonly cellsA: Float64Array,
    public readonly indexA: number,
    public readonly cellsB: Float64Array,
    public readonly indexB: number,
    public readonly c: number,
  ) {}

  /** The part on the current bar: 1, 0 or NaN (unknown). */
  public value(): number {
    const op = this.op;
    if (op === 0) return this.fn(0);
    const x = this.cellsA[this.indexA] as number;
    const j = this.indexB;
    const y = j < 0 ? this.c : (this.cellsB[j] as number);
    if (x !== x || y !== y) return NAN;
    switch (op) {
      case 1:
        return x < y ? 1 : 0;
      case 2:
        return x <= y ? 1 : 0;
      case 3:
        return x > y ? 1 : 0;
      case 4:
        return x >= y ? 1 : 0;
      case 5:
        return x === y ? 1 : 0;
      default:
        return x !== y ? 1 : 0;
    }
  }

  public static closure(fn: CompiledNode): TestPart {
    return new TestPart(0, fn, CONST_CELL.cells, 0, CONST_CELL.cells, -1, 0);
  }

  public static comparison({ op, a, b, c }: InlineComparison): TestPart {
    return new TestPart(op, NEVER, a.cells, a.index, b.cells, b.index, c);
  }
}

/** An AND chain holds: every part is 1. */
function allHold(parts: readonly TestPart[]): boolean {
  for (let i = 0; i < parts.length; i++) if ((parts[i] as TestPart).value() !== 1) return false;
  return true;
}

/** An OR chain holds: a part is 1 and every part before it 0. */
function anyHolds(parts: readonly TestPart[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    const v = (parts[i] as TestPart).value();
    if (v === 1) return true;
    if (v !== 0) return false;
  }
  return false;
}

/** A leaf as read on the current bar only: a pair is then a cell. */
function currentCell(leaf: Leaf | undefined): Leaf | undefined {
  return leaf?.kind === 'pair' ? { kind: 'cell', cells: leaf.cells, index: leaf.index } : leaf;
}

/**
 * `crossover` / `crossunder` of a pair with a pair or a constant (a pair that never moves): the
 * current and previous values of both, read in place. `crossunder(a, b)` is `crossover(b, a)`,
 * NaN rules included, so one closure serves both. Only the current bar has a crossing to read
 * (k ≥ 1 would need values two bars back, which a strategy reading them keeps in a history
 * buffer instead).
 */
function crossOfPairs(
  up: boolean,
  a: Extract<Leaf, { kind: 'pair' }>,
  b: Extract<Leaf, { kind: 'pair' } | { kind: 'const' }>,
): CompiledNode {
  const other =
    b.kind === 'const' ? { cells: Float64Array.of(b.value, b.value), index: 0, previous: 1 } : b;
  const [x, y] = up ? [a, other] : [other, a];
  const cx = x.cells;
  const ix = x.index;
  const px = x.previous;
  const cy = y.cells;
  const iy = y.index;
  const py = y.previous;
  return (k) => {
    if (k !== 0) return NAN;
    const x0 = cx[ix] as number;
    const y0 = cy[iy] as number;
    const x1 = cx[px] as number;
    const y1 = cy[py] as number;
    if (x0 !== x0 || y0 !== y0 || x1 !== x1 || y1 !== y1) return NAN;
    return x0 > y0 && x1 <= y1 ? 1 : 0;
  };
}

/** `cell op c` on the current bar; one closure per operator so each stays a straight line. */
function cellVsConst(op: string, { cells, index: i }: Cell, c: number): CompiledNode {
  switch (op) {
    case '<':
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x < c ? 1 : 0;
      };
    case '<=':
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x <= c ? 1 : 0;
      };
    case '>':
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x > c ? 1 : 0;
      };
    case '>=':
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x >= c ? 1 : 0;
      };
    case '==':
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x === c ? 1 : 0;
      };
    default:
      return (k) => {
        if (k !== 0) return NAN;
        const x = cells[i] as number;
        return x !== x ? NAN : x !== c ? 1 : 0;
      };
  }
}

/** `a op b` of two current-bar cells. */
function cellVsCell(op: string, a: Cell, b: Cell): CompiledNode {
  const ca = a.cells;
  const ia = a.index;
  const cb = b.cells;
  const ib = b.index;
  switch (op) {
    case '<':
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x < y ? 1 : 0;
      };
    case '<=':
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x <= y ? 1 : 0;
      };
    case '>':
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x > y ? 1 : 0;
      };
    case '>=':
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x >= y ? 1 : 0;
      };
    case '==':
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x === y ? 1 : 0;
      };
    default:
      return (k) => {
        if (k !== 0) return NAN;
        const x = ca[ia] as number;
        const y = cb[ib] as number;
        return x !== x || y !== y ? NAN : x !== y ? 1 : 0;
      };
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
  const { test, gate } = compiler.compileTest(ast);
  const termNodes: ExpressionNode[] = [];
  collectTerms(ast, termNodes);
  const termTexts: string[] = [];
  const termFns: CompiledNode[] = [];
  for (const node of termNodes) {
    const termText = text.slice(node.span.start, node.span.end);
    if (termTexts.includes(termText)) continue;
    termTexts.push(termText);
    // Compiled at the term's own depth 0: it reuses the rule's buffers, which are deep enough.
    termFns.push(new RuleCompiler(bindings).compile(node, 0));
  }
  return {
    text,
    lookback: compiler.lookback,
    test,
    gate,
    termTexts,
    termValues: () => {
      // Filled by push: a packed array of doubles, one allocation.
      const out: number[] = [];
      for (let i = 0; i < termFns.length; i++) out.push((termFns[i] as CompiledNode)(0));
      return out;
    },
  };
}
