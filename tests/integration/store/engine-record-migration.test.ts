import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  OrderRecord,
  SignalRecord,
  TradeRecord,
} from '../../../src/core/engine/engine-records';
import type { MetricSnapshot } from '../../../src/core/metrics';
import { openDatabase, schemaVersion, type Db } from '../../../src/core/store/database';
import { EngineRecordWriter } from '../../../src/core/store/engine-record-writer';
import { LiveTradeRepository } from '../../../src/core/store/live-trade-repository';
import { MetricSnapshotRepository } from '../../../src/core/store/metric-snapshot-repository';
import { MIGRATIONS } from '../../../src/core/store/migrations';
import { OrderRepository } from '../../../src/core/store/order-repository';
import { SignalRepository } from '../../../src/core/store/signal-repository';
import { TradeRepository } from '../../../src/core/store/trade-repository';
import { makeTempDir } from '../../stubs/temp-dir';

const RECORD_TABLES = ['orders', 'trades', 'signals', 'metric_snapshots'] as const;

/** Every row of every record table, in a total order, as SQLite returns them. */
function allRows(db: Db): Record<string, unknown[]> {
  const order: Record<(typeof RECORD_TABLES)[number], string> = {
    orders: 'run_id, variant_id, seq',
    trades: 'run_id, variant_id, trade_id',
    signals: 'run_id, variant_id, seq',
    metric_snapshots: 'run_id, variant_id, time',
  };
  return Object.fromEntries(
    RECORD_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${order[t]}`).all()]),
  );
}

/** Column names and declared types, in order, of a table or view. */
function columns(db: Db, table: string): Array<{ name: string }> {
  return (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => ({
    name: c.name,
  }));
}

/** Fills the migration-5 tables the way the previous writer did: raw rows, awkward values included. */
function fillOldLayout(db: Db): void {
  db.prepare(
    `INSERT INTO live_strategies (strategy_id, name, template_id, ledger_key, config, version,
       main_parameters, exchange, symbol, timeframe, strategy_timeframe, settings, created_at)
     VALUES ('s1', 'S', 't', 'template:t', '{}', 1, '{}', 'x', 'X/Y', '1m', '1m', '{}', 0)`,
  ).run();
  const variant = db.prepare(
    `INSERT INTO live_variants (variant_id, strategy_id, role, ordinal, parameters, mode, status,
       started_at, updated_at) VALUES (?, 's1', ?, ?, '{}', 'paper', 'running', 0, 0)`,
  );
  variant.run('s1-main', 'main', 0);
  variant.run('s1-v1', 'variant', 1);
  const order = db.prepare(`INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const trade = db.prepare(
    `INSERT INTO trades VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const signal = db.prepare(`INSERT INTO signals VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const snapshot = db.prepare(`INSERT INTO metric_snapshots VALUES (?, ?, ?, ?)`);
  // Two live variants and a backtest, their rows interleaved as the writer numbered them.
  const runs: Array<[string, string[]]> = [
    ['s1', ['s1-main', 's1-v1']],
    ['backtest-7', ['backtest-7']],
  ];
  for (const [runId, variants] of runs) {
    let seq = 0;
    for (let i = 0; i < 5; i++) {
      for (const v of variants) {
        order.run(
          runId,
          v,
          i + 1,
          seq,
          i === 0 ? null : 60_000 * i,
          i === 4 ? 'rejected' : 'submitted',
          i === 4 ? null : 'entry',
          i === 4 ? null : 'long',
          'entryLong',
          i === 4 ? 'insufficient-margin' : null,
          i === 4 ? 'margin 1.5 > 1, "quoted"' : null,
        );
        signal.run(
          runId,
          v,
          seq,
          60_000 * i,
          'entryLong',
          i === 3 ? 'conflict' : 'entry',
          i === 3 ? null : i + 1,
          JSON.stringify([
            { text: 'rsi', value: 0.1 + 0.2 },
            { text: 'bb.upper[1]', value: 1e-7 },
            { text: 'é"x', value: -12_345.678_9 },
          ]),
        );
        trade.run(
          runId,
          v,
          i + 1,
          i % 2 === 0 ? 'long' : 'short',
          0.012_345_678_9,
          2,
          60_000 * i,
          43_000.5,
          'signal',
          60_000 * (i + 3),
          43_100.25,
          'stop-loss',
          1.234_567_890_123,
          0.05,
          1.184_567_890_123,
          265.25,
          0.446_585_413,
        );
        seq++;
      }
    }
    for (const v of variants) {
      snapshot.run(runId, v, 120_000, JSON.stringify({ equity: 10_000, roiPct: 0 }));
      snapshot.run(runId, v, 240_000, JSON.stringify({ equity: 10_012.5, roiPct: 0.125 }));
    }
  }
}

/** What each reader returns. */
function readers(db: Db): unknown {
  const trades = new TradeRepository(db);
  const live = new LiveTradeRepository(db);
  return {
    orders: ['s1', 'backtest-7'].map((r) => new OrderRepository(db).list(r)),
    signals: [
      new SignalRepository(db).list('s1'),
      new SignalRepository(db).list('s1', 's1-v1'),
      new SignalRepository(db).list('backtest-7'),
    ],
    trades: [
      trades.list(),
      trades.list({ runId: 's1', variantId: 's1-main', side: 'long', from: 180_000, to: 360_000 }),
      trades.list({ limit: 3 }),
      trades.exportCsv({ runId: 'backtest-7' }),
      trades.exportJson(),
    ],
    live: [
      live.list({}),
      live.list({ role: 'variant', from: 240_000 }, 2),
      LiveTradeRepository.toCsv(live.list({ strategyId: 's1', exitReason: 'stop-loss' })),
    ],
    snapshots: ['s1-main', 's1-v1'].map((v) => new MetricSnapshotRepository(db).latest('s1', v)),
  };
}

describe('migration 6: engine records move to insertion-ordered tables (real SQLite file)', () => {
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const tempFile = (): string => {
    const d = makeTempDir('parallax-record-migration-');
    dirs.push(d);
    return join(d.path, 'parallax.sqlite');
  };

  it('when a database filled in the old layout is migrated then every table, column and reader returns exactly what it did', () => {
    const path = tempFile();
    const old = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 6) });
    expect(schemaVersion(old)).toBe(5);
    fillOldLayout(old);
    const rowsBefore = allRows(old);
    const readersBefore = readers(old);
    const columnsBefore = RECORD_TABLES.map((t) => columns(old, t));
    old.close();

    const db = openDatabase({ path });
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(allRows(db)).toEqual(rowsBefore);
    expect(readers(db)).toEqual(readersBefore);
    expect(RECORD_TABLES.map((t) => columns(db, t))).toEqual(columnsBefore);
    // 3 variants × 5 orders, signals and trades, 2 snapshots each.
    expect(RECORD_TABLES.map((t) => (rowsBefore[t] as unknown[]).length)).toEqual([15, 15, 15, 6]);
    expect(
      db.prepare(`SELECT terms FROM signals WHERE run_id = 's1' AND seq = 0`).pluck().get(),
    ).toBe(
      '[{"text":"rsi","value":0.30000000000000004},{"text":"bb.upper[1]","value":1e-7},{"text":"é\\"x","value":-12345.6789}]',
    );
    db.close();
  });

  it('when a live strategy restarts on a migrated run then order and signal numbers go on from the stored ones', () => {
    const path = tempFile();
    const old = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 6) });
    fillOldLayout(old);
    old.close();
    const db = openDatabase({ path });
    const writer = new EngineRecordWriter(db, 's1', { continueRun: true });
    writer.onOrder({
      variantId: 's1-v1',
      orderId: 6,
      time: 300_000,
      status: 'submitted',
      kind: 'exit',
      side: 'long',
      reason: 'exitLong',
      rejectReason: null,
      message: null,
    });
    writer.onSignal({
      variantId: 's1-v1',
      time: 300_000,
      rule: 'exitLong',
      action: 'exit',
      orderId: 6,
      termTexts: [],
      termValues: [],
    });
    writer.flush();
    // s1 stored seq 0…9 for each table (2 variants × 5).
    expect(db.prepare(`SELECT MAX(seq) FROM orders WHERE run_id = 's1'`).pluck().get()).toBe(10);
    expect(
      db.prepare(`SELECT variant_id, seq FROM signals WHERE run_id = 's1' AND seq >= 9`).all(),
    ).toEqual([
      { variant_id: 's1-v1', seq: 9 },
      { variant_id: 's1-v1', seq: 10 },
    ]);
    db.close();
  });

  it('when a stored key is written again then SQLite refuses it, as the old primary keys did', () => {
    const db = openDatabase({ path: tempFile() });
    const trade: TradeRecord = {
      variantId: 'v',
      tradeId: 1,
      side: 'long',
      quantity: 1,
      leverage: 1,
      entryTime: 0,
      entryPrice: 1,
      entryReason: 'signal',
      exitTime: 60_000,
      exitPrice: 2,
      exitReason: 'signal',
      grossPnl: 1,
      fee: 0,
      netPnl: 1,
      margin: 1,
      roiPct: 100,
    } as TradeRecord;
    const trades = new TradeRepository(db);
    trades.insert('r', [trade]);
    expect(() => trades.insert('r', [trade])).toThrow(/UNIQUE constraint failed: trade_log/);
    // Another variant or run may reuse the id.
    trades.insert('r', [{ ...trade, variantId: 'w' }]);
    trades.insert('r2', [trade]);
    expect(trades.list().map((t) => [t.runId, t.variantId])).toEqual([
      ['r', 'v'],
      ['r', 'w'],
      ['r2', 'v'],
    ]);
    const signal: SignalRecord = {
      variantId: 'v',
      time: 0,
      rule: 'entryLong',
      action: 'entry',
      orderId: null,
      termTexts: [],
      termValues: [],
    };
    const signals = new SignalRepository(db);
    signals.insert('r', [signal], 0);
    expect(() => signals.insert('r', [signal], 0)).toThrow(/UNIQUE constraint failed: signal_log/);
    const order: OrderRecord = {
      variantId: 'v',
      orderId: 1,
      time: null,
      status: 'submitted',
      kind: null,
      side: null,
      reason: 'r',
      rejectReason: null,
      message: null,
    };
    const orders = new OrderRepository(db);
    orders.insert('r', [order], 0);
    expect(() => orders.insert('r', [order], 0)).toThrow(/UNIQUE constraint failed: order_log/);
    // A failed batch stored none of its rows.
    expect(db.prepare('SELECT COUNT(*) FROM order_log').pluck().get()).toBe(1);
    db.close();
  });

  it('when more records than one multi-row INSERT holds are written then all arrive in order, and a later snapshot of a bar replaces the earlier', () => {
    const db = openDatabase({ path: tempFile() });
    for (const n of [0, 1, 63, 64, 65, 129, 200]) {
      const runId = `run-${n}`;
      const writer = new EngineRecordWriter(db, runId, { maxBuffered: Number.POSITIVE_INFINITY });
      const signals: SignalRecord[] = Array.from({ length: n }, (_, i) => ({
        variantId: `v${i % 7}`,
        time: i * 60_000,
        rule: i % 2 === 0 ? 'entryLong' : 'exitLong',
        action: i % 2 === 0 ? 'entry' : 'exit',
        orderId: i % 3 === 0 ? null : i,
        termTexts: [`t${i}`],
        termValues: [i / 7],
      }));
      signals.forEach((s) => writer.onSignal(s));
      writer.flush();
      const stored = new SignalRepository(db).list(runId);
      // The list is by variant, then by when it fired.
      const expected = [...signals].sort(
        (a, b) => a.variantId.localeCompare(b.variantId) || a.time - b.time,
      );
      expect(stored).toEqual(expected);
    }
    const snap = (equity: number): MetricSnapshot => ({ equity }) as unknown as MetricSnapshot;
    const writer = new EngineRecordWriter(db, 'snap-run');
    writer.onSnapshot('v', 60_000, snap(1));
    writer.onSnapshot('v', 60_000, snap(2));
    writer.flush();
    writer.onSnapshot('v', 60_000, snap(3));
    writer.flush();
    expect(new MetricSnapshotRepository(db).latest('snap-run', 'v')).toEqual({
      runId: 'snap-run',
      variantId: 'v',
      time: 60_000,
      snapshot: { equity: 3 },
    });
    expect(
      db.prepare(`SELECT COUNT(*) FROM metric_snapshots WHERE run_id = 'snap-run'`).pluck().get(),
    ).toBe(1);
    db.close();
  });

  it('when the transaction around a flush rolls back then the next flush stores its records under keys that exist', () => {
    const path = tempFile();
    const db = openDatabase({ path });
    const writer = new EngineRecordWriter(db, 'live-9', { maxBuffered: Number.POSITIVE_INFINITY });
    const signal = (variantId: string, time: number): SignalRecord => ({
      variantId,
      time,
      rule: 'entryLong',
      action: 'entry',
      orderId: null,
      termTexts: ['rsi'],
      termValues: [time],
    });
    writer.onSignal(signal('a', 1));
    // The live engine flushes inside its checkpoint transaction; here that transaction fails after.
    expect(() =>
      db.transaction(() => {
        writer.flush();
        throw new Error('checkpoint failed');
      })(),
    ).toThrow('checkpoint failed');
    expect(db.prepare('SELECT COUNT(*) FROM record_variants').pluck().get()).toBe(0);
    writer.onSignal(signal('a', 2));
    writer.onSignal(signal('b', 3));
    writer.flush();
    db.close();
    const reopened = openDatabase({ path });
    expect(new SignalRepository(reopened).list('live-9').map((s) => [s.variantId, s.time])).toEqual(
      [
        ['a', 2],
        ['b', 3],
      ],
    );
    reopened.close();
  });
});

