import type { OrderRecord, SignalRecord, TradeRecord } from '../engine/engine-records';
import type { RecordBatch } from './engine-record-writer';
import type { StoredMetricSnapshot } from './metric-snapshot-repository';

/**
 * A {@link RecordBatch} packed for another thread: every number in one Float64Array (moved, not
 * copied), every string once in a table. Structured cloning the records themselves costs about
 * what inserting them does (tens of thousands of small objects, each signal with two arrays);
 * packing costs a small fraction of it.
 */
export interface PackedRecordBatch {
  readonly runId: string;
  readonly firstOrderSeq: number;
  readonly firstSignalSeq: number;
  readonly orders: number;
  readonly trades: number;
  readonly signals: number;
  readonly numbers: Float64Array;
  /** Strings by index; a field that may be null stores −1 for it. */
  readonly strings: readonly string[];
  /** The signals' term texts, one array per rule (records of a rule share it). */
  readonly termTexts: ReadonlyArray<readonly string[]>;
  /** Few (one per variant per snapshot interval): cloned as they are. */
  readonly snapshots: readonly StoredMetricSnapshot[];
}

const ORDER_WIDTH = 9;
const TRADE_WIDTH = 16;
/** Before the signal's term values. */
const SIGNAL_HEAD = 7;

/** Interns strings into a table: the number stored for each. */
class StringTable {
  public readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  public of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }

  public orNull(value: string | null): number {
    return value === null ? -1 : this.of(value);
  }
}

/** `batch` packed for postMessage; transfer `numbers.buffer`. */
export function packRecordBatch(batch: RecordBatch): PackedRecordBatch {
  let size = batch.orders.length * ORDER_WIDTH + batch.trades.length * TRADE_WIDTH;
  for (const s of batch.signals) size += SIGNAL_HEAD + s.termValues.length;
  const n = new Float64Array(size);
  const t = new StringTable();
  const texts: Array<readonly string[]> = [];
  const textIndex = new Map<readonly string[], number>();
  let at = 0;
  for (const o of batch.orders) {
    n[at] = t.of(o.variantId);
    n[at + 1] = o.orderId;
    n[at + 2] = o.time ?? Number.NaN;
    n[at + 3] = t.of(o.status);
    n[at + 4] = t.orNull(o.kind);
    n[at + 5] = t.orNull(o.side);
    n[at + 6] = t.of(o.reason);
    n[at + 7] = t.orNull(o.rejectReason);
    n[at + 8] = t.orNull(o.message);
    at += ORDER_WIDTH;
  }
  for (const r of batch.trades) {
    n[at] = t.of(r.variantId);
    n[at + 1] = r.tradeId;
    n[at + 2] = t.of(r.side);
    n[at + 3] = r.quantity;
    n[at + 4] = r.leverage;
    n[at + 5] = r.entryTime;
    n[at + 6] = r.entryPrice;
    n[at + 7] = t.of(r.entryReason);
    n[at + 8] = r.exitTime;
    n[at + 9] = r.exitPrice;
    n[at + 10] = t.of(r.exitReason);
    n[at + 11] = r.grossPnl;
    n[at + 12] = r.fee;
    n[at + 13] = r.netPnl;
    n[at + 14] = r.margin;
    n[at + 15] = r.roiPct;
    at += TRADE_WIDTH;
  }
  for (const s of batch.signals) {
    let ti = textIndex.get(s.termTexts);
    if (ti === undefined) {
      ti = texts.length;
      texts.push(s.termTexts);
      textIndex.set(s.termTexts, ti);
    }
    n[at] = t.of(s.variantId);
    n[at + 1] = s.time;
    n[at + 2] = t.of(s.rule);
    n[at + 3] = t.of(s.action);
    n[at + 4] = s.orderId ?? Number.NaN;
    n[at + 5] = ti;
    const values = s.termValues;
    n[at + 6] = values.length;
    for (let i = 0; i < values.length; i++) n[at + SIGNAL_HEAD + i] = values[i] as number;
    at += SIGNAL_HEAD + values.length;
  }
  return {
    runId: batch.runId,
    firstOrderSeq: batch.firstOrderSeq,
    firstSignalSeq: batch.firstSignalSeq,
    orders: batch.orders.length,
    trades: batch.trades.length,
    signals: batch.signals.length,
    numbers: n,
    strings: t.strings,
    termTexts: texts,
    snapshots: batch.snapshots,
  };
}

