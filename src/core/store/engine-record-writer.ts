import type {
  EngineRecordSink,
  OrderRecord,
  SignalRecord,
  TradeRecord,
} from '../engine/engine-records';
import type { MetricSnapshot } from '../metrics';
import type { Db } from './database';
import { MetricSnapshotRepository, type StoredMetricSnapshot } from './metric-snapshot-repository';
import { OrderRepository } from './order-repository';
import { RecordStreams } from './record-batch';
import { SignalRepository } from './signal-repository';
import { TradeRepository } from './trade-repository';

/** How an {@link EngineRecordWriter} batches. */
export interface EngineRecordWriterOptions {
  /**
   * Records buffered before a flush happens by itself. Default 1,000. `Infinity` never flushes by
   * itself: the live engine flushes between bars only, in the transaction of its checkpoints.
   */
  readonly maxBuffered?: number;
  /**
   * Number orders and signals on from what the run already stored (a live strategy restarting
   * on the same run id), instead of from 0.
   */
  readonly continueRun?: boolean;
}

/**
 * One flush's worth of a run's records, numbered on from what the run stored before: what a commit
 * writes, on the calling thread or on the store's own ({@link StoreCommitter}).
 */
export interface RecordBatch {
  readonly runId: string;
  readonly orders: readonly OrderRecord[];
  /** Seq of `orders[0]` within the run. */
  readonly firstOrderSeq: number;
  readonly trades: readonly TradeRecord[];
  readonly signals: readonly SignalRecord[];
  /** Seq of `signals[0]` within the run. */
  readonly firstSignalSeq: number;
  readonly snapshots: readonly StoredMetricSnapshot[];
}

/** The record repositories of one connection: writes batches in the caller's transaction. */
export class RecordBatchStore {
  private readonly streams: RecordStreams;
  private readonly orderRepo: OrderRepository;
  private readonly tradeRepo: TradeRepository;
  private readonly signalRepo: SignalRepository;
  private readonly snapshotRepo: MetricSnapshotRepository;

  public constructor(db: Db) {
    this.streams = new RecordStreams(db);
    this.orderRepo = new OrderRepository(db, this.streams);
    this.tradeRepo = new TradeRepository(db, this.streams);
    this.signalRepo = new SignalRepository(db, this.streams);
    this.snapshotRepo = new MetricSnapshotRepository(db, this.streams);
  }

  /** Writes `batch`; the caller holds the transaction. */
  public write(batch: RecordBatch): void {
    // Keys are looked up again in each batch's transaction (see RecordStreams.forget).
    this.streams.forget();
    this.orderRepo.write(batch.runId, batch.orders, batch.firstOrderSeq);
    this.tradeRepo.write(batch.runId, batch.trades);
    this.signalRepo.write(batch.runId, batch.signals, batch.firstSignalSeq);
    this.snapshotRepo.write(batch.snapshots);
  }
}

/**
 * An engine record sink that stores one run's orders, trades, signals and metric snapshots in
 * SQLite, batched: records are buffered on the engine's path (which must never wait for a disk)
 * and written in one transaction per flush — never one transaction per row. Flush on a timer, at
 * the end of a run and before shutdown; a flush that fails keeps nothing half-written. The live
 * engine instead takes each batch ({@link takeBatch}) into its own commit.
 */
export class EngineRecordWriter implements EngineRecordSink {
  private orders: OrderRecord[] = [];
  private trades: TradeRecord[] = [];
  private signals: SignalRecord[] = [];
  private snapshots: StoredMetricSnapshot[] = [];
  private store: RecordBatchStore | null = null;
  private readonly maxBuffered: number;
  private ordersWritten = 0;
  private signalsWritten = 0;
  private _transactions = 0;

  public constructor(
    private readonly db: Db,
    public readonly runId: string,
    options: EngineRecordWriterOptions = {},
  ) {
    this.maxBuffered = Math.max(1, options.maxBuffered ?? 1_000);
    if (options.continueRun === true) {
      // The run's last seq from the end of its (run, seq, stream) index: no scan of its rows.
      const next = (table: 'order_log' | 'signal_log'): number =>
        (
          db
            .prepare(
              `SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM ${table}
               WHERE run = (SELECT run FROM record_runs WHERE run_id = ?)`,
            )
            .get(runId) as { n: number }
        ).n;
      this.ordersWritten = next('order_log');
      this.signalsWritten = next('signal_log');
    }
  }

  /** Records waiting for the next flush. */
  public get buffered(): number {
    return this.orders.length + this.trades.length + this.signals.length + this.snapshots.length;
  }

  /** Transactions committed so far (one per non-empty flush). */
  public get transactions(): number {
    return this._transactions;
  }

  public onOrder(record: OrderRecord): void {
    this.orders.push(record);
    this.maybeFlush();
  }

  public onTrade(record: TradeRecord): void {
    this.trades.push(record);
    this.maybeFlush();
  }

  public onSignal(record: SignalRecord): void {
    this.signals.push(record);
    this.maybeFlush();
  }

  /** Queues a metric snapshot of `variantId` as of the bar at `time`. */
  public onSnapshot(variantId: string, time: number, snapshot: MetricSnapshot): void {
    this.snapshots.push({ runId: this.runId, variantId, time, snapshot });
    this.maybeFlush();
  }

  /** Writes everything buffered in one transaction; a failed one keeps it buffered. */
  public flush(): void {
    if (this.buffered === 0) return;
    const batch = this.batch();
    this.store ??= new RecordBatchStore(this.db);
    const store = this.store;
    this.db.transaction(() => store.write(batch))();
    this._transactions++;
    // Written: empty the buffers and number on, as handing the batch over does.
    this.takeBatch();
  }

  /**
   * Hands everything buffered over as one batch, numbered on from the batches before it, and
   * empties the buffers: whoever takes it must see it committed (retrying if need be).
   */
  public takeBatch(): RecordBatch | null {
    if (this.buffered === 0) return null;
    const batch = this.batch();
    this.orders = [];
    this.trades = [];
    this.signals = [];
    this.snapshots = [];
    this.ordersWritten += batch.orders.length;
    this.signalsWritten += batch.signals.length;
    return batch;
  }

  private batch(): RecordBatch {
    return {
      runId: this.runId,
      orders: this.orders,
      firstOrderSeq: this.ordersWritten,
      trades: this.trades,
      signals: this.signals,
      firstSignalSeq: this.signalsWritten,
      snapshots: this.snapshots,
    };
  }

  private maybeFlush(): void {
    if (this.buffered >= this.maxBuffered) this.flush();
  }
}
