import type {
  BacktestProgress,
  BacktestResult as BacktestResultView,
  BacktestRunSummary,
  Metrics,
  RunBacktestParams,
  StrategyTemplateSummary,
  TradeFilter,
  TradeRow,
} from '../../shared/backtest';
import type { Disposable } from '../../shared/disposable';
import { UserFacingError } from '../api/api-dispatcher';
import type { TradeRecord } from '../engine';
import type { MetricSnapshot } from '../metrics';
import { BacktestRunRepository } from '../store/backtest-run-repository';
import type { CandleRepository } from '../store/candle-repository';
import type { Db } from '../store/database';
import { EngineRecordWriter } from '../store/engine-record-writer';
import { TradeRepository, tradeRow } from '../store/trade-repository';
import { MetricSnapshotRepository } from '../store/metric-snapshot-repository';
import { compileStrategy, formatStrategyIssue } from '../strategy';
import type { Clock } from '../time/clock';
import { BacktestRunner, type BacktestResult } from './backtest-runner';
import { strategyTemplates, type StrategyTemplate } from './strategy-template-catalog';

// The engine's records and snapshots must fit the API's shapes; these fail to compile if not.
const _metricsFit = (m: MetricSnapshot): Metrics => m;
const _tradeFits = (t: TradeRecord): TradeRow => t;
void _metricsFit;
void _tradeFits;

/** What the service needs from the workstation. */
export interface BacktestServiceOptions {
  readonly db: Db;
  readonly candles: CandleRepository;
  readonly clock: Clock;
  /** Receives progress while runs run and once when each ends. */
  readonly onProgress: (progress: BacktestProgress) => void;
  /** Base bars between yields (and progress reports). Default 5,000. */
  readonly yieldEvery?: number;
  /** Told of every completed run (the trial ledger counts it as a trial of its template). */
  readonly onCompleted?: (run: {
    readonly templateId: string;
    readonly parameters: Readonly<Record<string, number | string>>;
    readonly metrics: MetricSnapshot;
  }) => void;
}

interface Run {
  readonly view: Omit<
    BacktestResultView,
    'status' | 'bars' | 'trades' | 'equity' | 'metrics' | 'signalCount' | 'error'
  >;
  readonly abort: AbortController;
  readonly done: Promise<void>;
  result: BacktestResultView | null;
}

const KEEP_RESULTS = 20;

/**
 * Backtests behind the API: compiles a template with a variant's parameters, runs it over a
 * stored series in the host (yielding, so calls and cancels get through), stores its run,
 * orders, trades, signals and final metrics in one transaction, and keeps the newest results in
 * memory for the UI. Older runs are read back from the store (without their equity curve).
 */
export class BacktestService implements Disposable {
  private readonly runner: BacktestRunner;
  private readonly runs = new Map<string, Run>();
  private readonly runRepo: BacktestRunRepository;
  private readonly tradeRepo: TradeRepository;
  private readonly snapshotRepo: MetricSnapshotRepository;
  private readonly templates: readonly StrategyTemplate[];
  private disposed = false;

  public constructor(private readonly options: BacktestServiceOptions) {
    this.runner = new BacktestRunner(options.candles);
    this.runRepo = new BacktestRunRepository(options.db);
    this.tradeRepo = new TradeRepository(options.db);
    this.snapshotRepo = new MetricSnapshotRepository(options.db);
    this.templates = strategyTemplates();
  }

  /** The shipped templates with their parameters. */
  public listTemplates(): StrategyTemplateSummary[] {
    return this.templates.map(({ id, config }) => ({
      id,
      name: config.meta.name,
      description: config.meta.description ?? null,
      timeframe: config.meta.timeframe,
      tags: config.meta.tags ?? [],
      parameters: config.parameters.map((p) =>
        p.type === 'choice'
          ? { name: p.name, type: p.type, default: p.default, choices: p.choices }
          : { name: p.name, type: p.type, default: p.default, min: p.min, max: p.max },
      ),
    }));
  }

