import { performance } from 'node:perf_hooks';
import { TimeframeAggregator } from '../../src/core/market/aggregation';
import { BarDistributor } from '../../src/core/market/distribution';
import { parseBinanceStreamMessage } from '../../src/core/market/exchange';
import { LiveClock } from '../../src/core/time/clock';
import type { CandleEvent, SeriesKey, Timeframe } from '../../src/shared/market';
import { readBinanceArchive } from '../support/fake-exchange';
import type { BenchReport, BenchRow } from './bench-report';

/**
 * Market data path: Binance kline frames (built from a real FIL/USDT month, 3 in-progress
 * updates and one closing message per bar) → zod parse → 1m + 5m/15m/1h/4h/1d aggregation →
 * 100 subscribers. Throughput and message-to-subscriber delay, each beside a baseline measured
 * in the same run.
 */
const SUBSCRIBERS = 100;
const HIGHER: readonly Timeframe[] = ['5m', '15m', '1h', '4h', '1d'];
const SERIES: SeriesKey = { exchange: 'binanceusdm', symbol: 'FIL/USDT:USDT', timeframe: '1m' };

function frames(bars: number): string[] {
  const history = readBinanceArchive('candles/binance-um_FILUSDT-1m-2023-08.csv.gz').slice(0, bars);
  const out: string[] = [];
  for (const b of history) {
    for (let u = 1; u <= 4; u++) {
      const closed = u === 4;
      const close = closed ? b.close : b.open + ((b.close - b.open) * u) / 4;
      const k = {
        t: b.time,
        T: b.time + 59_999,
        s: 'FILUSDT',
        i: '1m',
        f: 1,
        L: 2,
        o: String(b.open),
        c: close.toFixed(4),
        h: String(closed ? b.high : Math.max(b.open, close)),
        l: String(closed ? b.low : Math.min(b.open, close)),
        v: (closed ? b.volume : (b.volume * u) / 4).toFixed(1),
        n: 10,
        x: closed,
        q: '0',
        V: '0',
        Q: '0',
        B: '0',
      };
      out.push(JSON.stringify({ e: 'kline', E: b.time + u * 15_000, s: 'FILUSDT', k }));
    }
  }
  return out;
}

