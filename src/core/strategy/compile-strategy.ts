import type { Timeframe } from '../../shared/market';
import {
  INDICATOR_SPECS,
  type IndicatorParamSpec,
  type IndicatorType,
} from '../indicators/indicator-catalog';
import type {
  BarFieldValues,
  CompiledStrategy,
  ResolvedRisk,
  RuleGates,
  RuleTests,
  StrategyEvaluator,
} from './compiled-strategy';
import {
  compileRule,
  countSubexpressions,
  nodeKey,
  pairTerms,
  type CompileBindings,
  type CompiledNode,
  type CompiledRule,
  type SeriesCell,
  type SeriesPair,
} from './compiler';
import type { ExpressionNode } from './expression-ast';
import type {
  ClosedBarValues,
  IndicatorRequirement,
  StrategySignals,
  TermValue,
} from './evaluation-context';
import type { BarField } from './expression-scope';
import { parseExpression } from './parser';
import { SeriesRingBuffer } from './series-ring-buffer';
import {
  RULE_NAMES,
  type NumberOrParameter,
  type RuleName,
  type StrategyConfig,
} from './strategy-config-schema';
import type { StrategyIssue } from './strategy-issue';
import { higherTimeframeProblem, validateStrategyConfig } from './strategy-validator';

/** A variant's parameter values by name (without `$`); missing ones take their defaults. */
export type ParameterValues = Readonly<Record<string, number | string>>;

/** A compiled strategy, or every reason it could not be compiled. */
export type CompileStrategyResult =
  | { readonly ok: true; readonly strategy: CompiledStrategy }
  | { readonly ok: false; readonly issues: readonly StrategyIssue[] };

function resolveParameters(
  config: StrategyConfig,
  given: ParameterValues,
  issues: StrategyIssue[],
): Map<string, number | string> {
  const values = new Map<string, number | string>();
  const declared = new Map(config.parameters.map((p) => [p.name, p]));
  for (const p of config.parameters) values.set(p.name, p.default);
  for (const name of Object.keys(given)) {
    const value = given[name];
    const p = declared.get(name);
    const path = `parameterValues.${name}`;
    if (!p || value === undefined) {
      issues.push({ path, message: `\`$${name}\` is not a parameter of this strategy` });
      continue;
    }
    if (p.type === 'choice') {
      if (!p.choices.includes(value)) {
        issues.push({
          path,
          message: `${JSON.stringify(value)} is not one of ${p.choices.map((c) => JSON.stringify(c)).join(', ')}`,
        });
        continue;
      }
    } else if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < p.min ||
      value > p.max
    ) {
      issues.push({
        path,
        message: `expected a number from ${p.min} to ${p.max}, got ${JSON.stringify(value)}`,
      });
      continue;
    } else if (p.type === 'int' && !Number.isInteger(value)) {
      issues.push({ path, message: `expected a whole number, got ${value}` });
      continue;
    }
    values.set(name, value);
  }
  return values;
}

/**
 * Compiles a strategy config for one variant: validates it, substitutes the parameter values,
 * resolves indicator references to slots and rules to closures over per-series history buffers
 * sized by how far back the rules look. Never throws on bad input.
 *
 * @param input - a strategy config (validated here; `validateStrategyConfig` output works too).
 * @param parameterValues - the variant's values; missing parameters take their defaults.
 * @example
 * const result = compileStrategy(template, { fast: 12, slow: 26 });
 * if (result.ok) for (const bar of bars) if (result.strategy.evaluate(bar).entryLong) …
 */
