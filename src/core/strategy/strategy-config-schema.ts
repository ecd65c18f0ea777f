import { z } from 'zod';
import { INDICATOR_SOURCES, INDICATOR_TYPES } from '../indicators/indicator-catalog';
import { TIMEFRAMES, TimeframeSchema } from '../../shared/market';
import { didYouMean } from './edit-distance';
import { CONFIG_LIMITS, EXPRESSION_LIMITS } from './expression-limits';

// Plain zod and catalogue imports only (no Node): the schema may move to src/shared with the
// catalogue, and the renderer's strategy builder validates with it too.

/** Names of indicators and parameters: what the expression language can spell. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A reference to a declared parameter, e.g. `$fast`. */
export const PARAMETER_REF_PATTERN = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

const inputText = (input: unknown): string =>
  typeof input === 'string'
    ? `\`${input.length > 40 ? `${input.slice(0, 40)}…` : input}\``
    : typeof input;

/** A `$parameter` reference; `expected` says what else the field would accept. */
function parameterRef(expected: string) {
  return z
    .string()
    .max(CONFIG_LIMITS.maxNameLength + 1)
    .regex(PARAMETER_REF_PATTERN, {
      error: (iss) => `expected ${expected}, got ${inputText(iss.input)}`,
    });
}

const identifier = (what: string) =>
  z
    .string()
    .min(1, `${what} can't be empty`)
    .max(
      CONFIG_LIMITS.maxNameLength,
      `${what} can be at most ${CONFIG_LIMITS.maxNameLength} characters`,
    )
    .regex(IDENTIFIER_PATTERN, {
      error: `${what} must start with a letter or _ and contain only letters, digits and _`,
    });

/** A number written in the config, or a `$parameter` that supplies it per variant. */
export const NumberOrParameterSchema = z
  .union([z.number(), parameterRef('a number or a $parameter')], {
    error: 'expected a number or a $parameter',
  })
  .meta({ description: 'A number, or `$name` of a declared parameter.' });
export type NumberOrParameter = z.infer<typeof NumberOrParameterSchema>;

/** A timeframe, or a `$parameter` choosing one. */
export const TimeframeOrParameterSchema = z.union(
  [TimeframeSchema, parameterRef(`a timeframe (${TIMEFRAMES.join(', ')}) or a $parameter`)],
  { error: 'expected a timeframe or a $parameter' },
);

/** An indicator type from the catalogue, or a `$parameter` choosing one. */
export const IndicatorTypeOrParameterSchema = z.union(
  [
    z.enum(INDICATOR_TYPES),
    z
      .string()
      .max(CONFIG_LIMITS.maxNameLength + 1)
      .regex(PARAMETER_REF_PATTERN, {
        error: (iss) =>
          typeof iss.input === 'string'
            ? `unknown indicator type ${inputText(iss.input)}${didYouMean(iss.input, INDICATOR_TYPES)} (types: ${INDICATOR_TYPES.join(', ')})`
            : 'expected an indicator type or a $parameter',
      }),
  ],
  { error: 'expected an indicator type or a $parameter' },
);

const text = (max: number) => z.string().max(max, `at most ${max} characters`);

export const StrategyMetaSchema = z
  .strictObject({
    name: text(100).min(1, 'a strategy needs a name'),
    description: text(CONFIG_LIMITS.maxDescriptionLength).optional(),
    tags: z.array(text(32)).max(CONFIG_LIMITS.maxTags).optional(),
    symbol: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:/-]+$/, 'letters, digits and . _ : / - only')
      .optional()
      .meta({ description: 'The market it trades, e.g. BTC/USDT; templates leave it out.' }),
    timeframe: TimeframeOrParameterSchema.meta({ description: "The strategy's bar length." }),
    version: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .meta({ description: 'Revision of this strategy definition, raised on every change.' }),
  })
  .meta({ title: 'Strategy metadata' });

export const IndicatorConfigSchema = z
  .strictObject({
    id: identifier('an indicator id').meta({
      description: 'How rules refer to it: `rsi`, `macd.signal`.',
    }),
    type: IndicatorTypeOrParameterSchema,
    params: z
      .record(z.string().max(CONFIG_LIMITS.maxNameLength), NumberOrParameterSchema)
      .optional()
      .meta({
        description: "The catalogue's parameters; left out ones take the catalogue default.",
      }),
    source: z.enum(INDICATOR_SOURCES).optional().meta({
      description: 'The price it reads (default close); only for indicators that read one.',
    }),
    timeframe: TimeframeOrParameterSchema.optional().meta({
      description:
        "A higher timeframe to compute it on; rules then read that timeframe's last closed bar.",
    }),
  })
  .meta({ title: 'Indicator' });
export type IndicatorConfig = z.infer<typeof IndicatorConfigSchema>;

const parameterCommon = {
  name: identifier('a parameter name').meta({ description: 'Referred to as `$name`.' }),
  description: text(500).optional(),
};