  /**
   * Starts a run and returns its id at once.
   * @throws UserFacingError for an unknown template, bad parameter values or an empty range.
   */
  public start(params: RunBacktestParams): { runId: string } {
    const template = this.templates.find((t) => t.id === params.templateId);
    if (template === undefined) {
      throw new UserFacingError(`no strategy template named ${params.templateId}`);
    }
    const compiled = compileStrategy(template.config, params.parameters);
    if (!compiled.ok) {
      throw new UserFacingError(
        `the template's parameters are invalid: ${compiled.issues.map(formatStrategyIssue).join('; ')}`,
        compiled.issues.map((i) => ({ path: i.path, message: i.message })),
      );
    }
    const { series } = params;
    if (this.options.candles.count(series, params.from, params.to) === 0) {
      throw new UserFacingError(
        `no stored bars of ${series.exchange} ${series.symbol} ${series.timeframe} in that range — import some first`,
      );
    }
    const runId = `backtest-${this.runRepo.count() + 1}`;
    const view = {
      runId,
      strategyName: template.config.meta.name,
      templateId: template.id,
      parameters: Object.fromEntries(compiled.strategy.parameters),
      series,
      from: params.from ?? null,
      to: params.to ?? null,
      timeframe: compiled.strategy.timeframe,
    };
    this.runRepo.start({ ...view, startedAt: this.options.clock.nowMs() });
    const abort = new AbortController();
    const done = this.runner
      .run(
        {
          strategy: compiled.strategy,
          series,
          ...(params.from !== undefined ? { from: params.from } : {}),
          ...(params.to !== undefined ? { to: params.to } : {}),
          variantId: runId,
        },
        {
          yieldEvery: this.options.yieldEvery ?? 5_000,
          signal: abort.signal,
          onProgress: ({ done, total }) => {
            if (!this.disposed) this.emit({ runId, status: 'running', done, total, error: null });
          },
        },
      )
      .then(
        (result) => this.finish(run, result),
        (error: unknown) => this.fail(run, error),
      );
    const run: Run = { view, abort, done, result: null };
    this.runs.set(runId, run);
    this.forgetOldRuns();
    return { runId };
  }