export function compileStrategy(
  input: unknown,
  parameterValues: ParameterValues = {},
): CompileStrategyResult {
  const validation = validateStrategyConfig(input);
  if (!validation.ok) return validation;
  const { config } = validation;
  const issues: StrategyIssue[] = [];
  const values = resolveParameters(config, parameterValues, issues);
  if (issues.length > 0) return { ok: false, issues };

  const param = (v: string): number | string => values.get(v.slice(1)) ?? NaN;
  const num = (v: NumberOrParameter): number => {
    const r = typeof v === 'number' ? v : param(v);
    return typeof r === 'number' ? r : NaN;
  };
  const timeframe = (
    config.meta.timeframe.startsWith('$') ? param(config.meta.timeframe) : config.meta.timeframe
  ) as Timeframe;

  // Resolve every declared indicator; identical ones share a slot.
  const requirementByKey = new Map<
    string,
    { req: Omit<IndicatorRequirement, 'lookback' | 'ids'>; ids: string[]; slot: number }
  >();
  const slotOfId = new Map<string, { key: string; outputs: readonly string[] }>();
  config.indicators.forEach((ind, i) => {
    const type = (ind.type.startsWith('$') ? param(ind.type) : ind.type) as IndicatorType;
    const spec = INDICATOR_SPECS[type];
    const specParams = spec.params as Readonly<Record<string, IndicatorParamSpec>>;
    const params: Record<string, number> = {};
    for (const [name, ps] of Object.entries(specParams)) {
      const given = ind.params && Object.hasOwn(ind.params, name) ? ind.params[name] : undefined;
      params[name] = given === undefined ? ps.default : num(given);
    }
    const tf = (
      ind.timeframe === undefined
        ? timeframe
        : ind.timeframe.startsWith('$')
          ? param(ind.timeframe)
          : ind.timeframe
    ) as Timeframe;
    const problem = higherTimeframeProblem(tf, timeframe);
    if (problem) issues.push({ path: `indicators[${i}].timeframe`, message: problem });
    const source = spec.usesSource ? (ind.source ?? 'close') : null;
    const paramText = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const key = `${type}(${paramText})@${source ?? 'bar'}/${tf}`;
    let entry = requirementByKey.get(key);
    if (!entry) {
      entry = {
        req: {
          key,
          type,
          params: Object.freeze(params),
          source,
          timeframe: tf,
          outputs: spec.outputs,
        },
        ids: [],
        slot: -1,
      };
      requirementByKey.set(key, entry);
    }
    entry.ids.push(ind.id);
    slotOfId.set(ind.id, { key, outputs: spec.outputs });
  });
  if (issues.length > 0) return { ok: false, issues };

  // Slots are handed out in the order rules first read an indicator.
  const slots: string[] = [];
  /** A series' identity: `slot:output` for an indicator output, the field name for a bar field. */
  const seriesKeyOf = (ref: { name: string; output: string | undefined }): string => {
    const ind = slotOfId.get(ref.name);
    if (!ind) return ref.name;
    let slot = slots.indexOf(ind.key);
    if (slot < 0) slot = slots.push(ind.key) - 1;
    const output = ref.output === undefined ? 0 : Math.max(0, ind.outputs.indexOf(ref.output));
    return `${slot}:${output}`;
  };
  const parameter = (name: string): number => {
    const v = values.get(name);
    return typeof v === 'number' ? v : NaN;
  };
  // Validation parsed and checked these texts already, so parsing cannot fail here.
  const asts = new Map<RuleName, { text: string; ast: ExpressionNode }>();
  for (const name of RULE_NAMES) {
    const text = config.rules[name];
    if (text !== undefined) asts.set(name, { text, ast: parseExpression(text) });
  }
  // A first compilation sizes every history buffer: how far back each series is read.
  const sizing = new Map<string, SeriesRingBuffer>();
  const sizingBindings: CompileBindings = {
    series: (ref) => {
      const key = seriesKeyOf(ref);
      let ring = sizing.get(key);
      if (!ring) sizing.set(key, (ring = new SeriesRingBuffer()));
      return ring;
    },
    parameter,
  };
  for (const { text, ast } of asts.values()) compileRule(text, ast, sizingBindings);
  const counts = new Map<string, number>();
  for (const { ast } of asts.values()) countSubexpressions(ast, counts);
  const depths = new Map([...sizing].map(([key, ring]) => [key, ring.size]));
  const blueprint: RulesBlueprint = {
    asts,
    depths,
    seriesKeyOf,
    parameter,
    repeated: new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k)),
  };

  const lookbackOf = (prefix: string): number =>
    [...depths].reduce((m, [key, size]) => (key.startsWith(prefix) ? Math.max(m, size - 1) : m), 0);
  const requirements: IndicatorRequirement[] = slots.map((key, slot) => {
    const entry = requirementByKey.get(key);
    if (!entry) throw new Error(`internal: no requirement ${key}`);
    const lookback = lookbackOf(`${slot}:`);
    return Object.freeze({ ...entry.req, ids: Object.freeze([...entry.ids]), lookback });
  });
  const barLookback = BAR_FIELDS.reduce((m, f) => Math.max(m, (depths.get(f) ?? 1) - 1), 0);
  const maxLookback = requirements.reduce((m, r) => Math.max(m, r.lookback), barLookback);

  const r = config.risk;
  const level = (l: { percent: NumberOrParameter; basis: 'price' | 'roi' } | undefined) =>
    l === undefined ? undefined : { percent: num(l.percent), basis: l.basis };
  const risk: ResolvedRisk = {
    positionSize:
      r.positionSize.kind === 'percentOfEquity'
        ? { kind: 'percentOfEquity', percent: num(r.positionSize.percent) }
        : { kind: 'fixedQuote', amount: num(r.positionSize.amount) },
    leverage: num(r.leverage),
    ...(r.stopLoss ? { stopLoss: level(r.stopLoss) } : {}),
    ...(r.takeProfit ? { takeProfit: level(r.takeProfit) } : {}),
    ...(r.trailingStop ? { trailingStop: { percent: num(r.trailingStop.percent) } } : {}),
    maxLossPercent: num(r.maxLossPercent),
    maxDrawdownPercent: num(r.maxDrawdownPercent),
  };

  return {
    ok: true,
    strategy: new RuntimeStrategy(
      config,
      values,
      timeframe,
      requirements,
      maxLookback,
      barLookback,
      risk,
      blueprint,
    ),
  };
}

