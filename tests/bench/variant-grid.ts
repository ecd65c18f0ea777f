/**
 * The parameter grid both the indicator and the engine benchmarks draw their variants from:
 * each parameter takes one of three values, 15 distinct indicator configurations in all.
 */
export const VARIANT_GRID = {
  rsi: [9, 14, 21],
  emaFast: [9, 12, 20],
  emaSlow: [50, 100, 200],
  macd: [
    [12, 26, 9],
    [8, 21, 5],
    [5, 35, 5],
  ],
  bb: [
    [20, 2],
    [20, 2.5],
    [50, 2],
  ],
} as const;
