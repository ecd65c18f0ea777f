import type { Candle } from '../../../src/shared/market';
import type { Indicator } from '../../../src/core/indicators';
import { loadCandles } from '../../support/real-candles';
import { readSharedText } from '../../support/shared-data';

/** Binance.US BTC/USDT 1-minute bars, 2023-03-01 → 21 (header `open_time,open,high,low,close,volume`). */
export const BINANCE_1M = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
/** Kraken BTC/USDT hourly bars, 2023 Q1 (no header: unix seconds, o, h, l, c, v, trades). */
export const KRAKEN_60 = 'candles/kraken_XBTUSDT_60_2023Q1.csv.gz';

/** Binance 1m candles; `limit` keeps the first bars only. */
export function binanceCandles(limit = Number.POSITIVE_INFINITY): Candle[] {
  const all = loadCandles(BINANCE_1M);
  return Number.isFinite(limit) ? all.slice(0, limit) : all;
}

/** Kraken hourly candles, the input of the Tulip golden file. */
export function krakenHourlyCandles(): Candle[] {
  return loadCandles(KRAKEN_60);
}

/** TA-Lib's 252 daily regression bars (talib_regtest_252d_ohlcv.json), as candles one day apart. */
export function talibCandles(): Candle[] {
  const data = JSON.parse(readSharedText('indicators/talib_regtest_252d_ohlcv.json')) as Record<
    string,
    number[]
  >;
  const field = (name: string): number[] => {
    const values = data[`TA_SREF_${name}_daily_ref_0_PRIV`];
    if (!values || values.length !== 252)
      throw new Error(`talib regression input: missing ${name}`);
    return values;
  };
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map(
    field,
  ) as [number[], number[], number[], number[], number[]];
  return close.map((c, i) => ({
    time: i * 86_400_000,
    open: open[i] as number,
    high: high[i] as number,
    low: low[i] as number,
    close: c,
    volume: volume[i] as number,
  }));
}

/** Runs `indicator` over `candles`; result[o][i] is output o after bar i (NaN before ready). */
export function runSeries(indicator: Indicator, candles: readonly Candle[]): Float64Array[] {
  const outputs = Array.from(
    { length: indicator.outputCount },
    () => new Float64Array(candles.length),
  );
  candles.forEach((bar, i) => {
    indicator.update(bar);
    for (let o = 0; o < outputs.length; o++) (outputs[o] as Float64Array)[i] = indicator.output(o);
  });
  return outputs;
}

/** Output `o` of a series run, failing clearly instead of returning undefined. */
export function outputOf(series: Float64Array[], o = 0): Float64Array {
  const out = series[o];
  if (out === undefined) throw new Error(`no output ${o}`);
  return out;
}

/**
 * Largest |ours[i] − reference[j]| over aligned pairs, where the reference is right-aligned to
 * the input (its last element is bar n−1), starting at bar `from`.
 */
export function maxAbsDiffRightAligned(
  ours: Float64Array,
  reference: readonly number[],
  from: number,
): { max: number; at: number; compared: number } {
  const offset = ours.length - reference.length;
  let max = 0;
  let at = -1;
  let compared = 0;
  for (let i = Math.max(from, offset); i < ours.length; i++) {
    const ref = reference[i - offset];
    const mine = ours[i] as number;
    if (ref === undefined || !Number.isFinite(ref)) continue;
    const diff = Math.abs(mine - ref);
    // NaN on our side is a failure, not a skip.
    if (!(diff <= max)) {
      max = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
      at = i;
    }
    compared++;
  }
  return { max, at, compared };
}
