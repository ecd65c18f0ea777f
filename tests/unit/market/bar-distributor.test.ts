import { describe, expect, it } from 'vitest';
import { BarDistributor } from '../../../src/core/market/distribution';
import { TestClock } from '../../../src/core/time/clock';
import type { CandleEvent, SeriesKey, Timeframe } from '../../../src/shared/market';

const series = (timeframe: Timeframe = '1m'): SeriesKey => ({
  exchange: 'binanceusdm',
  symbol: 'FIL/USDT:USDT',
  timeframe,
});
const bar = (
  i: number,
  closed: boolean,
  timeframe: Timeframe = '1m',
  close = 4 + i / 1000,
): CandleEvent => ({
  series: series(timeframe),
  candle: { time: i * 60_000, open: 4, high: 5, low: 3, close, volume: 1 },
  closed,
});

/** A scheduler the test drives: deliveries happen only when it says so. */
function manualScheduler(): { schedule: (task: () => void) => void; run: () => Promise<void> } {
  const tasks: Array<() => void> = [];
  return {
    schedule: (task) => void tasks.push(task),
    run: async () => {
      for (let guard = 0; guard < 10_000 && tasks.length > 0; guard++) {
        tasks.shift()!();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

describe('BarDistributor', () => {
  it('delivers every closed bar in order and coalesces in-progress updates to the newest', async () => {
    const clock = new TestClock(0);
    const s = manualScheduler();
    const d = new BarDistributor(clock, { schedule: s.schedule });
    const got: CandleEvent[] = [];
    const sub = d.subscribe((e) => void got.push(e), { name: 'chart' });
    d.publish(bar(1, false, '1m', 4.1));
    d.publish(bar(1, false, '1m', 4.2));
    d.publish(bar(1, true));
    d.publish(bar(2, false, '1m', 4.3));
    d.publish(bar(2, false, '1m', 4.4));
    clock.advance(7);
    await s.run();
    expect(got.map((e) => [e.candle.time / 60_000, e.closed, e.candle.close])).toEqual([
      [1, true, 4.001],
      [2, false, 4.4],
    ]);
    expect(sub.stats()).toMatchObject({
      name: 'chart',
      queued: 0,
      delivered: 2,
      coalesced: 3,
      lagMs: 7,
      errors: 0,
      paused: false,
    });
  });

  it('keeps one in-progress slot per series, and filters by series', async () => {
    const s = manualScheduler();
    const d = new BarDistributor(new TestClock(0), { schedule: s.schedule });
    const all: CandleEvent[] = [];
    const hourly: CandleEvent[] = [];
    d.subscribe((e) => void all.push(e), { name: 'all' });
    d.subscribe((e) => void hourly.push(e), { name: '1h', series: [series('1h')] });
    d.publish(bar(1, false, '1m'));
    d.publish(bar(0, false, '1h'));
    d.publish(bar(2, false, '1m'));
    await s.run();
    expect(all.map((e) => e.series.timeframe)).toEqual(['1m', '1h']);
    expect(hourly.map((e) => e.series.timeframe)).toEqual(['1h']);
  });

  it('a slow async subscriber and a throwing one delay nobody else', async () => {
    const errors: string[] = [];
    const d = new BarDistributor(new TestClock(0), {
      onSubscriberError: (name) => errors.push(name),
    });
    const fast: number[] = [];
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const slow: number[] = [];
    d.subscribe(
      async (e) => {
        await slowGate;
        slow.push(e.candle.time);
      },
      { name: 'slow' },
    );
    d.subscribe(
      () => {
        throw new Error('strategy bug');
      },
      { name: 'throws' },
    );
    d.subscribe((e) => void fast.push(e.candle.time), { name: 'fast' });
    for (let i = 0; i < 100; i++) d.publish(bar(i, true));
    await new Promise((r) => setTimeout(r, 20));
    expect(fast.length).toBe(100);
    expect(slow.length).toBe(0);
    expect(errors.length).toBe(100);
    const stats = Object.fromEntries(d.stats().map((s) => [s.name, s]));
    expect(stats['slow']!.queued).toBe(99);
    expect(stats['throws']).toMatchObject({ delivered: 100, errors: 100, queued: 0 });
    releaseSlow();
    await new Promise((r) => setTimeout(r, 20));
    expect(slow).toEqual(fast);
  });

  it('pauses a subscriber that falls too far behind, tells it where to catch up, and never skips silently', async () => {
    const s = manualScheduler();
    const d = new BarDistributor(new TestClock(0), { schedule: s.schedule });
    const got: number[] = [];
    const paused: number[] = [];
    const sub = d.subscribe((e) => void got.push(e.candle.time / 60_000), {
      name: 'laggard',
      maxQueuedClosed: 3,
      onPaused: (info) => paused.push(info.firstMissed.candle.time / 60_000),
    });
    for (let i = 1; i <= 6; i++) d.publish(bar(i, true));
    expect(sub.stats()).toMatchObject({ paused: true, queued: 3, missedClosed: 3 });
    expect(paused).toEqual([4]);
    await s.run();
    expect(got).toEqual([1, 2, 3]);
    // It catches up on bars 4–6 from the store, then resumes with live bars.
    sub.resume();
    d.publish(bar(7, true));
    await s.run();
    expect(got).toEqual([1, 2, 3, 7]);
    expect(sub.stats().paused).toBe(false);
  });

  it('stops delivering on dispose and attaches to a feed', async () => {
    const s = manualScheduler();
    const d = new BarDistributor(new TestClock(0), { schedule: s.schedule });
    const got: CandleEvent[] = [];
    let listener: ((e: CandleEvent) => void) | undefined;
    const attachment = d.attach({
      onBar: (l) => ((listener = l), { dispose: () => (listener = undefined) }),
    });
    const sub = d.subscribe((e) => void got.push(e), { name: 'x' });
    listener!(bar(1, true));
    sub.dispose();
    listener!(bar(2, true));
    await s.run();
    expect(got).toEqual([]);
    expect(d.stats()).toEqual([]);
    attachment.dispose();
    expect(listener).toBeUndefined();
  });
});
