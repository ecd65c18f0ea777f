export { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff';
export {
  candleFromOhlcvRow,
  isConsistent,
  parseBinanceStreamMessage,
  type BadMessageKind,
  type BinanceStreamMessage,
  type KlineMessage,
  type TradeMessage,
} from './binance-messages';
export {
  createCcxtExchange,
  isRateLimitError,
  type CcxtExchange,
  type CcxtUrlOverrides,
} from './ccxt-exchange';
export { ExchangeGapRepository, type VerifiedGap } from './exchange-gap-repository';
export {
  ExchangeFeed,
  type BarSource,
  type ExchangeFeedHealth,
  type ExchangeFeedOptions,
} from './exchange-feed';
