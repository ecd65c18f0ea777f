import { SeededRandom } from '../../src/core/market/seeded-random';

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

/**
 * N variants of the grid strategy's parameters drawn with the benchmarks' seed: the same
 * variants in every bench and profile run.
 */
export function drawGridVariants(n: number): Array<Record<string, number>> {
  const random = new SeededRandom(20_230_301);
  const pick = <T>(choices: readonly T[]): T =>
    choices[Math.floor(random.next() * choices.length)] as T;
  return Array.from({ length: n }, () => {
    const macd = pick(VARIANT_GRID.macd);
    const bb = pick(VARIANT_GRID.bb);
    return {
      rsi: pick(VARIANT_GRID.rsi),
      fast: pick(VARIANT_GRID.emaFast),
      slow: pick(VARIANT_GRID.emaSlow),
      mf: macd[0],
      ms: macd[1],
      msig: macd[2],
      bbp: bb[0],
      bbk: bb[1],
    };
  });
}

/**
 * N variants of the grid strategy in which no two share an indicator (DESIGN.md's "no two
 * variants share an indicator" case): every RSI, EMA, MACD and Bollinger configuration occurs
 * once, so one bar loop updates 5 × N distinct indicators. Needs the wider parameter ranges of
 * `DISTINCT_GRID_STRATEGY` (grid-workload.ts); at most 100 variants.
 */
export function drawDistinctVariants(n: number): Array<Record<string, number>> {
  if (n > 100) throw new RangeError('at most 100 distinct variants');
  return Array.from({ length: n }, (_, i) => ({
    rsi: 5 + i,
    fast: 5 + i,
    slow: 120 + i,
    mf: 5 + (i % 10),
    ms: 26 + Math.floor(i / 10),
    msig: 9,
    bbp: 10 + i,
    bbk: 2,
  }));
}
