/**
 * Hard limits of the strategy language. They keep hostile or accidental input from exhausting
 * the stack, the heap or the CPU: every limit is reported as an ordinary error, never a crash.
 */
export const EXPRESSION_LIMITS = {
  /** Characters in one rule; a real rule is a few hundred at most. */
  maxExpressionLength: 10_000,
  /**
   * Height of the syntax tree. The parser recurses per level and the compiled closures call
   * each other per level, so this bounds both stacks (parentheses, NOT chains and long operator
   * chains all count).
   */
  maxDepth: 100,
  /** Bars of history one reference may reach (`x[n]`, window functions, crossovers). */
  maxHistory: 5000,
  /**
   * Closure calls one rule may make per bar. Windows multiply when nested
   * (`highest(highest(x, 5000), 5000)` is 25 million), which would stall the engine.
   */
  maxStepsPerBar: 100_000,
} as const;

/** Limits of a whole strategy config. */
export const CONFIG_LIMITS = {
  /** Characters of config JSON accepted by `parseStrategyConfigJson`. */
  maxJsonLength: 1_000_000,
  maxIndicators: 64,
  maxParameters: 64,
  maxChoices: 256,
  maxTags: 32,
  maxNameLength: 64,
  maxDescriptionLength: 4000,
} as const;
