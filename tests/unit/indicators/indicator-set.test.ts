import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createIndicator,
  Ema,
  indicatorKey,
  IndicatorConfigError,
  IndicatorSet,
  Macd,
  Rsi,
  type IndicatorLease,
} from '../../../src/core/indicators';
import { binanceCandles } from './indicator-fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('indicatorKey', () => {
  it('spells timeframe, type, every parameter in catalogue order, and the source where one is read', () => {
    expect(indicatorKey({ type: 'ema', params: { period: 20 }, timeframe: '1m' })).toBe(
      '1m:ema(20)@close',
    );
    expect(
      indicatorKey({ type: 'bb', params: { stdDev: 2.5 }, source: 'hlc3', timeframe: '5m' }),
    ).toBe('5m:bb(20,2.5)@hlc3');
    expect(indicatorKey({ type: 'stoch', timeframe: '1h' })).toBe('1h:stoch(14,3,1)');
    expect(indicatorKey({ type: 'obv', timeframe: '1d' })).toBe('1d:obv()');
  });

  it('gives one key to requests that compute the same numbers', () => {
    const key = (request: Parameters<typeof indicatorKey>[0]): string => indicatorKey(request);
    // Defaults given or omitted, parameter order, an ignored source, MACD's swapped periods.
    expect(key({ type: 'rsi', timeframe: '1m' })).toBe(
      key({ type: 'rsi', params: { period: 14 }, source: 'close', timeframe: '1m' }),
    );
    expect(key({ type: 'macd', params: { signal: 9, slow: 26, fast: 12 }, timeframe: '1m' })).toBe(
      key({ type: 'macd', timeframe: '1m' }),
    );
    expect(key({ type: 'macd', params: { fast: 26, slow: 12 }, timeframe: '1m' })).toBe(
      key({ type: 'macd', timeframe: '1m' }),
    );
    expect(key({ type: 'atr', source: 'hl2', timeframe: '1m' })).toBe(
      key({ type: 'atr', timeframe: '1m' }),
    );
  });

  it('keeps apart what differs: a parameter, the source where read, the timeframe', () => {
    const keys = new Set([
      indicatorKey({ type: 'ema', params: { period: 20 }, timeframe: '1m' }),
      indicatorKey({ type: 'ema', params: { period: 21 }, timeframe: '1m' }),
      indicatorKey({ type: 'ema', params: { period: 20 }, source: 'open', timeframe: '1m' }),
      indicatorKey({ type: 'ema', params: { period: 20 }, timeframe: '5m' }),
      indicatorKey({ type: 'sma', params: { period: 20 }, timeframe: '1m' }),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe('IndicatorSet', () => {
  it('returns the same instance for the same key, a new one otherwise', () => {
    const set = new IndicatorSet();
    const a = set.acquire({ type: 'ema', params: { period: 20 }, timeframe: '1m' });
    const b = set.acquire({ type: 'ema', timeframe: '1m', source: 'close' });
    const c = set.acquire({ type: 'ema', params: { period: 50 }, timeframe: '1m' });
    expect(b.indicator).toBe(a.indicator);
    expect(b.key).toBe(a.key);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(c.indicator).not.toBe(a.indicator);
    expect(set.size).toBe(2);
    expect(set.leaseCount(a.key)).toBe(2);
  });

  it('updates each distinct indicator once per bar however many variants hold it', () => {
    const emaUpdate = vi.spyOn(Ema.prototype, 'update');
    const rsiUpdate = vi.spyOn(Rsi.prototype, 'update');
    const macdUpdate = vi.spyOn(Macd.prototype, 'update');
    const set = new IndicatorSet();
    // 100 variants drawing from 2 EMAs, 1 RSI and 1 MACD.
    for (let v = 0; v < 100; v++) {
      set.acquire({ type: 'ema', params: { period: v % 2 === 0 ? 12 : 26 }, timeframe: '1m' });
      set.acquire({ type: 'rsi', timeframe: '1m' });
      set.acquire({
        type: 'macd',
        params: v % 3 === 0 ? { fast: 26, slow: 12 } : {},
        timeframe: '1m',
      });
    }
    expect(set.size).toBe(4);
    const bars = binanceCandles(50);
    for (const bar of bars) set.update('1m', bar);
    expect(emaUpdate).toHaveBeenCalledTimes(2 * 50);
    expect(rsiUpdate).toHaveBeenCalledTimes(50);
    expect(macdUpdate).toHaveBeenCalledTimes(50);
  });

  it('a shared indicator holds exactly the values of an unshared one fed the same bars', () => {
    const set = new IndicatorSet();
    const leases = Array.from({ length: 10 }, () =>
      set.acquire({ type: 'bb', params: { period: 20, stdDev: 2 }, timeframe: '1m' }),
    );
    const alone = createIndicator('bb', { period: 20, stdDev: 2 });
    for (const bar of binanceCandles(300)) {
      set.update('1m', bar);
      alone.update(bar);
      for (const lease of leases)
        for (let o = 0; o < 3; o++) expect(lease.indicator.output(o)).toBe(alone.output(o));
    }
    expect(alone.ready).toBe(true);
  });

  it('feeds a bar only to its own timeframe', () => {
    const set = new IndicatorSet();
    const minute = set.acquire({ type: 'sma', params: { period: 2 }, timeframe: '1m' });
    const hour = set.acquire({ type: 'sma', params: { period: 2 }, timeframe: '1h' });
    for (const bar of binanceCandles(3)) set.update('1m', bar);
    set.update('4h', binanceCandles(1)[0]!);
    expect(minute.indicator.ready).toBe(true);
    expect(hour.indicator.ready).toBe(false);
  });

  it('keeps an indicator while any lease holds it, drops it with the last, and ignores a second dispose', () => {
    const set = new IndicatorSet();
    const request = { type: 'atr', timeframe: '1m' } as const;
    const first = set.acquire(request);
    const second = set.acquire(request);
    first.dispose();
    first.dispose();
    expect(set.leaseCount(first.key)).toBe(1);
    expect(set.get(first.key)).toBe(second.indicator);
    second.dispose();
    expect(set.size).toBe(0);
    expect(set.get(first.key)).toBeUndefined();
    // Updates after release reach nothing, and a new lease starts a fresh indicator.
    for (const bar of binanceCandles(20)) set.update('1m', bar);
    const third = set.acquire(request);
    expect(third.created).toBe(true);
    expect(third.indicator).not.toBe(second.indicator);
    expect(third.indicator.ready).toBe(false);
  });

  it('updates in acquisition order, and lists keys in that order', () => {
    const order: string[] = [];
    vi.spyOn(Ema.prototype, 'update').mockImplementation(function (this: Ema) {
      order.push(`ema${this.period}`);
    });
    const set = new IndicatorSet();
    for (const period of [30, 10, 20])
      set.acquire({ type: 'ema', params: { period }, timeframe: '1m' });
    set.update('1m', binanceCandles(1)[0]!);
    expect(order).toEqual(['ema30', 'ema10', 'ema20']);
    expect(set.keys()).toEqual(['1m:ema(30)@close', '1m:ema(10)@close', '1m:ema(20)@close']);
  });

  it('primes one newly created indicator from history without touching the others', () => {
    const set = new IndicatorSet();
    const bars = binanceCandles(60);
    const running = set.acquire({ type: 'ema', params: { period: 10 }, timeframe: '1m' });
    for (const bar of bars) set.update('1m', bar);
    const before = running.indicator.value;
    const late: IndicatorLease = set.acquire({
      type: 'ema',
      params: { period: 20 },
      timeframe: '1m',
    });
    expect(late.created).toBe(true);
    set.prime(late.key, bars);
    expect(running.indicator.value).toBe(before);
    const reference = createIndicator('ema', { period: 20 });
    for (const bar of bars) reference.update(bar);
    expect(late.indicator.value).toBe(reference.value);
    expect(() => set.prime('1m:ema(99)@close', bars)).toThrow(/no indicator/);
  });

  it('refuses an invalid request, naming every problem at once, and holds nothing for it', () => {
    const set = new IndicatorSet();
    let error: unknown;
    try {
      set.acquire({ type: 'bb', params: { period: 1.5, stdDev: 50, width: 3 }, timeframe: '1m' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IndicatorConfigError);
    const problems = (error as IndicatorConfigError).problems.join(' | ');
    expect(problems).toMatch(/unknown parameter 'width'/);
    expect(problems).toMatch(/period must be an integer/);
    expect(problems).toMatch(/stdDev must be within \[0\.1, 10\]/);
    expect(set.size).toBe(0);
  });
});