/** The records `packRecordBatch` packed, equal field by field to the originals. */
export function unpackRecordBatch(packed: PackedRecordBatch): RecordBatch {
  const n = packed.numbers;
  const str = packed.strings;
  const s = (i: number): string => str[i] as string;
  const orNull = (i: number): string | null => (i < 0 ? null : (str[i] as string));
  let at = 0;
  const orders: OrderRecord[] = new Array(packed.orders);
  for (let k = 0; k < packed.orders; k++, at += ORDER_WIDTH) {
    orders[k] = {
      variantId: s(n[at] as number),
      orderId: n[at + 1] as number,
      time: orNullNumber(n[at + 2] as number),
      status: s(n[at + 3] as number) as OrderRecord['status'],
      kind: orNull(n[at + 4] as number) as OrderRecord['kind'],
      side: orNull(n[at + 5] as number) as OrderRecord['side'],
      reason: s(n[at + 6] as number),
      rejectReason: orNull(n[at + 7] as number) as OrderRecord['rejectReason'],
      message: orNull(n[at + 8] as number),
    };
  }
  const trades: TradeRecord[] = new Array(packed.trades);
  for (let k = 0; k < packed.trades; k++, at += TRADE_WIDTH) {
    trades[k] = {
      variantId: s(n[at] as number),
      tradeId: n[at + 1] as TradeRecord['tradeId'],
      side: s(n[at + 2] as number) as TradeRecord['side'],
      quantity: n[at + 3] as TradeRecord['quantity'],
      leverage: n[at + 4] as number,
      entryTime: n[at + 5] as TradeRecord['entryTime'],
      entryPrice: n[at + 6] as TradeRecord['entryPrice'],
      entryReason: s(n[at + 7] as number) as TradeRecord['entryReason'],
      exitTime: n[at + 8] as TradeRecord['exitTime'],
      exitPrice: n[at + 9] as TradeRecord['exitPrice'],
      exitReason: s(n[at + 10] as number) as TradeRecord['exitReason'],
      grossPnl: n[at + 11] as TradeRecord['grossPnl'],
      fee: n[at + 12] as TradeRecord['fee'],
      netPnl: n[at + 13] as TradeRecord['netPnl'],
      margin: n[at + 14] as TradeRecord['margin'],
      roiPct: n[at + 15] as number,
    };
  }
  const signals: SignalRecord[] = new Array(packed.signals);
  for (let k = 0; k < packed.signals; k++) {
    const count = n[at + 6] as number;
    signals[k] = {
      variantId: s(n[at] as number),
      time: n[at + 1] as number,
      rule: s(n[at + 2] as number) as SignalRecord['rule'],
      action: s(n[at + 3] as number) as SignalRecord['action'],
      orderId: orNullNumber(n[at + 4] as number),
      termTexts: packed.termTexts[n[at + 5] as number] as readonly string[],
      termValues: valuesAt(n, at + SIGNAL_HEAD, count),
    };
    at += SIGNAL_HEAD + count;
  }
  return {
    runId: packed.runId,
    firstOrderSeq: packed.firstOrderSeq,
    firstSignalSeq: packed.firstSignalSeq,
    orders,
    trades,
    signals,
    snapshots: packed.snapshots,
  };
}

/** Order times and ids are never NaN: NaN stands for their null. */
function orNullNumber(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** `count` numbers from `at`, as a plain array (what a subarray and Array.from cost twice over). */
function valuesAt(n: Float64Array, at: number, count: number): number[] {
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = n[at + i] as number;
  return values;
}
