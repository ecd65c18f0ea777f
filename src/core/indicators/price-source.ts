import type { Candle } from '../../shared/market';
import type { IndicatorSource } from './indicator-catalog';

/**
 * The price an indicator reads from a bar: one field, or the usual composites
 * (hl2 = (high+low)/2, hlc3 = typical price, ohlc4 = average price).
 */
export function sourcePrice(bar: Candle, source: IndicatorSource): number {
  switch (source) {
    case 'close':
      return bar.close;
    case 'open':
      return bar.open;
    case 'high':
      return bar.high;
    case 'low':
      return bar.low;
    case 'volume':
      return bar.volume;
    case 'hl2':
      return (bar.high + bar.low) / 2;
    case 'hlc3':
      return (bar.high + bar.low + bar.close) / 3;
    case 'ohlc4':
      return (bar.open + bar.high + bar.low + bar.close) / 4;
  }
}
