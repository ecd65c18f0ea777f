import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EMA as TiEma } from 'technicalindicators';
import { HistoryImporter } from '../../src/core/history/history-importer';
import { BacktestRunner, BacktestSession, strategyTemplates } from '../../src/core/optimize';
import { CandleRepository } from '../../src/core/store/candle-repository';
import { openDatabase } from '../../src/core/store/database';
import { compileStrategy, type CompiledStrategy } from '../../src/core/strategy';
import { TestClock } from '../../src/core/time/clock';
import { threadCpuSeconds } from '../../src/core/time/thread-cpu-time';
import type { Candle, SeriesKey } from '../../src/shared/market';
import { makeTempDir } from '../stubs/temp-dir';
import { sharedDataPath } from '../support/shared-data';
import { loadCandles as loadSharedCandles } from '../support/real-candles';
import { collectGarbage } from './bench-gc';
import type { BenchReport } from './bench-report';

/**
 * Backtest throughput (DESIGN.md: ≥ 5 M bars/s per core for one 3-indicator strategy): the EMA
 * crossover template — fast and slow EMA plus a 1h trend EMA built from the minutes — run on
 * 1-minute bars with the whole engine in the loop (bar loop, 1h roll-up, shared indicator set,
 * rules, paper exchange, metrics, signal/order/trade records, equity curve). Baseline in the
 * same run: the same rules with every indicator recomputed each bar by technicalindicators'
 * batch functions over a 200-bar window.
 */

const DATA = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
const REPEATS = 10;
const NAIVE_BARS = 2_000;
/** Engine runs, back to back: a run is ~0.06 s and one run's figure swings by a fifth on this shared machine. */
const ENGINE_RUNS = 30;
/**
 * Untimed runs first: V8 tiers the engine up over its first ~8 runs of 302,400 bars (profile-engine.ts
 * PERRUN=1: 1.4–5 M bars/s, then 5.1–5.9), so a one-month warm-up left the slow early runs in the
 * totals. The first (cold) run's rate is reported in the notes.
 */
const WARM_UP_RUNS = 12;
const WINDOW = 200;

const loadCandles = (): Candle[] => loadSharedCandles(DATA);
const fmtRate = (perSecond: number): string => `${(perSecond / 1e6).toFixed(2)} M bars/s`;

/** The month played `times` times back to back (times shifted), so a run lasts long enough to time. */
function repeated(bars: readonly Candle[], times: number): Candle[] {
  const span = bars.length * 60_000;
  const out: Candle[] = [];
  for (let r = 0; r < times; r++) for (const b of bars) out.push({ ...b, time: b.time + r * span });
  return out;
}

