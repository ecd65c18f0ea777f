import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle, CandleEvent, ReplaySpeed, SeriesKey } from '../../../src/shared/market';
import { HistoryImporter } from '../../../src/core/history/history-importer';
import { ReplayFeed } from '../../../src/core/market/replay-feed';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { TestClock } from '../../../src/core/time/clock';
import { sharedDataPath } from '../../support/shared-data';

describe('ReplayFeed on real BTC/USDT history', () => {
  let db: Db;
  let repo: CandleRepository;
  let series: SeriesKey;

  beforeAll(() => {
    db = openDatabase({ path: ':memory:' });
    repo = new CandleRepository(db);
    const file = 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
    series = new HistoryImporter(db, repo, new TestClock()).importFile({
      fileName: file,
      bytes: readFileSync(sharedDataPath(`candles/${file}`)),
    }).series;
  });
  afterAll(() => db.close());

  const play = (
    speed: ReplaySpeed,
    range: { from?: number; to?: number } = {},
  ): { events: CandleEvent[]; clock: TestClock } => {
    const clock = new TestClock(0);
    const feed = new ReplayFeed(clock, repo, { series, speed, ...range, maxSpeedBatch: 777 });
    const events: CandleEvent[] = [];
    feed.onBar((e) => events.push(e));
    feed.start();
    clock.runAll();
    expect(feed.status().state).toBe('ended');
    expect(feed.status().progress).toBe(1);
    feed.dispose();
    return { events, clock };
  };

  it('when replayed as fast as possible then every stored bar is emitted once, closed, in order', () => {
    const { events } = play('max');
    expect(events).toHaveLength(30_240);
    expect(events.every((e) => e.closed)).toBe(true);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.candle.time).toBeGreaterThan(events[i - 1]!.candle.time);
    expect(events.map((e) => e.candle)).toEqual(
      repo.range(series, 0, Number.MAX_SAFE_INTEGER, 100_000),
    );
  });

  it('when replayed twice, or at another speed, then the sequence is identical', () => {
    const range = { from: Date.UTC(2023, 2, 10), to: Date.UTC(2023, 2, 10, 23, 59) };
    const a = play('max', range).events.map((e) => e.candle);
    const b = play('max', range).events.map((e) => e.candle);
    const c = play(100, range).events.map((e) => e.candle);
    const d = play(1, range).events.map((e) => e.candle);
    expect(a).toHaveLength(1440);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d).toEqual(a);
  });

  it('spaces bars at the bar length divided by the speed', () => {
    const range = { from: Date.UTC(2023, 2, 10), to: Date.UTC(2023, 2, 10, 0, 9) };
    for (const [speed, perBarMs] of [
      [1, 60_000],
      [10, 6_000],
      [100, 600],
    ] as const) {
      const clock = new TestClock(0);
      const feed = new ReplayFeed(clock, repo, { series, speed, ...range });
      const times: number[] = [];
      feed.onBar(() => times.push(clock.nowMs()));
      feed.start();
      clock.runAll();
      expect(times).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * perBarMs));
      feed.dispose();
    }
  });

  it('when paused and resumed or sped up mid-way then no bar is skipped or repeated', () => {
    const range = { from: Date.UTC(2023, 2, 10), to: Date.UTC(2023, 2, 10, 1, 59) };
    const clock = new TestClock(0);
    const feed = new ReplayFeed(clock, repo, { series, speed: 10, ...range });
    const got: Candle[] = [];
    feed.onBar((e) => got.push(e.candle));
    feed.start();
    clock.advance(6_000 * 30 + 1);
    expect(got).toHaveLength(30);
    feed.stop();
    clock.advance(1_000_000);
    expect(got).toHaveLength(30);
    expect(feed.status().state).toBe('paused');
    feed.setSpeed('max');
    feed.start();
    clock.runAll();
    expect(got).toEqual(repo.range(series, range.from, range.to, 1000));
    feed.dispose();
  });

  it('when the range holds no bars then the feed reports ended at once', () => {
    const feed = new ReplayFeed(new TestClock(0), repo, {
      series,
      speed: 'max',
      from: 0,
      to: 1000,
    });
    expect(feed.status()).toMatchObject({ state: 'ended', progress: 1 });
    feed.dispose();
  });
});
