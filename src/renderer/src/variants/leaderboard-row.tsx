import { memo } from 'react';
import type { VariantAction, VariantRow } from '../../../shared/variants';
import {
  formatFraction,
  formatNumber,
  formatParameters,
  formatProfitFactor,
  formatSignedPct,
} from '../layout/format';
import { CandidateBadge, ratioWithheld } from './candidate-badge';

export type RowCommand = VariantAction | 'kill' | 'promote' | 'select';

export interface LeaderboardRowProps {
  row: VariantRow;
  /** 0-based position in the sorted list (aria-rowindex is this + 2: the header is row 1). */
  index: number;
  selected: boolean;
  error: string | undefined;
  /** Main's closed trades for this row's strategy: its Sharpe in the gate is withheld under 2. */
  mainTrades: number | undefined;
  onCommand: (variantId: string, command: RowCommand) => void;
}

const signClass = (v: number | null): string | undefined =>
  v === null || v === 0 ? undefined : v > 0 ? 'pos' : 'neg';

/** Sharpe or DSR, or "—" titled with why it is not shown yet. */
function RatioCell({
  col,
  value,
  digits,
  trades,
}: {
  col: 'sharpe' | 'dsr';
  value: number | null;
  digits: number;
  trades: number;
}): React.JSX.Element {
  const name = col === 'sharpe' ? 'Sharpe' : 'DSR';
  const withheld = ratioWithheld(trades);
  if (withheld !== null) {
    return (
      <td data-col={col} className="num muted" title={`${name} ${withheld}`}>
        —
      </td>
    );
  }
  return (
    <td data-col={col} className="num">
      {formatNumber(value, digits)}
    </td>
  );
}

function statusText(row: VariantRow): string {
  if (row.status === 'warming')
    return row.warmUpBarsLeft > 0
      ? `warming · ${row.warmUpBarsLeft} ${row.warmUpBarsLeft === 1 ? 'bar' : 'bars'}`
      : 'warming';
  return row.status;
}

/** One leaderboard line; re-renders only when its row object or selection changes. */
export const LeaderboardRow = memo(function LeaderboardRow({
  row,
  index,
  selected,
  error,
  mainTrades,
  onCommand,
}: LeaderboardRowProps): React.JSX.Element {
  const m = row.metrics;
  const id = row.variantId;
  const act =
    (command: RowCommand) =>
    (e: React.MouseEvent): void => {
      e.stopPropagation();
      onCommand(id, command);
    };
  const ended = row.status === 'stopped' || row.status === 'error';
  return (
    <tr
      className={`lb-row${selected ? ' selected' : ''}${row.role === 'main' ? ' main' : ''}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      data-testid="leaderboard-row"
      data-variant-id={id}
      data-status={row.status}
      onClick={() => onCommand(id, 'select')}
      onKeyDown={(e) => {
        if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          onCommand(id, 'select');
        }
      }}
    >
      <td data-col="variant" title={formatParameters(row.parameters)}>
        {row.role === 'main' && <span className="main-chip">MAIN</span>}
        <span className="lb-name">{id}</span>
        <span className="lb-strategy"> {row.strategyName}</span>
      </td>
      <td data-col="roi" className={`num ${signClass(m.roiPct) ?? ''}`}>
        {formatSignedPct(m.roiPct)}
      </td>
      <RatioCell col="sharpe" value={m.sharpe} digits={2} trades={m.tradeCount} />
      <RatioCell col="dsr" value={m.dsr} digits={3} trades={m.tradeCount} />
      <td data-col="maxDrawdown" className="num">
        {formatFraction(m.maxDrawdown, 2)}
      </td>
      <td data-col="winRate" className="num">
        {formatFraction(m.winRate)}
      </td>
      <td data-col="profitFactor" className="num">
        {formatProfitFactor(m.profitFactor, m.profitFactorInfinite)}
      </td>
      <td data-col="trades" className="num">
        {m.tradeCount}
      </td>
      <td
        data-col="status"
        className={`status status-${row.status}`}
        title={row.statusReason ?? undefined}
        aria-label={row.statusReason ? `${statusText(row)}: ${row.statusReason}` : undefined}
      >
        {statusText(row)}
        {row.statusReason && (
          <span className="reason-mark" aria-hidden>
            i
          </span>
        )}
        {row.position && <span className={`pos-chip ${row.position}`}>{row.position}</span>}
      </td>
      <td data-col="mode">
        <span className={`mode-chip mode-${row.mode}`}>{row.mode.toUpperCase()}</span>
      </td>
      <td data-col="candidate">
        <CandidateBadge decision={row.promotion} mainTrades={mainTrades} />
      </td>
      <td data-col="actions" className="lb-actions">
        {/* A stopped row has nothing to kill or promote: only Restart brings it back. */}
        {ended ? (
          <button type="button" onClick={act('restart')} data-testid="row-restart">
            Restart
          </button>
        ) : (
          <>
            {row.status === 'paused' ? (
              <button type="button" onClick={act('resume')} data-testid="row-resume">
                Resume
              </button>
            ) : (
              <button type="button" onClick={act('pause')} data-testid="row-pause">
                Pause
              </button>
            )}
            {row.role === 'variant' && (
              <button type="button" onClick={act('promote')} data-testid="row-promote">
                Promote
              </button>
            )}
            <button type="button" className="danger" onClick={act('kill')} data-testid="row-kill">
              Kill
            </button>
          </>
        )}
        {error && (
          <span className="row-error" role="alert" title={error} data-testid="row-error">
            ⚠ {error}
          </span>
        )}
      </td>
    </tr>
  );
});
