import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChartSource } from '../../../shared/chart';
import { currentApi, describeError } from '../store/actions';
import { toggleComparison, useChartSelection } from '../store/chart-selection-store';
import { sourceKey, type SourceOption } from './chart-sources';
import { ComparisonChartView, type ComparedCurve } from './equity-chart-view';
import { EQUITY_POINTS, pokeOnMetrics } from './performance-chart-panel';
import { ThrottledRefresh } from './throttled-refresh';

/** Curves compared when nobody picked any: the selected one's group, this many at most. */
const DEFAULT_CURVES = 10;

type Status =
  | { kind: 'loading' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; curves: Array<Omit<ComparedCurve, 'points'> & { roiPct: number | null }> };

/** The sources compared: the chosen ones, or by default the selected source's group. */
function effectiveSources(
  chosen: readonly ChartSource[],
  selected: ChartSource | null,
  options: readonly SourceOption[],
): ChartSource[] {
  if (chosen.length > 0) return [...chosen];
  const group = options.find((o) => o.key === sourceKey(selected))?.group;
  const pool = group === undefined ? options : options.filter((o) => o.group === group);
  return pool.slice(0, DEFAULT_CURVES).map((o) => o.source);
}

/**
 * The comparison mode: equity curves of several variants or runs on one scale, with a legend
 * and a list to pick which ones. Live variants' curves are refetched as their metrics change.
 */
export function ComparisonChartPanel({
  options,
}: {
  options: readonly SourceOption[];
}): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const chosen = useChartSelection((s) => s.comparison);
  const selected = useChartSelection((s) => s.source);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const sources = useMemo(
    () => effectiveSources(chosen, selected, options),
    [chosen, selected, options],
  );
  const keys = sources.map(sourceKey).join('|');

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    if (sources.length === 0) {
      setStatus({ kind: 'empty' });
      return;
    }
    const view = new ComparisonChartView(container);
    let disposed = false;
    const refresh = new ThrottledRefresh(
      () => currentApi().getEquityCurves({ sources, maxPoints: EQUITY_POINTS }),
      (curves) => {
        const shown = view.show(curves);
        container.dataset['curves'] = String(shown.length);
        setStatus({
          kind: 'ready',
          curves: shown.map((c) => {
            const first = c.points[0]?.equity;
            const last = c.points.at(-1)?.equity;
            return {
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
      view.dispose();
    };
    // `keys` names the sources: a new array with the same sources must not reload.
  }, [keys]);

  const pick = (option: SourceOption): void => {
    // The first pick starts from what is shown, so unticking one default keeps the others.
    if (chosen.length === 0) useChartSelection.setState({ comparison: sources });
    toggleComparison(option.source);
  };
  const shownKeys = new Set(sources.map(sourceKey));

  return (
    <>
      <div className="chart" ref={containerRef} data-testid="comparison-chart" />
      {status.kind === 'ready' && (
        <div className="chart-legend" data-testid="comparison-legend">
          {status.curves.map((c) => (
            <span key={c.label} data-testid="comparison-entry" data-color={c.color}>
              <span className="swatch" style={{ background: c.color }} />
              {c.label}{' '}
              {c.roiPct === null ? '' : `${c.roiPct >= 0 ? '+' : ''}${c.roiPct.toFixed(2)}%`}
            </span>
          ))}
        </div>
      )}
      {options.length > 0 && (
        <div className="chart-compare-list" data-testid="comparison-picker">
          {options.map((o) => (
            <label key={o.key}>
              <input
                type="checkbox"
                checked={shownKeys.has(o.key)}
                onChange={() => pick(o)}
                data-testid={`compare-${o.key}`}
              />
              {o.label}
            </label>
          ))}
        </div>
      )}
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
    </>
  );
}
