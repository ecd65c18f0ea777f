import { readFileSync } from 'node:fs';
import { decodeCandleBytes, parseCandleFile } from '../../src/core/history/candle-file-parser';
import type { Candle, SeriesKey } from '../../src/shared/market';
import { sharedDataPath } from './shared-data';

/** The Binance.US BTC/USDT 1-minute month (2023-03-01 → 21), read in place from ../shared/data. */
export const BTCUSDT_1M = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
/** The series that file becomes once imported. */
export const BTCUSDT_1M_SERIES: SeriesKey = {
  exchange: 'binanceus',
  symbol: 'BTC/USDT',
  timeframe: '1m',
};

const cache = new Map<string, readonly Candle[]>();

/**
 * Bars of a candle file under ../shared/data (any format the importer reads), oldest first,
 * parsed once per test process. The parser has its own tests; callers get a fresh array.
 */
export function loadCandles(relative: string): Candle[] {
  let bars = cache.get(relative);
  if (bars === undefined) {
    bars = parseCandleFile(
      relative,
      decodeCandleBytes(readFileSync(sharedDataPath(relative))),
    ).candles;
    cache.set(relative, bars);
  }
  return bars.slice();
}

/** Real Binance.US BTC/USDT 1-minute bars. */
export function btcUsdtMinutes(): Candle[] {
  return loadCandles(BTCUSDT_1M);
}
