import { parentPort, workerData } from 'node:worker_threads';
import { compileStrategy, formatStrategyIssue } from '../strategy';
import { EngineBarLoop } from './engine-bar-loop';
import { EngineRecordCollector } from './engine-records';
import { unpackBars } from './shard-bars';
import type { ShardCommand, ShardJob, ShardMessage, ShardVariantOutcome } from './shard-protocol';
import { createStrategyInstance, type StrategyInstance } from './strategy-instance';

/**
 * A shard of a sharded run, in its own thread: one bar loop with its own shared indicators for
 * its variants, fed every bar of the run from shared memory. Builds everything, says `ready`,
 * runs on `run`, sends the outcomes back and ends.
 */
function build(job: ShardJob): {
  loop: EngineBarLoop;
  entries: Array<{ instance: StrategyInstance; records: EngineRecordCollector }>;
} {
  const loop = new EngineBarLoop({ baseTimeframe: job.baseTimeframe });
  const entries: Array<{ instance: StrategyInstance; records: EngineRecordCollector }> = [];
  for (const v of job.variants) {
    const compiled = compileStrategy(v.config, v.parameters ?? {});
    if (!compiled.ok) {
      throw new Error(`${v.id}: ${compiled.issues.map(formatStrategyIssue).join('; ')}`);
    }
    const records = new EngineRecordCollector();
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

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('shard-worker runs as a worker thread');
  const post = (message: ShardMessage): void => port.postMessage(message);
  try {
    const job = workerData as ShardJob;
    const bars = unpackBars(job.bars);
    if (job.jitWarmUpBars > 0) {
      const { loop: scratch, entries: thrown } = build(job);
      for (const bar of bars.slice(0, job.jitWarmUpBars)) scratch.onClosedBar(bar);
      for (const e of thrown) e.instance.dispose();
      scratch.dispose();
    }
    const { loop, entries } = build(job);
    post({ type: 'ready', indicators: loop.indicators.size });
    port.once('message', (command: ShardCommand) => {
      if (command.type !== 'run') return;
      try {
        const cpu = process.threadCpuUsage();
        const start = performance.now();
        const warm = Math.min(job.warmUpBars, bars.length);
        if (warm > 0) loop.warmUp(bars.slice(0, warm));
        for (let i = warm; i < bars.length; i++) loop.onClosedBar(bars[i]!);
        const seconds = (performance.now() - start) / 1000;
        const used = process.threadCpuUsage(cpu);
        const cpuSeconds = (used.user + used.system) / 1e6;
        const outcomes: ShardVariantOutcome[] = entries.map(({ instance, records }) => ({
          id: instance.id,
          metrics: instance.snapshot(job.trials),
          trades: job.trades ? records.trades : [],
          records: {
            signals: records.signals.length,
            orders: records.orders.length,
            fills: records.fills.length,
            trades: records.trades.length,
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
