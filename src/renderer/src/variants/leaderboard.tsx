import { useCallback, useMemo, useState } from 'react';
import { PaperBadge } from '../layout/paper-badge';
import { useVirtualWindow } from '../layout/use-virtual-window';
import { useAppStore } from '../store/app-store';
import { selectChartSource, useChartSelection } from '../store/chart-selection-store';
import { KillDialog } from './kill-dialog';
import { LEADERBOARD_COLUMNS, sortVariants } from './leaderboard-columns';
import { LeaderboardRow, type RowCommand } from './leaderboard-row';
import { PromoteDialog } from './promote-dialog';
import { controlVariant, filterLeaderboard, sortLeaderboard } from './variant-actions';

/** Fixed row height (px) the virtual window is computed with; styles.css sets the same. */
export const ROW_HEIGHT = 28;

/**
 * Main and every variant with live metrics. Only the rows in view are in the DOM (a window over
 * the sorted list), and metric events reach the store once per animation frame, so 1,000
 * variants update without jank.
 */
export function Leaderboard({ onDeploy }: { onDeploy: () => void }): React.JSX.Element {
  const variants = useAppStore((s) => s.variants);
  const loaded = useAppStore((s) => s.variantsLoaded);
  const error = useAppStore((s) => s.variantsError);
  const sort = useAppStore((s) => s.sort);
  const strategyFilter = useAppStore((s) => s.strategyFilter);
  const rowErrors = useAppStore((s) => s.rowErrors);
  const strategies = useAppStore((s) => s.strategies);
  const selectedId = useChartSelection((s) =>
    s.source?.kind === 'variant' ? s.source.variantId : null,
  );

  const rows = useMemo(() => {
    const all = Object.values(variants);
    const shown =
      strategyFilter === null ? all : all.filter((r) => r.strategyId === strategyFilter);
    return sortVariants(shown, sort);
  }, [variants, sort, strategyFilter]);

  const mainTrades = useMemo(() => {
    const byStrategy = new Map<string, number>();
    for (const r of Object.values(variants))
      if (r.role === 'main') byStrategy.set(r.strategyId, r.metrics.tradeCount);
    return byStrategy;
  }, [variants]);

  const { ref: scrollRef, first, last, onScroll } = useVirtualWindow(rows.length, ROW_HEIGHT);
  const visible = rows.slice(first, last);

  const [dialog, setDialog] = useState<{ kind: 'kill' | 'promote'; variantId: string } | null>(
    null,
  );
  const onCommand = useCallback((variantId: string, command: RowCommand) => {
    if (command === 'select') selectChartSource({ kind: 'variant', variantId });
    else if (command === 'kill' || command === 'promote') setDialog({ kind: command, variantId });
    else void controlVariant(variantId, command);
  }, []);
  const dialogRow = dialog ? variants[dialog.variantId] : undefined;
  const noTradesHint = useMemo(() => {
    let trades = 0;
    let warmUp = 0;
    for (const r of rows) {
      trades += r.metrics.tradeCount;
      if (r.status !== 'stopped' && r.status !== 'error')
        warmUp = Math.max(warmUp, r.warmUpBarsLeft);
    }
    if (rows.length === 0 || trades > 0) return null;
    return warmUp > 0
      ? `no trades yet — variants need about ${warmUp.toLocaleString()} ${warmUp === 1 ? 'bar' : 'bars'} to warm up`
      : 'no trades yet — waiting for the entry rules to fire';
  }, [rows]);
  const anyPaper = rows.some((r) => r.mode === 'paper');

  return (
    <section className="panel leaderboard" aria-label="Leaderboard" data-testid="leaderboard">
      <div className="panel-head">
        <h2>Leaderboard</h2>
        {anyPaper && <PaperBadge testId="leaderboard-paper" />}
        <span className="muted" data-testid="leaderboard-count">
          {rows.length.toLocaleString()} {rows.length === 1 ? 'row' : 'rows'}
        </span>
        {strategies.length > 1 && (
          <select
            aria-label="Strategy shown in the leaderboard"
            value={strategyFilter ?? ''}
            onChange={(e) => filterLeaderboard(e.target.value === '' ? null : e.target.value)}
          >
            <option value="">All strategies</option>
            {strategies.map((s) => (
              <option key={s.strategyId} value={s.strategyId}>
                {s.name} ({s.strategyId})
              </option>
            ))}
          </select>
        )}
        {noTradesHint && (
          <span className="muted" data-testid="leaderboard-hint">
            {noTradesHint}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={onDeploy}
          aria-keyshortcuts="Alt+N"
          title="Deploy a strategy template as main plus variants (Alt+N)"
          data-testid="deploy-open"
        >
          Deploy strategy…
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="leaderboard-error">
          Variants could not be read: {error}
        </p>
      )}
      {loaded && rows.length === 0 ? (
        <div className="empty" data-testid="leaderboard-empty">
          No strategies yet — deploy a template to run main and its variants side by side on the
          current feed.{' '}
          <button type="button" onClick={onDeploy}>
            Deploy strategy…
          </button>
        </div>
      ) : (
        <div className="lb-scroll" ref={scrollRef} onScroll={onScroll}>
          <table
            className="data-table lb-table"
            aria-rowcount={rows.length + 1}
            data-testid="leaderboard-table"
          >
            <thead>
              <tr aria-rowindex={1}>
                {LEADERBOARD_COLUMNS.map((c) => {
                  const active = sort.key === c.key;
                  return (
                    // The whole cell is the sort button (it fills the cell): a click anywhere
                    // in the header sorts, and Tab / Enter / Space reach it as a button.
                    <th
                      key={c.key}
                      scope="col"
                      className={c.numeric ? 'num th-sortable' : 'th-sortable'}
                      aria-sort={
                        active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                      }
                      data-col={c.key}
                    >
                      <button
                        type="button"
                        className="th-sort"
                        title={`${c.title} — click to sort`}
                        onClick={() => sortLeaderboard(c.key)}
                        data-testid={`sort-${c.key}`}
                      >
                        {c.label}
                        <span className="sort-mark" aria-hidden>
                          {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
                <th scope="col" data-col="actions">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody>
              {first > 0 && (
                <tr aria-hidden style={{ height: first * ROW_HEIGHT }} className="spacer-row" />
              )}
              {visible.map((row, i) => (
                <LeaderboardRow
                  key={row.variantId}
                  row={row}
                  index={first + i}
                  selected={row.variantId === selectedId}
                  error={rowErrors[row.variantId]}
                  mainTrades={mainTrades.get(row.strategyId)}
                  onCommand={onCommand}
                />
              ))}
              {last < rows.length && (
                <tr
                  aria-hidden
                  style={{ height: (rows.length - last) * ROW_HEIGHT }}
                  className="spacer-row"
                />
              )}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'kill' && dialogRow && (
        <KillDialog row={dialogRow} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'promote' && dialogRow && (
        <PromoteDialog
          row={dialogRow}
          mainTrades={mainTrades.get(dialogRow.strategyId)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
