/**
 * What indicators exist, their parameters and their named outputs. The strategy language
 * checks `macd.signal` or `bb.upper` against this table; the indicator engine builds from it.
 * The first output is the default one (`rsi` alone means `rsi.value`).
 */
export const INDICATOR_SOURCES = [
  'open',
  'high',
  'low',
  'close',
  'volume',
  'hl2',
  'hlc3',
  'ohlc4',
] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

export interface IndicatorParamSpec {
  default: number;
  min: number;
  max: number;
  integer: boolean;
}

export interface IndicatorSpec {
  title: string;
  params: Readonly<Record<string, IndicatorParamSpec>>;
  outputs: readonly string[];
  /** Whether the indicator reads one price field (`source`) rather than the whole bar. */
  usesSource: boolean;
}

const period = (def: number, min = 1, max = 1000): IndicatorParamSpec => ({
  default: def,
  min,
  max,
  integer: true,
});

export const INDICATOR_SPECS = {
  sma: {
    title: 'Simple moving average',
    params: { period: period(20) },
    outputs: ['value'],
    usesSource: true,
  },
  ema: {
    title: 'Exponential moving average',
    params: { period: period(20) },
    outputs: ['value'],
    usesSource: true,
  },
  wma: {
    title: 'Weighted moving average',
    params: { period: period(20) },
    outputs: ['value'],
    usesSource: true,
  },
  rsi: {
    title: 'Relative strength index (Wilder)',
    params: { period: period(14, 2) },
    outputs: ['value'],
    usesSource: true,
  },
  macd: {
    title: 'MACD',
    params: { fast: period(12), slow: period(26, 2), signal: period(9) },
    outputs: ['macd', 'signal', 'histogram'],
    usesSource: true,
  },
  bb: {
    title: 'Bollinger Bands',
    params: { period: period(20, 2), stdDev: { default: 2, min: 0.1, max: 10, integer: false } },
    outputs: ['middle', 'upper', 'lower'],
    usesSource: true,
  },
  atr: {
    title: 'Average true range (Wilder)',
    params: { period: period(14) },
    outputs: ['value'],
    usesSource: false,
  },
  stoch: {
    title: 'Stochastic oscillator',
    // kSmoothing (added later, default 1 = none): the SMA applied to raw %K, 3 for the "slow"
    // stochastic of TA-Lib's STOCH and Tulip's stoch. Existing params keep their meaning.
    params: { period: period(14), signalPeriod: period(3), kSmoothing: period(1) },
    outputs: ['k', 'd'],
    usesSource: false,
  },
  adx: {
    title: 'Average directional index',
    params: { period: period(14, 2) },
    outputs: ['adx', 'pdi', 'mdi'],
    usesSource: false,
  },
  obv: { title: 'On-balance volume', params: {}, outputs: ['value'], usesSource: false },
  vwap: { title: 'VWAP (resets each UTC day)', params: {}, outputs: ['value'], usesSource: false },
  cci: {
    title: 'Commodity channel index',
    params: { period: period(20, 2) },
    outputs: ['value'],
    usesSource: false,
  },
  volumeZ: {
    title: 'Volume z-score',
    params: { period: period(20, 2) },
    outputs: ['value'],
    usesSource: false,
  },
} as const satisfies Record<string, IndicatorSpec>;

export type IndicatorType = keyof typeof INDICATOR_SPECS;
export const INDICATOR_TYPES = Object.keys(INDICATOR_SPECS) as IndicatorType[];
