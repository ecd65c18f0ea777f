import type { Candle, SeriesKey, SeriesSummary, Timeframe } from '../../shared/market';
import type { Db } from './database';

interface CandleRow {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const toCandle = (r: CandleRow): Candle => ({
  time: r.open_time,
  open: r.open,
  high: r.high,
  low: r.low,
  close: r.close,
  volume: r.volume,
});

/** Stored bars, keyed by (exchange, symbol, timeframe, open time). */
export class CandleRepository {
  private readonly insertStmt;
  private readonly rangeAscStmt;
  private readonly lastStmt;
  private readonly seriesStmt;
  private readonly countStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO candles (exchange, symbol, timeframe, open_time, open, high, low, close, volume)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.rangeAscStmt = db.prepare(
      `SELECT open_time, open, high, low, close, volume FROM candles
       WHERE exchange = ? AND symbol = ? AND timeframe = ? AND open_time >= ? AND open_time <= ?
       ORDER BY open_time ASC LIMIT ?`,
    );
    this.lastStmt = db.prepare(
      `SELECT open_time, open, high, low, close, volume FROM candles
       WHERE exchange = ? AND symbol = ? AND timeframe = ? AND open_time <= ?
       ORDER BY open_time DESC LIMIT ?`,
    );
    this.countStmt = db.prepare(
      `SELECT COUNT(*) AS n FROM candles
       WHERE exchange = ? AND symbol = ? AND timeframe = ? AND open_time >= ? AND open_time <= ?`,
    );
    this.seriesStmt = db.prepare(
      `SELECT exchange, symbol, timeframe, COUNT(*) AS count, MIN(open_time) AS firstTime, MAX(open_time) AS lastTime
       FROM candles GROUP BY exchange, symbol, timeframe ORDER BY exchange, symbol, timeframe`,
    );
  }

  /**
   * Stores bars that are not stored yet; a bar already stored for the same key is left as it was.
   * Call inside a transaction for batches. Returns how many rows were new.
   */
  public insert(series: SeriesKey, candles: Iterable<Candle>): number {
    let inserted = 0;
    for (const c of candles) {
      inserted += this.insertStmt.run(
        series.exchange,
        series.symbol,
        series.timeframe,
        c.time,
        c.open,
        c.high,
        c.low,
        c.close,
        c.volume,
      ).changes;
    }
    return inserted;
  }

  /** Bars with open time in [from, to], oldest first, at most `limit`. */
  public range(series: SeriesKey, from: number, to: number, limit: number): Candle[] {
    const rows = this.rangeAscStmt.all(
      series.exchange,
      series.symbol,
      series.timeframe,
      from,
      to,
      limit,
    ) as CandleRow[];
    return rows.map(toCandle);
  }

  /** The newest `limit` bars with open time ≤ `to`, oldest first. */
  public last(series: SeriesKey, limit: number, to = Number.MAX_SAFE_INTEGER): Candle[] {
    const rows = this.lastStmt.all(
      series.exchange,
      series.symbol,
      series.timeframe,
      to,
      limit,
    ) as CandleRow[];
    return rows.reverse().map(toCandle);
  }

  /** Iterates a range lazily, oldest first, without loading it all. */
  public *iterate(
    series: SeriesKey,
    from = 0,
    to = Number.MAX_SAFE_INTEGER,
    pageSize = 10_000,
  ): Generator<Candle> {
    let cursor = from;
    for (;;) {
      const page = this.range(series, cursor, to, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      cursor = page[page.length - 1]!.time + 1;
    }
  }

  public count(series: SeriesKey, from = 0, to = Number.MAX_SAFE_INTEGER): number {
    const row = this.countStmt.get(series.exchange, series.symbol, series.timeframe, from, to) as {
      n: number;
    };
    return row.n;
  }

  public listSeries(): SeriesSummary[] {
    const rows = this.seriesStmt.all() as Array<SeriesSummary & { timeframe: Timeframe }>;
    return rows.map((r) => ({ ...r }));
  }

  public transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
