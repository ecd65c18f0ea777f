import type { IndicatorType } from '../indicators';

/**
 * Where each indicator is drawn: over price when it is measured in price (averages, bands, VWAP),
 * in a pane of its own when it has a scale of its own (oscillators, ATR, volume measures).
 * A table, so a new indicator type fails to compile until it has a place.
 */
export const INDICATOR_PLACEMENT: Readonly<Record<IndicatorType, 'price' | 'pane'>> = {
  sma: 'price',
  ema: 'price',
  wma: 'price',
  bb: 'price',
  vwap: 'price',
  rsi: 'pane',
  macd: 'pane',
  stoch: 'pane',
  adx: 'pane',
  cci: 'pane',
  atr: 'pane',
  obv: 'pane',
  volumeZ: 'pane',
};
