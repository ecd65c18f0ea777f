import { join } from 'node:path';
import {
  signalTerms,
  type OrderRecord,
  type SignalRecord,
  type TradeRecord,
} from '../../src/core/engine/engine-records';
import type { MetricSnapshot } from '../../src/core/metrics';
import { openDatabase, type Db } from '../../src/core/store/database';
import { EngineRecordWriter } from '../../src/core/store/engine-record-writer';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { threadCpuSeconds } from '../../src/core/time/thread-cpu-time';
import { makeTempDir } from '../stubs/temp-dir';
import type { BenchReport, BenchRow } from './bench-report';

/** Variants whose records interleave, as in the live engine's buffers. */
const VARIANTS = 100;
/** Bars replayed per round: every variant emits a record about every 3 bars. */
const BARS = 1_500;
/** Records per commit (the live path commits whatever a second brought). */
const COMMIT_RECORDS = 5_000;
const ROUNDS = 5;
const RUN_ID = 'strategy-1';
/** The terms of the rule every stored signal fired on (one array, as an instance shares it). */
const TERM_TEXTS = ['rsi', 'ema_fast', 'ema_slow[1]'];

type Item =
  | { readonly kind: 'order'; readonly record: OrderRecord }
  | { readonly kind: 'trade'; readonly record: TradeRecord }
  | { readonly kind: 'signal'; readonly record: SignalRecord }
  | { readonly kind: 'snapshot'; readonly variantId: string; readonly time: number };

const SNAPSHOT: MetricSnapshot = {
  firstTime: 1_700_000_000_000,
  lastTime: 1_700_090_000_000,
  bars: 1_500,
  periodsPerYear: 525_600,
  initialEquity: 10_000,
  equity: 10_123.456789,
  roiPct: 1.23456789,
  tradeCount: 42,
  winningTrades: 23,
  losingTrades: 19,
  winRate: 0.5476190476190477,
  averageTradePnl: 2.939447357142857,
  grossProfit: 401.2345,
  grossLoss: 277.777,
  profitFactor: 1.444459,
  profitFactorInfinite: false,
  exposure: 0.4213,
  maxDrawdown: 0.0312,
  meanReturn: 0.0000081234,
  returnSd: 0.00061234,
  skewness: -0.1234,
  kurtosis: 5.4321,
  perPeriodSharpe: 0.013266,
  sharpe: 9.6123,
  sortino: 12.345,
  sortinoInfinite: false,
  cagr: 0.8123,
  calmar: 26.03,
  calmarInfinite: false,
  benchmarkSharpe: 0,
  psr: 0.9812,
  minTrl: 812.5,
  trials: 100,
  trialSharpeVariance: 0.0000123,
  deflationBenchmarkSharpe: 0.00456,
  dsr: 0.7123,
};

/**
 * A realistic interleaved stream: on each 1m bar a third of the variants act — an entry (signal
 * with its terms + order) or an exit (signal + order + closed trade) — and every commit carries
 * one metric snapshot per variant.
 */
function records(): Item[][] {
  const batches: Item[][] = [];
  let batch: Item[] = [];
  const open = new Array<boolean>(VARIANTS).fill(false);
  const nextOrder = new Array<number>(VARIANTS).fill(1);
  const nextTrade = new Array<number>(VARIANTS).fill(1);
  const entryTime = new Array<number>(VARIANTS).fill(0);
  for (let b = 0; b < BARS; b++) {
    const time = 1_700_000_000_000 + b * 60_000;
    const price = 43_000 + 500 * Math.sin(b / 37) + (b % 7) * 1.37;
    for (let v = 0; v < VARIANTS; v++) {
      if ((b + v) % 3 !== 0) continue;
      const variantId = `${RUN_ID}-v${v}`;
      const orderId = (nextOrder[v] as number) + 0;
      nextOrder[v] = orderId + 1;
      const entering = !open[v];
      const side = v % 2 === 0 ? 'long' : 'short';
      batch.push({
        kind: 'signal',
        record: {
          variantId,
          time,
          rule: entering ? 'entryLong' : 'exitLong',
          action: entering ? 'entry' : 'exit',
          orderId,
          termTexts: TERM_TEXTS,
          termValues: [30 + ((b * 7.123 + v) % 40), price + 0.123456789 * v, price - 3.987654321],
        },
      });
      batch.push({
        kind: 'order',
        record: {
          variantId,
          orderId,
          time,
          status: 'submitted',
          kind: entering ? 'entry' : 'exit',
          side,
          reason: entering ? 'entryLong' : 'exitLong',
          rejectReason: null,
          message: null,
        },
      });
      if (entering) entryTime[v] = time;
      else {
        const gross = ((b % 11) - 5) * 1.2345;
        batch.push({
          kind: 'trade',
          record: {
            variantId,
            tradeId: (nextTrade[v] = (nextTrade[v] as number) + 1) - 1,
            side,
            quantity: 0.0123,
            leverage: 1,
            entryTime: entryTime[v] as number,
            entryPrice: price - 12.5,
            entryReason: 'signal',
            exitTime: time,
            exitPrice: price,
            exitReason: 'signal',
            grossPnl: gross,
            fee: 0.4321,
            netPnl: gross - 0.4321,
            margin: 528.9,
            roiPct: ((gross - 0.4321) / 528.9) * 100,
          } as TradeRecord,
        });
      }
      open[v] = entering;
    }
    if (batch.length >= COMMIT_RECORDS || b === BARS - 1) {
      for (let v = 0; v < VARIANTS; v++) {
        batch.push({ kind: 'snapshot', variantId: `${RUN_ID}-v${v}`, time });
      }
      batches.push(batch);
      batch = [];
    }
  }
  return batches;
}

