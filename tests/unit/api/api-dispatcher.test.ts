import { describe, expect, it } from 'vitest';
import { apiMethods, type ApiHandlers } from '../../../src/shared/api';
import { ApiDispatcher, UserFacingError } from '../../../src/core/api/api-dispatcher';
import { refusingHandlers } from '../../support/refusing-handlers';
import { formatIssuePath } from '../../../src/shared/api-errors';

const feedStatus = {
  kind: 'simulated' as const,
  state: 'live' as const,
  series: { exchange: 'simulated', symbol: 'SIM/USDT', timeframe: '1m' as const },
  label: 'x',
  replaySpeed: null,
  messagesPerSecond: 0,
  progress: null,
  error: null,
};

function makeDispatcher(overrides: Partial<ApiHandlers> = {}): {
  dispatcher: ApiDispatcher;
  seen: unknown[];
  logs: string[];
} {
  const seen: unknown[] = [];
  const logs: string[] = [];
  const handlers: ApiHandlers = {
    ...refusingHandlers(),
    getAppInfo: () => ({ name: 'Parallax', version: '1', node: '24' }),
    getFeedStatus: () => feedStatus,
    selectFeed: (p) => (seen.push(p), feedStatus),
    setReplaySpeed: (p) => (seen.push(p), feedStatus),
    getFeedCandles: (p) => (
      seen.push(p),
      { series: feedStatus.series, candles: [], forming: null }
    ),
    getCandles: (p) => (seen.push(p), { series: p.series, candles: [] }),
    listSeries: () => [],
    importHistory: () => {
      throw new Error('not in this test');
    },
    listStrategyTemplates: () => [],
    runBacktest: () => {
      throw new Error('not in this test');
    },
    cancelBacktest: () => ({ cancelled: false }),
    getBacktestResult: () => {
      throw new Error('not in this test');
    },
    exportTrades: (p) => ({ format: p.format, rows: 0, text: '' }),
    ...overrides,
  };
  return { dispatcher: new ApiDispatcher(handlers, (m) => logs.push(m)), seen, logs };
}

describe('ApiDispatcher', () => {
  it('when the call is well-formed then the handler gets the parsed params with defaults', async () => {
    const { dispatcher, seen } = makeDispatcher();
    const outcome = await dispatcher.dispatch('getFeedCandles', {});
    expect(outcome).toEqual({
      ok: true,
      result: { series: feedStatus.series, candles: [], forming: null },
    });
    expect(seen).toEqual([{ limit: 5000 }]);
  });

  it('when the method is unknown then UNKNOWN_METHOD names it', async () => {
    const { dispatcher } = makeDispatcher();
    const outcome = await dispatcher.dispatch('dropDatabase', {});
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'unknown method: dropDatabase' },
    });
  });

  it('when the method is not a string or is an inherited property then it is unknown', async () => {
    const { dispatcher } = makeDispatcher();
    for (const m of [42, null, undefined, 'toString', '__proto__', 'constructor']) {
      const outcome = await dispatcher.dispatch(m, {});
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe('UNKNOWN_METHOD');
    }
  });

  it('when params have the wrong shape then INVALID_PARAMS lists every issue with its path', async () => {
    const { dispatcher, seen } = makeDispatcher();
    const outcome = await dispatcher.dispatch('getCandles', {
      series: { exchange: 'binance', symbol: 7, timeframe: '2m' },
      limit: -1,
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('INVALID_PARAMS');
    expect(outcome.error.method).toBe('getCandles');
    const paths = outcome.error.issues?.map((i) => i.path).sort();
    expect(paths).toEqual(['limit', 'series.symbol', 'series.timeframe']);
    expect(outcome.error.message).toMatch(/^invalid params for getCandles: /);
    expect(seen).toEqual([]);
  });

  it('when params carry unexpected keys then they are refused, not silently dropped', async () => {
    const { dispatcher } = makeDispatcher();
    const outcome = await dispatcher.dispatch('getFeedStatus', { sneaky: true });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('INVALID_PARAMS');
  });

  it('when a replay selection has a bad speed then the error points at speed', async () => {
    const { dispatcher } = makeDispatcher();
    const outcome = await dispatcher.dispatch('selectFeed', {
      kind: 'replay',
      series: { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' },
      speed: 7,
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.issues?.[0]?.path).toBe('speed');
  });

  it('when a handler throws a user-facing error then FAILED carries its words', async () => {
    const { dispatcher, logs } = makeDispatcher({
      listSeries: () => {
        throw new UserFacingError('no database yet');
      },
    });
    expect(await dispatcher.dispatch('listSeries', {})).toEqual({
      ok: false,
      error: { code: 'FAILED', method: 'listSeries', message: 'no database yet', issues: [] },
    });
    expect(logs).toEqual([]);
  });

  it('when a handler has a bug then INTERNAL is returned and the stack is logged', async () => {
    const { dispatcher, logs } = makeDispatcher({
      listSeries: () => {
        throw new TypeError('x is undefined');
      },
    });
    const outcome = await dispatcher.dispatch('listSeries', {});
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        method: 'listSeries',
        message: 'listSeries failed: x is undefined',
      },
    });
    expect(logs[0]).toMatch(/TypeError: x is undefined/);
  });

  it('every method in the contract has a params and a result schema', () => {
    for (const [name, spec] of Object.entries(apiMethods)) {
      expect(spec.params, name).toBeDefined();
      expect(spec.result, name).toBeDefined();
    }
  });
});

describe('formatIssuePath', () => {
  it('renders indexes and keys the way a trader reads them', () => {
    expect(formatIssuePath(['indicators', 2, 'params', 'period'])).toBe(
      'indicators[2].params.period',
    );
    expect(formatIssuePath([])).toBe('(root)');
  });
});