const BAR_FIELDS = [
  'open',
  'high',
  'low',
  'close',
  'volume',
] as const satisfies readonly BarField[];

/** Everything needed to build a strategy's rules again: for each instance its own evaluator. */
interface RulesBlueprint {
  readonly asts: ReadonlyMap<RuleName, { readonly text: string; readonly ast: ExpressionNode }>;
  /** History depth (buffer size) of every series the rules read, by series key. */
  readonly depths: ReadonlyMap<string, number>;
  readonly seriesKeyOf: (ref: { name: string; output: string | undefined }) => string;
  readonly parameter: (name: string) => number;
  /** Subexpressions written more than once across the rules. */
  readonly repeated: ReadonlySet<string>;
}

/** The test of a rule the config leaves out. */
const never = (): boolean => false;

/** The blueprint's rules compiled against one evaluator's `bindings`, and their tests. */
function compileRules(
  blueprint: RulesBlueprint,
  bindings: CompileBindings,
): { rules: ReadonlyMap<RuleName, CompiledRule>; tests: RuleTests; gates: RuleGates } {
  const rules = new Map<RuleName, CompiledRule>();
  for (const [name, { text, ast }] of blueprint.asts) {
    rules.set(name, compileRule(text, ast, bindings));
  }
  /** One field of every rule, or `none` for a rule the config leaves out. */
  const perRule = <T>(field: (rule: CompiledRule) => T, none: T) => {
    const of = (name: RuleName): T => {
      const rule = rules.get(name);
      return rule === undefined ? none : field(rule);
    };
    return Object.freeze({
      entryLong: of('entryLong'),
      entryShort: of('entryShort'),
      exitLong: of('exitLong'),
      exitShort: of('exitShort'),
    });
  };
  return { rules, tests: perRule((r) => r.test, never), gates: perRule((r) => r.gate, null) };
}

/** Cache keys for the subexpressions repeated within one strategy (height ≥ 2 only). */
function localCacheKey(
  repeated: ReadonlySet<string>,
): (node: ExpressionNode) => string | undefined {
  const keys = new WeakMap<ExpressionNode, string>();
  return (node) => {
    if (node.height < 2 || repeated.size === 0) return undefined;
    let key = keys.get(node);
    if (key === undefined) keys.set(node, (key = nodeKey(node)));
    return repeated.has(key) ? key : undefined;
  };
}

