import { Ema } from './average/ema';
import { Sma } from './average/sma';
import { Wma } from './average/wma';
import type { Indicator } from './indicator';
import {
  INDICATOR_SOURCES,
  INDICATOR_SPECS,
  type IndicatorSource,
  type IndicatorType,
} from './indicator-catalog';
import { Cci } from './momentum/cci';
import { Macd } from './momentum/macd';
import { Rsi } from './momentum/rsi';
import { Stochastic } from './momentum/stochastic';
import { Adx } from './trend/adx';
import { Atr } from './volatility/atr';
import { BollingerBands } from './volatility/bollinger-bands';
import { Obv } from './volume/obv';
import { VolumeZScore } from './volume/volume-z-score';
import { Vwap } from './volume/vwap';

/** Parameter values by catalogue name; missing ones take the catalogue default. */
export type IndicatorParams = Readonly<Record<string, number>>;

/** Every parameter of one indicator type, defaults filled in. */
export type ResolvedParams = Readonly<Record<string, number>>;

/** A bad indicator request; `problems` lists every fault found, not just the first. */
export class IndicatorConfigError extends Error {
  public constructor(
    public readonly type: string,
    public readonly problems: readonly string[],
  ) {
    super(`invalid ${type} indicator: ${problems.join('; ')}`);
    this.name = 'IndicatorConfigError';
  }
}

/** Whether `type` names an indicator in the catalogue. */
export function isIndicatorType(type: string): type is IndicatorType {
  return Object.hasOwn(INDICATOR_SPECS, type);
}

/**
 * Checks `params` against the catalogue (known names, integers where required, within
 * [min, max]) and fills in defaults. Reports every problem at once.
 */
export function resolveParams(type: IndicatorType, params: IndicatorParams = {}): ResolvedParams {
  const specs: Readonly<
    Record<string, { default: number; min: number; max: number; integer: boolean }>
  > = INDICATOR_SPECS[type].params;
  const problems: string[] = [];
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(specs, name)) problems.push(`unknown parameter '${name}'`);
  }
  const resolved: Record<string, number> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(params, name) ? params[name] : spec.default;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${name} must be a finite number`);
      continue;
    }
    if (spec.integer && !Number.isInteger(value))
      problems.push(`${name} must be an integer, got ${value}`);
    if (value < spec.min || value > spec.max) {
      problems.push(`${name} must be within [${spec.min}, ${spec.max}], got ${value}`);
    }
    // -0 and 0 are one value; keep one spelling so keys stay canonical.
    resolved[name] = value === 0 ? 0 : value;
  }
  if (problems.length > 0) throw new IndicatorConfigError(type, problems);
  return resolved;
}

/**
 * Builds one indicator from its catalogue type, parameters (defaults filled in, validated) and
 * price source (ignored by indicators that read the whole bar). Throws
 * {@link IndicatorConfigError} on an unknown type, parameter or source, or a value out of range.
 */
export function createIndicator(
  type: IndicatorType,
  params: IndicatorParams = {},
  source: IndicatorSource = 'close',
): Indicator {
  if (!isIndicatorType(type))
    throw new IndicatorConfigError(String(type), ['unknown indicator type']);
  if (!(INDICATOR_SOURCES as readonly string[]).includes(source)) {
    throw new IndicatorConfigError(type, [`unknown source '${String(source)}'`]);
  }
  const p = resolveParams(type, params);
  const num = (name: string): number => p[name] as number;
  switch (type) {
    case 'sma':
      return new Sma({ period: num('period'), source });
    case 'ema':
      return new Ema({ period: num('period'), source });
    case 'wma':
      return new Wma({ period: num('period'), source });
    case 'rsi':
      return new Rsi({ period: num('period'), source });
    case 'macd':
      return new Macd({ fast: num('fast'), slow: num('slow'), signal: num('signal'), source });
    case 'bb':
      return new BollingerBands({ period: num('period'), stdDev: num('stdDev'), source });
    case 'atr':
      return new Atr({ period: num('period') });
    case 'stoch':
      return new Stochastic({
        period: num('period'),
        signalPeriod: num('signalPeriod'),
        kSmoothing: num('kSmoothing'),
      });
    case 'adx':
      return new Adx({ period: num('period') });
    case 'obv':
      return new Obv();
    case 'vwap':
      return new Vwap();
    case 'cci':
      return new Cci({ period: num('period') });
    case 'volumeZ':
      return new VolumeZScore({ period: num('period') });
  }
}

/**
 * Position of a named output in `output(i)` (catalogue order), e.g. `('bb', 'upper')` → 1.
 * Throws on a name the catalogue does not list.
 */
export function outputIndex(type: IndicatorType, name: string): number {
  const outputs: readonly string[] = INDICATOR_SPECS[type].outputs;
  const index = outputs.indexOf(name);
  if (index < 0) {
    throw new IndicatorConfigError(type, [`no output '${name}' (has ${outputs.join(', ')})`]);
  }
  return index;
}
