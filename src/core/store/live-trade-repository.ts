import type { LiveTradeFilter, LiveTradeRow, VariantRole } from '../../shared/variants';
import type { Db } from './database';
import {
  filterConditions,
  toTrade,
  tradeRow,
  tradesToCsv,
  type StoredTrade,
  type TradeTableRow,
} from './trade-repository';

/** A live trade with the strategy and role of its variant. */
export interface StoredLiveTrade extends StoredTrade {
  readonly strategyId: string;
  readonly role: VariantRole;
}

/** Each filter field and the SQL condition it adds. */
const CONDITIONS: ReadonlyArray<readonly [keyof LiveTradeFilter, string]> = [
  ['strategyId', 'v.strategy_id = ?'],
  ['variantId', 't.variant_id = ?'],
  ['role', 'v.role = ?'],
  ['side', 't.side = ?'],
  ['exitReason', 't.exit_reason = ?'],
  ['from', 't.exit_time >= ?'],
  ['to', 't.exit_time <= ?'],
];

/**
 * Closed trades of deployed strategies (main and variants apart by role), read from the same
 * `trades` table the engine writes (run_id = strategy id). Listing and export share one query,
 * so an export holds exactly the rows the list shows for the same filter.
 */
export class LiveTradeRepository {
  public constructor(private readonly db: Db) {}

  /** Trades of `filter`, in the order they closed (then strategy, variant, trade id). */
  public list(filter: LiveTradeFilter, limit?: number): StoredLiveTrade[] {
    const { where, args } = filterConditions(CONDITIONS, filter);
    where.unshift('t.run_id = v.strategy_id');
    const sql =
      `SELECT t.*, v.strategy_id AS strategy_id, v.role AS role FROM trades t
       JOIN live_variants v ON v.variant_id = t.variant_id
       WHERE ${where.join(' AND ')}
       ORDER BY t.exit_time, t.run_id, t.variant_id, t.trade_id` +
      (limit !== undefined ? ' LIMIT ?' : '');
    if (limit !== undefined) args.push(limit);
    const rows = this.db.prepare(sql).all(...args) as Array<
      TradeTableRow & { strategy_id: string; role: VariantRole }
    >;
    return rows.map((r) => ({ ...toTrade(r), strategyId: r.strategy_id, role: r.role }));
  }

  /**
   * CSV of `trades`: the backtest export's columns plus the role, the run's column named
   * `strategy_id` as the JSON's `strategyId` (a live run is its strategy).
   */
  public static toCsv(trades: readonly StoredLiveTrade[]): string {
    return tradesToCsv(trades, [{ column: 'role', value: (t) => t.role }], 'strategy_id');
  }
}

/** A stored live trade as the API carries it. */
export function liveTradeRow(t: StoredLiveTrade): LiveTradeRow {
  return { strategyId: t.strategyId, role: t.role, ...tradeRow(t) };
}