/** A history buffer shared by the instances of one pool, pushed once per bar. */
interface PooledRing {
  readonly ring: SeriesRingBuffer;
  /** Open time of the last bar pushed (−∞: none). */
  time: number;
  users: number;
  /** Where its values come from: `source[index]` (an indicator's outputs, or the bar cells). */
  readonly source: Float64Array;
  readonly index: number;
}

/** What a pool keeps for the strategies of one timeframe. */
class PoolFrame {
  /** Open time of the last bar any instance observed. */
  public time = Number.NEGATIVE_INFINITY;
  /** Changes with every new bar: the cached subexpressions' validity. */
  public readonly clock = { value: 0 };
  /** open, high, low, close, volume of that bar, then of the bar before it (NaN before it). */
  public readonly barCells = new Float64Array(10).fill(NaN);
  public readonly rings = new Map<string, PooledRing>();
  public readonly nodes = new Map<string, CompiledNode>();
  public readonly nodeUsers = new Map<string, number>();
  /** `rings`' values as an array, for the per-bar push. */
  private ringList: PooledRing[] = [];

  public addRing(key: string, entry: PooledRing): void {
    this.rings.set(key, entry);
    this.ringList = [...this.rings.values()];
  }

  public deleteRing(key: string): void {
    this.rings.delete(key);
    this.ringList = [...this.rings.values()];
  }

  /**
   * A new bar on this timeframe: its fields, the clock, and one push of every ring that was
   * current on the previous bar — once per bar for the whole pool, not once per instance. A ring
   * behind (new, or warming up on its own history) is pushed by its users' evaluators until it
   * is current.
   */
  public advance(bar: BarFieldValues): void {
    const previous = this.time;
    const time = bar.time;
    this.time = time;
    this.clock.value++;
    const c = this.barCells;
    for (let f = 0; f < 5; f++) c[5 + f] = c[f] as number;
    c[0] = bar.open;
    c[1] = bar.high;
    c[2] = bar.low;
    c[3] = bar.close;
    c[4] = bar.volume;
    if (previous === Number.NEGATIVE_INFINITY) return;
    const list = this.ringList;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as PooledRing;
      if (entry.time !== previous) continue;
      entry.time = time;
      entry.ring.push(entry.source[entry.index] as number);
    }
  }
}

/**
 * History buffers and cached subexpressions shared by every strategy instance reading the same
 * indicators (one pool per {@link IndicatorSet}, i.e. per bar loop): a series read by many
 * variants is kept and pushed once per bar, and a subexpression with the same value for many
 * variants — the same series, operators and parameter values — is computed once per bar. Reading
 * shared memory also keeps a many-variant loop in cache.
 */
export class SeriesPool {
  private readonly frames = new Map<Timeframe, PoolFrame>();

  /** @internal The shared state of strategies on `timeframe`. */
  public frame(timeframe: Timeframe): PoolFrame {
    let frame = this.frames.get(timeframe);
    if (frame === undefined) this.frames.set(timeframe, (frame = new PoolFrame()));
    return frame;
  }

  /** Shared history buffers and cached subexpressions held now (they go with their last user). */
  public get size(): { readonly rings: number; readonly nodes: number } {
    let rings = 0;
    let nodes = 0;
    for (const f of this.frames.values()) {
      rings += f.rings.size;
      nodes += f.nodes.size;
    }
    return { rings, nodes };
  }
}

/**
 * Compiled rules whose series and subexpressions live in a {@link SeriesPool}: current-bar
 * indicator values are the indicators' own output arrays, bar fields the pool's, history buffers
 * the pool's (pushed by whichever instance observes a bar first), and every subexpression is
 * cached in the pool under a key naming its series and parameter values.
 */
class PooledRuleEvaluator implements StrategyEvaluator {
  public readonly tests: RuleTests;
  public readonly gates: RuleGates;
  private readonly rules: ReadonlyMap<RuleName, CompiledRule>;
  private readonly frame: PoolFrame;
  /** The pooled buffers this evaluator reads. */
  private readonly pooled: PooledRing[];
  /** Whether a ring of `pooled` is not yet current with the pool (pushed by the pool per bar). */
  private behind = true;
  private readonly ringKeys: string[] = [];
  private readonly nodeKeys = new Set<string>();
  private released = false;

