import type { Timeframe } from '../../shared/market';
import {
  INDICATOR_SPECS,
  type IndicatorParamSpec,
  type IndicatorType,
} from '../indicators/indicator-catalog';
import type { CompiledStrategy, ResolvedRisk, RuleTests } from './compiled-strategy';
import {
  compileRule,
  countSubexpressions,
  type CompileBindings,
  type CompiledRule,
  type SeriesCell,
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

interface IndicatorFeed {
  readonly ring: SeriesRingBuffer;
  readonly slot: number;
  readonly output: number;
}

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
  const seriesRings = new Map<string, SeriesRingBuffer>();
  const feeds: IndicatorFeed[] = [];
  const barRings = new Map<BarField, SeriesRingBuffer>();
  /** A series' identity: `slot:output` for an indicator output, the field name for a bar field. */
  const seriesKeyOf = (ref: { name: string; output: string | undefined }): string => {
    const ind = slotOfId.get(ref.name);
    if (!ind) return ref.name;
    let slot = slots.indexOf(ind.key);
    if (slot < 0) slot = slots.push(ind.key) - 1;
    const output = ref.output === undefined ? 0 : Math.max(0, ind.outputs.indexOf(ref.output));
    return `${slot}:${output}`;
  };
  const sizing: CompileBindings = {
    series: (ref) => {
      const key = seriesKeyOf(ref);
      const ind = slotOfId.get(ref.name);
      if (!ind) {
        const field = ref.name as BarField;
        let ring = barRings.get(field);
        if (!ring) barRings.set(field, (ring = new SeriesRingBuffer()));
        return ring;
      }
      let ring = seriesRings.get(key);
      if (!ring) {
        ring = new SeriesRingBuffer();
        seriesRings.set(key, ring);
        const [slot = 0, output = 0] = key.split(':').map(Number);
        feeds.push({ ring, slot, output });
      }
      return ring;
    },
    parameter: (name: string): number => {
      const v = values.get(name);
      return typeof v === 'number' ? v : NaN;
    },
  };
  // Validation parsed and checked these texts already, so parsing cannot fail here.
  const asts = new Map<RuleName, { text: string; ast: ExpressionNode }>();
  for (const name of RULE_NAMES) {
    const text = config.rules[name];
    if (text !== undefined) asts.set(name, { text, ast: parseExpression(text) });
  }
  // A first compilation sizes every history buffer; the second knows which series are read on
  // the current bar only (cells, cheaper per bar) and which subexpressions repeat (cached).
  for (const { text, ast } of asts.values()) compileRule(text, ast, sizing);
  const counts = new Map<string, number>();
  for (const { ast } of asts.values()) countSubexpressions(ast, counts);
  const cellKeys: string[] = [];
  for (const [key, ring] of seriesRings) if (ring.size === 1) cellKeys.push(key);
  for (const [field, ring] of barRings) if (ring.size === 1) cellKeys.push(field);
  const cells = new Float64Array(cellKeys.length).fill(NaN);
  const cellOf = new Map<string, SeriesCell>(cellKeys.map((k, index) => [k, { cells, index }]));
  const bar = { value: 0 };
  const bindings: CompileBindings = {
    ...sizing,
    cell: (ref) => cellOf.get(seriesKeyOf(ref)),
    shared: {
      keys: new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k)),
      bar,
      nodes: new Map(),
    },
  };
  const rules = new Map<RuleName, CompiledRule>();
  for (const [name, { text, ast }] of asts) rules.set(name, compileRule(text, ast, bindings));
  const cellPlan = {
    cells,
    bar,
    feeds: feeds
      .filter((f) => f.ring.size === 1)
      .map((f) => ({
        slot: f.slot,
        output: f.output,
        index: cellKeys.indexOf(`${f.slot}:${f.output}`),
      })),
    fields: (['open', 'high', 'low', 'close', 'volume'] as const).map((f) => cellKeys.indexOf(f)),
  };

  const requirements: IndicatorRequirement[] = slots.map((key, slot) => {
    const entry = requirementByKey.get(key);
    if (!entry) throw new Error(`internal: no requirement ${key}`);
    const lookback = feeds
      .filter((f) => f.slot === slot)
      .reduce((m, f) => Math.max(m, f.ring.size - 1), 0);
    return Object.freeze({ ...entry.req, ids: Object.freeze([...entry.ids]), lookback });
  });
  const barLookback = [...barRings.values()].reduce((m, r) => Math.max(m, r.size - 1), 0);
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
      rules,
      feeds.filter((f) => f.ring.size > 1),
      new Map([...barRings].filter(([, ring]) => ring.size > 1)),
      cellPlan,
    ),
  };
}