  /** Asks a running run to stop; true when it was running. */
  public cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (run === undefined || run.result !== null) return false;
    run.abort.abort();
    return true;
  }

  /** Resolves when the run has ended and is stored (tests, shutdown). */
  public async whenDone(runId: string): Promise<void> {
    await this.runs.get(runId)?.done;
  }

  /**
   * A run's result: from memory while it is recent, else read back from the store.
   * @throws UserFacingError for an unknown run.
   */
  public result(runId: string): BacktestResultView {
    const run = this.runs.get(runId);
    if (run !== undefined) {
      return (
        run.result ?? {
          ...run.view,
          status: 'running',
          bars: 0,
          trades: [],
          equity: [],
          metrics: null,
          signalCount: 0,
          error: null,
        }
      );
    }
    const stored = this.runRepo.get(runId);
    if (stored === undefined) throw new UserFacingError(`no backtest run ${runId}`);
    const template = this.templates.find((t) => t.id === stored.templateId);
    return {
      runId,
      status: stored.status,
      strategyName: stored.strategyName,
      templateId: stored.templateId,
      parameters: { ...stored.parameters },
      series: stored.series,
      from: stored.from,
      to: stored.to,
      timeframe: template?.config.meta.timeframe ?? stored.series.timeframe,
      bars: stored.bars,
      trades: this.tradeRepo.list({ runId }).map(tradeRow),
      equity: [],
      metrics: this.snapshotRepo.latest(runId, runId)?.snapshot ?? null,
      signalCount: 0,
      error: stored.error,
    };
  }

  /**
   * The `limit` newest runs, newest first, read from the store: the backtest page lists them
   * after a reload or a restart of the host. A run stored as running that this host is not
   * running was cut off by a host that stopped without cancelling it: listed as cancelled.
   */
  public list(limit: number): BacktestRunSummary[] {
    return this.runRepo.recent(limit).map((run) => {
      const metrics =
        run.status === 'running'
          ? null
          : (this.snapshotRepo.latest(run.runId, run.runId)?.snapshot ?? null);
      const orphaned = run.status === 'running' && !this.runs.has(run.runId);
      return {
        runId: run.runId,
        status: orphaned ? 'cancelled' : run.status,
        strategyName: run.strategyName,
        templateId: run.templateId,
        parameters: { ...run.parameters },
        series: run.series,
        from: run.from,
        to: run.to,
        bars: run.bars,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        roiPct: metrics?.roiPct ?? null,
        tradeCount: metrics?.tradeCount ?? null,
        error: orphaned ? 'the host stopped before the run ended' : run.error,
      };
    });
  }

  /** Stored trades of `filter` as CSV or JSON text: exactly the rows of the filter. */
  public exportTrades(
    filter: TradeFilter,
    format: 'csv' | 'json',
  ): { format: 'csv' | 'json'; rows: number; text: string } {
    const rows = this.tradeRepo.list(filter).length;
    const text =
      format === 'csv' ? this.tradeRepo.exportCsv(filter) : this.tradeRepo.exportJson(filter);
    return { format, rows, text };
  }

  /** Cancels every running run; their results are still stored as cancelled. */
  public dispose(): void {
    if (this.disposed) return;
    for (const run of this.runs.values()) if (run.result === null) run.abort.abort();
    this.disposed = true;
  }

  private finish(run: Run, result: BacktestResult): void {
    const { runId } = run.view;
    if (!this.options.db.open) return;
    const writer = new EngineRecordWriter(this.options.db, runId, { maxBuffered: 100_000 });
    for (const order of result.orders) writer.onOrder(order);
    for (const trade of result.trades) writer.onTrade(trade);
    for (const signal of result.signals) writer.onSignal(signal);
    writer.onSnapshot(runId, result.metrics.lastTime ?? 0, result.metrics);
    this.options.db.transaction(() => {
      writer.flush();
      this.runRepo.finish(runId, result.status, result.bars, this.options.clock.nowMs());
    })();
    if (result.status === 'completed' && run.view.templateId !== null) {
      this.options.onCompleted?.({
        templateId: run.view.templateId,
        parameters: run.view.parameters,
        metrics: result.metrics,
      });
    }
    run.result = {
      ...run.view,
      status: result.status,
      bars: result.bars,
      trades: result.trades.map(tradeRow),
      equity: result.equity,
      metrics: result.metrics,
      signalCount: result.signals.length,
      error: null,
    };
    if (!this.disposed) {
      this.emit({
        runId,
        status: result.status,
        done: result.bars,
        total: this.options.candles.count(
          run.view.series,
          run.view.from ?? undefined,
          run.view.to ?? undefined,
        ),
        error: null,
      });
    }
  }

  private fail(run: Run, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const { runId } = run.view;
    if (this.options.db.open) {
      this.runRepo.finish(runId, 'failed', 0, this.options.clock.nowMs(), message);
    }
    run.result = {
      ...run.view,
      status: 'failed',
      bars: 0,
      trades: [],
      equity: [],
      metrics: null,
      signalCount: 0,
      error: message,
    };
    if (!this.disposed) this.emit({ runId, status: 'failed', done: 0, total: 0, error: message });
  }

  private emit(progress: BacktestProgress): void {
    this.options.onProgress(progress);
  }

  private forgetOldRuns(): void {
    for (const [id, run] of this.runs) {
      if (this.runs.size <= KEEP_RESULTS) return;
      if (run.result !== null) this.runs.delete(id);
    }
  }
}
