export { AcceleratedClock } from './accelerated-clock';
export { readBinanceArchive, readKrakenOhlcvt } from './binance-history';
export { binanceMarket } from './binance-markets';
export {
  FakeBinanceExchange,
  type FakeBinanceOptions,
  type FakeExchangeStats,
  type StreamFault,
} from './fake-binance-exchange';