export const ParameterSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...parameterCommon,
        type: z.literal('int'),
        default: z.number().int(),
        min: z.number().int(),
        max: z.number().int(),
        step: z.number().int().positive().optional(),
      }),
      z.strictObject({
        ...parameterCommon,
        type: z.literal('float'),
        default: z.number(),
        min: z.number(),
        max: z.number(),
        step: z.number().positive().optional(),
      }),
      z.strictObject({
        ...parameterCommon,
        type: z.literal('choice'),
        default: z.union([z.number(), text(64)]),
        choices: z
          .array(z.union([z.number(), text(64)]))
          .min(1, 'a choice needs at least one value')
          .max(CONFIG_LIMITS.maxChoices),
      }),
    ],
    { error: 'expected a parameter with type int, float or choice' },
  )
  .meta({ title: 'Parameter' });
export type ParameterConfig = z.infer<typeof ParameterSchema>;

const rule = z
  .string()
  .max(
    EXPRESSION_LIMITS.maxExpressionLength,
    `a rule can be at most ${EXPRESSION_LIMITS.maxExpressionLength} characters`,
  );

export const RULE_NAMES = ['entryLong', 'entryShort', 'exitLong', 'exitShort'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const RulesSchema = z
  .strictObject({
    entryLong: rule.optional().meta({ description: 'Open a long position when true.' }),
    entryShort: rule.optional().meta({ description: 'Open a short position when true.' }),
    exitLong: rule.optional().meta({ description: 'Close a long position when true.' }),
    exitShort: rule.optional().meta({ description: 'Close a short position when true.' }),
  })
  .meta({
    title: 'Rules',
    description: 'Expressions in the strategy language (docs/expressions.md).',
  });
export type RulesConfig = z.infer<typeof RulesSchema>;

const percentLevel = z.strictObject({
  percent: NumberOrParameterSchema,
  basis: z.enum(['price', 'roi']).default('price').meta({
    description:
      '`price`: distance from the entry price; `roi`: loss or gain on the margin (price move × leverage).',
  }),
});

export const PositionSizeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('percentOfEquity'), percent: NumberOrParameterSchema }),
    z.strictObject({ kind: z.literal('fixedQuote'), amount: NumberOrParameterSchema }),
  ],
  { error: 'expected a position size with kind percentOfEquity or fixedQuote' },
);

export const RiskSchema = z
  .strictObject({
    positionSize: PositionSizeSchema.default({ kind: 'percentOfEquity', percent: 100 }).meta({
      description:
        'Margin committed per entry: a share of equity, or a fixed amount of the quote currency.',
    }),
    leverage: NumberOrParameterSchema.default(1).meta({ description: '1 to 125.' }),
    stopLoss: percentLevel.optional(),
    takeProfit: percentLevel.optional(),
    trailingStop: z
      .strictObject({ percent: NumberOrParameterSchema })
      .optional()
      .meta({ description: 'Distance from the best close since entry, as a percent of price.' }),
    maxLossPercent: NumberOrParameterSchema.default(5).meta({
      description: 'Stop the variant when it has lost this share of its starting equity.',
    }),
    maxDrawdownPercent: NumberOrParameterSchema.default(10).meta({
      description: 'Stop the variant when equity falls this far below its peak.',
    }),
  })
  .meta({ title: 'Risk' });
export type RiskConfig = z.infer<typeof RiskSchema>;

/** Bounds of each numeric risk setting, checked for literals and for parameters' ranges. */
export const RISK_BOUNDS = {
  'positionSize.percent': { min: 0, max: 100, exclusiveMin: true },
  'positionSize.amount': { min: 0, max: 1e12, exclusiveMin: true },
  leverage: { min: 1, max: 125, exclusiveMin: false },
  'stopLoss.percent': { min: 0, max: 100, exclusiveMin: true },
  'takeProfit.percent': { min: 0, max: 10_000, exclusiveMin: true },
  'trailingStop.percent': { min: 0, max: 100, exclusiveMin: true },
  maxLossPercent: { min: 0, max: 100, exclusiveMin: true },
  maxDrawdownPercent: { min: 0, max: 100, exclusiveMin: true },
} as const satisfies Record<string, { min: number; max: number; exclusiveMin: boolean }>;

export const ModelsSchema = z
  .record(z.string().max(CONFIG_LIMITS.maxNameLength), z.unknown())
  .meta({ description: 'Reserved for model-driven signals; not read yet.' });

/** A strategy definition: what the strategy builder saves and templates ship as. */
export const StrategyConfigSchema = z
  .strictObject({
    $schema: z.string().max(500).optional(),
    meta: StrategyMetaSchema,
    indicators: z.array(IndicatorConfigSchema).max(CONFIG_LIMITS.maxIndicators).default([]),
    parameters: z.array(ParameterSchema).max(CONFIG_LIMITS.maxParameters).default([]),
    rules: RulesSchema,
    risk: RiskSchema.default({
      positionSize: { kind: 'percentOfEquity', percent: 100 },
      leverage: 1,
      maxLossPercent: 5,
      maxDrawdownPercent: 10,
    }),
    models: ModelsSchema.optional(),
  })
  .meta({
    title: 'Parallax strategy',
    description:
      'Indicators, entry and exit rules in the expression language, risk settings and a parameter space.',
  });

/** A strategy config after validation, defaults filled in. */
export type StrategyConfig = z.output<typeof StrategyConfigSchema>;
/** A strategy config as written (defaults may be left out). */
export type StrategyConfigInput = z.input<typeof StrategyConfigSchema>;
