import type { TradeRow } from '../../shared/backtest';
import type { TradeRecord } from '../engine/engine-records';
import type { Db } from './database';
import { BatchInsert, RecordLog, type RecordStreams } from './record-batch';

/** Which stored trades to read or export; every field narrows, none means all. */
export interface TradeFilter {
  readonly runId?: string;
  readonly variantId?: string;
  readonly side?: 'long' | 'short';
  /** Trades that closed at or after / at or before these bar times (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  /** At most this many, oldest first. */
  readonly limit?: number;
}

/** A stored trade: the engine's record and the run it belongs to. */
export interface StoredTrade extends TradeRecord {
  readonly runId: string;
}

/** A row of the trades table as SQLite returns it. */
export interface TradeTableRow {
  run_id: string;
  variant_id: string;
  trade_id: number;
  side: 'long' | 'short';
  quantity: number;
  leverage: number;
  entry_time: number;
  entry_price: number;
  entry_reason: StoredTrade['entryReason'];
  exit_time: number;
  exit_price: number;
  exit_reason: StoredTrade['exitReason'];
  gross_pnl: number;
  fee: number;
  net_pnl: number;
  margin: number;
  roi_pct: number;
}

export const toTrade = (r: TradeTableRow): StoredTrade =>
  ({
    runId: r.run_id,
    variantId: r.variant_id,
    tradeId: r.trade_id,
    side: r.side,
    quantity: r.quantity,
    leverage: r.leverage,
    entryTime: r.entry_time,
    entryPrice: r.entry_price,
    entryReason: r.entry_reason,
    exitTime: r.exit_time,
    exitPrice: r.exit_price,
    exitReason: r.exit_reason,
    grossPnl: r.gross_pnl,
    fee: r.fee,
    netPnl: r.net_pnl,
    margin: r.margin,
    roiPct: r.roi_pct,
  }) as StoredTrade;

/**
 * A trade as the API carries it: the engine's record (stored or not) without its run id and
 * branded number types. Backtests, strategy charts and live trades all answer with it.
 */
export function tradeRow(t: TradeRecord): TradeRow {
  return {
    variantId: t.variantId,
    tradeId: t.tradeId,
    side: t.side,
    quantity: t.quantity,
    leverage: t.leverage,
    entryTime: t.entryTime,
    entryPrice: t.entryPrice,
    entryReason: t.entryReason,
    exitTime: t.exitTime,
    exitPrice: t.exitPrice,
    exitReason: t.exitReason,
    grossPnl: t.grossPnl,
    fee: t.fee,
    netPnl: t.netPnl,
    margin: t.margin,
    roiPct: t.roiPct,
  };
}

/** CSV columns, in order: the trade's fields plus its times in UTC for people reading the file. */
export const TRADE_CSV_COLUMNS = [
  'run_id',
  'variant_id',
  'trade_id',
  'side',
  'quantity',
  'leverage',
  'entry_time',
  'entry_time_utc',
  'entry_price',
  'entry_reason',
  'exit_time',
  'exit_time_utc',
  'exit_price',
  'exit_reason',
  'gross_pnl',
  'fee',
  'net_pnl',
  'margin',
  'roi_pct',
] as const;

/** Quotes a CSV field only when it needs it (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Each filter field and the SQL condition it adds. */
const TRADE_FILTER_CONDITIONS: ReadonlyArray<readonly [keyof Omit<TradeFilter, 'limit'>, string]> =
  [
    ['runId', 'run_id = ?'],
    ['variantId', 'variant_id = ?'],
    ['side', 'side = ?'],
    ['from', 'exit_time >= ?'],
    ['to', 'exit_time <= ?'],
  ];

/**
 * The SQL conditions and their arguments for the fields of `filter` that are set, in the order
 * of `conditions` (each a filter field and its `column = ?`-style condition).
 */
export function filterConditions<F extends object>(
  conditions: ReadonlyArray<readonly [keyof F, string]>,
  filter: F,
): { where: string[]; args: Array<string | number> } {
  const where: string[] = [];
  const args: Array<string | number> = [];
  for (const [key, condition] of conditions) {
    const value = filter[key] as string | number | undefined;
    if (value === undefined) continue;
    where.push(condition);
    args.push(value);
  }
  return { where, args };
}

