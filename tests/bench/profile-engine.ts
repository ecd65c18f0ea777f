/**
 * Profiling driver, not a benchmark (no report): runs one engine workload over and over for a
 * while so a profiler sees the steady state, and prints variant-bars (or bars) per second by wall
 * clock, by thread CPU time, and the best run's CPU rate.
 *   tsx tests/bench/profile-engine.ts backtest|grid|unshared|distinct [seconds]
 * `backtest`: the backtest bench's EMA crossover session on the month ×3; `grid` / `unshared`:
 * the engine bench's 100 variants with shared / own indicators; `distinct`: 100 variants in one
 * loop with no indicator in common. NOSINK=1 drops the record collectors (to see what records
 * cost); REPS=n runs the backtest on the month ×n (3 by default); PERRUN=1 prints each run's
 * rate; NOV8=1 leaves V8's settings at their defaults. Where a full GC falls (the benches force
 * none; these show why): FORCEGC=1 before each timed run, GCFIRST=1 before building the backtest
 * session, LEAD=1 plays the month before untimed after it. "hot loop" is the bars' own thread CPU
 * time summed over the runs, "hot wall" their wall time: V8's parallel scavenger works on helper
 * threads, which the thread's CPU time leaves out and the wall clock does not. For line-level
 * profiles, bundle it first (esbuild --bundle --platform=node --keep-names) and run the bundle
 * under `node --cpu-prof`; tsx's transform loses line numbers. Compare two commits by bundling
 * each and running both in turn.
 */
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  tuneV8ForEngine,
} from '../../src/core/engine';
import { BacktestSession, strategyTemplates } from '../../src/core/optimize';
import { compileStrategy, type CompiledStrategy } from '../../src/core/strategy';
import { threadCpuSeconds } from '../../src/core/time/thread-cpu-time';
import type { Candle } from '../../src/shared/market';
import { loadCandles } from '../support/real-candles';
import { collectGarbage } from './bench-gc';
import { DISTINCT_GRID_STRATEGY, GRID_STRATEGY } from './grid-workload';
import { drawDistinctVariants, drawGridVariants } from './variant-grid';

// As the app's hosts and the benchmarks run.
if (!process.env.NOV8) tuneV8ForEngine();

const DATA = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
const mode = process.argv[2] ?? 'backtest';
const seconds = Number(process.argv[3] ?? 10);
/** Grid size and bars (VARIANTS=1000 BARS=3000: the engine bench's 1,000-variant rows). */
const count = Number(process.env.VARIANTS ?? 100);
const barCount = Number(process.env.BARS ?? 0);
/** A fixed number of runs (RUNS=20) for counting instructions with `perf stat`, which a shared
 * machine's load does not skew the way it skews time. */
const maxRuns = Number(process.env.RUNS ?? Number.POSITIVE_INFINITY);

function ema1m(): CompiledStrategy {
  const t = strategyTemplates().find((x) => x.id === 'ema-crossover-trend');
  if (t === undefined) throw new Error('no template');
  const r = compileStrategy({ ...t.config, meta: { ...t.config.meta, timeframe: '1m' } });
  if (!r.ok) throw new Error('compile');
  return r.strategy;
}

const variants = drawGridVariants;

const month = loadCandles(DATA);
const range = barCount > 0 ? month.slice(0, barCount) : month;
const repeated: Candle[] = [];
const lead: Candle[] = [];
for (let r = 0; r < Number(process.env.REPS ?? 3) + 1; r++)
  for (const b of month)
    (r === 0 ? lead : repeated).push({ ...b, time: b.time + r * month.length * 60_000 });
const end = performance.now() + seconds * 1000;
let runs = 0;
let units = 0;
const start = performance.now();
const cpu0 = threadCpuSeconds();
let bestRate = 0;
let hotCpu = 0;
let hotWall = 0;
while (performance.now() < end && runs < maxRuns) {
  let c0: number;
  let w0: number;
  const u0 = units;
  if (mode === 'backtest') {
    const bars = repeated;
    if (process.env.GCFIRST) collectGarbage();
    const s = new BacktestSession({ strategy: ema1m(), baseTimeframe: '1m', variantId: 'p' });
    if (process.env.FORCEGC) collectGarbage();
    if (process.env.LEAD) s.pushAll(lead);
    c0 = threadCpuSeconds();
    w0 = performance.now();
    s.pushAll(bars);
    units += bars.length;
    s.dispose();
  } else {
    const shared = mode !== 'unshared';
    const distinct = mode === 'distinct';
    const loops: EngineBarLoop[] = [];
    let loop = new EngineBarLoop({ baseTimeframe: '1m' });
    loops.push(loop);
    (distinct ? drawDistinctVariants(count) : variants(count)).forEach((p, i) => {
      if (!shared && i > 0) loops.push((loop = new EngineBarLoop({ baseTimeframe: '1m' })));
      const r = compileStrategy(distinct ? DISTINCT_GRID_STRATEGY : GRID_STRATEGY, p);
      if (!r.ok) throw new Error('compile');
      loop.add(
        createStrategyInstance({
          id: `v${i}`,
          strategy: r.strategy,
          indicators: loop.indicators,
          ...(process.env.NOSINK ? {} : { sink: new EngineRecordCollector() }),
        }),
      );
    });
    // The best-run rate times the bars only, not building the variants.
    if (process.env.FORCEGC) collectGarbage();
    c0 = threadCpuSeconds();
    w0 = performance.now();
    for (const bar of range) for (const l of loops) l.onClosedBar(bar);
    units += count * range.length;
  }
  runs++;
  const c1 = threadCpuSeconds() - c0;
  hotWall += (performance.now() - w0) / 1000;
  bestRate = Math.max(bestRate, (units - u0) / c1);
  hotCpu += c1;
  if (process.env.PERRUN) console.log(((units - u0) / c1 / 1e6).toFixed(2));
}
(globalThis as { profUnits?: number }).profUnits = units;
const cpu = threadCpuSeconds() - cpu0;
console.log(
  `${mode}: ${runs} runs, ${(units / ((performance.now() - start) / 1000) / 1e6).toFixed(2)} M units/s wall, ${(units / cpu / 1e6).toFixed(2)} M/s cpu, best run ${(bestRate / 1e6).toFixed(2)} M/s cpu, hot loop ${(units / hotCpu / 1e6).toFixed(2)} M/s cpu, hot wall ${(units / hotWall / 1e6).toFixed(2)} M/s`,
);
