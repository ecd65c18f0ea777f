import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../../src/shared/market';
import { readSharedText } from '../../../support/shared-data';

/** The Binance.US BTC/USDT 1-minute file (2023-03-01 → 21), read in place from ../shared/data. */
export const BTCUSDT_1M = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';

const cache = new Map<string, Candle[]>();

/** Reads a shared-data candle CSV with a header `open_time(ISO),open,high,low,close,volume`. */
export function loadCandles(relative: string): Candle[] {
  const hit = cache.get(relative);
  if (hit) return hit;
  const lines = readSharedText(relative).trim().split('\n');
  const candles = lines.slice(1).map((line) => {
    const [time = '', open, high, low, close, volume] = line.split(',');
    const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`;
    return {
      time: Date.parse(iso),
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
  });
  cache.set(relative, candles);
  return candles;
}

/** Aggregates bars into `timeframe` bars aligned to epoch multiples; partial buckets are kept. */
export function aggregateCandles(candles: readonly Candle[], timeframe: Timeframe): Candle[] {
  const ms = TIMEFRAME_MS[timeframe];
  const out: Candle[] = [];
  let current: Candle | undefined;
  for (const c of candles) {
    const start = Math.floor(c.time / ms) * ms;
    if (current && current.time === start) {
      current.high = Math.max(current.high, c.high);
      current.low = Math.min(current.low, c.low);
      current.close = c.close;
      current.volume += c.volume;
    } else {
      current = { ...c, time: start };
      out.push(current);
    }
  }
  return out;
}
