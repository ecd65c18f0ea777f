import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExchangeFeed,
  ExchangeGapRepository,
  type ExchangeFeedOptions,
} from '../../../src/core/market/exchange';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import type { Candle, CandleEvent } from '../../../src/shared/market';
import {
  AcceleratedClock,
  binanceMarket,
  FakeBinanceExchange,
  readBinanceArchive,
  readKrakenOhlcvt,
} from '../../support/fake-exchange';

/**
 * The exchange feed against a local Binance (real WebSocket and HTTP servers on 127.0.0.1)
 * replaying a real month of FIL/USDT perpetual 1m bars, 1200× faster than real time (a bar
 * every 50 ms). After each fault the stored series must equal the exchange's history exactly.
 */
const SPEED = 1200;
const MINUTE = 60_000;
const FIL = readBinanceArchive('candles/binance-um_FILUSDT-1m-2023-08.csv.gz');

interface Harness {
  clock: AcceleratedClock;
  fake: FakeBinanceExchange;
  feed: ExchangeFeed;
  db: Db;
  candles: CandleRepository;
  gaps: ExchangeGapRepository;
  emitted: CandleEvent[];
  warnings: string[];
  history: readonly Candle[];
  firstLive: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(options: {
  history?: readonly Candle[];
  startIndex?: number;
  exchange?: 'binance' | 'binanceusdm';
  feed?: Partial<ExchangeFeedOptions>;
  beforeStart?: (fake: FakeBinanceExchange) => void;
}): Promise<Harness> {
  const history = options.history ?? FIL;
  const startIndex = options.startIndex ?? 1500;
  const exchange = options.exchange ?? 'binanceusdm';
  const clock = new AcceleratedClock(history[startIndex]!.time + 20_000, SPEED);
  const marketId = exchange === 'binance' && history !== FIL ? 'BTCUSDC' : 'FILUSDT';
  const fake = await FakeBinanceExchange.start({ history, clock, marketId });
  const dir = mkdtempSync(join(tmpdir(), 'parallax-feed-'));
  const db = openDatabase({ path: join(dir, 'parallax.sqlite') });
  const candles = new CandleRepository(db);
  const gaps = new ExchangeGapRepository(db);
  const [base, quote] = marketId === 'BTCUSDC' ? ['BTC', 'USDC'] : ['FIL', 'USDT'];
  const market = binanceMarket(exchange === 'binance' ? 'spot' : 'linear', base, quote);
  const warnings: string[] = [];
  options.beforeStart?.(fake);
  const feed = new ExchangeFeed(clock, candles, gaps, {
    exchange,
    symbol: market['symbol'] as string,
    urls: fake.urls(),
    markets: [market],
    backfillFrom: history[0]!.time,
    pageLimit: 500,
    rateLimitMs: 1,
    // Exchange-clock ms: at 1200× these are 1 ms … 50 ms of real time.
    reconnect: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 },
    restRetry: { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.5 },
    staleAfterMs: 400_000,
    random: seeded(7),
    logger: { warn: (m) => warnings.push(m) },
    ...options.feed,
  });
  const emitted: CandleEvent[] = [];
  feed.onBar((e) => emitted.push(e));
  cleanups.push(async () => {
    feed.dispose();
    await fake.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  feed.start();
  const h = {
    clock,
    fake,
    feed,
    db,
    candles,
    gaps,
    emitted,
    warnings,
    history,
    firstLive: startIndex,
  };
  // Caught up: the start-up backfill is done and the stream is delivering the current bar.
  await until('the feed to catch up', () => {
    const s = feed.healthStatus();
    return (
      s.state === 'live' &&
      (s.lastClosedTime ?? 0) >= clock.nowMs() - 2 * MINUTE &&
      feed.recent(1).forming !== null
    );
  });
  return h;
}

/** Polls (real time) until `cond` holds; a bounded wait, never a timed assertion. */
async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const barsLater = (h: Harness, n: number): number =>
  h.clock.nowMs() - (h.clock.nowMs() % MINUTE) + n * MINUTE;

async function liveUntil(h: Harness, openTime: number): Promise<void> {
  await until(
    `bar ${new Date(openTime).toISOString()} closed`,
    () => (h.feed.healthStatus().lastClosedTime ?? 0) >= openTime,
  );
}

/** Compares what was stored and emitted with the exchange's own history; prints and returns the counts. */
function verify(h: Harness, fault: string): { missing: number; duplicate: number; bars: number } {
  const last = h.feed.healthStatus().lastClosedTime!;
  const reference = h.history.filter((b) => b.time <= last);
  const stored = h.candles.range(h.feed.series, 0, Number.MAX_SAFE_INTEGER, 1_000_000);
  const closed = h.emitted
    .filter((e) => e.closed && e.series.timeframe === '1m')
    .map((e) => e.candle);
  const seen = new Set<number>();
  let duplicate = 0;
  for (const c of closed) {
    if (seen.has(c.time)) duplicate++;
    seen.add(c.time);
  }
  const missing = reference.filter((b) => !seen.has(b.time)).length;
  console.log(`fault=${fault}: ${missing} missing, ${duplicate} duplicate, ${closed.length} bars`);
  expect(stored).toEqual(reference);
  expect(closed).toEqual(reference);
  for (let i = 1; i < closed.length; i++)
    expect(closed[i]!.time).toBeGreaterThan(closed[i - 1]!.time);
  return { missing, duplicate, bars: closed.length };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ExchangeFeed against a fake Binance (real candles, real sockets, real SQLite)', () => {
  it('backfills over paginated REST, then streams: the stored series equals the exchange history', async () => {
    const h = await harness({ feed: { timeframes: ['5m', '1h'] } });
    await liveUntil(h, barsLater(h, 8));
    const counts = verify(h, 'none');
    // One subscription serves the higher timeframes: closed 5m and 1h bars are the 1m history
    // grouped on UTC boundaries, up to the last complete period.
    for (const tf of ['5m', '1h'] as const) {
      const ms = tf === '5m' ? 5 * MINUTE : 60 * MINUTE;
      const last = h.feed.healthStatus().lastClosedTime!;
      const complete = h.history.filter((b) => Math.floor(b.time / ms) * ms + ms <= last + MINUTE);
      const expected = [...Map.groupBy(complete, (b) => Math.floor(b.time / ms) * ms)].map(
        ([time, g]) => ({
          time,
          open: g[0]!.open,
          high: Math.max(...g.map((b) => b.high)),
          low: Math.min(...g.map((b) => b.low)),
          close: g.at(-1)!.close,
          volume: g.reduce((sum, b) => sum + b.volume, 0),
        }),
      );
      const emitted = h.emitted
        .filter((e) => e.closed && e.series.timeframe === tf)
        .map((e) => e.candle);
      expect(emitted).toEqual(expected);
    }
    expect(counts).toMatchObject({ missing: 0, duplicate: 0 });
    expect(counts.bars).toBeGreaterThan(1500);
    expect(counts.bars - h.feed.healthStatus().backfilledBars).toBeGreaterThanOrEqual(3);
    expect(h.feed.healthStatus().backfills).toBeGreaterThanOrEqual(1);
    expect(h.feed.recent(5).candles).toEqual(
      h.history.filter((b) => b.time <= h.feed.healthStatus().lastClosedTime!).slice(-5),
    );
    // Live updates were seen between closed bars, each newer than the last closed bar.
    const forming = h.emitted.filter((e) => !e.closed);
    expect(forming.length).toBeGreaterThan(0);
    let lastClosed = 0;
    for (const e of h.emitted.filter((x) => x.series.timeframe === '1m')) {
      if (e.closed) lastClosed = e.candle.time;
      else expect(e.candle.time).toBeGreaterThan(lastClosed);
    }
  });

  it('fault=drop: reconnects with backoff and backfills what it missed', async () => {
    const h = await harness({});
    await liveUntil(h, barsLater(h, 2));
    h.fake.inject('drop');
    await liveUntil(h, barsLater(h, 3));
    h.fake.inject('drop');
    await liveUntil(h, barsLater(h, 4));
    expect(verify(h, 'drop')).toMatchObject({ missing: 0, duplicate: 0 });
    expect(h.feed.healthStatus().reconnects).toBeGreaterThanOrEqual(2);
    expect(h.fake.stats.connections).toBeGreaterThanOrEqual(3);
  });

  it('fault=silence: a connection that says nothing is treated as dead and replaced', async () => {
    const h = await harness({});
    await liveUntil(h, barsLater(h, 2));
    h.fake.inject('silence');
    await until('a reconnect', () => h.feed.healthStatus().reconnects >= 1);
    await liveUntil(h, barsLater(h, 4));
    expect(verify(h, 'silence')).toMatchObject({ missing: 0, duplicate: 0 });
    expect(h.feed.healthStatus().lastError).toMatch(/no message for/);
  });

  it('fault=garbage: malformed and truncated frames are counted, logged once per kind, and skipped', async () => {
    const h = await harness({});
    await liveUntil(h, barsLater(h, 2));
    h.fake.inject('garbage');
    h.fake.inject('garbage');
    await liveUntil(h, barsLater(h, 3));
    expect(verify(h, 'garbage')).toMatchObject({ missing: 0, duplicate: 0 });
    const health = h.feed.healthStatus();
    expect(health.badMessages).toBe(18);
    expect(Object.keys(health.badMessagesByKind).sort()).toEqual([
      'malformed-kline',
      'malformed-trade',
      'not-an-object',
      'not-json',
      'unknown-event',
    ]);
    expect(h.warnings.length).toBe(5);
    expect(health.reconnects).toBe(0);
  });

  it('fault=duplicate: every message twice, and no bar is emitted twice', async () => {
    const h = await harness({});
    await liveUntil(h, barsLater(h, 1));
    h.fake.inject('duplicate');
    await liveUntil(h, barsLater(h, 6));
    h.fake.heal();
    expect(verify(h, 'duplicate')).toMatchObject({ missing: 0, duplicate: 0 });
    expect(h.feed.healthStatus().duplicateBars).toBeGreaterThanOrEqual(4);
  });

  it('fault=reorder: swapped messages still give every bar once, in order', async () => {
    const h = await harness({});
    await liveUntil(h, barsLater(h, 1));
    h.fake.inject('reorder');
    await liveUntil(h, barsLater(h, 8));
    h.fake.heal();
    await liveUntil(h, barsLater(h, 1));
    expect(verify(h, 'reorder')).toMatchObject({ missing: 0, duplicate: 0 });
  });

  it('fault=rest-429-5xx: backfill honours 429 and 5xx with backoff and still gets everything', async () => {
    const h = await harness({ beforeStart: (fake) => fake.failRest(429, 429, 503, 500) });
    await liveUntil(h, barsLater(h, 2));
    h.fake.failRest(429, 500);
    h.fake.inject('drop');
    await liveUntil(h, barsLater(h, 3));
    expect(verify(h, 'rest-429-5xx')).toMatchObject({ missing: 0, duplicate: 0 });
    const health = h.feed.healthStatus();
    expect(h.fake.stats.restFaultsServed).toBe(6);
    expect(health.rateLimited).toBe(3);
    expect(health.restErrors).toBe(6);
  });

  it('fault=sparse history (Kraken-like, on Binance spot): holes stay holes and are recorded as verified-empty', async () => {
    // Kraken's BTC/USDC 1m export omits minutes without trades; served here as the exchange history.
    const sparse = readKrakenOhlcvt('candles/kraken_XBTUSDC_1_2023Q1.csv.gz').slice(0, 1400);
    const h = await harness({ history: sparse, startIndex: 1200, exchange: 'binance' });
    const target = sparse[1215]!.time;
    await liveUntil(h, target);
    expect(verify(h, 'sparse')).toMatchObject({ missing: 0, duplicate: 0 });
    // Every hole between consecutive stored bars is covered by exactly one verified-empty interval.
    const stored = h.candles.range(h.feed.series, 0, target, 100_000);
    const gaps = h.gaps.range(h.feed.series, stored[0]!.time, target);
    const holes = stored
      .slice(1)
      .flatMap((b, i) =>
        b.time - stored[i]!.time > MINUTE ? [{ from: stored[i]!.time + MINUTE, to: b.time }] : [],
      );
    expect(holes.length).toBeGreaterThan(10);
    expect(gaps.map((g) => ({ from: g.from, to: g.to }))).toEqual(holes);
  });

  it('builds bars from the trade stream where asked, and takes the partial first minute from REST', async () => {
    // The fake pumps every 3 ms real (3.6 s of exchange time at 1200×): the grace before a quiet
    // minute is closed by the timer must exceed that, as it must exceed network delay live.
    const h = await harness({
      exchange: 'binance',
      feed: { source: 'trades', tradeCloseGraceMs: 30_000 },
    });
    await liveUntil(h, barsLater(h, 5));
    const counts = verify(h, 'trades');
    expect(counts).toMatchObject({ missing: 0, duplicate: 0 });
    // Some closed bars came from the trade stream, not from REST.
    expect(counts.bars - h.feed.healthStatus().backfilledBars).toBeGreaterThanOrEqual(2);
  });
});
