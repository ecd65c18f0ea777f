import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Candle, Timeframe } from '../../shared/market';
import { SINGLE_TRIAL, type TrialStats } from '../metrics';
import { compileStrategy, formatStrategyIssue } from '../strategy';
import { packBars } from './shard-bars';
import { planShards } from './shard-plan';
import type {
  ShardCommand,
  ShardJob,
  ShardMessage,
  ShardVariant,
  ShardVariantOutcome,
} from './shard-protocol';

/** A run of many variants over the same bars, split across worker threads. */
export interface ShardedRunRequest {
  /** Timeframe of `bars`; every variant's timeframe must be a multiple of it. */
  readonly baseTimeframe: Timeframe;
  /** Closed bars, oldest first: the first `warmUpBars` warm up, the rest are traded. */
  readonly bars: readonly Candle[];
  readonly warmUpBars?: number;
  readonly variants: readonly ShardVariant[];
  /** Worker threads; the machine's parallelism by default, never more than the variants. */
  readonly shards?: number;
  /**
   * Send every trade back (default) or only metrics and record counts. Either way a shard keeps
   * no signal, order or fill, only counts them (and keeps the trades it sends).
   */
  readonly trades?: boolean;
  /** N and V of the trial ledger, for the DSR of every variant's metrics. */
  readonly trials?: TrialStats;
  /**
   * Bars each shard first runs, untimed, twice, each time on a fresh throwaway copy of itself,
   * so the timed run starts on optimized code that stays optimized, as a long-running engine has
   * (benchmarks). Default 0.
   */
  readonly jitWarmUpBars?: number;
  /**
   * The worker script; by default shard-worker next to this module (its `.ts` source is run
   * through tsx, for development, tests and benchmarks).
   */
  readonly workerUrl?: URL;
}

/** How one shard went. */
export interface ShardReport {
  readonly variants: number;
  /** Distinct indicators the shard computed per bar (shared among its variants). */
  readonly indicators: number;
  /** Seconds it spent on the bars. */
  readonly seconds: number;
  /** CPU seconds its thread used for them (less than `seconds` on a busy machine). */
  readonly cpuSeconds: number;
}

export interface ShardedRunResult {
  /** Per variant, in the order of the request. */
  readonly outcomes: readonly ShardVariantOutcome[];
  readonly shards: readonly ShardReport[];
  /** Wall-clock seconds from the start signal to the last shard's results (threads started). */
  readonly runSeconds: number;
  /** Wall-clock seconds to start the threads and build every shard's engine. */
  readonly setupSeconds: number;
}

/** A variant whose strategy does not compile: the run never starts. */
export class ShardedRunError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ShardedRunError';
  }
}

/** shard-worker next to this module, as source or built (resolved on use, not on import). */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './shard-worker.ts' : './shard-worker.js', here);
}

/**
 * Runs many strategy variants over the same bars on several cores: variants are split into
 * shards by indicator affinity ({@link planShards}), each shard is one worker thread with its own
 * {@link EngineBarLoop} and shared {@link IndicatorSet}, and every shard reads the same bars from
 * one SharedArrayBuffer. Each variant is the same strategy instance, paper exchange and metrics
 * as anywhere else, so its trades and metrics are exactly those of running it alone.
 * @throws ShardedRunError when a variant does not compile or a shard fails.
 */
export async function runSharded(request: ShardedRunRequest): Promise<ShardedRunResult> {
  const candidates = request.variants.map((v, i) => {
    const compiled = compileStrategy(v.config, v.parameters ?? {});
    if (!compiled.ok) {
      throw new ShardedRunError(
        `variants[${i}] (${v.id}): ${compiled.issues.map(formatStrategyIssue).join('; ')}`,
      );
    }
    return { indicatorKeys: compiled.strategy.requirements.map((r) => r.key) };
  });
  const plan = planShards(candidates, request.shards ?? availableParallelism());
  const bars = packBars(request.bars);
  const workerUrl = request.workerUrl ?? defaultWorkerUrl();
  const setupStart = performance.now();
  const shards = plan.map(
    (members) =>
      new ShardThread(workerUrl, {
        baseTimeframe: request.baseTimeframe,
        bars,
        warmUpBars: request.warmUpBars ?? 0,
        variants: members.map((i) => request.variants[i] as ShardVariant),
        trades: request.trades ?? true,
        trials: request.trials ?? SINGLE_TRIAL,
        jitWarmUpBars: request.jitWarmUpBars ?? 0,
      }),
  );
  try {
    const ready = await Promise.all(shards.map((s) => s.ready));
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const runStart = performance.now();
    const done = await Promise.all(shards.map((s) => s.run()));
    const runSeconds = (performance.now() - runStart) / 1000;
    const byId = new Map<string, ShardVariantOutcome>();
    for (const d of done) for (const o of d.outcomes) byId.set(o.id, o);
    return {
      outcomes: request.variants.map((v) => byId.get(v.id) as ShardVariantOutcome),
      shards: plan.map((members, s) => ({
        variants: members.length,
        indicators: ready[s] as number,
        seconds: (done[s] as { seconds: number }).seconds,
        cpuSeconds: (done[s] as { cpuSeconds: number }).cpuSeconds,
      })),
      runSeconds,
      setupSeconds,
    };
  } finally {
    await Promise.all(shards.map((s) => s.terminate()));
  }
}

/** One worker thread and its protocol: ready → run → done. */
class ShardThread {
  public readonly ready: Promise<number>;
  private readonly worker: Worker;
  private readonly messages: ShardMessage[] = [];
  private waiting: ((message: ShardMessage) => void) | null = null;
  private failure: Error | null = null;

  public constructor(url: URL, job: ShardJob) {
    // A TypeScript worker (development, tests, benchmarks) is loaded through tsx.
    const execArgv = url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.worker = new Worker(url, { workerData: job, execArgv });
    this.worker.on('message', (message: ShardMessage) => this.deliver(message));
    this.worker.on('error', (error: Error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`shard worker exited with code ${code}`));
    });
    this.ready = this.next().then((m) => {
      if (m.type !== 'ready') throw new ShardedRunError(`shard did not start: ${describe(m)}`);
      return m.indicators;
    });
  }

  public async run(): Promise<Extract<ShardMessage, { type: 'done' }>> {
    const command: ShardCommand = { type: 'run' };
    this.worker.postMessage(command);
    const m = await this.next();
    if (m.type !== 'done') throw new ShardedRunError(`shard failed: ${describe(m)}`);
    return m;
  }

  public async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private next(): Promise<ShardMessage> {
    const queued = this.messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.rejectWaiting = reject;
    });
  }

  private rejectWaiting: ((error: Error) => void) | null = null;

  private deliver(message: ShardMessage): void {
    const waiting = this.waiting;
    if (waiting === null) {
      this.messages.push(message);
      return;
    }
    this.waiting = null;
    this.rejectWaiting = null;
    waiting(message);
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = new ShardedRunError(`shard worker failed: ${error.message}`);
    const reject = this.rejectWaiting;
    this.waiting = null;
    this.rejectWaiting = null;
    reject?.(this.failure);
  }
}

function describe(m: ShardMessage): string {
  return m.type === 'failed' ? m.message : `unexpected ${m.type}`;
}
