import { useEffect, useRef, useState } from 'react';
import type { ChartSource } from '../../../shared/chart';
import type { Disposable } from '../../../shared/disposable';
import { currentApi, describeError } from '../store/actions';
import { PerformanceChartView } from './equity-chart-view';
import { ThrottledRefresh } from './throttled-refresh';

/** Points per equity curve: plenty for a screen, light enough to refetch live. */
export const EQUITY_POINTS = 20_000;

/**
 * Pokes `refresh` whenever the metrics of a live variant among `sources` update (a backtest's
 * curve is final: nothing to watch). @returns the subscription, or null when there is none.
 */
export function pokeOnMetrics(
  sources: readonly ChartSource[],
  refresh: { poke(): void },
): Disposable | null {
  const variants = new Set(sources.flatMap((s) => (s.kind === 'variant' ? [s.variantId] : [])));
  if (variants.size === 0) return null;
  return currentApi().on('metricsUpdate', (update) => {
    if (update.rows.some((r) => variants.has(r.variantId))) refresh.poke();
  });
}

type Status =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; label: string; roiPct: number | null; maxDrawdownPct: number };

function summary(points: ReadonlyArray<{ equity: number }>): {
  roiPct: number | null;
  maxDrawdownPct: number;
} {
  const first = points[0]?.equity;
  const last = points.at(-1)?.equity;
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const p of points) {
    peak = Math.max(peak, p.equity);
    if (peak > 0) worst = Math.max(worst, (peak - p.equity) / peak);
  }
  return {
    roiPct:
      first !== undefined && last !== undefined && first > 0 ? (last / first - 1) * 100 : null,
    maxDrawdownPct: worst * 100,
  };
}

/**
 * The performance mode: the equity curve and its drawdown. A live variant's curve is refetched
 * when its metrics change (the host batches those to a few per second; refetches are throttled
 * further and drawn on a frame).
 */
export function PerformanceChartPanel({ source }: { source: ChartSource }): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const view = new PerformanceChartView(container);
    let disposed = false;
    const load = async (): Promise<{
      label: string;
      points: Array<{ time: number; equity: number }>;
    }> => {
      const [curve] = await currentApi().getEquityCurves({
        sources: [source],
        maxPoints: EQUITY_POINTS,
      });
      if (curve === undefined) throw new Error('the host sent no equity curve');
      return curve;
    };
    const apply = (curve: {
      label: string;
      points: Array<{ time: number; equity: number }>;
    }): void => {
      view.show(curve.points);
      container.dataset['points'] = String(curve.points.length);
      setStatus({ kind: 'ready', label: curve.label, ...summary(curve.points) });
    };
    const fail = (error: unknown): void => {
      if (!disposed) setStatus({ kind: 'error', message: describeError(error) });
    };
    const refresh = new ThrottledRefresh(load, apply, fail);
    refresh.poke();
    const sub = pokeOnMetrics([source], refresh);
    return () => {
      disposed = true;
      sub?.dispose();
      refresh.dispose();
      view.dispose();
    };
  }, [source]);

  return (
    <>
      <div className="chart" ref={containerRef} data-testid="performance-chart" />
      {status.kind === 'ready' && (
        <div className="chart-legend" data-testid="performance-legend">
          <span>{status.label}</span>
          <span data-testid="performance-roi">
            ROI {status.roiPct === null ? 'n/a' : `${status.roiPct.toFixed(2)}%`}
          </span>
          <span data-testid="performance-max-drawdown">
            max drawdown {status.maxDrawdownPct.toFixed(2)}%
          </span>
        </div>
      )}
      {status.kind === 'loading' && <div className="chart-message">loading the equity curve…</div>}
      {status.kind === 'error' && (
        <div className="chart-message error" role="alert" data-testid="chart-error">
          {status.message}
        </div>
      )}
    </>
  );
}
