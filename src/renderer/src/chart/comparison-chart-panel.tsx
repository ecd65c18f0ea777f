import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ChartSource } from '../../../shared/chart';
import { currentApi, describeError } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { toggleComparison, useChartSelection } from '../store/chart-selection-store';
import { parseSourceKey, sourceKey, type SourceOption } from './chart-sources';
import { MAX_COMPARED } from './chart-theme';
import { defaultComparison } from './comparison-defaults';
import { ComparisonChartView } from './comparison-chart-view';
import { EQUITY_POINTS, pokeOnMetrics } from './performance-chart-panel';
import { ThrottledRefresh } from './throttled-refresh';

type Status =
  | { kind: 'loading' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | {
      kind: 'ready';
      curves: Array<{ key: string; label: string; color: string; roiPct: number | null }>;
    };

const roiText = (roi: number | null): string =>
  roi === null ? 'n/a' : `${roi >= 0 ? '+' : '−'}${Math.abs(roi).toFixed(2)}%`;

/**
 * The default curves (main and the best variants by ROI so far, see `defaultComparison`) as
 * source keys and the words saying so. Read from the store as a pair of strings, so the panel
 * renders again only when the chosen set changes, not on every metrics frame.
 */
function useDefaultComparison(
  options: readonly SourceOption[],
  selected: ChartSource | null,
): { keys: string; description: string } {
  const [keys, description] = useAppStore(
    useShallow((s) => {
      const d = defaultComparison(
        options,
        selected,
        (id) => s.variants[id]?.metrics.roiPct ?? null,
      );
      return [d.sources.map(sourceKey).join('|'), d.description];
    }),
  );
  return { keys: keys ?? '', description: description ?? '' };
}

/**
 * The comparison mode: equity curves of several variants or runs on one scale, each in its own
 * colour. Beside the plot (never over it), a collapsible list: the curves shown with their ROI,
 * and every source to tick. Live variants' curves are refetched as their metrics change.
 */
export function ComparisonChartPanel({
  options,
}: {
  options: readonly SourceOption[];
}): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<ComparisonChartView | null>(null);
  const chosen = useChartSelection((s) => s.comparison);
  const selected = useChartSelection((s) => s.source);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [collapsed, setCollapsed] = useState(false);
  const defaults = useDefaultComparison(options, selected);
  const keys = chosen.length > 0 ? chosen.map(sourceKey).join('|') : defaults.keys;
  const sources = useMemo(
    () =>
      keys === ''
        ? []
        : keys.split('|').flatMap((k) => {
            const s = parseSourceKey(k);
            return s === null ? [] : [s];
          }),
    [keys],
  );

  // One chart for the panel's life: a new set of curves replaces the lines, not the chart.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const view = new ComparisonChartView(container);
    viewRef.current = view;
    return () => {
      viewRef.current = null;
      view.dispose();
    };
  }, []);

  useEffect(() => {
    const container = containerRef.current;
    const view = viewRef.current;
    if (!container || !view) return;
    if (sources.length === 0) {
      view.show([]);
      container.dataset['curves'] = '0';
      setStatus({ kind: 'empty' });
      return;
    }
    let disposed = false;
    const refresh = new ThrottledRefresh(
      () => currentApi().getEquityCurves({ sources, maxPoints: EQUITY_POINTS }),
      (curves) => {
        if (disposed) return;
        const shown = view.show(curves);
        container.dataset['curves'] = String(shown.length);
        setStatus({
          kind: 'ready',
          curves: shown.map((c, i) => {
            const first = c.points[0]?.equity;
            const last = c.points.at(-1)?.equity;
            return {
              key: sourceKey(sources[i] ?? null),
              label: c.label,
              color: c.color,
              roiPct:
                first !== undefined && last !== undefined && first > 0
                  ? (last / first - 1) * 100
                  : null,
            };
          }),
        });
      },
      (error) => {
        if (!disposed) setStatus({ kind: 'error', message: describeError(error) });
      },
    );
    setStatus({ kind: 'loading' });
    refresh.poke();
    const sub = pokeOnMetrics(sources, refresh);
    return () => {
      disposed = true;
      sub?.dispose();
      refresh.dispose();
    };
  }, [sources]);

  const pick = (option: SourceOption): void => {
    // The first pick starts from what is shown, so unticking one default keeps the others.
    if (chosen.length === 0) useChartSelection.setState({ comparison: sources });
    toggleComparison(option.source);
  };
  const shownKeys = new Set(sources.map(sourceKey));
  const labelOf = new Map(options.map((o) => [o.key, o.label]));
  const full = sources.length >= MAX_COMPARED;

  return (
    <div className="compare-layout">
      <div className="compare-plot">
        <div className="chart" ref={containerRef} data-testid="comparison-chart" />
        {status.kind === 'empty' && (
          <div className="chart-message">
            Nothing to compare yet: deploy variants or run a backtest, then tick them here.
          </div>
        )}
        {status.kind === 'loading' && <div className="chart-message">loading equity curves…</div>}
        {status.kind === 'error' && (
          <div className="chart-message error" role="alert" data-testid="chart-error">
            {status.message}
          </div>
        )}
      </div>
      <aside
        className={collapsed ? 'compare-side collapsed' : 'compare-side'}
        aria-label="Compared curves"
        data-testid="comparison-side"
      >
        <div className="compare-side-head">
          <button
            type="button"
            className="compare-toggle"
            aria-expanded={!collapsed}
            aria-controls="comparison-lists"
            title={collapsed ? 'Show the list of curves' : 'Hide the list of curves'}
            onClick={() => setCollapsed(!collapsed)}
            data-testid="comparison-toggle"
          >
            {collapsed ? '◂' : '▸'}
          </button>
          {!collapsed && (
            <span data-testid="comparison-count">
              {sources.length} {sources.length === 1 ? 'curve' : 'curves'}
            </span>
          )}
        </div>
        {!collapsed && (
          <div className="compare-lists" id="comparison-lists">
            <p className="compare-note" data-testid="comparison-default-note">
              {chosen.length === 0 ? (
                <>Default: {defaults.description}.</>
              ) : (
                <>
                  Your choice.{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => useChartSelection.setState({ comparison: [] })}
                    data-testid="comparison-reset"
                  >
                    back to the default
                  </button>
                </>
              )}
            </p>
            {status.kind === 'ready' && (
              <ul className="compare-legend" data-testid="comparison-legend">
                {status.curves.map((c) => (
                  <li
                    key={c.key}
                    data-testid="comparison-entry"
                    data-key={c.key}
                    data-color={c.color}
                    title={c.label}
                  >
                    <span className="swatch" style={{ background: c.color }} />
                    <span className="compare-label">{labelOf.get(c.key) ?? c.label}</span>
                    <span className={c.roiPct !== null && c.roiPct < 0 ? 'neg' : 'pos'}>
                      {roiText(c.roiPct)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {options.length > 0 && (
              <div className="compare-picker" data-testid="comparison-picker">
                <div className="compare-picker-head muted">
                  Tick up to {MAX_COMPARED}
                  {full ? ' (full: untick one first)' : ''}
                </div>
                {options.map((o) => {
                  const on = shownKeys.has(o.key);
                  return (
                    <label key={o.key} title={o.label}>
                      <input
                        type="checkbox"
                        checked={on}
                        disabled={!on && full}
                        onChange={() => pick(o)}
                        data-testid={`compare-${o.key}`}
                      />
                      <span className="compare-label">{o.label}</span>
                    </label>
                  );
                })}
              </div>
            )}
          </div>
        )}
      </aside>
    </div>
  );
}
