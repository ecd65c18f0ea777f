/**
 * Incremental indicators for the engine's hot path: one closed bar in, new values out, O(1)
 * per bar and constant memory; identical (type, params, source, timeframe) computed once.
 */
export type { Indicator, IndicatorReader } from './indicator';
export { IndicatorBase } from './indicator';
export {
  INDICATOR_SOURCES,
  INDICATOR_SPECS,
  INDICATOR_TYPES,
  type IndicatorParamSpec,
  type IndicatorSource,
  type IndicatorSpec,
  type IndicatorType,
} from './indicator-catalog';
export {
  createIndicator,
  IndicatorConfigError,
  isIndicatorType,
  outputIndex,
  resolveParams,
  type IndicatorParams,
  type ResolvedParams,
} from './create-indicator';
export { indicatorKey, type IndicatorRequest } from './indicator-key';
export { IndicatorSet, TimeframeIndicators, type IndicatorLease } from './indicator-set';
export { sourcePrice } from './price-source';
export { Ema, type EmaOptions } from './average/ema';
export { Sma, type SmaOptions } from './average/sma';
export { Wma, type WmaOptions } from './average/wma';
export { Cci, type CciOptions } from './momentum/cci';
export { Macd, type MacdOptions } from './momentum/macd';
export { Rsi, type RsiOptions } from './momentum/rsi';
export { Stochastic, type StochasticOptions } from './momentum/stochastic';
export { Adx, type AdxOptions } from './trend/adx';
export { Atr, trueRange, type AtrOptions } from './volatility/atr';
export { BollingerBands, type BollingerBandsOptions } from './volatility/bollinger-bands';
export { Obv } from './volume/obv';
export { VolumeZScore, type VolumeZScoreOptions } from './volume/volume-z-score';
export { Vwap } from './volume/vwap';
