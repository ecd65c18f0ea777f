import { useMemo } from 'react';
import { formatMoney, formatPrice, formatQuantity, formatUtc } from '../layout/format';
import { compareVariants } from '../layout/natural-order';
import { PaperBadge } from '../layout/paper-badge';
import { useSideOverflow } from '../layout/use-side-overflow';
import { useAppStore } from '../store/app-store';

/**
 * Open positions of main and every variant (main first, then v1, v2 … v10), refreshed when
 * trades, stops and bars happen. The table scrolls sideways when the panel is narrower than its
 * columns, with the variant column pinned, so no column is ever cut off unseen.
 */
export function PositionsPanel(): React.JSX.Element {
  const unsorted = useAppStore((s) => s.positions);
  const positions = useMemo(() => [...unsorted].sort(compareVariants), [unsorted]);
  const overflow = useSideOverflow(positions);
  const loaded = useAppStore((s) => s.positionsLoaded);
  const error = useAppStore((s) => s.positionsError);
  const total = positions.reduce((sum, p) => sum + p.unrealisedPnl, 0);
  return (
    <section className="panel positions" aria-label="Open positions" data-testid="positions-panel">
      <div className="panel-head">
        <h2>Positions</h2>
        <PaperBadge />
        <span className="muted" data-testid="positions-count">
          {positions.length} open
        </span>
        {positions.length > 0 && (
          <span className={total >= 0 ? 'pos' : 'neg'} title="Unrealised P&L of all positions">
            {formatMoney(total)}
          </span>
        )}
        {overflow.moreRight && (
          <span className="muted scroll-hint" data-testid="positions-more-right">
            scroll → for stop and target
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="positions-error">
          Positions could not be read: {error}
        </p>
      )}
      {!loaded ? null : positions.length === 0 ? (
        <p className="empty" data-testid="positions-empty">
          No open positions — every variant is flat.
        </p>
      ) : (
        <div
          className={`table-scroll positions-scroll${overflow.moreRight ? ' more-right' : ''}`}
          ref={overflow.ref}
          data-testid="positions-scroll"
        >
          <table className="data-table compact" data-testid="positions-table">
            <thead>
              <tr>
                <th scope="col" className="pin">
                  Variant
                </th>
                <th scope="col">Side · size</th>
                <th scope="col" className="num">
                  Entry
                </th>
                <th scope="col" className="num">
                  Unrealised
                </th>
                <th scope="col" className="num" title="Stop-loss (or trailing stop)">
                  Stop
                </th>
                <th scope="col" className="num" title="Take-profit">
                  Target
                </th>
              </tr>
            </thead>
            <tbody>
              {positions.map((p) => (
                <tr key={p.variantId} data-testid="position-row" data-variant-id={p.variantId}>
                  <td
                    className="pin"
                    title={`${p.strategyId} · since ${formatUtc(p.entryTime)} UTC`}
                  >
                    {p.role === 'main' && <span className="main-chip">MAIN</span>}
                    {p.variantId}
                  </td>
                  <td>
                    <span className={p.side === 'long' ? 'pos' : 'neg'}>{p.side}</span>{' '}
                    {formatQuantity(p.quantity)}
                    {p.leverage !== 1 ? ` · ${p.leverage}×` : ''}
                  </td>
                  <td className="num">{formatPrice(p.entryPrice)}</td>
                  <td
                    className={`num ${p.unrealisedPnl >= 0 ? 'pos' : 'neg'}`}
                    title={`marked at ${formatPrice(p.markPrice)}`}
                  >
                    {formatMoney(p.unrealisedPnl)}
                  </td>
                  <td
                    className="num"
                    data-col="stop"
                    title={
                      p.liquidationPrice === null
                        ? undefined
                        : `liquidation at ${formatPrice(p.liquidationPrice)}`
                    }
                  >
                    {formatPrice(p.stopPrice)}
                  </td>
                  <td className="num" data-col="target">
                    {formatPrice(p.targetPrice)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