/** parse → aggregate, as the exchange feed does it: returns the events one frame produces. */
function pipeline(): (frame: string) => CandleEvent[] {
  const aggs = HIGHER.map((tf) => new TimeframeAggregator(tf));
  return (frame) => {
    const m = parseBinanceStreamMessage(frame);
    if (m.kind !== 'kline') return [];
    const events: CandleEvent[] = [{ series: SERIES, candle: m.candle, closed: m.closed }];
    for (const agg of aggs) {
      if (m.closed) {
        for (const c of agg.pushClosed(m.candle))
          events.push({ series: { ...SERIES, timeframe: agg.target }, candle: c, closed: true });
      } else {
        events.push({
          series: { ...SERIES, timeframe: agg.target },
          candle: agg.forming(m.candle),
          closed: false,
        });
      }
    }
    return events;
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Frames arrive from the socket at a steady rate whether or not the consumers keep up. */
const ARRIVAL_INTERVAL_MS = 0.5;
async function arrival(t0: number, i: number): Promise<number> {
  const at = t0 + i * ARRIVAL_INTERVAL_MS;
  while (performance.now() < at) await turn();
  // The delay counts from when the frame arrived, even if processing starts later.
  return at;
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

/** Frames arrive in socket-sized batches, one batch per event-loop turn, as from a WebSocket. */
async function throughputDistributor(input: string[], batch: number): Promise<number> {
  const d = new BarDistributor(new LiveClock());
  let sink = 0;
  for (let i = 0; i < SUBSCRIBERS; i++)
    d.subscribe((e) => void (sink += e.candle.close), { name: `s${i}` });
  const run = pipeline();
  const t0 = performance.now();
  for (let i = 0; i < input.length; i += batch) {
    for (let j = i; j < Math.min(input.length, i + batch); j++)
      for (const e of run(input[j]!)) d.publish(e);
    await turn();
  }
  while (d.stats().some((s) => s.queued > 0)) await turn();
  const secs = (performance.now() - t0) / 1000;
  d.dispose();
  return sink === -1 ? 0 : input.length / secs;
}

async function throughputNaive(input: string[], batch: number): Promise<number> {
  let sink = 0;
  const handlers = Array.from(
    { length: SUBSCRIBERS },
    () => (e: CandleEvent) => void (sink += e.candle.close),
  );
  const run = pipeline();
  const t0 = performance.now();
  for (let i = 0; i < input.length; i += batch) {
    for (let j = i; j < Math.min(input.length, i + batch); j++)
      for (const e of run(input[j]!)) for (const h of handlers) h(e);
    await turn();
  }
  const secs = (performance.now() - t0) / 1000;
  return sink === -1 ? 0 : input.length / secs;
}

function parseOnly(input: string[]): number {
  let sink = 0;
  const t0 = performance.now();
  for (const f of input) sink += (JSON.parse(f) as { E: number }).E;
  const secs = (performance.now() - t0) / 1000;
  return sink === -1 ? 0 : input.length / secs;
}

/**
 * Delay from a frame's arrival to each fast subscriber, with one slow async subscriber among
 * the 100 (it awaits 1 ms per closed bar, like a strategy writing to disk). Frames arrive at
 * a steady rate.
 */
async function delayDistributor(input: string[]): Promise<number[]> {
  const d = new BarDistributor(new LiveClock());
  const stamps = new WeakMap<CandleEvent, number>();
  const samples: number[] = [];
  d.subscribe(
    async (e) => {
      if (e.closed) await new Promise((r) => setTimeout(r, 1));
    },
    { name: 'slow' },
  );
  for (let i = 1; i < SUBSCRIBERS; i++)
    d.subscribe((e) => void samples.push(performance.now() - stamps.get(e)!), { name: `s${i}` });
  const run = pipeline();
  const t0 = performance.now();
  for (let i = 0; i < input.length; i++) {
    const at = await arrival(t0, i);
    for (const e of run(input[i]!)) {
      stamps.set(e, at);
      d.publish(e);
    }
  }
  while (d.stats().some((s) => s.name !== 'slow' && s.queued > 0)) await turn();
  d.dispose();
  return samples;
}

/** The naive way: every handler awaited in turn, so one slow subscriber holds up the rest. */
async function delayNaive(input: string[]): Promise<number[]> {
  const samples: number[] = [];
  const handlers: Array<(e: CandleEvent, at: number) => Promise<void> | void> = [
    async (e) => {
      if (e.closed) await new Promise((r) => setTimeout(r, 1));
    },
    ...Array.from(
      { length: SUBSCRIBERS - 1 },
      () => (_e: CandleEvent, at: number) => void samples.push(performance.now() - at),
    ),
  ];
  const run = pipeline();
  const t0 = performance.now();
  for (let i = 0; i < input.length; i++) {
    const at = await arrival(t0, i);
    for (const e of run(input[i]!)) for (const h of handlers) await h(e, at);
  }
  return samples;
}

export async function run(): Promise<BenchReport> {
  const input = frames(20_000);
  const delayInput = input.slice(0, 2_000);
  // Warm-up, so the JIT has seen every path before anything is timed.
  parseOnly(input.slice(0, 5_000));
  await throughputDistributor(input.slice(0, 5_000), 64);
  await throughputNaive(input.slice(0, 5_000), 64);

  const parse = parseOnly(input);
  const naive = await throughputNaive(input, 64);
  const dist = await throughputDistributor(input, 64);
  const delayNaiveMs = p99(await delayNaive(delayInput));
  const delayDistMs = p99(await delayDistributor(delayInput));

  const rows: BenchRow[] = [
    { label: 'JSON.parse only', value: parse, unit: 'msg/s' },
    {
      label: 'naive sync fan-out (parse→aggregate→100 handlers inline)',
      value: naive,
      unit: 'msg/s',
      baseline: 'JSON.parse only',
    },
    {
      label: 'BarDistributor (parse→aggregate→100 queued subscribers)',
      value: dist,
      unit: 'msg/s',
      baseline: 'naive sync fan-out (parse→aggregate→100 handlers inline)',
    },
    { label: 'p99 delay, naive awaited fan-out, 1 slow of 100', value: delayNaiveMs, unit: 'ms' },
    {
      label: 'p99 delay, BarDistributor, 1 slow of 100',
      value: delayDistMs,
      unit: 'ms',
      baseline: 'p99 delay, naive awaited fan-out, 1 slow of 100',
      target: 'lower is better',
    },
  ];
  return {
    name: 'market-data',
    title: 'Market data: parse → aggregate → distribute to 100 subscribers',
    rows,
    notes: [
      `${input.length.toLocaleString('en-US')} Binance kline frames from a real FIL/USDT month (4 per bar); 6 series per frame (1m + 5 higher timeframes).`,
      'Throughput rows: trivial handlers, frames in batches of 64 per event-loop turn; the distributor figure includes queueing, coalescing and per-subscriber turns.',
      `Delay rows: ${delayInput.length.toLocaleString('en-US')} frames arriving every ${ARRIVAL_INTERVAL_MS} ms (2,000/s) whether consumed or not; delay = delivery − arrival, over the 99 fast subscribers; one slow async subscriber awaits 1 ms per closed bar.`,
    ],
  };
}
