import type { MetricSnapshot } from '../metrics';
import type { Db } from './database';

/** One variant's metrics at one bar time. */
export interface StoredMetricSnapshot {
  readonly runId: string;
  readonly variantId: string;
  /** Open time of the last bar the snapshot covers. */
  readonly time: number;
  readonly snapshot: MetricSnapshot;
}

/** Metric snapshots of backtest runs and live variants (JSON-safe objects stored as JSON). */
export class MetricSnapshotRepository {
  private readonly insertStmt;
  private readonly latestStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR REPLACE INTO metric_snapshots (run_id, variant_id, time, snapshot)
       VALUES (?, ?, ?, ?)`,
    );
    this.latestStmt = db.prepare(
      `SELECT * FROM metric_snapshots WHERE run_id = ? AND variant_id = ?
       ORDER BY time DESC LIMIT 1`,
    );
  }

  /** Stores snapshots in one transaction; a second one for the same bar replaces the first. */
  public insert(snapshots: readonly StoredMetricSnapshot[]): void {
    this.db.transaction(() => {
      for (const s of snapshots) {
        this.insertStmt.run(s.runId, s.variantId, s.time, JSON.stringify(s.snapshot));
      }
    })();
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
