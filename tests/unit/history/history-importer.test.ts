import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryImporter } from '../../../src/core/history/history-importer';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { TestClock } from '../../../src/core/time/clock';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

describe('HistoryImporter (real SQLite file)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  const setup = (): { db: Db; importer: HistoryImporter; repo: CandleRepository; path: string } => {
    const dir = makeTempDir();
    const path = join(dir.path, 'parallax.sqlite');
    const db = openDatabase({ path });
    cleanups.push(() => db.open && db.close(), dir.remove);
    const repo = new CandleRepository(db);
    return {
      db,
      repo,
      importer: new HistoryImporter(db, repo, new TestClock(1_700_000_000_000)),
      path,
    };
  };
  const btc = (): Uint8Array =>
    readFileSync(sharedDataPath('candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz'));
  const countRows = (db: Db): { candles: number; imports: number } => ({
    candles: db.prepare('SELECT COUNT(*) FROM candles').pluck().get() as number,
    imports: db.prepare('SELECT COUNT(*) FROM history_imports').pluck().get() as number,
  });

  it('when a real file is imported then every bar is stored under the series named by the file', () => {
    const { importer, repo } = setup();
    const report = importer.importFile({
      fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz',
      bytes: btc(),
    });
    expect(report).toMatchObject({
      series: { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' },
      rows: 30_240,
      inserted: 30_240,
      alreadyStored: 0,
      firstTime: Date.UTC(2023, 2, 1),
      lastTime: Date.UTC(2023, 2, 21, 23, 59),
    });
    const last = repo.last(report.series, 1)[0]!;
    expect(last.time).toBe(Date.UTC(2023, 2, 21, 23, 59));
    expect(repo.count(report.series)).toBe(30_240);
  });

  it('when the same file is imported twice then nothing is stored twice', () => {
    const { importer, db } = setup();
    importer.importFile({ fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz', bytes: btc() });
    const again = importer.importFile({
      fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz',
      bytes: btc(),
    });
    expect(again.inserted).toBe(0);
    expect(again.alreadyStored).toBe(30_240);
    expect(countRows(db).candles).toBe(30_240);
  });

  it('when a file has a bad row then the database is left exactly as it was', () => {
    const { importer, db } = setup();
    importer.importFile({
      fileName: 'kraken_XBTUSDT_1440_2023Q1.csv.gz',
      bytes: readFileSync(sharedDataPath('candles/kraken_XBTUSDT_1440_2023Q1.csv.gz')),
    });
    const before = countRows(db);
    const lines = gunzipSync(btc()).toString('utf8').split('\n');
    lines[20_000] = lines[20_000]!.replace(/,([0-9.]+),/, ',oops,');
    expect(() =>
      importer.importFile({
        fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv',
        bytes: Buffer.from(lines.join('\n')),
      }),
    ).toThrow(/binanceus_BTCUSDT_1m_2023-03-01_21.csv:20001: open is not a number: "oops"/);
    expect(countRows(db)).toEqual(before);
  });

  it('when the name says nothing and no series is given then the error asks for one', () => {
    const { importer } = setup();
    const text =
      'time,open,high,low,close,volume\n1678730400000,1,2,0.5,1.5,3\n1678730700000,1,2,0.5,1.5,3\n';
    expect(() => importer.importFile({ fileName: 'prices.csv', bytes: Buffer.from(text) })).toThrow(
      /cannot tell the exchange and symbol/,
    );
    const report = importer.importFile({
      fileName: 'prices.csv',
      bytes: Buffer.from(text),
      exchange: 'Kraken',
      symbol: 'ethusd',
    });
    expect(report.series).toEqual({ exchange: 'kraken', symbol: 'ETH/USD', timeframe: '5m' });
  });

  it('when the process dies after an import then a reopened database has all of it', () => {
    const { importer, db, path } = setup();
    importer.importFile({ fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz', bytes: btc() });
    db.close();
    const reopened = openDatabase({ path });
    cleanups.push(() => reopened.close());
    expect(
      new CandleRepository(reopened).count({
        exchange: 'binanceus',
        symbol: 'BTC/USDT',
        timeframe: '1m',
      }),
    ).toBe(30_240);
  });
});
