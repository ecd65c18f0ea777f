import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, schemaVersion } from '../../../src/core/store/database';
import { MIGRATIONS } from '../../../src/core/store/migrations';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { makeTempDir } from '../../stubs/temp-dir';
import { join } from 'node:path';

describe('database and migrations (real SQLite file)', () => {
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const tempFile = (): string => {
    const d = makeTempDir();
    dirs.push(d);
    return join(d.path, 'nested', 'parallax.sqlite');
  };

  it('when a new file is opened then it is created in WAL mode at the newest schema version', () => {
    const path = tempFile();
    const db = openDatabase({ path });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['candles', 'history_imports', 'schema_migrations']),
    );
    db.close();
  });

  it('when reopened then no migration runs twice and data survives', () => {
    const path = tempFile();
    const db1 = openDatabase({ path });
    new CandleRepository(db1).insert({ exchange: 'x', symbol: 'A/B', timeframe: '1m' }, [
      { time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
    ]);
    db1.close();
    const db2 = openDatabase({ path });
    expect(db2.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(
      MIGRATIONS.length,
    );
    expect(db2.prepare('SELECT COUNT(*) FROM candles').pluck().get()).toBe(1);
    db2.close();
  });

  it('when a migration fails then the schema version and tables stay as they were', () => {
    const path = tempFile();
    openDatabase({ path }).close();
    const db = new Database(path);
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE t_ok (a INTEGER); CREATE TABLE oops (' },
    ];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 't_ok'").pluck().get()).toBe(
      0,
    );
    db.close();
  });

  it('when the file was written by a newer build then opening refuses instead of corrupting it', () => {
    const path = tempFile();
    const db = openDatabase({
      path,
      migrations: [...MIGRATIONS, { version: 500, name: 'future', sql: 'SELECT 1' }],
    });
    db.close();
    expect(() => openDatabase({ path })).toThrow(/schema v500 is newer than this build knows/);
  });

  it('the candles key is (exchange, symbol, timeframe, open time): the same bar is stored once', () => {
    const db = openDatabase({ path: tempFile() });
    const repo = new CandleRepository(db);
    const s = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' as const };
    const bar = { time: 120_000, open: 1, high: 1, low: 1, close: 1, volume: 0 };
    expect(repo.insert(s, [bar, bar])).toBe(1);
    expect(repo.insert({ ...s, timeframe: '5m' }, [bar])).toBe(1);
    expect(repo.insert({ ...s, symbol: 'ETH/USDT' }, [bar])).toBe(1);
    expect(repo.count(s)).toBe(1);
    db.close();
  });
});
