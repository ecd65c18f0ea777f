import type { OrderRecord } from '../engine/engine-records';
import type { Db } from './database';

/** Order events (submissions and rejections) of backtest runs and live variants. */
export class OrderRepository {
  private readonly insertStmt;
  private readonly listStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO orders (run_id, variant_id, order_id, seq, time, status, kind, side, reason,
         reject_reason, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare('SELECT * FROM orders WHERE run_id = ? ORDER BY variant_id, seq');
  }

  /**
   * Stores `orders` of run `runId` in one transaction. `firstSeq` numbers them within the run
   * and variant (a writer that flushes in batches passes how many it wrote before).
   */
  public insert(runId: string, orders: readonly OrderRecord[], firstSeq = 0): void {
    this.db.transaction(() => {
      orders.forEach((o, i) => {
        this.insertStmt.run(
          runId,
          o.variantId,
          o.orderId,
          firstSeq + i,
          o.time,
          o.status,
          o.kind,
          o.side,
          o.reason,
          o.rejectReason,
          o.message,
        );
      });
    })();
  }

  /** The order events of a run, in the order they happened. */
  public list(runId: string): OrderRecord[] {
    const rows = this.listStmt.all(runId) as Array<{
      variant_id: string;
      order_id: number;
      time: number | null;
      status: OrderRecord['status'];
      kind: OrderRecord['kind'];
      side: OrderRecord['side'];
      reason: string;
      reject_reason: OrderRecord['rejectReason'];
      message: string | null;
    }>;
    return rows.map((r) => ({
      variantId: r.variant_id,
      orderId: r.order_id,
      time: r.time,
      status: r.status,
      kind: r.kind,
      side: r.side,
      reason: r.reason,
      rejectReason: r.reject_reason,
      message: r.message,
    }));
  }
}
