import type { Alert } from '../../shared/variants';
import type { Db } from './database';

interface AlertRow {
  alert_id: number;
  time: number;
  bar_time: number | null;
  kind: Alert['kind'];
  severity: Alert['severity'];
  message: string;
  strategy_id: string | null;
  variant_id: string | null;
}

/** The alert log: every notification the host raised, newest last. */
export class AlertRepository {
  private readonly insertStmt;
  private readonly listStmt;

  public constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO alerts (time, bar_time, kind, severity, message, strategy_id, variant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare(
      'SELECT * FROM (SELECT * FROM alerts ORDER BY alert_id DESC LIMIT ?) ORDER BY alert_id',
    );
  }

  /** Stores an alert; without a bar time it is kept as null (no market bar applies). */
  public insert(alert: Omit<Alert, 'alertId' | 'barTime'> & { barTime?: number | null }): Alert {
    const info = this.insertStmt.run(
      alert.time,
      alert.barTime ?? null,
      alert.kind,
      alert.severity,
      alert.message,
      alert.strategyId,
      alert.variantId,
    );
    return { ...alert, barTime: alert.barTime ?? null, alertId: Number(info.lastInsertRowid) };
  }

  /** The newest `limit` alerts, oldest first. */
  public list(limit: number): Alert[] {
    return (this.listStmt.all(limit) as AlertRow[]).map((r) => ({
      alertId: r.alert_id,
      time: r.time,
      barTime: r.bar_time,
      kind: r.kind,
      severity: r.severity,
      message: r.message,
      strategyId: r.strategy_id,
      variantId: r.variant_id,
    }));
  }
}
