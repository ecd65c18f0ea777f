import type { SeriesKey, Timeframe } from '../../shared/market';
import type { Db } from './database';

/** Where a backtest run is: running until it completes, is cancelled or fails. */
export type BacktestRunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

/** One backtest run as stored. */
export interface StoredBacktestRun {
  readonly runId: string;
  readonly strategyName: string;
  readonly templateId: string | null;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly series: SeriesKey;
  readonly from: number | null;
  readonly to: number | null;
  readonly status: BacktestRunStatus;
  readonly bars: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
}

interface RunRow {
  run_id: string;
  strategy_name: string;
  template_id: string | null;
  parameters: string;
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  from_time: number | null;
  to_time: number | null;
  status: BacktestRunStatus;
  bars: number;
  started_at: number;
  finished_at: number | null;
  error: string | null;
}

/** Backtest runs: what was tested on which series and range, and how it ended. */
export class BacktestRunRepository {
  private readonly insertStmt;
  private readonly finishStmt;
  private readonly getStmt;
  private readonly countStmt;
  private readonly recentStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO backtest_runs (run_id, strategy_name, template_id, parameters, exchange, symbol,
         timeframe, from_time, to_time, status, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
    );
    this.finishStmt = db.prepare(
      `UPDATE backtest_runs SET status = ?, bars = ?, finished_at = ?, error = ? WHERE run_id = ?`,
    );
    this.getStmt = db.prepare('SELECT * FROM backtest_runs WHERE run_id = ?');
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM backtest_runs');
    // Newest first; rowid breaks ties between runs started in the same millisecond.
    this.recentStmt = db.prepare(
      'SELECT * FROM backtest_runs ORDER BY started_at DESC, rowid DESC LIMIT ?',
    );
  }

  /** How many runs are stored: the next run's number comes from it. */
  public count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  /** Records a run as started. */
  public start(run: Omit<StoredBacktestRun, 'status' | 'bars' | 'finishedAt' | 'error'>): void {
    this.insertStmt.run(
      run.runId,
      run.strategyName,
      run.templateId,
      JSON.stringify(run.parameters),
      run.series.exchange,
      run.series.symbol,
      run.series.timeframe,
      run.from,
      run.to,
      run.startedAt,
    );
  }

  /** Records how a run ended. */
  public finish(
    runId: string,
    status: Exclude<BacktestRunStatus, 'running'>,
    bars: number,
    finishedAt: number,
    error: string | null = null,
  ): void {
    this.finishStmt.run(status, bars, finishedAt, error, runId);
  }

  public get(runId: string): StoredBacktestRun | undefined {
    const r = this.getStmt.get(runId) as RunRow | undefined;
    return r === undefined ? undefined : fromRow(r);
  }

  /** The `limit` newest runs, newest first. */
  public recent(limit: number): StoredBacktestRun[] {
    return (this.recentStmt.all(limit) as RunRow[]).map(fromRow);
  }
}

function fromRow(r: RunRow): StoredBacktestRun {
  return {
    runId: r.run_id,
    strategyName: r.strategy_name,
    templateId: r.template_id,
    parameters: JSON.parse(r.parameters) as Record<string, number | string>,
    series: { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe },
    from: r.from_time,
    to: r.to_time,
    status: r.status,
    bars: r.bars,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}
