import type { OrderRecord } from '../engine/engine-records';
import type { Db } from './database';
import { BatchInsert, RecordLog, type RecordStreams } from './record-batch';

/** Order events (submissions and rejections) of backtest runs and live variants. */
export class OrderRepository extends RecordLog {
  private readonly inserter: BatchInsert<OrderRecord>;
  private readonly listStmt;

  /** `streams`: shared with the other record repositories of one writer, which resets it per batch. */
  public constructor(db: Db, streams?: RecordStreams) {
    super(db, streams);
    this.inserter = new BatchInsert(db, 'order_log', [
      'run',
      'stream',
      'seq',
      'order_id',
      'time',
      'status',
      'kind',
      'side',
      'reason',
      'reject_reason',
      'message',
    ]);
    this.listStmt = db.prepare('SELECT * FROM orders WHERE run_id = ? ORDER BY variant_id, seq');
  }

  /**
   * Stores `orders` of run `runId` in one transaction. `firstSeq` numbers them within the run
   * and variant (a writer that flushes in batches passes how many it wrote before).
   */
  public insert(runId: string, orders: readonly OrderRecord[], firstSeq = 0): void {
    if (orders.length === 0) return;
    this.inTransaction(() => this.write(runId, orders, firstSeq));
  }

  /**
   * Writes `orders` like {@link insert}, in the caller's transaction and without a savepoint of
   * its own (a savepoint copies every page it changes): the batch writer's path.
   */
  public write(runId: string, orders: readonly OrderRecord[], firstSeq = 0): void {
    if (orders.length === 0) return;
    const run = this.streams.runKey(runId);
    this.inserter.run(orders, (a, at, o, i) => {
      a[at] = run;
      a[at + 1] = this.streams.streamKey(runId, o.variantId);
      a[at + 2] = firstSeq + i;
      a[at + 3] = o.orderId;
      a[at + 4] = o.time;
      a[at + 5] = o.status;
      a[at + 6] = o.kind;
      a[at + 7] = o.side;
      a[at + 8] = o.reason;
      a[at + 9] = o.rejectReason;
      a[at + 10] = o.message;
    });
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
