import { describe, expect, it } from 'vitest';
import {
  createIndicator,
  INDICATOR_TYPES,
  type Indicator,
  type IndicatorType,
} from '../../../src/core/indicators';
import type { Candle } from '../../../src/shared/market';

/**
 * Every array an object retains, found by walking its own properties (TypeScript `private`
 * fields are ordinary properties at run time): total elements of typed arrays and plain arrays,
 * and how many there are. An indicator that keeps history shows up here as growth.
 */
function retainedArrays(root: object): { arrays: number; elements: number } {
  const seen = new Set<object>();
  let arrays = 0;
  let elements = 0;
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      arrays++;
      elements += value.byteLength;
      return;
    }
    if (Array.isArray(value)) {
      arrays++;
      elements += value.length;
    }
    if (value instanceof Map || value instanceof Set) {
      arrays++;
      elements += value.size;
    }
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
  };
  visit(root);
  return { arrays, elements };
}

/** A million bars from a seeded random walk around 25,000, in one reused object (no garbage). */
function feedMillion(indicator: Indicator): void {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const bar: Candle = {
    time: 0,
    open: 25_000,
    high: 25_000,
    low: 25_000,
    close: 25_000,
    volume: 1,
  };
  for (let i = 0; i < 1_000_000; i++) {
    const open = bar.close;
    const close = Math.max(1, open + (random() - 0.5) * 40);
    bar.time = i * 60_000;
    bar.open = open;
    bar.close = close;
    bar.high = Math.max(open, close) + random() * 10;
    bar.low = Math.min(open, close) - random() * 10;
    bar.volume = random() < 0.05 ? 0 : random() * 5;
    indicator.update(bar);
  }
}

describe('memory: a million updates retain no more than the first few', () => {
  it.each(INDICATOR_TYPES)('%s', (type: IndicatorType) => {
    const indicator = createIndicator(type);
    const before = retainedArrays(indicator);
    feedMillion(indicator);
    expect(indicator.ready).toBe(true);
    expect(Number.isFinite(indicator.value)).toBe(true);
    expect(retainedArrays(indicator)).toEqual(before);
  });

  it('the probe does see an indicator that keeps its history (so the checks above can fail)', () => {
    const leaky = createIndicator('sma', { period: 3 });
    const history: number[] = [];
    Object.assign(leaky, { history });
    const update = leaky.update.bind(leaky);
    leaky.update = (bar: Candle): void => {
      history.push(bar.close);
      update(bar);
    };
    const before = retainedArrays(leaky);
    for (let i = 0; i < 10; i++)
      leaky.update({ time: i, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    expect(retainedArrays(leaky).elements).toBe(before.elements + 10);
  });
});
