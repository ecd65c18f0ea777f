import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBinanceStreamMessage } from '../../../src/core/market/exchange';
import { sharedDataPath } from '../../support/shared-data';

const NAUTILUS = 'protocol/nautilus/crates/adapters/binance/test_data/futures/market_data_json';
const NAUTILUS_WS =
  'protocol/nautilus/tests/integration_tests/adapters/binance/resources/ws_messages';
const readJson = (relative: string): unknown =>
  JSON.parse(readFileSync(sharedDataPath(relative), 'utf8'));

/** The raw WebSocket frames of a cryptofeed recording (zstd-compressed JSON lines). */
function recordedFrames(name: string): string[] {
  const text = execFileSync(
    'zstd',
    ['-dc', sharedDataPath(`protocol/cryptofeed/${name}.jsonl.zst`)],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as { t?: string; data?: unknown };
    if (entry.t === 'recv' && typeof entry.data === 'string') frames.push(entry.data);
  }
  return frames;
}

describe('parseBinanceStreamMessage on recorded Binance messages', () => {
  it('reads the nautilus futures kline fixtures, closed and open', () => {
    const closed = parseBinanceStreamMessage(readJson(`${NAUTILUS}/kline_stream_closed.json`));
    expect(closed).toEqual({
      kind: 'kline',
      marketId: 'BTCUSDT',
      interval: '1m',
      eventTime: 1638747660000,
      candle: {
        time: 1638747660000,
        open: 0.001,
        high: 0.0025,
        low: 0.001,
        close: 0.002,
        volume: 1000,
      },
      closed: true,
    });
    // This docs-derived fixture has its low (0.0015) above its open (0.0010): a corrupt bar,
    // which the parser refuses rather than let it reach a chart or a strategy.
    const open = parseBinanceStreamMessage(readJson(`${NAUTILUS}/kline_stream_open.json`));
    expect(open).toMatchObject({
      kind: 'bad',
      reason: 'malformed-kline',
      detail: 'inconsistent OHLC',
    });
    const repaired = readJson(`${NAUTILUS}/kline_stream_open.json`) as {
      k: Record<string, unknown>;
    };
    repaired.k['l'] = '0.0010';
    expect(parseBinanceStreamMessage(repaired)).toMatchObject({
      kind: 'kline',
      closed: false,
      candle: { low: 0.001 },
    });
  });

  it('reads trade and aggTrade, raw and in the combined-stream envelope', () => {
    expect(parseBinanceStreamMessage(readJson(`${NAUTILUS}/trade_stream.json`))).toEqual({
      kind: 'trade',
      marketId: 'BTCUSDT',
      eventTime: 123456789,
      id: 5933014,
      price: 0.001,
      amount: 100,
      time: 123456785,
    });
    expect(parseBinanceStreamMessage(readJson(`${NAUTILUS}/agg_trade_stream.json`))).toMatchObject({
      kind: 'trade',
      id: 5933014,
    });
    expect(parseBinanceStreamMessage(readJson(`${NAUTILUS_WS}/ws_spot_agg_trade.json`))).toEqual({
      kind: 'trade',
      marketId: 'ETHUSDT',
      eventTime: 1675759520848,
      id: 226532,
      price: 1632.46,
      amount: 0.34305,
      time: 1675759520847,
    });
  });

  it('accepts every frame of the recorded spot and USDⓈ-M sessions: none is malformed', () => {
    for (const session of ['BINANCE', 'BINANCE_FUTURES']) {
      const counts: Record<string, number> = {};
      const klines = [];
      for (const frame of recordedFrames(session)) {
        const msg = parseBinanceStreamMessage(frame);
        counts[msg.kind] = (counts[msg.kind] ?? 0) + 1;
        if (msg.kind === 'kline') klines.push(msg);
      }
      expect(counts['bad'] ?? 0, `${session}: ${JSON.stringify(counts)}`).toBe(0);
      expect(klines.length).toBeGreaterThan(0);
      expect(counts['trade']).toBeGreaterThan(0);
      for (const k of klines) {
        expect(k.candle.low).toBeLessThanOrEqual(k.candle.high);
        expect(k.interval).toBe('1m');
        expect(k.candle.time % 60_000).toBe(0);
      }
    }
  });

  it('refuses malformed frames with a reason instead of throwing', () => {
    const cases: Array<[unknown, string]> = [
      ['{"e":"kline","E":1,"s":"X","k":{"t":1', 'not-json'],
      ['hello', 'not-json'],
      [42, 'not-an-object'],
      [[1, 2], 'not-an-object'],
      [{ e: 'kline', E: 1, s: 'X', k: { t: 'soon' } }, 'malformed-kline'],
      [
        {
          e: 'kline',
          E: 1,
          s: 'X',
          k: { t: 0, T: 1, s: 'X', i: '1m', o: '2', h: '1', l: '3', c: '2', v: '1', x: true },
        },
        'malformed-kline',
      ],
      [
        {
          e: 'kline',
          E: 1,
          s: 'X',
          k: { t: 0, T: 1, s: 'X', i: '1m', o: '1e5', h: '1', l: '1', c: '1', v: '1', x: true },
        },
        'malformed-kline',
      ],
      [{ e: 'aggTrade', E: 1, s: 'X', a: 1, p: 'NaN', q: '1', T: 1 }, 'malformed-trade'],
      [{ e: 'surprise' }, 'unknown-event'],
      [{ hello: 'world' }, 'unknown-event'],
    ];
    for (const [raw, reason] of cases)
      expect(parseBinanceStreamMessage(raw)).toMatchObject({ kind: 'bad', reason });
  });

  it('tells subscription replies and exchange errors apart from data', () => {
    expect(parseBinanceStreamMessage('{"result":null,"id":1}')).toEqual({ kind: 'control', id: 1 });
    expect(parseBinanceStreamMessage({ code: 2, msg: 'Invalid request', id: 3 })).toEqual({
      kind: 'error',
      code: 2,
      message: 'Invalid request',
    });
    expect(parseBinanceStreamMessage({ e: 'depthUpdate', E: 1 })).toEqual({
      kind: 'other',
      event: 'depthUpdate',
    });
  });
});