/** Where the current-bar cells come from, and the bar counter the cached subexpressions use. */
interface CellPlan {
  readonly cells: Float64Array;
  readonly bar: { value: number };
  readonly feeds: ReadonlyArray<{ slot: number; output: number; index: number }>;
  /** Cell index of open, high, low, close, volume, or −1 when not a cell. */
  readonly fields: readonly number[];
}

/** The test of a rule the config leaves out. */
const never = (): boolean => false;

/** The per-variant runtime behind `CompiledStrategy`. */
class RuntimeStrategy implements CompiledStrategy {
  private readonly signals: StrategySignals = {
    entryLong: false,
    entryShort: false,
    exitLong: false,
    exitShort: false,
  };
  // Flat arrays and fixed fields: the per-bar loop touches no maps.
  private readonly feedRings: SeriesRingBuffer[];
  private readonly feedSlots: Int32Array;
  private readonly feedOutputs: Int32Array;
  private readonly openRing: SeriesRingBuffer | undefined;
  private readonly highRing: SeriesRingBuffer | undefined;
  private readonly lowRing: SeriesRingBuffer | undefined;
  private readonly closeRing: SeriesRingBuffer | undefined;
  private readonly volumeRing: SeriesRingBuffer | undefined;
  private readonly cells: Float64Array;
  private readonly cellSlots: Int32Array;
  private readonly cellOutputs: Int32Array;
  private readonly cellIndex: Int32Array;
  private readonly fieldCells: Int32Array;
  private readonly bar: { value: number };
  /** The values object last observed and, when it offers stable outputs, the arrays to read. */
  private boundValues: ClosedBarValues | null = null;
  private cellArrays: Float64Array[] | null = null;
  private feedArrays: Float64Array[] | null = null;
  public readonly tests: RuleTests;

  public constructor(
    public readonly config: StrategyConfig,
    public readonly parameters: ReadonlyMap<string, number | string>,
    public readonly timeframe: Timeframe,
    public readonly requirements: readonly IndicatorRequirement[],
    public readonly maxLookback: number,
    private readonly barLookback: number,
    public readonly risk: ResolvedRisk,
    private readonly rules: ReadonlyMap<RuleName, CompiledRule>,
    feeds: readonly IndicatorFeed[],
    barRings: ReadonlyMap<BarField, SeriesRingBuffer>,
    cellPlan: CellPlan,
  ) {
    this.cells = cellPlan.cells;
    this.cellSlots = Int32Array.from(cellPlan.feeds, (f) => f.slot);
    this.cellOutputs = Int32Array.from(cellPlan.feeds, (f) => f.output);
    this.cellIndex = Int32Array.from(cellPlan.feeds, (f) => f.index);
    this.fieldCells = Int32Array.from(cellPlan.fields);
    this.bar = cellPlan.bar;
    this.feedRings = feeds.map((f) => f.ring);
    this.feedSlots = Int32Array.from(feeds, (f) => f.slot);
    this.feedOutputs = Int32Array.from(feeds, (f) => f.output);
    this.openRing = barRings.get('open');
    this.highRing = barRings.get('high');
    this.lowRing = barRings.get('low');
    this.closeRing = barRings.get('close');
    this.volumeRing = barRings.get('volume');
    this.tests = Object.freeze({
      entryLong: rules.get('entryLong')?.test ?? never,
      entryShort: rules.get('entryShort')?.test ?? never,
      exitLong: rules.get('exitLong')?.test ?? never,
      exitShort: rules.get('exitShort')?.test ?? never,
    });
  }

