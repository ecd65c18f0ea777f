import type { SeriesKey } from '../../../shared/market';
import type { Db } from '../../store/database';

/** An interval [from, to) of bar open times for which the exchange's own history has no bar. */
export interface VerifiedGap {
  from: number;
  to: number;
  verifiedAt: number;
}

/**
 * Where the exchange's own REST history is empty (Kraken, for one, omits intervals without
 * trades). Stored so a consumer can tell "no trades there" from "we are missing bars": a hole
 * in `candles` that is not covered here is missing data.
 */
export class ExchangeGapRepository {
  private readonly insertStmt;
  private readonly rangeStmt;
  private readonly coverStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR REPLACE INTO exchange_gaps (exchange, symbol, timeframe, from_time, to_time, verified_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.rangeStmt = db.prepare(
      `SELECT from_time AS "from", to_time AS "to", verified_at AS verifiedAt FROM exchange_gaps
       WHERE exchange = ? AND symbol = ? AND timeframe = ? AND to_time > ? AND from_time < ?
       ORDER BY from_time ASC`,
    );
    this.coverStmt = db.prepare(
      `SELECT 1 FROM exchange_gaps
       WHERE exchange = ? AND symbol = ? AND timeframe = ? AND from_time <= ? AND to_time >= ? LIMIT 1`,
    );
  }

  /** Records that the exchange has no bar with open time in [from, to). */
  public record(series: SeriesKey, from: number, to: number, verifiedAt: number): void {
    if (to <= from) return;
    this.insertStmt.run(series.exchange, series.symbol, series.timeframe, from, to, verifiedAt);
  }

  /** Verified-empty intervals overlapping [from, to), oldest first. */
  public range(series: SeriesKey, from = 0, to = Number.MAX_SAFE_INTEGER): VerifiedGap[] {
    return this.rangeStmt.all(
      series.exchange,
      series.symbol,
      series.timeframe,
      from,
      to,
    ) as VerifiedGap[];
  }

  /** True when one recorded interval covers all of [from, to). */
  public covers(series: SeriesKey, from: number, to: number): boolean {
    return (
      this.coverStmt.get(series.exchange, series.symbol, series.timeframe, from, to) !== undefined
    );
  }

  public transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
