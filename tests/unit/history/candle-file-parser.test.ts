import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CandleFileError,
  decodeCandleBytes,
  parseCandleFile,
  parseIsoTime,
} from '../../../src/core/history/candle-file-parser';
import { guessSeriesFromFileName } from '../../../src/core/history/series-naming';
import { sharedDataPath } from '../../support/shared-data';

/** Row counts, timeframes and first bars as ../shared/data/README.md and the files state them. */
const FILES = [
  {
    file: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz',
    rows: 30_240,
    tf: '1m',
    format: 'csv-header',
    first: '2023-03-01T00:00:00.000Z',
    firstOpen: 23140.48,
    gaps: 0,
  },
  {
    file: 'binance-um_FILUSDT-1m-2023-08.csv.gz',
    rows: 44_640,
    tf: '1m',
    format: 'binance-archive',
    first: '2023-08-01T00:00:00.000Z',
    firstOpen: 4.255,
    gaps: 0,
  },
  {
    file: 'ftx_btc-perp_1m_2022-01.csv.gz',
    rows: 45_031,
    tf: '1m',
    format: 'csv-header',
    first: '2021-12-31T23:01:00.000Z',
    firstOpen: 46319,
    gaps: 0,
  },
  {
    file: 'kraken_XBTUSDT_60_2023Q1.csv.gz',
    rows: 2_160,
    tf: '1h',
    format: 'kraken-ohlcvt',
    first: '2023-01-01T00:00:00.000Z',
    firstOpen: 16540.3,
    gaps: 0,
  },
  {
    file: 'kraken_XBTUSDT_5_2023Q1.csv.gz',
    rows: 24_945,
    tf: '5m',
    format: 'kraken-ohlcvt',
    first: '2023-01-01T00:00:00.000Z',
    firstOpen: 16540.3,
    gaps: 25_920 - 24_945,
  },
  {
    file: 'kraken_XBTUSDT_1440_2023Q1.csv.gz',
    rows: 90,
    tf: '1d',
    format: 'kraken-ohlcvt',
    first: '2023-01-01T00:00:00.000Z',
    firstOpen: 16540.3,
    gaps: 0,
  },
  {
    file: 'kraken_XBTUSDT_720_2023Q1.csv.gz',
    rows: 180,
    tf: '12h',
    format: 'kraken-ohlcvt',
    first: '2023-01-01T00:00:00.000Z',
    firstOpen: 16540.3,
    gaps: 0,
  },
  {
    file: 'coinbase_ETH-USD_1d_2016-05_2026-03.csv.gz',
    rows: 3_582,
    tf: '1d',
    format: 'csv-header',
    first: '2016-05-18T00:00:00.000Z',
    firstOpen: 12.5,
    gaps: undefined,
  },
  {
    file: 'binanceus_ETH-USD_5m_2023-03-13_15.csv.gz',
    rows: 580,
    tf: '5m',
    format: 'csv-header',
    first: '2023-03-13T18:00:00.000Z',
    firstOpen: 1673.58,
    gaps: undefined,
  },
] as const;

describe('parseCandleFile on every format in ../shared/data/candles', () => {
  for (const f of FILES) {
    it(`reads ${f.file}: ${f.rows} rows of ${f.tf} (${f.format})`, () => {
      const parsed = parseCandleFile(
        f.file,
        decodeCandleBytes(readFileSync(sharedDataPath(`candles/${f.file}`))),
      );
      expect(parsed.candles).toHaveLength(f.rows);
      expect(parsed.timeframe).toBe(f.tf);
      expect(parsed.format).toBe(f.format);
      expect(new Date(parsed.candles[0]!.time).toISOString()).toBe(f.first);
      expect(parsed.candles[0]!.open).toBe(f.firstOpen);
      if (f.gaps !== undefined) expect(parsed.gaps).toBe(f.gaps);
    });
  }

  it('reads the same file the same way gzip-compressed or plain', () => {
    const gz = readFileSync(sharedDataPath('candles/kraken_XBTUSDT_60_2023Q1.csv.gz'));
    const plain = Buffer.from(decodeCandleBytes(gz));
    expect(plain[0]).not.toBe(0x1f);
    const a = parseCandleFile('a.csv.gz', decodeCandleBytes(gz));
    const b = parseCandleFile('a.csv', decodeCandleBytes(plain));
    expect(b.candles).toEqual(a.candles);
  });
});

describe('parseCandleFile timestamps', () => {
  const rows = (times: string[]): string =>
    times.map((t, i) => `${t},${10 + i},${11 + i},${9 + i},${10.5 + i},1`).join('\n');

  it('tells epoch seconds, milliseconds and microseconds apart by magnitude', () => {
    const s = parseCandleFile('s.csv', rows(['1672531200', '1672531260']));
    const ms = parseCandleFile('ms.csv', rows(['1672531200000', '1672531260000']));
    const us = parseCandleFile('us.csv', rows(['1672531200000000', '1672531260000000']));
    expect(s.candles.map((c) => c.time)).toEqual([1672531200000, 1672531260000]);
    expect(ms.candles).toEqual(s.candles);
    expect(us.candles).toEqual(s.candles);
  });

  it('reads ISO times with and without a zone; no zone means UTC', () => {
    expect(parseIsoTime('2023-03-01 00:00:00+00:00')).toBe(Date.UTC(2023, 2, 1));
    expect(parseIsoTime('2021-12-31 23:01:00.000000')).toBe(Date.UTC(2021, 11, 31, 23, 1));
    expect(parseIsoTime('2023-03-01T02:00:00+02:00')).toBe(Date.UTC(2023, 2, 1));
    expect(parseIsoTime('2023-03-01T00:00:00Z')).toBe(Date.UTC(2023, 2, 1));
    expect(parseIsoTime('2023-03-01')).toBe(Date.UTC(2023, 2, 1));
    expect(parseIsoTime('yesterday')).toBeUndefined();
  });
});

