import type { VariantRow, VariantStatus } from '../../../shared/variants';
import { naturalCompare } from '../layout/natural-order';
import type { LeaderboardSort, SortDirection, SortKey } from './variants-slice';

/** One sortable column of the leaderboard (data, not a switch). */
export interface LeaderboardColumn {
  key: SortKey;
  label: string;
  /** The header's tooltip: what the number is. */
  title: string;
  numeric: boolean;
  /** Where a first click starts: best first (low drawdown, high everything else). */
  firstDirection: SortDirection;
  /** What the column sorts by; null (not measured yet) sorts last either way. */
  value(row: VariantRow): number | string | null;
}

const STATUS_ORDER: Record<VariantStatus, number> = {
  running: 0,
  warming: 1,
  paused: 2,
  stopped: 3,
  error: 4,
};

export const LEADERBOARD_COLUMNS: readonly LeaderboardColumn[] = [
  {
    key: 'variant',
    label: 'Variant',
    title: 'Strategy and variant; main trades at full size',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => `${r.role === 'main' ? '0' : '1'}${r.strategyName}\u0000${r.variantId}`,
  },
  {
    key: 'roi',
    label: 'ROI',
    title: 'Return on the paper account since the variant started, percent',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => r.metrics.roiPct,
  },
  {
    key: 'sharpe',
    label: 'Sharpe',
    title: 'Annualised Sharpe ratio of per-bar returns',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => r.metrics.sharpe,
  },
  {
    key: 'dsr',
    label: 'DSR',
    title: 'Deflated Sharpe ratio: probability the Sharpe beats what chance gives over all trials',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => r.metrics.dsr,
  },
  {
    key: 'maxDrawdown',
    label: 'Max DD',
    title: 'Maximum drawdown from a peak of equity',
    numeric: true,
    firstDirection: 'asc',
    value: (r) => r.metrics.maxDrawdown,
  },
  {
    key: 'winRate',
    label: 'Win rate',
    title: 'Closed trades with a positive net P&L',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => r.metrics.winRate,
  },
  {
    key: 'profitFactor',
    label: 'PF',
    title: 'Profit factor: gross profit / gross loss (∞ with no losing trade)',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => (r.metrics.profitFactorInfinite ? Infinity : r.metrics.profitFactor),
  },
  {
    key: 'trades',
    label: 'Trades',
    title: 'Closed trades',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => r.metrics.tradeCount,
  },
  {
    key: 'status',
    label: 'Status',
    title: 'warming, running, paused, stopped or error (hover for the reason)',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => STATUS_ORDER[r.status],
  },
  {
    key: 'mode',
    label: 'Mode',
    title: 'paper (simulated fills) or real',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => r.mode,
  },
  {
    key: 'candidate',
    label: 'Candidate',
    title: 'Promotion candidate: ≥ 50 trades, DSR ≥ 0.95 and a higher Sharpe than main',
    numeric: false,
    firstDirection: 'desc',
    value: (r) => (r.promotion === null ? null : r.promotion.isCandidate ? 1 : 0),
  },
];

const BY_KEY = new Map(LEADERBOARD_COLUMNS.map((c) => [c.key, c]));

export function defaultDirection(key: SortKey): SortDirection {
  return BY_KEY.get(key)?.firstDirection ?? 'desc';
}

/** The rows in the leaderboard's order; ties keep a stable order by variant id. */
export function sortVariants(rows: readonly VariantRow[], sort: LeaderboardSort): VariantRow[] {
  const column = BY_KEY.get(sort.key);
  if (column === undefined) return [...rows];
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, v: column.value(row) }));
  keyed.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    if (av === null || bv === null || Number.isNaN(av) || Number.isNaN(bv)) {
      const an = av === null || Number.isNaN(av);
      const bn = bv === null || Number.isNaN(bv);
      if (an !== bn) return an ? 1 : -1;
    } else if (av !== bv) {
      const c =
        typeof av === 'number' && typeof bv === 'number'
          ? av < bv
            ? -1
            : 1
          : naturalCompare(String(av), String(bv));
      return c * sign;
    }
    return naturalCompare(a.row.variantId, b.row.variantId);
  });
  return keyed.map((k) => k.row);
}