  public constructor(
    blueprint: RulesBlueprint,
    requirements: readonly IndicatorRequirement[],
    outputs: readonly Float64Array[],
    pool: SeriesPool,
    timeframe: Timeframe,
  ) {
    const frame = (this.frame = pool.frame(timeframe));
    /** The series' identity across strategies: its indicator's key and output, or the field. */
    const globalKey = (local: string): string => {
      if ((BAR_FIELDS as readonly string[]).includes(local)) return local;
      const [slot = 0, output = 0] = local.split(':').map(Number);
      return `${requirements[slot]?.key ?? '?'}#${output}`;
    };
    /** Where a series' current value is: the bar cells, or its indicator's output array. */
    const cellOf = (local: string): SeriesCell => {
      const field = (BAR_FIELDS as readonly string[]).indexOf(local);
      if (field >= 0) return { cells: frame.barCells, index: field };
      const [slot = 0, output = 0] = local.split(':').map(Number);
      return { cells: outputs[slot] as Float64Array, index: output };
    };
    /**
     * Where a series' current and previous values are, when its producer keeps both in place: a
     * bar field (the frame's cells) or an output of an indicator on this timeframe (updated once
     * per bar of it, so its previous update is the previous bar). Else undefined.
     */
    const pairOf = (local: string): SeriesPair | undefined => {
      const field = (BAR_FIELDS as readonly string[]).indexOf(local);
      if (field >= 0) return { cells: frame.barCells, index: field, previous: 5 + field };
      const [slot = 0, output = 0] = local.split(':').map(Number);
      const requirement = requirements[slot];
      const cells = outputs[slot];
      if (requirement === undefined || cells === undefined) return undefined;
      const count = requirement.outputs.length;
      if (requirement.timeframe !== timeframe || cells.length < 2 * count) return undefined;
      return { cells, index: output, previous: count + output };
    };
    /** The series read one bar back at most that are pairs: no history buffer for them. */
    const pairs = new Map<string, SeriesPair>();
    const pooled: PooledRing[] = [];
    const ringOf = new Map<string, SeriesRingBuffer>();
    for (const [local, depth] of blueprint.depths) {
      if (depth <= 1) continue;
      const pair = depth === 2 ? pairOf(local) : undefined;
      if (pair !== undefined) {
        pairs.set(local, pair);
        continue;
      }
      const key = globalKey(local);
      let entry = frame.rings.get(key);
      if (entry === undefined) {
        const { cells, index } = cellOf(local);
        entry = {
          ring: new SeriesRingBuffer(depth),
          time: Number.NEGATIVE_INFINITY,
          users: 0,
          source: cells,
          index,
        };
        frame.addRing(key, entry);
      }
      entry.ring.grow(depth);
      entry.users++;
      this.ringKeys.push(key);
      ringOf.set(local, entry.ring);
      pooled.push(entry);
    }
    this.pooled = pooled;

    // A pair's series gets its own name in cache keys: a closure over a pair reads two bars
    // only, so it must not serve a strategy keeping the same series deeper.
    const leaf = (node: Extract<ExpressionNode, { kind: 'reference' | 'parameter' }>): string => {
      if (node.kind === 'parameter') return `#${blueprint.parameter(node.name)}`;
      const local = blueprint.seriesKeyOf(node);
      return pairs.has(local) ? `${globalKey(local)}~2` : globalKey(local);
    };
    const keys = new WeakMap<ExpressionNode, string>();
    const bindings: CompileBindings = {
      series: (ref) => {
        const ring = ringOf.get(blueprint.seriesKeyOf(ref));
        if (ring === undefined) throw new Error(`internal: no history for ${ref.name}`);
        return ring;
      },
      cell: (ref): SeriesCell | undefined => {
        const local = blueprint.seriesKeyOf(ref);
        return (blueprint.depths.get(local) ?? 1) > 1 ? undefined : cellOf(local);
      },
      pair: (ref) => pairs.get(blueprint.seriesKeyOf(ref)),
      parameter: blueprint.parameter,
      shared: {
        cacheKey: (node) => {
          // Worth a cache check per read: functions over history (crossovers, windows), history
          // reads, and what the rules repeat. Comparisons of plain values and AND/OR over cached
          // parts cost less than the check, and most of their keys are the variant's own.
          if (node.height < 2) return undefined;
          if (
            node.kind !== 'call' &&
            node.kind !== 'history' &&
            !blueprint.repeated.has(nodeKey(node))
          ) {
            return undefined;
          }
          let key = keys.get(node);
          if (key === undefined) keys.set(node, (key = nodeKey(node, leaf)));
          if (!this.nodeKeys.has(key)) {
            this.nodeKeys.add(key);
            frame.nodeUsers.set(key, (frame.nodeUsers.get(key) ?? 0) + 1);
          }
          return key;
        },
        bar: frame.clock,
        nodes: frame.nodes,
      },
    };
    ({
      rules: this.rules,
      tests: this.tests,
      gates: this.gates,
    } = compileRules(blueprint, bindings));
  }