/** The EMA crossover template on 1-minute bars: three indicators (fast, slow, 1h trend). */
function emaCrossoverOneMinute(): CompiledStrategy {
  const template = strategyTemplates().find((t) => t.id === 'ema-crossover-trend');
  if (template === undefined) throw new Error('no EMA crossover template');
  const result = compileStrategy({
    ...template.config,
    meta: { ...template.config.meta, timeframe: '1m' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

function best(reps: number, run: () => number): { seconds: number; result: number } {
  let fastest = Number.POSITIVE_INFINITY;
  let result = 0;
  for (let r = 0; r < reps; r++) {
    collectGarbage();
    const start = performance.now();
    result = run();
    fastest = Math.min(fastest, (performance.now() - start) / 1000);
  }
  return { seconds: fastest, result };
}

/**
 * One backtest of `bars` through a fresh session, timed from its first bar to its last. With
 * `outcome`, the session's outcome is built after the run as BacktestRunner builds it (a point
 * object per equity mark for the API: 302,400 here); otherwise the trade count comes from the
 * metrics and nothing is built (see engineRuns).
 */
function engineRun(
  bars: readonly Candle[],
  outcome: boolean,
): {
  seconds: number;
  cpuSeconds: number;
  trades: number;
} {
  const session = new BacktestSession({
    strategy: emaCrossoverOneMinute(),
    baseTimeframe: '1m',
    variantId: 'bench',
  });
  const cpu = threadCpuSeconds();
  const start = performance.now();
  session.pushAll(bars);
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = threadCpuSeconds() - cpu;
  const trades = session.instance.metrics.trades.count;
  if (outcome && session.outcome().trades.length !== trades) {
    throw new Error('the outcome and the metrics disagree on the trade count');
  }
  session.dispose();
  return { seconds, cpuSeconds, trades };
}

interface EngineRuns {
  /** Timed seconds summed over the runs, by wall clock and by thread CPU time. */
  seconds: number;
  cpuSeconds: number;
  /** The fastest run's, each measure on its own. */
  bestSeconds: number;
  bestCpuSeconds: number;
  trades: number;
}

/**
 * `reps` backtests back to back. Building a session before its run and the outcome after (trades,
 * and a point object per equity mark for the API) are not per-bar work; every record and equity
 * mark is produced inside the timed loop. No full GC between runs: nothing in the app forces one,
 * and one before each run made the run after it 20–45 % slower (profile-engine.ts FORCEGC=1,
 * alternated runs: 2.6 vs 5.2 M bars/s; 4.2 vs 5.3 with a month untimed after the GC). It frees
 * the previous session, whose objects TurboFan had embedded in the engine's optimized code, so
 * V8 throws that code away ("embedded weak objects cleared", --trace-deopt). Garbage is
 * collected as it comes instead, each run paying for the collections that fall in it, and the
 * rates are totals over all runs rather than the best run.
 *
 * Nor is the outcome built between the timed runs unless `outcome`: its 302,400 point objects
 * (untimed) outlive a scavenge or two, are promoted and then freed, so V8 runs more full
 * collections, each throwing the engine's code away as above — the runs after it were ~15 %
 * slower (4.26–4.83 vs 5.43–5.56 M bars/s, the two ways alternated). A backtest builds its
 * outcome once; the end-to-end row pays for it, and the notes give the rate with it built.
 */
function engineRuns(reps: number, bars: readonly Candle[], outcome: boolean): EngineRuns {
  const runs = Array.from({ length: reps }, () => engineRun(bars, outcome));
  const sum = (pick: (run: (typeof runs)[number]) => number): number =>
    runs.reduce((total, run) => total + pick(run), 0);
  return {
    seconds: sum((run) => run.seconds),
    cpuSeconds: sum((run) => run.cpuSeconds),
    bestSeconds: Math.min(...runs.map((run) => run.seconds)),
    bestCpuSeconds: Math.min(...runs.map((run) => run.cpuSeconds)),
    trades: runs.at(-1)?.trades ?? 0,
  };
}

/** The naive way: each bar, the three EMAs recomputed over the trailing window, then the same rules. */
function naiveRun(bars: readonly Candle[]): number {
  const closes = bars.map((b) => b.close);
  const hourly: number[] = [];
  let signals = 0;
  let prevFast = Number.NaN;
  let prevSlow = Number.NaN;
  for (let t = WINDOW; t < WINDOW + NAIVE_BARS; t++) {
    const values = closes.slice(t - WINDOW + 1, t + 1);
    if ((bars[t] as Candle).time % 3_600_000 === 3_540_000) hourly.push(closes[t] as number);
    const fast = TiEma.calculate({ period: 9, values }).at(-1) ?? Number.NaN;
    const slow = TiEma.calculate({ period: 21, values }).at(-1) ?? Number.NaN;
    const trend =
      TiEma.calculate({ period: 50, values: hourly.slice(-WINDOW) }).at(-1) ?? Number.NaN;
    const close = closes[t] as number;
    if (prevFast <= prevSlow && fast > slow && close > trend) signals++;
    if (prevFast >= prevSlow && fast < slow && close < trend) signals++;
    prevFast = fast;
    prevSlow = slow;
  }
  return signals;
}

/** End to end through the runner: reading the month from a SQLite file included. */
async function runnerFromStore(): Promise<{ seconds: number; bars: number; trades: number }> {
  const dir = makeTempDir('parallax-bench-');
  try {
    const db = openDatabase({ path: join(dir.path, 'bench.sqlite') });
    const candles = new CandleRepository(db);
    const path = sharedDataPath(DATA);
    new HistoryImporter(db, candles, new TestClock()).importFile({
      fileName: basename(path),
      bytes: readFileSync(path),
    });
    const series: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };
    const runner = new BacktestRunner(candles);
    let fastest = Number.POSITIVE_INFINITY;
    let last = { bars: 0, trades: 0 };
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      const result = await runner.run({
        strategy: emaCrossoverOneMinute(),
        series,
        variantId: 'b',
      });
      fastest = Math.min(fastest, (performance.now() - start) / 1000);
      last = { bars: result.bars, trades: result.trades.length };
    }
    db.close();
    return { seconds: fastest, ...last };
  } finally {
    dir.remove();
  }
}

export async function run(): Promise<BenchReport> {
  const month = loadCandles();
  const bars = repeated(month, REPEATS);
  const cold = engineRun(bars, false);
  for (let r = 1; r < WARM_UP_RUNS; r++) engineRun(bars, false);
  const engine = engineRuns(ENGINE_RUNS, bars, false);
  const withOutcome = engineRuns(ENGINE_RUNS, bars, true);
  const naive = best(1, () => naiveRun(month));
  const store = await runnerFromStore();
  const naiveLabel = 'naive: technicalindicators batch EMAs over a 200-bar window, every bar';
  return {
    name: 'backtest',
    title: 'Backtest: EMA crossover (3 indicators) on Binance.US BTC/USDT 1m',
    rows: [
      { label: naiveLabel, value: NAIVE_BARS / naive.seconds, unit: 'bars/s' },
      {
        label: 'engine backtest, bars in memory (whole engine in the loop)',
        value: (ENGINE_RUNS * bars.length) / engine.seconds,
        unit: 'bars/s',
        baseline: naiveLabel,
        target: '≥ 5 M bars/s per core',
      },
      {
        label: 'engine backtest, bars in memory, by thread CPU time',
        value: (ENGINE_RUNS * bars.length) / engine.cpuSeconds,
        unit: 'bars/s',
        baseline: naiveLabel,
        target: '≥ 5 M bars/s per core',
      },
      {
        label: 'BacktestRunner end to end, month read from SQLite',
        value: store.bars / store.seconds,
        unit: 'bars/s',
        baseline: naiveLabel,
      },
    ],
    notes: [
      `${month.length.toLocaleString('en-US')} real 1-minute bars (${DATA}); a run plays them ${REPEATS} times back to back (${bars.length.toLocaleString('en-US')} bars, times shifted) through a fresh session, timed from the first bar to the last (building the session is not counted); ${engine.trades.toLocaleString('en-US')} trades per run. ${ENGINE_RUNS} runs back to back after ${WARM_UP_RUNS} untimed ones (V8 tiers the engine's code up over its first runs; the very first, cold run here: ${fmtRate(bars.length / cold.seconds)}), no forced GC between them (a full GC before a run deoptimizes the engine's code — see engineRuns in backtest.bench.ts); the rows divide all runs' bars by all runs' time, collections included; the fastest run: ${fmtRate(bars.length / engine.bestSeconds)} by wall clock, ${fmtRate(bars.length / engine.bestCpuSeconds)} by thread CPU time. No outcome is built between these runs (the trade count comes from the metrics); with the outcome built after each run, as BacktestRunner does once per backtest (a point object per equity mark; untimed, but its garbage makes V8 collect — and recompile the engine — more often): ${fmtRate((ENGINE_RUNS * bars.length) / withOutcome.seconds)} by wall clock, ${fmtRate((ENGINE_RUNS * bars.length) / withOutcome.cpuSeconds)} by thread CPU time over ${ENGINE_RUNS} more runs. The machine is shared with other jobs: the CPU-time row leaves out time spent waiting for a core, and V8's parallel scavenger works on helper threads, which it leaves out too.`,
      'Strategy: resources/strategies/ema-crossover-trend.json with its timeframe set to 1m — EMA(9), EMA(21), 1h EMA(50) rolled up from the minutes; entries on crossovers in the trend’s direction, exits on the opposite crossing, 2% trailing stop.',
      'In the loop per bar: TimeframeRoller (1h), IndicatorSet.update, compiled rules, PaperExchange.onBar (fills, stops, trailing), MetricsTracker.onBar, equity curve; per fired rule a signal record with term values; per fill/trade their records.',
      `The naive baseline computes the same three EMAs with technicalindicators' batch EMA over the trailing ${WINDOW} bars on ${NAIVE_BARS.toLocaleString('en-US')} bars (no fills or metrics at all, so the ratio understates the gap).`,
      `The end-to-end row includes paging the month out of SQLite (better-sqlite3) and the warm-up/records of BacktestRunner.run: ${store.bars.toLocaleString('en-US')} bars, ${store.trades} trades, best of 5.`,
    ],
  };
}
