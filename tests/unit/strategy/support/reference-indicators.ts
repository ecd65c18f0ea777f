import {
  ADX,
  ATR,
  BollingerBands,
  CCI,
  EMA,
  MACD,
  OBV,
  RSI,
  SMA,
  Stochastic,
  WMA,
} from 'technicalindicators';
import type { IndicatorRequirement } from '../../../../src/core/strategy';
import { TIMEFRAME_MS, type Candle } from '../../../../src/shared/market';
import { aggregateCandles } from './real-candles';

/**
 * Indicator series for tests, computed with technicalindicators' batch functions (the project's
 * independent reference) or by hand where it has no match (volume z-score, daily VWAP). Each
 * output is right-aligned to the bars, NaN before the indicator is ready.
 */
export type ReferenceSeries = Float64Array[];

function aligned(length: number, values: readonly (number | undefined)[]): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  const offset = length - values.length;
  values.forEach((v, i) => {
    out[offset + i] = v ?? NaN;
  });
  return out;
}

function sourceValues(candles: readonly Candle[], source: string | null): number[] {
  return candles.map((c) => {
    switch (source) {
      case 'open':
        return c.open;
      case 'high':
        return c.high;
      case 'low':
        return c.low;
      case 'volume':
        return c.volume;
      case 'hl2':
        return (c.high + c.low) / 2;
      case 'hlc3':
        return (c.high + c.low + c.close) / 3;
      case 'ohlc4':
        return (c.open + c.high + c.low + c.close) / 4;
      default:
        return c.close;
    }
  });
}

/** Population z-score of volume over `period` bars, this bar included. */
function volumeZ(candles: readonly Candle[], period: number): Float64Array {
  const out = new Float64Array(candles.length).fill(NaN);
  for (let i = period - 1; i < candles.length; i++) {
    let sum = 0;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const v = candles[j]?.volume ?? 0;
      sum += v;
      sq += v * v;
    }
    const mean = sum / period;
    const sd = Math.sqrt(Math.max(0, sq / period - mean * mean));
    out[i] = sd === 0 ? 0 : ((candles[i]?.volume ?? 0) - mean) / sd;
  }
  return out;
}

function dailyVwap(candles: readonly Candle[]): Float64Array {
  const out = new Float64Array(candles.length);
  let day = -1;
  let pv = 0;
  let vol = 0;
  candles.forEach((c, i) => {
    const d = Math.floor(c.time / 86_400_000);
    if (d !== day) {
      day = d;
      pv = 0;
      vol = 0;
    }
    pv += ((c.high + c.low + c.close) / 3) * c.volume;
    vol += c.volume;
    out[i] = vol === 0 ? NaN : pv / vol;
  });
  return out;
}

/** Computes one requirement on bars of its own timeframe. */
function computeOn(req: IndicatorRequirement, candles: readonly Candle[]): ReferenceSeries {
  const n = candles.length;
  const p = req.params;
  const values = sourceValues(candles, req.source);
  const high = candles.map((c) => c.high);
  const low = candles.map((c) => c.low);
  const close = candles.map((c) => c.close);
  const volume = candles.map((c) => c.volume);
  const period = p.period ?? 14;
  switch (req.type) {
    case 'sma':
      return [aligned(n, SMA.calculate({ period, values }))];
    case 'ema':
      return [aligned(n, EMA.calculate({ period, values }))];
    case 'wma':
      return [aligned(n, WMA.calculate({ period, values }))];
    case 'rsi':
      return [aligned(n, RSI.calculate({ period, values }))];
    case 'macd': {
      const r = MACD.calculate({
        values,
        fastPeriod: p.fast ?? 12,
        slowPeriod: p.slow ?? 26,
        signalPeriod: p.signal ?? 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      });
      return [
        aligned(
          n,
          r.map((x) => x.MACD),
        ),
        aligned(
          n,
          r.map((x) => x.signal),
        ),
        aligned(
          n,
          r.map((x) => x.histogram),
        ),
      ];
    }
    case 'bb': {
      const r = BollingerBands.calculate({ period, values, stdDev: p.stdDev ?? 2 });
      return [
        aligned(
          n,
          r.map((x) => x.middle),
        ),
        aligned(
          n,
          r.map((x) => x.upper),
        ),
        aligned(
          n,
          r.map((x) => x.lower),
        ),
      ];
    }
    case 'atr':
      return [aligned(n, ATR.calculate({ high, low, close, period }))];
    case 'stoch': {
      const r = Stochastic.calculate({
        high,
        low,
        close,
        period,
        signalPeriod: p.signalPeriod ?? 3,
      });
      return [
        aligned(
          n,
          r.map((x) => x.k),
        ),
        aligned(
          n,
          r.map((x) => x.d),
        ),
      ];
    }
    case 'adx': {
      const r = ADX.calculate({ high, low, close, period });
      return [
        aligned(
          n,
          r.map((x) => x.adx),
        ),
        aligned(
          n,
          r.map((x) => x.pdi),
        ),
        aligned(
          n,
          r.map((x) => x.mdi),
        ),
      ];
    }
    case 'obv':
      return [aligned(n, OBV.calculate({ close, volume }))];
    case 'cci':
      return [aligned(n, CCI.calculate({ high, low, close, period }))];
    case 'vwap':
      return [dailyVwap(candles)];
    case 'volumeZ':
      return [volumeZ(candles, period)];
  }
}

/**
 * One requirement's outputs on the strategy's bars. A higher-timeframe indicator is computed on
 * aggregated bars, and each strategy bar sees the value of the last higher bar closed by then.
 */
export function referenceSeries(
  req: IndicatorRequirement,
  bars: readonly Candle[],
  barMs: number,
): ReferenceSeries {
  const htfMs = TIMEFRAME_MS[req.timeframe];
  if (htfMs === barMs) return computeOn(req, bars);
  const htfBars = aggregateCandles(bars, req.timeframe);
  const htf = computeOn(req, htfBars);
  return htf.map((series) => {
    const out = new Float64Array(bars.length).fill(NaN);
    let j = -1;
    bars.forEach((bar, i) => {
      const closedBy = bar.time + barMs;
      while (j + 1 < htfBars.length && (htfBars[j + 1]?.time ?? Infinity) + htfMs <= closedBy) j++;
      if (j >= 0) out[i] = series[j] ?? NaN;
    });
    return out;
  });
}
