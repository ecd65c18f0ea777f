import type { Alert } from '../../shared/variants';
import type { Db } from './database';

interface AlertRow {
  alert_id: number;
  time: number;
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
      `INSERT INTO alerts (time, kind, severity, message, strategy_id, variant_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare(
      'SELECT * FROM (SELECT * FROM alerts ORDER BY alert_id DESC LIMIT ?) ORDER BY alert_id',
    );
  }

  public insert(alert: Omit<Alert, 'alertId'>): Alert {
    const info = this.insertStmt.run(
      alert.time,
      alert.kind,
      alert.severity,
      alert.message,
      alert.strategyId,
      alert.variantId,
    );
    return { ...alert, alertId: Number(info.lastInsertRowid) };
  }

  /** The newest `limit` alerts, oldest first. */
  public list(limit: number): Alert[] {
    return (this.listStmt.all(limit) as AlertRow[]).map((r) => ({
      alertId: r.alert_id,
      time: r.time,
      kind: r.kind,
      severity: r.severity,
      message: r.message,
      strategyId: r.strategy_id,
      variantId: r.variant_id,
    }));
  }
}
