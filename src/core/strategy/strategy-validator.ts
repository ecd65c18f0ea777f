import type { z } from 'zod';
import { formatIssuePath } from '../../shared/api-errors';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../../shared/market';
import {
  INDICATOR_SPECS,
  INDICATOR_TYPES,
  type IndicatorParamSpec,
  type IndicatorType,
} from '../indicators/indicator-catalog';
import { didYouMean } from './edit-distance';
import { FUNCTION_SPECS } from './expression-functions';
import { CONFIG_LIMITS } from './expression-limits';
import {
  BAR_FIELDS,
  type ExpressionScope,
  type ScopeIndicator,
  type ScopeParameter,
} from './expression-scope';
import { parseExpression } from './parser';
import { ExpressionError } from './source-span';
import {
  IndicatorConfigSchema,
  ModelsSchema,
  ParameterSchema,
  RISK_BOUNDS,
  RULE_NAMES,
  RulesSchema,
  StrategyConfigSchema,
  StrategyMetaSchema,
  type IndicatorConfig,
  type NumberOrParameter,
  type ParameterConfig,
  type RiskConfig,
  type StrategyConfig,
} from './strategy-config-schema';
import type { StrategyIssue } from './strategy-issue';
import { checkExpression } from './type-checker';

/** Either a valid config (defaults filled in) or every problem found, each with its path. */
export type StrategyValidationResult =
  | { readonly ok: true; readonly config: StrategyConfig; readonly scope: ExpressionScope }
  | { readonly ok: false; readonly issues: readonly StrategyIssue[] };

const RESERVED_IDS: ReadonlySet<string> = new Set([
  ...BAR_FIELDS,
  ...FUNCTION_SPECS.keys(),
  'and',
  'or',
  'not',
  'true',
  'false',
]);

