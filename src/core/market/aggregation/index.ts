export { AGGREGATABLE_TIMEFRAMES, periodStart, TimeframeAggregator } from './timeframe-aggregator';
export { TradeBarAggregator, type Trade, type TradeBarUpdate } from './trade-bar-aggregator';