  public observeBar(bar: BarFieldValues): void {
    const time = bar.time;
    const frame = this.frame;
    if (time > frame.time) frame.advance(bar);
    if (this.behind) this.catchUp(time);
  }

  /** Pushes this evaluator's rings the pool's per-bar push left behind (see PoolFrame.advance). */
  private catchUp(time: number): void {
    const pooled = this.pooled;
    const now = this.frame.time;
    let behind = false;
    for (let i = 0; i < pooled.length; i++) {
      const entry = pooled[i] as PooledRing;
      if (entry.time < time) {
        entry.time = time;
        entry.ring.push(entry.source[entry.index] as number);
      }
      if (entry.time !== now) behind = true;
    }
    this.behind = behind;
  }

  public termTexts(rule: RuleName): readonly string[] {
    return this.rules.get(rule)?.termTexts ?? [];
  }

  public termValues(rule: RuleName): number[] {
    return this.rules.get(rule)?.termValues() ?? [];
  }

  /** Shared history is not this evaluator's to forget: nothing happens. */
  public reset(): void {}

  public release(): void {
    if (this.released) return;
    this.released = true;
    const frame = this.frame;
    for (const key of this.ringKeys) {
      const entry = frame.rings.get(key);
      if (entry !== undefined && --entry.users <= 0) frame.deleteRing(key);
    }
    for (const key of this.nodeKeys) {
      const users = (frame.nodeUsers.get(key) ?? 1) - 1;
      if (users > 0) frame.nodeUsers.set(key, users);
      else {
        frame.nodeUsers.delete(key);
        frame.nodes.delete(key);
      }
    }
  }
}

/**
 * One set of compiled rules with its own history: series read on the current bar only are cells
 * (the indicators' own output arrays when given, else copied in per bar), deeper ones history
 * buffers; subexpressions repeated across rules are computed once per bar.
 */
class RuleEvaluator implements StrategyEvaluator {
  public readonly tests: RuleTests;
  public readonly gates: RuleGates;
  private readonly rules: ReadonlyMap<RuleName, CompiledRule>;
  /** open, high, low, close, volume of the last bar observed. */
  private readonly barCells = new Float64Array(5).fill(NaN);
  /** Indicator outputs copied in per bar (when the output arrays were not given). */
  private readonly copied: Float64Array;
  private readonly copySlots: Int32Array;
  private readonly copyOutputs: Int32Array;
  private readonly rings: SeriesRingBuffer[];
  private readonly ringSlots: Int32Array;
  private readonly ringOutputs: Int32Array;
  /** Bar-field history buffers (index into open…volume) and their fields. */
  private readonly barRings: SeriesRingBuffer[];
  private readonly barRingFields: Int32Array;
  private readonly bar = { value: 0 };
  /** The values object last observed and, when it offers stable outputs, the arrays to read. */
  private boundValues: ClosedBarValues | null = null;
  private copyArrays: Float64Array[] | null = null;
  private ringArrays: Float64Array[] | null;