/**
 * Trades as CSV with a header row ({@link TRADE_CSV_COLUMNS}, then `extra` columns); numbers keep
 * every digit. Backtest and live exports both write through it.
 */
export function tradesToCsv<T extends StoredTrade>(
  trades: readonly T[],
  extra: ReadonlyArray<{ readonly column: string; readonly value: (t: T) => string | number }> = [],
  /** What the first column (the run's id) is called: live trades name it as their JSON does. */
  runColumn = 'run_id',
): string {
  const lines: string[] = [
    [runColumn, ...TRADE_CSV_COLUMNS.slice(1), ...extra.map((e) => e.column)].join(','),
  ];
  for (const t of trades) {
    lines.push(
      [
        t.runId,
        t.variantId,
        t.tradeId,
        t.side,
        t.quantity,
        t.leverage,
        t.entryTime,
        new Date(t.entryTime).toISOString(),
        t.entryPrice,
        t.entryReason,
        t.exitTime,
        new Date(t.exitTime).toISOString(),
        t.exitPrice,
        t.exitReason,
        t.grossPnl,
        t.fee,
        t.netPnl,
        t.margin,
        t.roiPct,
        ...extra.map((e) => e.value(t)),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Closed trades (gross, fee and net P&L, entry and exit reason) of backtest runs and live
 * variants. Writes go in batches, one transaction per batch; exports are exactly the rows of a
 * filter, as CSV or JSON text.
 */
export class TradeRepository extends RecordLog {
  private readonly inserter: BatchInsert<TradeRecord>;

  /** `streams`: shared with the other record repositories of one writer, which resets it per batch. */
  public constructor(db: Db, streams?: RecordStreams) {
    super(db, streams);
    this.inserter = new BatchInsert(db, 'trade_log', [
      'run',
      'stream',
      'trade_id',
      'side',
      'quantity',
      'leverage',
      'entry_time',
      'entry_price',
      'entry_reason',
      'exit_time',
      'exit_price',
      'exit_reason',
      'gross_pnl',
      'fee',
      'net_pnl',
      'margin',
      'roi_pct',
    ]);
  }

  /** Stores `trades` of run `runId` in one transaction (joins the caller's, if one is open). */
  public insert(runId: string, trades: readonly TradeRecord[]): void {
    if (trades.length === 0) return;
    this.inTransaction(() => this.write(runId, trades));
  }

  /**
   * Writes `trades` like {@link insert}, in the caller's transaction and without a savepoint of
   * its own (a savepoint copies every page it changes): the batch writer's path.
   */
  public write(runId: string, trades: readonly TradeRecord[]): void {
    if (trades.length === 0) return;
    const run = this.streams.runKey(runId);
    this.inserter.run(trades, (a, at, t) => {
      a[at] = run;
      a[at + 1] = this.streams.streamKey(runId, t.variantId);
      a[at + 2] = t.tradeId;
      a[at + 3] = t.side;
      a[at + 4] = t.quantity;
      a[at + 5] = t.leverage;
      a[at + 6] = t.entryTime;
      a[at + 7] = t.entryPrice;
      a[at + 8] = t.entryReason;
      a[at + 9] = t.exitTime;
      a[at + 10] = t.exitPrice;
      a[at + 11] = t.exitReason;
      a[at + 12] = t.grossPnl;
      a[at + 13] = t.fee;
      a[at + 14] = t.netPnl;
      a[at + 15] = t.margin;
      a[at + 16] = t.roiPct;
    });
  }

  /** The trades matching `filter`, by run, variant and trade id. */
  public list(filter: TradeFilter = {}): StoredTrade[] {
    const { where, args } = filterConditions(TRADE_FILTER_CONDITIONS, filter);
    const sql =
      `SELECT * FROM trades ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY run_id, variant_id, trade_id${filter.limit !== undefined ? ' LIMIT ?' : ''}`;
    if (filter.limit !== undefined) args.push(filter.limit);
    return (this.db.prepare(sql).all(...args) as TradeTableRow[]).map(toTrade);
  }

  /** The trades of `filter` as CSV with a header row; numbers keep every digit. */
  public exportCsv(filter: TradeFilter = {}): string {
    return tradesToCsv(this.list(filter));
  }

  /** The trades of `filter` as a JSON array of objects. */
  public exportJson(filter: TradeFilter = {}): string {
    return JSON.stringify(this.list(filter), null, 2);
  }
}
