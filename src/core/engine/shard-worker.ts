import { parentPort, workerData } from 'node:worker_threads';
import type { Candle } from '../../shared/market';
import { compileStrategy, formatStrategyIssue } from '../strategy';
import { threadCpuSeconds } from '../time/thread-cpu-time';
import { EngineBarLoop } from './engine-bar-loop';
import type { EngineRecordSink, TradeRecord } from './engine-records';
import { unpackBars } from './shard-bars';
import type { ShardCommand, ShardJob, ShardMessage, ShardVariantOutcome } from './shard-protocol';
import { createStrategyInstance, type StrategyInstance } from './strategy-instance';

/**
 * A shard of a sharded run, in its own thread: one bar loop with its own shared indicators for
 * its variants, fed every bar of the run from shared memory. Builds everything, says `ready`,
 * runs on `run`, sends the outcomes back and ends.
 */

/**
 * Counts a variant's records and keeps only what the shard sends back: its trades, when the run
 * asks for them. Keeping every signal, order and fill (as a backtest's collector does) grew each
 * shard's live heap all run long, so every scavenge copied them: 20–40 ms pauses that also woke
 * V8's parallel GC threads, which on a 2-core machine take the other shard's core.
 */
class ShardRecordCounter implements EngineRecordSink {
  public signals = 0;
  public orders = 0;
  public fills = 0;
  public tradeCount = 0;
  public readonly trades: TradeRecord[] = [];

  public constructor(private readonly keepTrades: boolean) {}

  public onSignal(): void {
    this.signals++;
  }

  public onOrder(): void {
    this.orders++;
  }

  public onFill(): void {
    this.fills++;
  }

  public onTrade(record: TradeRecord): void {
    this.tradeCount++;
    if (this.keepTrades) this.trades.push(record);
  }
}

interface Shard {
  readonly loop: EngineBarLoop;
  readonly entries: ReadonlyArray<{ instance: StrategyInstance; records: ShardRecordCounter }>;
}

function build(job: ShardJob): Shard {
  const loop = new EngineBarLoop({ baseTimeframe: job.baseTimeframe });
  const entries: Array<{ instance: StrategyInstance; records: ShardRecordCounter }> = [];
  for (const v of job.variants) {
    const compiled = compileStrategy(v.config, v.parameters ?? {});
    if (!compiled.ok) {
      throw new Error(`${v.id}: ${compiled.issues.map(formatStrategyIssue).join('; ')}`);
    }
    const records = new ShardRecordCounter(job.trades);
    const instance = createStrategyInstance({
      id: v.id,
      strategy: compiled.strategy,
      indicators: loop.indicators,
      ...(v.account ? { account: v.account } : {}),
      sink: records,
    });
    loop.add(instance);
    entries.push({ instance, records });
  }
  return { loop, entries };
}

/** The run proper: the first `warm` bars warm up, the rest up to `end` are traded. */
function feed(loop: EngineBarLoop, bars: readonly Candle[], warm: number, end: number): void {
  if (warm > 0) loop.warmUp(bars.slice(0, warm));
  for (let i = warm; i < end; i++) loop.onClosedBar(bars[i]!);
}

/**
 * Runs the first `jitWarmUpBars` bars on throwaway copies of the shard, so the timed run starts
 * on optimized code. Twice, each on a fresh copy: building a second engine in the thread
 * generalizes field types that the first pass's optimized code relied on (V8 throws that code
 * away), and without the second pass the timed run re-compiled its hot paths (closePosition,
 * step, fillPendingEntry, the instance's onBar…) on V8's background threads, competing with the
 * other shard for the cores. After the second pass nothing of the engine is invalidated again.
 */
function warmUpJit(job: ShardJob, bars: readonly Candle[]): void {
  const end = Math.min(job.jitWarmUpBars, bars.length);
  for (let pass = 0; pass < 2; pass++) {
    const scratch = build(job);
    feed(scratch.loop, bars, Math.min(job.warmUpBars, end), end);
    for (const e of scratch.entries) e.instance.dispose();
    scratch.loop.dispose();
  }
}

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('shard-worker runs as a worker thread');
  const post = (message: ShardMessage): void => port.postMessage(message);
  try {
    const job = workerData as ShardJob;
    const bars = unpackBars(job.bars);
    if (job.jitWarmUpBars > 0) warmUpJit(job, bars);
    const { loop, entries } = build(job);
    post({ type: 'ready', indicators: loop.indicators.size });
    port.once('message', (command: ShardCommand) => {
      if (command.type !== 'run') return;
      try {
        const cpu = threadCpuSeconds();
        const start = performance.now();
        feed(loop, bars, Math.min(job.warmUpBars, bars.length), bars.length);
        const seconds = (performance.now() - start) / 1000;
        const cpuSeconds = threadCpuSeconds() - cpu;
        const outcomes: ShardVariantOutcome[] = entries.map(({ instance, records }) => ({
          id: instance.id,
          metrics: instance.snapshot(job.trials),
          trades: records.trades,
          records: {
            signals: records.signals,
            orders: records.orders,
            fills: records.fills,
            trades: records.tradeCount,
          },
        }));
        post({ type: 'done', seconds, cpuSeconds, outcomes });
      } catch (error) {
        post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
      port.close();
    });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    port.close();
  }
}

main();