describe('migration 7: signal terms apart from their texts (real SQLite file)', () => {
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('when signals stored with their texts are migrated then the view, the reader and later writes give exactly what they did', () => {
    const d = makeTempDir('parallax-signal-migration-');
    dirs.push(d);
    const path = join(d.path, 'parallax.sqlite');
    const old = openDatabase({ path, migrations: MIGRATIONS.filter((m) => m.version < 7) });
    expect(schemaVersion(old)).toBe(6);
    // As the version-6 writer stored them: every term's text beside its value, in one JSON text.
    const insert = old.prepare(
      `INSERT INTO signal_log (run, stream, seq, time, rule, action, order_id, terms)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
    );
    old.exec(`INSERT INTO record_runs (run, run_id) VALUES (1, 'r1');
      INSERT INTO record_variants (stream, run, variant_id) VALUES (1, 1, 'a'), (2, 1, 'b')`);
    const entryTexts = ['rsi(close, 14) < 30', 'ema_fast', 'é"x\\/\n'];
    const values = [
      [0.1 + 0.2, 1e-7, -12_345.678_9],
      [Number.NaN, 1e21, -0],
      [43_000.5, Number.POSITIVE_INFINITY, 5e-324],
    ];
    const oldTerms = (texts: string[], vs: number[]): string =>
      JSON.stringify(texts.map((text, i) => ({ text, value: vs[i] })));
    for (let seq = 0; seq < 6; seq++) {
      const entry = seq % 2 === 0;
      insert.run(
        (seq % 2) + 1,
        seq,
        60_000 * seq,
        entry ? 'entryLong' : 'exitLong',
        entry ? 'entry' : 'conflict',
        entry ? seq + 1 : null,
        entry ? oldTerms(entryTexts, values[seq % 3]!) : '[]',
      );
    }
    const viewBefore = old.prepare('SELECT * FROM signals ORDER BY seq').all();
    const readBefore = new SignalRepository(old).list('r1');
    old.close();

    const db = openDatabase({ path });
    expect(schemaVersion(db)).toBe(7);
    // The `terms` column rebuilt byte for byte: numbers as they were written, NaN and ∞ as null.
    expect(db.prepare('SELECT * FROM signals ORDER BY seq').all()).toEqual(viewBefore);
    expect(new SignalRepository(db).list('r1')).toEqual(readBefore);
    expect(readBefore[0]!.termValues).toEqual([0.30000000000000004, 1e-7, -12_345.678_9]);
    // One row per distinct list of texts (the empty one included), not one per signal.
    expect(
      db.prepare('SELECT texts FROM signal_term_texts ORDER BY texts_id').pluck().all(),
    ).toEqual([JSON.stringify(entryTexts), '[]']);

    // A restarted writer goes on: same texts, same key; its signals read back as written.
    const writer = new EngineRecordWriter(db, 'r1', { continueRun: true });
    const later: SignalRecord = {
      variantId: 'b',
      time: 600_000,
      rule: 'entryLong',
      action: 'entry',
      orderId: 7,
      termTexts: entryTexts,
      termValues: [1.5, -2.25, 3e-9],
    };
    writer.onSignal(later);
    writer.flush();
    expect(db.prepare('SELECT COUNT(*) FROM signal_term_texts').pluck().get()).toBe(2);
    expect(new SignalRepository(db).list('r1', 'b').at(-1)).toEqual(later);
    expect(db.prepare(`SELECT seq, terms FROM signals WHERE seq = 6`).get()).toEqual({
      seq: 6,
      terms: oldTerms(entryTexts, later.termValues as number[]),
    });
    db.close();
  });
});