  public warmupBars(indicatorWarmup: (requirement: IndicatorRequirement) => number): number {
    return this.requirements.reduce(
      (m, r) => Math.max(m, indicatorWarmup(r) + r.lookback),
      this.barLookback,
    );
  }

  public evaluate(values: ClosedBarValues): Readonly<StrategySignals> {
    this.observe(values);
    const s = this.signals;
    const t = this.tests;
    s.entryLong = t.entryLong();
    s.entryShort = t.entryShort();
    s.exitLong = t.exitLong();
    s.exitShort = t.exitShort();
    return s;
  }

  public observe(values: ClosedBarValues): void {
    this.bar.value++;
    if (values !== this.boundValues) this.bind(values);
    const cells = this.cells;
    const cellIndex = this.cellIndex;
    const cellArrays = this.cellArrays;
    const cellOutputs = this.cellOutputs;
    if (cellArrays !== null) {
      for (let i = 0; i < cellIndex.length; i++) {
        cells[cellIndex[i] as number] = (cellArrays[i] as Float64Array)[
          cellOutputs[i] as number
        ] as number;
      }
    } else {
      for (let i = 0; i < cellIndex.length; i++) {
        cells[cellIndex[i] as number] = values.indicator(
          this.cellSlots[i] as number,
          cellOutputs[i] as number,
        );
      }
    }
    const f = this.fieldCells;
    if ((f[0] as number) >= 0) cells[f[0] as number] = values.open;
    if ((f[1] as number) >= 0) cells[f[1] as number] = values.high;
    if ((f[2] as number) >= 0) cells[f[2] as number] = values.low;
    if ((f[3] as number) >= 0) cells[f[3] as number] = values.close;
    if ((f[4] as number) >= 0) cells[f[4] as number] = values.volume;
    const rings = this.feedRings;
    const feedArrays = this.feedArrays;
    if (feedArrays !== null) {
      for (let i = 0; i < rings.length; i++) {
        (rings[i] as SeriesRingBuffer).push(
          (feedArrays[i] as Float64Array)[this.feedOutputs[i] as number] as number,
        );
      }
    } else {
      for (let i = 0; i < rings.length; i++) {
        (rings[i] as SeriesRingBuffer).push(
          values.indicator(this.feedSlots[i] as number, this.feedOutputs[i] as number),
        );
      }
    }
    this.openRing?.push(values.open);
    this.highRing?.push(values.high);
    this.lowRing?.push(values.low);
    this.closeRing?.push(values.close);
    this.volumeRing?.push(values.volume);
  }

  /** Resolves the output arrays of a values object that offers them (once per object). */
  private bind(values: ClosedBarValues): void {
    this.boundValues = values;
    const outputs = values.outputs;
    const complete =
      outputs !== undefined &&
      this.requirements.every((r, slot) => (outputs[slot]?.length ?? 0) >= r.outputs.length);
    if (!complete) {
      this.cellArrays = null;
      this.feedArrays = null;
      return;
    }
    this.cellArrays = Array.from(this.cellSlots, (slot) => outputs[slot] as Float64Array);
    this.feedArrays = Array.from(this.feedSlots, (slot) => outputs[slot] as Float64Array);
  }

  public explain(rule: RuleName): TermValue[] {
    return this.rules.get(rule)?.terms() ?? [];
  }

  public reset(): void {
    this.cells.fill(NaN);
    this.bar.value++;
    for (const ring of this.feedRings) ring.reset();
    for (const ring of [
      this.openRing,
      this.highRing,
      this.lowRing,
      this.closeRing,
      this.volumeRing,
    ])
      ring?.reset();
  }
}
