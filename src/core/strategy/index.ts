/**
 * Strategies as data: the config schema and its validator, the rule expression language
 * (lexer → parser → type checker → closures) and the per-variant runtime that evaluates rules
 * on closed bars. See docs/expressions.md for the language.
 */
export {
  compileStrategy,
  type CompileStrategyResult,
  type ParameterValues,
} from './compile-strategy';
export type { CompiledStrategy, ResolvedRisk, RuleGates } from './compiled-strategy';
export type {
  ClosedBarValues,
  IndicatorRequirement,
  StrategySignals,
  TermValue,
} from './evaluation-context';
export { pairTerms } from './compiler';
export { BAR_FIELDS, type BarField } from './expression-scope';
export { FUNCTION_SPECS, type FunctionSpec } from './expression-functions';
export { CONFIG_LIMITS, EXPRESSION_LIMITS } from './expression-limits';
export type { ExpressionDiagnostic, SourceSpan } from './source-span';
export {
  IndicatorConfigSchema,
  ParameterSchema,
  RiskSchema,
  RulesSchema,
  RULE_NAMES,
  StrategyConfigSchema,
  StrategyMetaSchema,
  type IndicatorConfig,
  type ParameterConfig,
  type RiskConfig,
  type RuleName,
  type RulesConfig,
  type StrategyConfig,
  type StrategyConfigInput,
} from './strategy-config-schema';
export { buildStrategyJsonSchema, strategyJsonSchemaText } from './strategy-json-schema';
export { formatStrategyIssue, type StrategyIssue } from './strategy-issue';
export {
  parseStrategyConfigJson,
  validateStrategyConfig,
  type StrategyValidationResult,
} from './strategy-validator';