  public constructor(
    blueprint: RulesBlueprint,
    private readonly requirements: readonly IndicatorRequirement[],
    outputs: readonly Float64Array[] | null,
  ) {
    const copyKeys: string[] = [];
    const ringByKey = new Map<string, SeriesRingBuffer>();
    const rings: Array<{ ring: SeriesRingBuffer; slot: number; output: number }> = [];
    const barRings: Array<{ ring: SeriesRingBuffer; field: number }> = [];
    for (const [key, depth] of blueprint.depths) {
      const field = (BAR_FIELDS as readonly string[]).indexOf(key);
      if (depth > 1) {
        const ring = new SeriesRingBuffer(depth);
        ringByKey.set(key, ring);
        if (field >= 0) barRings.push({ ring, field });
        else {
          const [slot = 0, output = 0] = key.split(':').map(Number);
          rings.push({ ring, slot, output });
        }
      } else if (field < 0 && outputs === null) copyKeys.push(key);
    }
    this.copied = new Float64Array(copyKeys.length).fill(NaN);
    const copySpec = copyKeys.map((k) => k.split(':').map(Number));
    this.copySlots = Int32Array.from(copySpec, ([slot = 0]) => slot);
    this.copyOutputs = Int32Array.from(copySpec, ([, output = 0]) => output);
    this.rings = rings.map((r) => r.ring);
    this.ringSlots = Int32Array.from(rings, (r) => r.slot);
    this.ringOutputs = Int32Array.from(rings, (r) => r.output);
    this.ringArrays = outputs === null ? null : rings.map((r) => outputs[r.slot] as Float64Array);
    this.barRings = barRings.map((r) => r.ring);
    this.barRingFields = Int32Array.from(barRings, (r) => r.field);

    const barCells = this.barCells;
    const copied = this.copied;
    const bindings: CompileBindings = {
      series: (ref) => {
        const ring = ringByKey.get(blueprint.seriesKeyOf(ref));
        // Sized by the first compilation: a reference it saw at depth 0 only is a cell.
        if (ring === undefined) throw new Error(`internal: no history for ${ref.name}`);
        return ring;
      },
      cell: (ref): SeriesCell | undefined => {
        const key = blueprint.seriesKeyOf(ref);
        if ((blueprint.depths.get(key) ?? 1) > 1) return undefined;
        const field = (BAR_FIELDS as readonly string[]).indexOf(key);
        if (field >= 0) return { cells: barCells, index: field };
        if (outputs === null) return { cells: copied, index: copyKeys.indexOf(key) };
        const [slot = 0, output = 0] = key.split(':').map(Number);
        return { cells: outputs[slot] as Float64Array, index: output };
      },
      parameter: blueprint.parameter,
      shared: {
        cacheKey: localCacheKey(blueprint.repeated),
        bar: this.bar,
        nodes: new Map(),
      },
    };
    ({
      rules: this.rules,
      tests: this.tests,
      gates: this.gates,
    } = compileRules(blueprint, bindings));
  }

  public observe(values: ClosedBarValues): void {
    if (values !== this.boundValues && this.copied.length > 0) this.bind(values);
    const copied = this.copied;
    if (copied.length > 0) {
      const arrays = this.copyArrays;
      const outputs = this.copyOutputs;
      if (arrays !== null) {
        for (let i = 0; i < copied.length; i++) {
          copied[i] = (arrays[i] as Float64Array)[outputs[i] as number] as number;
        }
      } else {
        for (let i = 0; i < copied.length; i++) {
          copied[i] = values.indicator(this.copySlots[i] as number, outputs[i] as number);
        }
      }
    }
    const rings = this.rings;
    if (rings.length > 0) {
      const arrays = this.ringArrays ?? this.outputArrays(values);
      const outputs = this.ringOutputs;
      if (arrays !== null) {
        for (let i = 0; i < rings.length; i++) {
          (rings[i] as SeriesRingBuffer).push(
            (arrays[i] as Float64Array)[outputs[i] as number] as number,
          );
        }
      } else {
        for (let i = 0; i < rings.length; i++) {
          (rings[i] as SeriesRingBuffer).push(
            values.indicator(this.ringSlots[i] as number, outputs[i] as number),
          );
        }
      }
    }
    this.observeFields(values.open, values.high, values.low, values.close, values.volume);
  }

  public observeBar(bar: BarFieldValues): void {
    // With the output arrays given, nothing calls `indicator`: the bar fields are all it needs.
    this.observe(bar as unknown as ClosedBarValues);
  }

