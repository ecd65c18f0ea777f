import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../../src/shared/market';

export { BTCUSDT_1M, loadCandles } from '../../../support/real-candles';

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
