import type { Candle } from '../../../src/shared/market';
import { readSharedText } from '../shared-data';

/**
 * Reads Binance's official monthly kline archive format (12 columns, optional header):
 * open_time, open, high, low, close, volume, close_time, quote_volume, count, … .
 */
export function readBinanceArchive(relative: string): Candle[] {
  const out: Candle[] = [];
  for (const line of readSharedText(relative).split('\n')) {
    const cols = line.split(',');
    if (cols.length < 6 || !/^\d+$/.test(cols[0]!)) continue;
    out.push({
      time: Number(cols[0]),
      open: Number(cols[1]),
      high: Number(cols[2]),
      low: Number(cols[3]),
      close: Number(cols[4]),
      volume: Number(cols[5]),
    });
  }
  return out;
}

/** Kraken's OHLCVT export (no header: unix seconds, o, h, l, c, v, trades): minutes without trades are absent. */
export function readKrakenOhlcvt(relative: string): Candle[] {
  const out: Candle[] = [];
  for (const line of readSharedText(relative).split('\n')) {
    const cols = line.split(',');
    if (cols.length < 6) continue;
    out.push({
      time: Number(cols[0]) * 1000,
      open: Number(cols[1]),
      high: Number(cols[2]),
      low: Number(cols[3]),
      close: Number(cols[4]),
      volume: Number(cols[5]),
    });
  }
  return out;
}