describe('parseCandleFile refuses bad rows with file and line', () => {
  const header = 'time,open,high,low,close,volume';
  const good = [
    '1678730400000,1673.58,1677.62,1672.44,1672.99,65.3',
    '1678730700000,1673.04,1673.04,1665.4,1670.41,147.3',
  ];
  const expectIssue = (text: string, line: number, message: RegExp): void => {
    let error: unknown;
    try {
      parseCandleFile('bad.csv', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CandleFileError);
    const issue = (error as CandleFileError).issues[0]!;
    expect(issue.line).toBe(line);
    expect(issue.message).toMatch(message);
    expect((error as Error).message).toContain(`bad.csv:${line}:`);
  };

  it('a price that is not a number', () =>
    expectIssue(
      [header, good[0], '1678731000000,abc,1,1,1,1'].join('\n'),
      3,
      /open is not a number: "abc"/,
    ));
  it('an empty field (Number("") would be 0)', () =>
    expectIssue(
      [header, good[0], '1678731000000,,1,1,1,1'].join('\n'),
      3,
      /open is not a number: ""/,
    ));
  it('a high below the close', () =>
    expectIssue(
      [header, good[0], '1678731000000,10,10.5,9,11,1'].join('\n'),
      3,
      /inconsistent bar/,
    ));
  it('a missing column', () =>
    expectIssue(
      [header, good[0], '1678731000000,10,10.5,9,11'].join('\n'),
      3,
      /expected 6 columns, found 5/,
    ));
  it('a repeated time', () =>
    expectIssue(
      [header, good[0], good[0]].join('\n'),
      3,
      /duplicate time 2023-03-13T18:00:00.000Z/,
    ));
  it('time going backwards', () =>
    expectIssue([header, good[1], good[0]].join('\n'), 3, /time goes backwards/));
  it('a negative volume', () =>
    expectIssue(
      [header, good[0], '1678731000000,10,11,9,10,-1'].join('\n'),
      3,
      /volume is negative/,
    ));
  it('a zero price', () =>
    expectIssue(
      [header, good[0], '1678731000000,0,11,0,10,1'].join('\n'),
      3,
      /prices must be positive/,
    ));
  it('an unreadable time', () =>
    expectIssue(
      [header, good[0], 'soon,10,11,9,10,1'].join('\n'),
      3,
      /time is not an ISO date or epoch number/,
    ));
  it('a bar off the timeframe grid', () =>
    expectIssue(
      [header, ...good, '1678731030000,10,11,9,10,1'].join('\n'),
      4,
      /not on a 5m boundary/,
    ));
  it('a header without a close column', () =>
    expectIssue('time,open,high,low,volume\n1,2,3,4,5', 1, /header has no close column/));
  it('a blank line does not shift line numbers', () =>
    expectIssue([header, good[0], '', 'x,1,1,1,1,1'].join('\n'), 4, /time is not/));

  it('an empty file', () => {
    expect(() => parseCandleFile('empty.csv', '\n\n')).toThrow(/empty.csv: file is empty/);
  });

  it('counts every bad row, not just the first', () => {
    const text = [header, good[0], 'x,1,1,1,1,1', 'y,1,1,1,1,1', 'z,1,1,1,1,1'].join('\n');
    try {
      parseCandleFile('bad.csv', text);
      expect.unreachable();
    } catch (e) {
      expect((e as CandleFileError).totalIssues).toBe(3);
      expect((e as CandleFileError).issues.map((i) => i.line)).toEqual([3, 4, 5]);
    }
  });

  it('a gzip stream that is cut short is an error, not a crash', () => {
    const gz = gzipSync(Buffer.from([header, ...good].join('\n')));
    expect(() => decodeCandleBytes(gz.subarray(0, gz.length - 10))).toThrow();
  });
});

describe('series naming from file names', () => {
  it.each([
    ['binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz', 'binanceus', 'BTC/USDT'],
    ['binance-um_FILUSDT-1m-2023-08.csv.gz', 'binanceusdm', 'FIL/USDT:USDT'],
    ['kraken_XBTUSDT_60_2023Q1.csv.gz', 'kraken', 'BTC/USDT'],
    ['coinbase_BTC-USD_4h_2016-05_2025-10.csv.gz', 'coinbase', 'BTC/USD'],
    ['ftx_btc-perp_1m_2022-01.csv.gz', 'ftx', 'BTC/USD:USD'],
  ])('%s → %s %s', (file, exchange, symbol) => {
    expect(guessSeriesFromFileName(file)).toEqual({ exchange, symbol });
  });
});