  public release(): void {}

  public termTexts(rule: RuleName): readonly string[] {
    return this.rules.get(rule)?.termTexts ?? [];
  }

  public termValues(rule: RuleName): number[] {
    return this.rules.get(rule)?.termValues() ?? [];
  }

  public reset(): void {
    this.barCells.fill(NaN);
    this.copied.fill(NaN);
    this.bar.value++;
    for (const ring of this.rings) ring.reset();
    for (const ring of this.barRings) ring.reset();
  }

  private observeFields(
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    this.bar.value++;
    const c = this.barCells;
    c[0] = open;
    c[1] = high;
    c[2] = low;
    c[3] = close;
    c[4] = volume;
    const rings = this.barRings;
    for (let i = 0; i < rings.length; i++) {
      (rings[i] as SeriesRingBuffer).push(c[this.barRingFields[i] as number] as number);
    }
  }

  /** The output arrays of a values object that offers them for every slot this reads, or null. */
  private outputArrays(values: ClosedBarValues): Float64Array[] | null {
    if (values !== this.boundValues) this.bind(values);
    return this.boundArrays;
  }

  private boundArrays: Float64Array[] | null = null;

  private bind(values: ClosedBarValues): void {
    this.boundValues = values;
    const outputs = values.outputs;
    const complete =
      outputs !== undefined &&
      this.requirements.every((r, slot) => (outputs[slot]?.length ?? 0) >= r.outputs.length);
    if (!complete) {
      this.copyArrays = null;
      this.boundArrays = null;
      return;
    }
    this.copyArrays = Array.from(this.copySlots, (slot) => outputs[slot] as Float64Array);
    this.boundArrays = Array.from(this.ringSlots, (slot) => outputs[slot] as Float64Array);
  }
}

/** The per-variant runtime behind `CompiledStrategy`. */
class RuntimeStrategy implements CompiledStrategy {
  private readonly signals: StrategySignals = {
    entryLong: false,
    entryShort: false,
    exitLong: false,
    exitShort: false,
  };
  private readonly own: RuleEvaluator;
  public readonly tests: RuleTests;

  public constructor(
    public readonly config: StrategyConfig,
    public readonly parameters: ReadonlyMap<string, number | string>,
    public readonly timeframe: Timeframe,
    public readonly requirements: readonly IndicatorRequirement[],
    public readonly maxLookback: number,
    private readonly barLookback: number,
    public readonly risk: ResolvedRisk,
    private readonly blueprint: RulesBlueprint,
  ) {
    this.own = new RuleEvaluator(blueprint, requirements, null);
    this.tests = this.own.tests;
  }

  public warmupBars(indicatorWarmup: (requirement: IndicatorRequirement) => number): number {
    return this.requirements.reduce(
      (m, r) => Math.max(m, indicatorWarmup(r) + r.lookback),
      this.barLookback,
    );
  }

  public evaluate(values: ClosedBarValues): Readonly<StrategySignals> {
    this.own.observe(values);
    const s = this.signals;
    const t = this.tests;
    s.entryLong = t.entryLong();
    s.entryShort = t.entryShort();
    s.exitLong = t.exitLong();
    s.exitShort = t.exitShort();
    return s;
  }

  public observe(values: ClosedBarValues): void {
    this.own.observe(values);
  }

  public instantiate(outputs: readonly Float64Array[], pool?: SeriesPool): StrategyEvaluator {
    if (
      outputs.length < this.requirements.length ||
      this.requirements.some((r, slot) => (outputs[slot]?.length ?? 0) < r.outputs.length)
    ) {
      throw new RangeError('instantiate: an output array per requirement, each with every output');
    }
    if (pool !== undefined) {
      return new PooledRuleEvaluator(
        this.blueprint,
        this.requirements,
        outputs,
        pool,
        this.timeframe,
      );
    }
    return new RuleEvaluator(this.blueprint, this.requirements, outputs);
  }

  public explain(rule: RuleName): TermValue[] {
    return pairTerms(this.own.termTexts(rule), this.own.termValues(rule));
  }

  public reset(): void {
    this.own.reset();
  }
}