/** The record tables as migration 3 created them (before migration 6 moved them). */
function previousLayout(db: Db): void {
  const v3 = MIGRATIONS.find((m) => m.version === 3);
  if (v3 === undefined) throw new Error('migration 3 missing');
  db.exec(v3.sql);
}

/**
 * The previous writer: one INSERT statement call per row into the migration-3 tables, as
 * EngineRecordWriter did before migration 6 (terms and snapshots as JSON text).
 */
function previousWriter(
  db: Db,
): (batch: readonly Item[], seq: { orders: number; signals: number }) => void {
  const order = db.prepare(
    `INSERT INTO orders (run_id, variant_id, order_id, seq, time, status, kind, side, reason,
       reject_reason, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const trade = db.prepare(
    `INSERT INTO trades (run_id, variant_id, trade_id, side, quantity, leverage, entry_time,
       entry_price, entry_reason, exit_time, exit_price, exit_reason, gross_pnl, fee, net_pnl,
       margin, roi_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const signal = db.prepare(
    `INSERT INTO signals (run_id, variant_id, seq, time, rule, action, order_id, terms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const snapshot = db.prepare(
    `INSERT OR REPLACE INTO metric_snapshots (run_id, variant_id, time, snapshot) VALUES (?, ?, ?, ?)`,
  );
  return (batch, seq) => {
    db.transaction(() => {
      // The old writer stored per table in this order (orders, trades, signals, snapshots), each
      // repository in its own nested transaction: a SAVEPOINT inside the flush's.
      db.transaction(() => {
        for (const it of batch) {
          if (it.kind !== 'order') continue;
          const o = it.record;
          order.run(
            RUN_ID,
            o.variantId,
            o.orderId,
            seq.orders++,
            o.time,
            o.status,
            o.kind,
            o.side,
            o.reason,
            o.rejectReason,
            o.message,
          );
        }
      })();
      db.transaction(() => {
        for (const it of batch) {
          if (it.kind !== 'trade') continue;
          const t = it.record;
          trade.run(
            RUN_ID,
            t.variantId,
            t.tradeId,
            t.side,
            t.quantity,
            t.leverage,
            t.entryTime,
            t.entryPrice,
            t.entryReason,
            t.exitTime,
            t.exitPrice,
            t.exitReason,
            t.grossPnl,
            t.fee,
            t.netPnl,
            t.margin,
            t.roiPct,
          );
        }
      })();
      db.transaction(() => {
        for (const it of batch) {
          if (it.kind !== 'signal') continue;
          const s = it.record;
          signal.run(
            RUN_ID,
            s.variantId,
            seq.signals++,
            s.time,
            s.rule,
            s.action,
            s.orderId,
            JSON.stringify(signalTerms(s)),
          );
        }
      })();
      db.transaction(() => {
        for (const it of batch) {
          if (it.kind !== 'snapshot') continue;
          snapshot.run(RUN_ID, it.variantId, it.time, JSON.stringify(SNAPSHOT));
        }
      })();
    })();
  };
}

interface Timing {
  cpu: number;
  wall: number;
}

type Layout = 'previous' | 'current';

/**
 * Writes every batch into a fresh WAL database in a temp dir; times the writes and commits.
 * `inCommit`: each flush inside an outer transaction, as the live engine flushes inside the one
 * that also writes its checkpoints (the flush's own transaction is then a SAVEPOINT).
 */
function round(layout: Layout, batches: readonly Item[][], inCommit: boolean): Timing {
  const dir = makeTempDir('parallax-store-bench-');
  const path = join(dir.path, 'parallax.sqlite');
  const db =
    layout === 'current'
      ? openDatabase({ path })
      : openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 3) });
  try {
    if (layout === 'previous') previousLayout(db);
    let write: (batch: readonly Item[]) => void;
    if (layout === 'current') {
      const writer = new EngineRecordWriter(db, RUN_ID, { maxBuffered: Number.POSITIVE_INFINITY });
      write = (batch) => {
        for (const it of batch) {
          if (it.kind === 'order') writer.onOrder(it.record);
          else if (it.kind === 'trade') writer.onTrade(it.record);
          else if (it.kind === 'signal') writer.onSignal(it.record);
          else writer.onSnapshot(it.variantId, it.time, SNAPSHOT);
        }
        writer.flush();
      };
    } else {
      const previous = previousWriter(db);
      const seq = { orders: 0, signals: 0 };
      write = (batch) => previous(batch, seq);
    }
    const commit = inCommit ? db.transaction((batch: readonly Item[]) => write(batch)) : write;
    const cpu = threadCpuSeconds();
    const wall = performance.now();
    for (const batch of batches) commit(batch);
    return { cpu: threadCpuSeconds() - cpu, wall: (performance.now() - wall) / 1000 };
  } finally {
    db.close();
    dir.remove();
  }
}

export function run(): BenchReport {
  const batches = records();
  const count = batches.reduce((n, b) => n + b.length, 0);
  const modes = [
    ['previous', false],
    ['current', false],
    ['previous', true],
    ['current', true],
  ] as const;
  const best = modes.map(() => ({ cpu: Infinity, wall: Infinity }));
  for (const [layout, inCommit] of modes) round(layout, batches.slice(0, 2), inCommit);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternated, so a busy moment of the machine hits every layout alike.
    const order = r % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
    for (const m of order) {
      const [layout, inCommit] = modes[m] as (typeof modes)[number];
      const t = round(layout, batches, inCommit);
      const b = best[m] as Timing;
      b.cpu = Math.min(b.cpu, t.cpu);
      b.wall = Math.min(b.wall, t.wall);
    }
  }
  const label = (m: number): string =>
    [
      'previous layout (migration 3: WITHOUT ROWID, TEXT keys, one INSERT per row)',
      'EngineRecordWriter (migrations 6–7: rowid tables, integer keys, term texts once, 64-row INSERTs)',
      'previous layout, flushed inside the commit transaction (as live)',
      'EngineRecordWriter, flushed inside the commit transaction (as live)',
    ][m] as string;
  const rows: BenchRow[] = [];
  for (const [previous, current] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const p = best[previous] as Timing;
    const c = best[current] as Timing;
    rows.push(
      { label: `${label(previous)}, by thread CPU`, value: count / p.cpu, unit: 'rows/s' },
      {
        label: `${label(current)}, by thread CPU`,
        value: count / c.cpu,
        unit: 'rows/s',
        baseline: `${label(previous)}, by thread CPU`,
        target: '≥ 200,000 rows/s batched inserts; ≥ 3× previous',
      },
      { label: `${label(previous)}, per row`, value: (p.cpu / count) * 1e9, unit: 'ns CPU' },
      { label: `${label(current)}, per row`, value: (c.cpu / count) * 1e9, unit: 'ns CPU' },
      { label: `${label(previous)}, wall clock`, value: count / p.wall, unit: 'rows/s' },
      {
        label: `${label(current)}, wall clock`,
        value: count / c.wall,
        unit: 'rows/s',
        baseline: `${label(previous)}, wall clock`,
      },
    );
  }
  const kinds = { order: 0, trade: 0, signal: 0, snapshot: 0 };
  for (const b of batches) for (const it of b) kinds[it.kind]++;
  const n = (x: number): string => x.toLocaleString('en-US');
  return {
    name: 'store',
    title: `Store: engine records of ${VARIANTS} interleaved variants into SQLite (WAL, real file in a temp dir)`,
    rows,
    notes: [
      `${n(count)} records per round (${n(kinds.signal)} signals with 3 terms, ${n(kinds.order)} orders, ${n(kinds.trade)} trades, ${n(kinds.snapshot)} metric snapshots) over ${n(BARS)} 1m bars, committed every ~${n(COMMIT_RECORDS)} records plus one snapshot per variant per commit.`,
      `Each round opens a fresh database (openDatabase: WAL, synchronous = NORMAL) in a temp dir; best of ${ROUNDS} rounds per mode, all four alternated in the same run. The previous layout is migration 3's tables written as the previous repositories did: one statement call per row, each repository in its own nested transaction inside the flush's.`,
    ],
  };
}
