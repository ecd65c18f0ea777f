/** What one argument of a built-in function must be. */
export type ArgumentKind = 'number' | 'window';

/** A built-in function's signature, for the type checker and the docs. */
export interface FunctionSpec {
  /** Argument kinds; `variadic` repeats the last one (min, max). */
  readonly args: readonly ArgumentKind[];
  readonly variadic: boolean;
  readonly result: 'number' | 'boolean';
  readonly usage: string;
  /** Extra bars of history the function reads beyond its arguments' own, given its window `n`. */
  readonly extraLookback: (window: number) => number;
}

const none = (): number => 0;

/** The language's functions. Windows are bars counted back from the current closed bar. */
export const FUNCTION_SPECS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  [
    'crossover',
    {
      args: ['number', 'number'],
      variadic: false,
      result: 'boolean',
      usage: 'crossover(a, b): a was at or below b on the previous bar and is above it now',
      extraLookback: () => 1,
    },
  ],
  [
    'crossunder',
    {
      args: ['number', 'number'],
      variadic: false,
      result: 'boolean',
      usage: 'crossunder(a, b): a was at or above b on the previous bar and is below it now',
      extraLookback: () => 1,
    },
  ],
  [
    'rising',
    {
      args: ['number', 'window'],
      variadic: false,
      result: 'boolean',
      usage: 'rising(x, n): x went up on each of the last n bars',
      extraLookback: (n) => n,
    },
  ],
  [
    'falling',
    {
      args: ['number', 'window'],
      variadic: false,
      result: 'boolean',
      usage: 'falling(x, n): x went down on each of the last n bars',
      extraLookback: (n) => n,
    },
  ],
  [
    'highest',
    {
      args: ['number', 'window'],
      variadic: false,
      result: 'number',
      usage: 'highest(x, n): the largest x over the last n bars, this one included',
      extraLookback: (n) => n - 1,
    },
  ],
  [
    'lowest',
    {
      args: ['number', 'window'],
      variadic: false,
      result: 'number',
      usage: 'lowest(x, n): the smallest x over the last n bars, this one included',
      extraLookback: (n) => n - 1,
    },
  ],
  [
    'abs',
    { args: ['number'], variadic: false, result: 'number', usage: 'abs(x)', extraLookback: none },
  ],
  [
    'min',
    {
      args: ['number', 'number'],
      variadic: true,
      result: 'number',
      usage: 'min(a, b, …)',
      extraLookback: none,
    },
  ],
  [
    'max',
    {
      args: ['number', 'number'],
      variadic: true,
      result: 'number',
      usage: 'max(a, b, …)',
      extraLookback: none,
    },
  ],
]);
