import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderRecord, TradeRecord } from '../../../src/core/engine/engine-records';
import { AlertRepository } from '../../../src/core/store/alert-repository';
import { AppSettingRepository } from '../../../src/core/store/app-setting-repository';
import { openDatabase, schemaVersion } from '../../../src/core/store/database';
import { EngineRecordWriter } from '../../../src/core/store/engine-record-writer';
import { LiveTradeRepository } from '../../../src/core/store/live-trade-repository';
import {
  parameterKey,
  TrialLedgerRepository,
} from '../../../src/core/store/trial-ledger-repository';
import { makeTempDir } from '../../stubs/temp-dir';

const dir = makeTempDir('parallax-variant-store-');
afterAll(() => dir.remove());

function trade(
  variantId: string,
  tradeId: number,
  exitTime: number,
  side: 'long' | 'short',
): TradeRecord {
  return {
    variantId,
    tradeId,
    side,
    quantity: 0.5,
    leverage: 1,
    entryTime: exitTime - 60_000,
    entryPrice: 100,
    entryReason: 'signal',
    exitTime,
    exitPrice: 101,
    exitReason: side === 'long' ? 'signal' : 'kill',
    grossPnl: 0.5,
    fee: 0.1,
    netPnl: 0.4,
    margin: 50,
    roiPct: 0.8,
  } as TradeRecord;
}

describe('the variant manager tables', () => {
  const db = openDatabase({ path: join(dir.path, 'store.sqlite') });
  afterAll(() => db.close());

  it('when a new file is opened then migration 4 adds the strategy, variant, ledger, audit, alert and setting tables', () => {
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(4);
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'live_strategies',
        'live_variants',
        'trial_ledger',
        'promotion_audit',
        'alerts',
        'app_settings',
      ]),
    );
  });

  it('when the same parameter set is added twice, in any key order, then the ledger holds it once with its latest Sharpe', () => {
    const ledger = new TrialLedgerRepository(db);
    expect(parameterKey({ b: 2, a: 'x' })).toBe(parameterKey({ a: 'x', b: 2 }));
    expect(ledger.add('template:t', { fast: 9, slow: 21 }, 'live', 1_000)).toBe(true);
    expect(ledger.add('template:t', { slow: 21, fast: 9 }, 'backtest', 2_000, 0.05)).toBe(false);
    expect(ledger.add('template:t', { fast: 10, slow: 21 }, 'backtest', 3_000, -0.01)).toBe(true);
    expect(ledger.add('template:other', { fast: 9, slow: 21 }, 'live', 4_000)).toBe(true);
    expect(ledger.list('template:t')).toEqual([
      {
        ledgerKey: 'template:t',
        parameterKey: parameterKey({ fast: 9, slow: 21 }),
        parameters: { fast: 9, slow: 21 },
        source: 'live',
        firstSeen: 1_000,
        perPeriodSharpe: 0.05,
      },
      {
        ledgerKey: 'template:t',
        parameterKey: parameterKey({ fast: 10, slow: 21 }),
        parameters: { fast: 10, slow: 21 },
        source: 'backtest',
        firstSeen: 3_000,
        perPeriodSharpe: -0.01,
      },
    ]);
  });

  it('when alerts are listed with a limit then the newest ones come, oldest first', () => {
    const alerts = new AlertRepository(db);
    for (let i = 1; i <= 5; i++) {
      alerts.insert({
        time: i,
        kind: 'safety-stop',
        severity: 'warning',
        message: `alert ${i}`,
        strategyId: 's1',
        variantId: null,
      });
    }
    expect(alerts.list(3).map((a) => a.message)).toEqual(['alert 3', 'alert 4', 'alert 5']);
    expect(alerts.list(3)[0]).toMatchObject({ alertId: 3, kind: 'safety-stop', variantId: null });
  });

  it('when a setting is written twice then the second value is read back', () => {
    const settings = new AppSettingRepository(db);
    expect(settings.get('feed.selection')).toBeUndefined();
    settings.set('feed.selection', { kind: 'simulated', seed: 1 });
    settings.set('feed.selection', { kind: 'simulated', seed: 2 });
    expect(settings.get('feed.selection')).toEqual({ kind: 'simulated', seed: 2 });
  });

  it('when a strategy writes again after a restart then order sequence numbers continue instead of colliding', () => {
    const order = (orderId: number): OrderRecord => ({
      variantId: 's9-main',
      orderId,
      time: orderId,
      status: 'submitted',
      kind: 'entry',
      side: 'long',
      reason: 'signal',
      rejectReason: null,
      message: null,
    });
    const first = new EngineRecordWriter(db, 's9', { maxBuffered: Number.POSITIVE_INFINITY });
    first.onOrder(order(1));
    first.onOrder(order(2));
    expect(first.buffered).toBe(2);
    first.flush();
    const second = new EngineRecordWriter(db, 's9', { continueRun: true });
    second.onOrder(order(3));
    second.flush();
    const seqs = db
      .prepare(`SELECT seq, order_id FROM orders WHERE run_id = 's9' ORDER BY seq`)
      .all();
    expect(seqs).toEqual([
      { seq: 0, order_id: 1 },
      { seq: 1, order_id: 2 },
      { seq: 2, order_id: 3 },
    ]);
  });

  it('when live trades are filtered then strategy, role, side, exit reason and time narrow them, and the CSV carries the role', () => {
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
    const writer = new EngineRecordWriter(db, 's1');
    writer.onTrade(trade('s1-main', 1, 120_000, 'long'));
    writer.onTrade(trade('s1-v1', 1, 60_000, 'short'));
    writer.onTrade(trade('s1-v1', 2, 180_000, 'long'));
    writer.flush();
    // A backtest's trade of a variant with the same id is not a live trade.
    const backtest = new EngineRecordWriter(db, 'backtest-1');
    backtest.onTrade(trade('s1-v1', 9, 1, 'long'));
    backtest.flush();
    const repo = new LiveTradeRepository(db);
    const ids = (f: Parameters<LiveTradeRepository['list']>[0]): string[] =>
      repo.list(f).map((t) => `${t.variantId}#${t.tradeId}`);
    expect(ids({})).toEqual(['s1-v1#1', 's1-main#1', 's1-v1#2']);
    expect(ids({ role: 'main' })).toEqual(['s1-main#1']);
    expect(ids({ role: 'variant', side: 'long' })).toEqual(['s1-v1#2']);
    expect(ids({ exitReason: 'kill' })).toEqual(['s1-v1#1']);
    expect(ids({ from: 100_000, to: 180_000 })).toEqual(['s1-main#1', 's1-v1#2']);
    expect(ids({ strategyId: 's2' })).toEqual([]);
    expect(repo.list({}, 1)).toHaveLength(1);
    const csv = LiveTradeRepository.toCsv(repo.list({ role: 'main' }))
      .trimEnd()
      .split('\n');
    expect(csv[0]!.split(',').at(-1)).toBe('role');
    expect(csv[1]).toMatch(/^s1,s1-main,1,long,.*,main$/);
  });
});