const MAX_ISSUES = 200;

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[]): StrategyIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'invalid_type' && message.endsWith('received undefined')) {
      message = `required: expected ${issue.expected}`;
    } else if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .slice(0, 5)
        .map((k) => `\`${k.length > 40 ? `${k.slice(0, 40)}…` : k}\``)
        .join(', ')}`;
    }
    return { path: formatIssuePath([...prefix, ...issue.path]), message };
  });
}

const fmt = (n: number): string => String(Number(n.toPrecision(12)));

/** A numeric field's allowed range, for literals and for the parameters that feed it. */
interface NumberBounds {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly exclusiveMin?: boolean;
}

class StrategyValidator {
  public readonly issues: StrategyIssue[] = [];
  private readonly parameters = new Map<string, ScopeParameter>();
  private readonly parameterConfigs = new Map<string, ParameterConfig>();

  public add(path: string, message: string, span?: StrategyIssue['span']): void {
    if (this.issues.length < MAX_ISSUES)
      this.issues.push(span ? { path, message, span } : { path, message });
  }

  public run(input: unknown): StrategyValidationResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      this.add('(root)', 'expected a strategy config object');
      return { ok: false, issues: this.issues };
    }
    const record = input as Record<string, unknown>;
    const known = Object.keys(StrategyConfigSchema.shape);
    for (const key of Object.keys(record).slice(0, 1000)) {
      if (!known.includes(key)) {
        this.add(
          formatIssuePath([key]),
          `unknown section \`${key.slice(0, 40)}\`${didYouMean(key, known)}`,
        );
      }
    }
    // Each section is parsed on its own, so one broken section does not hide the others' errors.
    const section = <S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined => {
      const result = schema.safeParse(Object.hasOwn(record, key) ? record[key] : undefined);
      if (result.success) return result.data;
      for (const issue of zodIssues(result.error, [key])) this.add(issue.path, issue.message);
      return undefined;
    };
    // Arrays are parsed item by item for the same reason: a bad indicator must not hide the
    // rules' errors, so names of broken items still enter the scope, unchecked.
    const items = <S extends z.ZodType>(
      key: string,
      schema: S,
      max: number,
    ): { valid: z.output<S>[]; indices: number[]; broken: string[] } | undefined => {
      const value = Object.hasOwn(record, key) ? record[key] : [];
      if (!Array.isArray(value)) {
        this.add(key, `expected a list, got ${value === null ? 'null' : typeof value}`);
        return undefined;
      }
      if (value.length > max) {
        this.add(key, `at most ${max} items, got ${value.length}`);
        return undefined;
      }
      const valid: z.output<S>[] = [];
      const indices: number[] = [];
      const broken: string[] = [];
      value.forEach((item: unknown, i) => {
        const result = schema.safeParse(item);
        if (result.success) {
          valid.push(result.data);
          indices.push(i);
          return;
        }
        for (const issue of zodIssues(result.error, [key, i])) this.add(issue.path, issue.message);
        const name =
          typeof item === 'object' && item !== null
            ? (item as Record<string, unknown>)[key === 'indicators' ? 'id' : 'name']
            : undefined;
        if (typeof name === 'string') broken.push(name);
      });
      return { valid, indices, broken };
    };
    const shape = StrategyConfigSchema.shape;
    const meta = section('meta', StrategyMetaSchema);
    const indicatorItems = items('indicators', IndicatorConfigSchema, CONFIG_LIMITS.maxIndicators);
    const parameterItems = items('parameters', ParameterSchema, CONFIG_LIMITS.maxParameters);
    const rules = section('rules', RulesSchema);
    const risk = section('risk', shape.risk);
    const models = section('models', ModelsSchema.optional());
    const schemaRef = section('$schema', shape.$schema);

    const parameters = parameterItems?.valid;
    const indicators = indicatorItems?.valid;
    if (parameters) this.checkParameters(parameters, parameterItems?.indices ?? []);
    for (const name of parameterItems?.broken ?? []) {
      if (!this.parameters.has(name))
        this.parameters.set(name, {
          name,
          numeric: true,
          integer: true,
          min: NaN,
          max: NaN,
          unchecked: true,
        });
    }
    const paramsOk = parameters !== undefined;
    if (meta && paramsOk) this.checkTimeframe(meta.timeframe, 'meta.timeframe');
    const scopeIndicators =
      indicators && paramsOk
        ? this.checkIndicators(indicators, indicatorItems?.indices ?? [], meta?.timeframe)
        : undefined;
    for (const id of indicatorItems?.broken ?? []) {
      if (scopeIndicators && !scopeIndicators.has(id))
        scopeIndicators.set(id, { id, types: [], outputsByType: new Map() });
    }
    if (risk && paramsOk) this.checkRisk(risk);
    const scope: ExpressionScope | undefined = scopeIndicators
      ? { indicators: scopeIndicators, parameters: this.parameters }
      : undefined;
    if (rules) this.checkRules(rules, scope);

    if (this.issues.length > 0 || !meta || !indicators || !parameters || !rules || !risk) {
      if (this.issues.length === 0) this.add('(root)', 'invalid strategy config');
      return { ok: false, issues: this.issues };
    }
    const config: StrategyConfig = { meta, indicators, parameters, rules, risk };
    if (models !== undefined) config.models = models;
    if (schemaRef !== undefined) config.$schema = schemaRef;
    return {
      ok: true,
      config,
      scope: scope ?? { indicators: new Map(), parameters: this.parameters },
    };
  }

  /** `indices` are the items' positions in the input (broken items were left out). */
  private checkParameters(
    parameters: readonly ParameterConfig[],
    indices: readonly number[],
  ): void {
    parameters.forEach((p, i) => {
      const path = `parameters[${indices[i] ?? i}]`;
      if (this.parameterConfigs.has(p.name)) {
        this.add(`${path}.name`, `parameter \`${p.name}\` is declared twice`);
        return;
      }
      this.parameterConfigs.set(p.name, p);
      if (p.type === 'choice') {
        const kinds = new Set(p.choices.map((c) => typeof c));
        if (kinds.size > 1) this.add(`${path}.choices`, 'choices must be all numbers or all text');
        if (new Set(p.choices).size !== p.choices.length)
          this.add(`${path}.choices`, 'choices must not repeat');
        if (!p.choices.includes(p.default)) {
          this.add(
            `${path}.default`,
            `default ${JSON.stringify(p.default)} is not one of the choices`,
          );
        }
        const numbers = p.choices.filter((c): c is number => typeof c === 'number');
        const numeric = numbers.length === p.choices.length;
        this.parameters.set(p.name, {
          name: p.name,
          numeric,
          integer: numeric && numbers.every(Number.isInteger),
          min: numeric ? Math.min(...numbers) : NaN,
          max: numeric ? Math.max(...numbers) : NaN,
        });
        return;
      }
      if (p.min > p.max)
        this.add(`${path}.max`, `max (${fmt(p.max)}) is below min (${fmt(p.min)})`);
      else if (p.default < p.min || p.default > p.max) {
        this.add(
          `${path}.default`,
          `default ${fmt(p.default)} is outside the range ${fmt(p.min)}..${fmt(p.max)}`,
        );
      }
      if (p.step !== undefined && p.max > p.min && p.step > p.max - p.min) {
        this.add(
          `${path}.step`,
          `step ${fmt(p.step)} is larger than the range ${fmt(p.min)}..${fmt(p.max)}`,
        );
      }
      this.parameters.set(p.name, {
        name: p.name,
        numeric: true,
        integer: p.type === 'int',
        min: p.min,
        max: p.max,
      });
    });
  }

  /** The text values a `$parameter` can take, or undefined (with an issue) when it can't be used. */
  private textChoices(ref: string, path: string, what: string): readonly string[] | undefined {
    const name = ref.slice(1);
    const p = this.parameterConfigs.get(name);
    if (!p) {
      this.add(
        path,
        `unknown parameter \`${ref}\`${didYouMean(name, this.parameterConfigs.keys(), '$')} — declare it under parameters`,
      );
      return undefined;
    }
    if (p.type !== 'choice' || p.choices.some((c) => typeof c !== 'string')) {
      this.add(path, `\`${ref}\` must be a choice of ${what}s to be used here`);
      return undefined;
    }
    return p.choices as string[];
  }

  private checkTimeframe(value: string, path: string): readonly Timeframe[] {
    if (!value.startsWith('$')) return [value as Timeframe];
    const choices = this.textChoices(value, path, 'timeframe');
    if (!choices) return [];
    const bad = choices.filter((c) => !(TIMEFRAMES as readonly string[]).includes(c));
    if (bad.length > 0) {
      this.add(
        path,
        `\`${value}\` offers ${bad.map((b) => `\`${b}\``).join(', ')}, which ${bad.length > 1 ? 'are not timeframes' : 'is not a timeframe'} (${TIMEFRAMES.join(', ')})`,
      );
      return [];
    }
    return choices as Timeframe[];
  }

  private checkIndicators(
    indicators: readonly IndicatorConfig[],
    indices: readonly number[],
    baseTimeframe: string | undefined,
  ): Map<string, ScopeIndicator> {
    const scope = new Map<string, ScopeIndicator>();
    const baseChoices =
      baseTimeframe === undefined
        ? []
        : baseTimeframe.startsWith('$')
          ? []
          : [baseTimeframe as Timeframe];
    indicators.forEach((ind, i) => {
      const path = `indicators[${indices[i] ?? i}]`;
      if (scope.has(ind.id)) {
        this.add(`${path}.id`, `indicator id \`${ind.id}\` is used twice`);
      } else if (RESERVED_IDS.has(ind.id.toLowerCase())) {
        this.add(
          `${path}.id`,
          `\`${ind.id}\` is a reserved word of the rule language; pick another id`,
        );
      }
      let types: IndicatorType[];
      if (ind.type.startsWith('$')) {
        const choices = this.textChoices(ind.type, `${path}.type`, 'indicator type') ?? [];
        const bad = choices.filter((c) => !Object.hasOwn(INDICATOR_SPECS, c));
        if (bad.length > 0) {
          this.add(
            `${path}.type`,
            `\`${ind.type}\` offers ${bad.map((b) => `\`${b}\``).join(', ')}, not indicator types (${INDICATOR_TYPES.join(', ')})`,
          );
        }
        types = choices.filter((c): c is IndicatorType => Object.hasOwn(INDICATOR_SPECS, c));
      } else {
        types = [ind.type as IndicatorType];
      }
      for (const type of types) {
        const spec = INDICATOR_SPECS[type];
        const via = ind.type.startsWith('$') ? ` (when ${ind.type} is ${type})` : '';
        const specParams = spec.params as Readonly<Record<string, IndicatorParamSpec>>;
        for (const [key, value] of Object.entries(ind.params ?? {})) {
          const paramSpec = Object.hasOwn(specParams, key) ? specParams[key] : undefined;
          if (!paramSpec) {
            const names = Object.keys(specParams);
            this.add(
              `${path}.params.${key}`,
              `${type} has no parameter \`${key}\`${via}${didYouMean(key, names)}${names.length > 0 ? ` (parameters: ${names.join(', ')})` : ' (it takes none)'}`,
            );
            continue;
          }
          this.checkNumber(value, `${path}.params.${key}`, {
            what: `${type} ${key}${via}`,
            min: paramSpec.min,
            max: paramSpec.max,
            integer: paramSpec.integer,
          });
        }
        if (type === 'macd') this.checkFasterThanSlower(ind.params ?? {}, path);
        if (ind.source !== undefined && !spec.usesSource) {
          this.add(
            `${path}.source`,
            `${type} reads the whole bar, not one price; remove \`source\`${via}`,
          );
        }
      }
      if (ind.timeframe !== undefined) {
        const tfs = this.checkTimeframe(ind.timeframe, `${path}.timeframe`);
        for (const base of baseChoices) {
          for (const tf of tfs) {
            const problem = higherTimeframeProblem(tf, base);
            if (problem) this.add(`${path}.timeframe`, problem);
          }
        }
      }
      if (!scope.has(ind.id)) {
        scope.set(ind.id, {
          id: ind.id,
          types,
          outputsByType: new Map(types.map((t) => [t, INDICATOR_SPECS[t].outputs])),
        });
      }
    });
    return scope;
  }

  /** Checks a literal against `bounds`, or that every value a parameter can take fits them. */
  private checkNumber(value: NumberOrParameter, path: string, bounds: NumberBounds): void {
    const range = `${bounds.exclusiveMin ? 'above' : 'from'} ${fmt(bounds.min)} ${bounds.exclusiveMin ? 'and up to' : 'to'} ${fmt(bounds.max)}`;
    if (typeof value === 'number') {
      if (bounds.integer && !Number.isInteger(value)) {
        this.add(path, `${bounds.what} must be a whole number, got ${fmt(value)}`);
      } else if (
        value < bounds.min ||
        value > bounds.max ||
        (bounds.exclusiveMin && value === bounds.min)
      ) {
        this.add(path, `${bounds.what} must be ${range}, got ${fmt(value)}`);
      }
      return;
    }
    const name = value.slice(1);
    const param = this.parameters.get(name);
    if (!param) {
      this.add(
        path,
        `unknown parameter \`${value}\`${didYouMean(name, this.parameters.keys(), '$')} — declare it under parameters`,
      );
      return;
    }
    if (!param.numeric) {
      this.add(path, `\`${value}\` is a choice of text values, but ${bounds.what} is a number`);
      return;
    }
    if (bounds.integer && !param.integer) {
      this.add(
        path,
        `${bounds.what} must be a whole number, but \`${value}\` is not an int parameter`,
      );
      return;
    }
    if (
      param.min < bounds.min ||
      param.max > bounds.max ||
      (bounds.exclusiveMin && param.min === bounds.min)
    ) {
      this.add(
        path,
        `\`${value}\` ranges ${fmt(param.min)}..${fmt(param.max)}, but ${bounds.what} must be ${range}`,
      );
    }
  }

  /**
   * MACD's fast average must be shorter than its slow one — for literals, and for every value
   * two parameters can take (overlapping ranges would give some variants fast ≥ slow).
   */
  private checkFasterThanSlower(
    params: Readonly<Record<string, NumberOrParameter>>,
    path: string,
  ): void {
    const bounds = (value: NumberOrParameter | undefined, fallback: number): [number, number] => {
      if (value === undefined) return [fallback, fallback];
      if (typeof value === 'number') return [value, value];
      const param = this.parameters.get(value.slice(1));
      return param?.numeric ? [param.min, param.max] : [Number.NaN, Number.NaN];
    };
    const defaults = INDICATOR_SPECS.macd.params;
    const [, fastMax] = bounds(params.fast, defaults.fast.default);
    const [slowMin] = bounds(params.slow, defaults.slow.default);
    if (!(fastMax >= slowMin)) return;
    const both = typeof params.fast !== 'string' && typeof params.slow !== 'string';
    this.add(
      `${path}.params.fast`,
      both
        ? `macd fast (${fmt(fastMax)}) must be shorter than slow (${fmt(slowMin)})`
        : `macd fast can reach ${fmt(fastMax)} while slow can be as short as ${fmt(slowMin)}; keep fast's range below slow's so every variant has fast < slow`,
    );
  }

  private checkRisk(risk: RiskConfig): void {
    const check = (value: NumberOrParameter | undefined, key: keyof typeof RISK_BOUNDS): void => {
      if (value === undefined) return;
      const b = RISK_BOUNDS[key];
      this.checkNumber(value, `risk.${key}`, {
        what: key,
        min: b.min,
        max: b.max,
        integer: false,
        exclusiveMin: b.exclusiveMin,
      });
    };
    if (risk.positionSize.kind === 'percentOfEquity')
      check(risk.positionSize.percent, 'positionSize.percent');
    else check(risk.positionSize.amount, 'positionSize.amount');
    check(risk.leverage, 'leverage');
    check(risk.stopLoss?.percent, 'stopLoss.percent');
    check(risk.takeProfit?.percent, 'takeProfit.percent');
    check(risk.trailingStop?.percent, 'trailingStop.percent');
    check(risk.maxLossPercent, 'maxLossPercent');
    check(risk.maxDrawdownPercent, 'maxDrawdownPercent');
  }

  private checkRules(
    rules: Record<string, string | undefined>,
    scope: ExpressionScope | undefined,
  ): void {
    if (rules.entryLong === undefined && rules.entryShort === undefined) {
      this.add('rules', 'a strategy needs at least one entry rule (entryLong or entryShort)');
    }
    for (const name of RULE_NAMES) {
      const text = rules[name];
      if (text === undefined) continue;
      const path = `rules.${name}`;
      let ast;
      try {
        ast = parseExpression(text);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.add(path, error.message, error.span);
        continue;
      }
      // Without a scope (indicators or parameters broken) names can't be checked; syntax was.
      if (!scope) continue;
      for (const d of checkExpression(ast, scope, 'boolean').diagnostics)
        this.add(path, d.message, d.span);
    }
  }
}

