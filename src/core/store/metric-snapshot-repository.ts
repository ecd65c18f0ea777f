import type { MetricSnapshot } from '../metrics';
import type { Db } from './database';
import { BatchInsert, RecordLog, type RecordStreams } from './record-batch';

/** One variant's metrics at one bar time. */
export interface StoredMetricSnapshot {
  readonly runId: string;
  readonly variantId: string;
  /** Open time of the last bar the snapshot covers. */
  readonly time: number;
  readonly snapshot: MetricSnapshot;
}

/** Metric snapshots of backtest runs and live variants (JSON-safe objects stored as JSON). */
export class MetricSnapshotRepository extends RecordLog {
  private readonly inserter: BatchInsert<StoredMetricSnapshot>;
  private readonly latestStmt;

  /** `streams`: shared with the other record repositories of one writer, which resets it per batch. */
  public constructor(db: Db, streams?: RecordStreams) {
    super(db, streams);
    // A later row of a multi-row INSERT OR REPLACE replaces an earlier one with the same key, as
    // one statement per row did.
    this.inserter = new BatchInsert(
      db,
      'snapshot_log',
      ['run', 'stream', 'time', 'snapshot'],
      'INSERT OR REPLACE',
    );
    this.latestStmt = db.prepare(
      `SELECT * FROM metric_snapshots WHERE run_id = ? AND variant_id = ?
       ORDER BY time DESC LIMIT 1`,
    );
  }

  /** Stores snapshots in one transaction; a second one for the same bar replaces the first. */
  public insert(snapshots: readonly StoredMetricSnapshot[]): void {
    if (snapshots.length === 0) return;
    this.inTransaction(() => this.write(snapshots));
  }

  /**
   * Writes `snapshots` like {@link insert}, in the caller's transaction and without a savepoint of
   * its own (a savepoint copies every page it changes): the batch writer's path.
   */
  public write(snapshots: readonly StoredMetricSnapshot[]): void {
    if (snapshots.length === 0) return;
    this.inserter.run(snapshots, (a, at, s) => {
      a[at] = this.streams.runKey(s.runId);
      a[at + 1] = this.streams.streamKey(s.runId, s.variantId);
      a[at + 2] = s.time;
      a[at + 3] = JSON.stringify(s.snapshot);
    });
  }

  /** The newest snapshot of a variant in a run, if any. */
  public latest(runId: string, variantId: string): StoredMetricSnapshot | undefined {
    const row = this.latestStmt.get(runId, variantId) as
      { run_id: string; variant_id: string; time: number; snapshot: string } | undefined;
    if (row === undefined) return undefined;
    return {
      runId: row.run_id,
      variantId: row.variant_id,
      time: row.time,
      snapshot: JSON.parse(row.snapshot) as MetricSnapshot,
    };
  }
}
