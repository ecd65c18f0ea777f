import type { Timeframe } from '../../shared/market';
import { INDICATOR_SPECS, type IndicatorSource, type IndicatorType } from './indicator-catalog';
import { resolveParams, type IndicatorParams } from './create-indicator';

/** One indicator on one bar series' timeframe: what the {@link IndicatorSet} shares by. */
export interface IndicatorRequest {
  type: IndicatorType;
  params?: IndicatorParams;
  /** Price field for indicators with `usesSource`; default 'close'. Ignored by the others. */
  source?: IndicatorSource;
  timeframe: Timeframe;
}

/**
 * The canonical key of an indicator request, e.g. `1m:ema(20)@close`, `1h:macd(12,26,9)@hlc3`,
 * `5m:atr(14)`: timeframe, type, every parameter in catalogue order with defaults filled in, and
 * the source only where the indicator reads one. Two requests get the same key exactly when
 * they compute the same numbers — including spellings that differ only in defaults, parameter
 * order, a source the indicator ignores, or MACD's fast/slow given the other way round (it
 * swaps them, as TA-Lib does). Deterministic: no object identity, no insertion order.
 */
export function indicatorKey(request: IndicatorRequest): string {
  const { type, timeframe } = request;
  const spec = INDICATOR_SPECS[type];
  const params = resolveParams(type, request.params);
  const values = Object.keys(spec.params).map((name) => params[name] as number);
  if (type === 'macd' && (values[0] as number) > (values[1] as number)) {
    [values[0], values[1]] = [values[1] as number, values[0] as number];
  }
  const source = spec.usesSource ? `@${request.source ?? 'close'}` : '';
  return `${timeframe}:${type}(${values.join(',')})${source}`;
}
