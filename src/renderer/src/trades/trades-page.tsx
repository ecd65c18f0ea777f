import { useEffect, useMemo } from 'react';
import type { LiveTradeRow } from '../../../shared/variants';
import {
  formatAmount,
  formatMoney,
  formatPrice,
  formatQuantity,
  formatSignedPct,
  formatUtc,
} from '../layout/format';
import { PaperBadge } from '../layout/paper-badge';
import { useVirtualWindow } from '../layout/use-virtual-window';
import { useAppStore } from '../store/app-store';
import { exportTrades, tradesPageShown } from './trade-actions';
import { TradeFilters } from './trade-filters';
import { TRADES_LIMIT } from './trades-slice';

const ROW_HEIGHT = 26;

/** The export buttons: each writes exactly the filtered rows. */
const EXPORTS = [
  { format: 'csv', title: 'Save the filtered trades as CSV (opens in a spreadsheet)' },
  { format: 'json', title: 'Save the filtered trades as JSON' },
] as const;

/** Words for an empty table: a filter that matches nothing, or why nothing has traded yet. */
function useEmptyText(): string {
  const filtered = useAppStore((s) => Object.keys(s.tradeFilter).length > 0);
  const hasStrategies = useAppStore((s) => Object.keys(s.variants).length > 0);
  const warmUp = useAppStore((s) => {
    let most = 0;
    for (const v of Object.values(s.variants))
      if (v.status !== 'stopped' && v.status !== 'error') most = Math.max(most, v.warmUpBarsLeft);
    return most;
  });
  if (filtered) return 'No trades match this filter.';
  if (!hasStrategies) return 'No trades yet — deploy a strategy on the Dashboard (Alt+1) first.';
  if (warmUp > 0)
    return `No trades yet — variants need about ${warmUp.toLocaleString()} bars to warm up.`;
  return 'No trades yet — the variants are warm and waiting for their entry rules to fire.';
}

function Totals({ rows }: { rows: readonly LiveTradeRow[] }): React.JSX.Element {
  let gross = 0;
  let fee = 0;
  let net = 0;
  for (const r of rows) {
    gross += r.grossPnl;
    fee += r.fee;
    net += r.netPnl;
  }
  return (
    <span className="trade-totals" data-testid="trades-totals">
      gross {formatMoney(gross)} · fees {formatAmount(fee)} ·{' '}
      <strong className={net >= 0 ? 'pos' : 'neg'}>net {formatMoney(net)}</strong>
    </span>
  );
}

/** Main's and the variants' closed trades, filtered, with exports of exactly what is shown. */
export function TradesPage(): React.JSX.Element {
  const trades = useAppStore((s) => s.trades);
  const loaded = useAppStore((s) => s.tradesLoaded);
  const loading = useAppStore((s) => s.tradesLoading);
  const error = useAppStore((s) => s.tradesError);
  const exporting = useAppStore((s) => s.exporting);
  const exportError = useAppStore((s) => s.exportError);
  const lastExport = useAppStore((s) => s.lastExport);
  const names = useAppStore((s) => s.strategies);
  const strategyName = useMemo(() => new Map(names.map((s) => [s.strategyId, s.name])), [names]);
  const emptyText = useEmptyText();
  const { ref, first, last, onScroll } = useVirtualWindow(trades.length, ROW_HEIGHT);

  useEffect(() => tradesPageShown(), []);

  return (
    <div className="page trades-page" data-testid="trades-page">
      <div className="panel-head">
        <h2>Trades</h2>
        <PaperBadge />
        <span className="muted" data-testid="trades-count">
          {trades.length.toLocaleString()} {trades.length === 1 ? 'trade' : 'trades'}
          {trades.length >= TRADES_LIMIT ? ` (first ${TRADES_LIMIT.toLocaleString()} shown)` : ''}
        </span>
        {loading && <span className="muted">loading…</span>}
        {trades.length > 0 && <Totals rows={trades} />}
        <span className="spacer" />
        {EXPORTS.map(({ format, title }) => (
          <button
            key={format}
            type="button"
            onClick={() => void exportTrades(format)}
            disabled={exporting !== null}
            title={title}
            data-testid={`export-${format}`}
          >
            {exporting === format ? 'Exporting…' : `Export ${format.toUpperCase()}`}
          </button>
        ))}
      </div>
      <TradeFilters />
      {exportError && (
        <p className="error" role="alert" data-testid="export-error">
          {exportError}
        </p>
      )}
      {!exportError && lastExport && (
        <p className="notice" data-testid="export-notice">
          Saved {lastExport.rows.toLocaleString()} trades as {lastExport.fileName}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="trades-error">
          Trades could not be read: {error}
        </p>
      )}
      {loaded && trades.length === 0 ? (
        <p className="empty" data-testid="trades-empty">
          {emptyText}
        </p>
      ) : (
        <div className="table-scroll trades-scroll" ref={ref} onScroll={onScroll}>
          <table
            className="data-table trades-table"
            aria-rowcount={trades.length + 1}
            data-testid="trades-table"
          >
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col">Closed (UTC)</th>
                <th scope="col">Strategy</th>
                <th scope="col">Variant</th>
                <th scope="col">Role</th>
                <th scope="col">Side</th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num">
                  Entry
                </th>
                <th scope="col" className="num">
                  Exit
                </th>
                <th scope="col">Exit reason</th>
                <th scope="col" className="num">
                  Gross
                </th>
                <th
                  scope="col"
                  className="num"
                  title="Fees paid (a cost, as in the exports): net = gross − fee"
                >
                  Fee
                </th>
                <th scope="col" className="num">
                  Net
                </th>
                <th scope="col" className="num">
                  ROI
                </th>
              </tr>
            </thead>
            <tbody>
              {first > 0 && (
                <tr aria-hidden className="spacer-row" style={{ height: first * ROW_HEIGHT }} />
              )}
              {trades.slice(first, last).map((t, i) => (
                <tr
                  key={`${t.variantId}:${t.tradeId}`}
                  aria-rowindex={first + i + 2}
                  data-testid="trade-row"
                  data-variant-id={t.variantId}
                  data-trade-id={t.tradeId}
                  title={`entered ${formatUtc(t.entryTime)} UTC: ${t.entryReason}`}
                >
                  <td>{formatUtc(t.exitTime)}</td>
                  <td>{strategyName.get(t.strategyId) ?? t.strategyId}</td>
                  <td>{t.variantId}</td>
                  <td>{t.role === 'main' ? <span className="main-chip">MAIN</span> : 'variant'}</td>
                  <td className={t.side === 'long' ? 'pos' : 'neg'}>{t.side}</td>
                  <td className="num">{formatQuantity(t.quantity)}</td>
                  <td className="num">{formatPrice(t.entryPrice)}</td>
                  <td className="num">{formatPrice(t.exitPrice)}</td>
                  <td>{t.exitReason}</td>
                  <td className={`num ${t.grossPnl >= 0 ? 'pos' : 'neg'}`} data-col="gross">
                    {formatMoney(t.grossPnl)}
                  </td>
                  <td className="num" data-col="fee">
                    {formatAmount(t.fee)}
                  </td>
                  <td className={`num ${t.netPnl >= 0 ? 'pos' : 'neg'}`} data-col="net">
                    {formatMoney(t.netPnl)}
                  </td>
                  <td className="num">{formatSignedPct(t.roiPct)}</td>
                </tr>
              ))}
              {last < trades.length && (
                <tr
                  aria-hidden
                  className="spacer-row"
                  style={{ height: (trades.length - last) * ROW_HEIGHT }}
                />
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
