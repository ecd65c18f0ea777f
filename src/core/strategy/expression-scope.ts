import type { IndicatorType } from '../indicators/indicator-catalog';

/** The bar fields a rule can read directly. */
export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];

/** An indicator as the language sees it. */
export interface ScopeIndicator {
  readonly id: string;
  /**
   * Every type it may have: one, or the choices of a `$parameter` used as its type. Empty when
   * its declaration is broken (already reported): any output is then accepted.
   */
  readonly types: readonly IndicatorType[];
  /** The outputs of each possible type; `id.output` must exist in all of them. */
  readonly outputsByType: ReadonlyMap<IndicatorType, readonly string[]>;
}

/** A declared `$parameter` as the language sees it. */
export interface ScopeParameter {
  readonly name: string;
  /** False for a choice of text values (timeframes, indicator types): not usable in a rule. */
  readonly numeric: boolean;
  readonly integer: boolean;
  /** Smallest and largest value it can take (NaN when not numeric). */
  readonly min: number;
  readonly max: number;
  /** Its declaration is broken (already reported): accept any use rather than pile on errors. */
  readonly unchecked?: boolean;
}

/** What names mean in a strategy's expressions. Maps, not objects: names like `__proto__` stay inert. */
export interface ExpressionScope {
  readonly indicators: ReadonlyMap<string, ScopeIndicator>;
  readonly parameters: ReadonlyMap<string, ScopeParameter>;
}
