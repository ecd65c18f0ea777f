import { describe, expect, it } from 'vitest';
import {
  Adx,
  BollingerBands,
  createIndicator,
  IndicatorConfigError,
  INDICATOR_SOURCES,
  INDICATOR_SPECS,
  INDICATOR_TYPES,
  isIndicatorType,
  Macd,
  outputIndex,
  resolveParams,
  sourcePrice,
  Stochastic,
  type IndicatorSource,
  type IndicatorType,
} from '../../../src/core/indicators';
import type { Candle } from '../../../src/shared/market';

const bar: Candle = { time: 0, open: 10, high: 16, low: 4, close: 13, volume: 7 };

describe('createIndicator', () => {
  it('builds every catalogue type with its defaults', () => {
    for (const type of INDICATOR_TYPES) {
      const indicator = createIndicator(type);
      expect(indicator.type).toBe(type);
      expect(indicator.outputCount).toBe(INDICATOR_SPECS[type].outputs.length);
    }
  });

  it('passes parameters through by their catalogue names', () => {
    const bb = createIndicator('bb', { period: 30, stdDev: 2.5 }, 'hl2');
    expect(bb).toBeInstanceOf(BollingerBands);
    expect((bb as BollingerBands).period).toBe(30);
    expect((bb as BollingerBands).stdDev).toBe(2.5);
    expect((bb as BollingerBands).source).toBe('hl2');
    const stoch = createIndicator('stoch', { period: 9, signalPeriod: 4 }) as Stochastic;
    expect([stoch.period, stoch.signalPeriod, stoch.kSmoothing]).toEqual([9, 4, 1]);
    expect((createIndicator('adx', { period: 7 }) as Adx).period).toBe(7);
    // MACD swaps fast and slow as TA-Lib does.
    const macd = createIndicator('macd', { fast: 30, slow: 10 }) as Macd;
    expect([macd.fast, macd.slow]).toEqual([10, 30]);
  });

  it('reads the source it is given', () => {
    const high = createIndicator('sma', { period: 1 }, 'high');
    const typical = createIndicator('sma', { period: 1 }, 'hlc3');
    high.update(bar);
    typical.update(bar);
    expect(high.value).toBe(16);
    expect(typical.value).toBe(11);
  });

  it('refuses unknown types and sources', () => {
    expect(() => createIndicator('supertrend' as IndicatorType)).toThrow(IndicatorConfigError);
    expect(() => createIndicator('ema', {}, 'vwap' as IndicatorSource)).toThrow(
      /unknown source 'vwap'/,
    );
    expect(isIndicatorType('ema')).toBe(true);
    expect(isIndicatorType('toString')).toBe(false);
  });

  it('refuses parameters outside the catalogue, reporting each one', () => {
    expect(() => createIndicator('rsi', { period: 1 })).toThrow(
      /period must be within \[2, 1000\], got 1/,
    );
    expect(() => createIndicator('ema', { period: 0 })).toThrow(/within \[1, 1000\]/);
    expect(() => createIndicator('sma', { period: Number.NaN })).toThrow(/finite number/);
    try {
      createIndicator('macd', { fast: 2.5, slow: 5000, signal: 0, length: 3 });
      expect.unreachable('macd with four bad parameters');
    } catch (error) {
      expect((error as IndicatorConfigError).problems).toHaveLength(4);
    }
  });
});

describe('resolveParams', () => {
  it('fills defaults from the catalogue and keeps given values', () => {
    expect(resolveParams('macd', { signal: 5 })).toEqual({ fast: 12, slow: 26, signal: 5 });
    expect(resolveParams('obv')).toEqual({});
  });
});

describe('outputIndex', () => {
  it('maps catalogue output names to output(i) positions', () => {
    expect(outputIndex('bb', 'middle')).toBe(0);
    expect(outputIndex('bb', 'lower')).toBe(2);
    expect(outputIndex('macd', 'histogram')).toBe(2);
    expect(outputIndex('adx', 'mdi')).toBe(2);
    expect(() => outputIndex('rsi', 'signal')).toThrow(/no output 'signal'/);
  });
});

describe('sourcePrice', () => {
  it('reads each field and the composites', () => {
    const expected: Record<IndicatorSource, number> = {
      open: 10,
      high: 16,
      low: 4,
      close: 13,
      volume: 7,
      hl2: 10,
      hlc3: 11,
      ohlc4: 10.75,
    };
    for (const source of INDICATOR_SOURCES) expect(sourcePrice(bar, source)).toBe(expected[source]);
  });
});