/** Why `tf` can't be read as a higher timeframe of `base`, or undefined when it can. */
export function higherTimeframeProblem(tf: Timeframe, base: Timeframe): string | undefined {
  const t = TIMEFRAME_MS[tf];
  const b = TIMEFRAME_MS[base];
  if (t < b)
    return `${tf} is shorter than the strategy's ${base}; an indicator's timeframe must be the same or higher`;
  if (t % b !== 0)
    return `${tf} is not a whole multiple of the strategy's ${base}, so its bars would not close on the strategy's bars`;
  return undefined;
}

/**
 * Validates a strategy config: its shape, then everything the shape can't say (indicator types
 * and parameter ranges from the catalogue, declared `$parameters`, unique ids, rule expressions).
 * Never throws on any input; every problem comes back with its path.
 */
export function validateStrategyConfig(input: unknown): StrategyValidationResult {
  try {
    return new StrategyValidator().run(input);
  } catch (error) {
    // A bug of ours must not take the host down; the fuzz tests assert this path is never taken.
    return {
      ok: false,
      issues: [
        {
          path: '(root)',
          message: `internal error while validating: ${String(error).slice(0, 200)}`,
        },
      ],
    };
  }
}

/** Parses config JSON text (at most `CONFIG_LIMITS.maxJsonLength` characters) and validates it. */
export function parseStrategyConfigJson(text: string): StrategyValidationResult {
  if (text.length > CONFIG_LIMITS.maxJsonLength) {
    return {
      ok: false,
      issues: [
        {
          path: '(root)',
          message: `the config is too large: ${text.length} characters, the limit is ${CONFIG_LIMITS.maxJsonLength}`,
        },
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          path: '(root)',
          message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  return validateStrategyConfig(value);
}
