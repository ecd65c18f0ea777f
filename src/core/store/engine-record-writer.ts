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
 * An engine record sink that stores one run's orders, trades, signals and metric snapshots in
 * SQLite, batched: records are buffered on the engine's path (which must never wait for a disk)
 * and written in one transaction per flush — never one transaction per row. Flush on a timer, at
 * the end of a run and before shutdown; a flush that fails keeps nothing half-written.
 */
export class EngineRecordWriter implements EngineRecordSink {
  private readonly orders: OrderRecord[] = [];
  private readonly trades: TradeRecord[] = [];
  private readonly signals: SignalRecord[] = [];
  private readonly snapshots: StoredMetricSnapshot[] = [];
  private readonly orderRepo: OrderRepository;
  private readonly tradeRepo: TradeRepository;
  private readonly signalRepo: SignalRepository;
  private readonly snapshotRepo: MetricSnapshotRepository;
  private readonly streams: RecordStreams;
  private readonly maxBuffered: number;
  private ordersWritten = 0;
  private signalsWritten = 0;
  private _transactions = 0;

  public constructor(
    private readonly db: Db,
    public readonly runId: string,
    options: EngineRecordWriterOptions = {},
  ) {
    this.streams = new RecordStreams(db);
    this.orderRepo = new OrderRepository(db, this.streams);
    this.tradeRepo = new TradeRepository(db, this.streams);
    this.signalRepo = new SignalRepository(db, this.streams);
    this.snapshotRepo = new MetricSnapshotRepository(db, this.streams);
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

  /** Writes everything buffered in one transaction. */
  public flush(): void {
    if (this.buffered === 0) return;
    // Keys are looked up again in each batch's transaction (see RecordStreams.forget).
    this.streams.forget();
    this.db.transaction(() => {
      this.orderRepo.write(this.runId, this.orders, this.ordersWritten);
      this.tradeRepo.write(this.runId, this.trades);
      this.signalRepo.write(this.runId, this.signals, this.signalsWritten);
      this.snapshotRepo.write(this.snapshots);
    })();
    this._transactions++;
    this.ordersWritten += this.orders.length;
    this.signalsWritten += this.signals.length;
    this.orders.length = 0;
    this.trades.length = 0;
    this.signals.length = 0;
    this.snapshots.length = 0;
  }

  private maybeFlush(): void {
    if (this.buffered >= this.maxBuffered) this.flush();
  }
}
