import { useEffect, useRef, useState } from 'react';
import type { ChartSource, StrategyChart } from '../../../shared/chart';
import { barStream } from '../market/bar-stream';
import { currentApi, describeError } from '../store/actions';
import { ChartTooltip } from './chart-tooltip';
import { StrategyChartView, type LegendEntry, type MarkerHover } from './strategy-chart-view';
import { ThrottledRefresh } from './throttled-refresh';

/** Bars of the strategy's timeframe loaded at first (the API's newest). */
export const STRATEGY_BARS = 100_000;
/** Bars refetched per live refresh: enough to cover a few missed bars. */
const LIVE_WINDOW = 50;

type Status =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | {
      kind: 'ready';
      legend: LegendEntry[];
      title: string;
      bars: number;
      signals: number;
      trades: number;
    };

/**
 * The strategy mode of one variant or backtest run: its candles, indicator lines, signal and
 * trade markers and position levels, with "why it fired" on hover. Loaded once; a live variant
 * then refetches its newest bars when the feed brings some (throttled, applied on a frame).
 */
export function StrategyChartPanel({ source }: { source: ChartSource }): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [hover, setHover] = useState<MarkerHover | null>(null);
  const [width, setWidth] = useState(800);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const view = new StrategyChartView(container, (h) => {
      setWidth(container.clientWidth);
      setHover(h);
    });
    let disposed = false;
    let refresh: ThrottledRefresh<StrategyChart> | null = null;
    let unsubscribe: (() => void) | null = null;
    setStatus({ kind: 'loading' });
    setHover(null);
    currentApi()
      .getStrategyChart({ source, limit: STRATEGY_BARS })
      .then((chart) => {
        if (disposed) return;
        const legend = view.show(chart);
        container.dataset['bars'] = String(chart.candles.length);
        container.dataset['panes'] = String(new Set([0, ...legend.map((l) => l.pane)]).size);
        setStatus({
          kind: 'ready',
          legend,
          title: `${chart.strategyName} · ${chart.series.exchange} ${chart.series.symbol} ${chart.timeframe}`,
          bars: chart.candles.length,
          signals: chart.signals.length,
          trades: chart.trades.length,
        });
        if (source.kind !== 'variant') return;
        // The newest bars; more when the variant got further ahead than that since the last
        // refresh (a fast replay), so the chart never has a hole.
        const newest = async (): Promise<StrategyChart> => {
          for (let limit = LIVE_WINDOW; ; limit = Math.min(STRATEGY_BARS, limit * 20)) {
            const window = await currentApi().getStrategyChart({ source, limit });
            if (limit >= STRATEGY_BARS || view.covers(window, limit)) return window;
          }
        };
        refresh = new ThrottledRefresh(
          newest,
          (window) => {
            view.merge(window);
            const drawn = view.counts();
            setStatus((now) => (now.kind === 'ready' ? { ...now, ...drawn } : now));
          },
          (error) => setStatus({ kind: 'error', message: describeError(error) }),
        );
        const live = refresh;
        // New bars of the feed, and the variant's own progress (it may lag the feed a little).
        const bars = barStream.subscribe((change) => {
          if (change.reset || change.closed.length > 0) live.poke();
        });
        const metrics = currentApi().on('metricsUpdate', (update) => {
          if (update.rows.some((r) => r.variantId === source.variantId)) live.poke();
        });
        unsubscribe = () => {
          bars();
          metrics.dispose();
        };
      })
      .catch((error: unknown) => {
        if (!disposed) setStatus({ kind: 'error', message: describeError(error) });
      });
    return () => {
      disposed = true;
      unsubscribe?.();
      refresh?.dispose();
      view.dispose();
    };
  }, [source]);

  return (
    <>
      <div className="chart" ref={containerRef} data-testid="strategy-chart" />
      {status.kind === 'ready' && (
        <div className="chart-legend" data-testid="overlay-legend">
          <span data-testid="strategy-chart-title">{status.title}</span>
          {status.legend.map((l) => (
            <span key={l.name} data-testid="legend-entry" data-pane={l.pane} data-color={l.color}>
              <span className="swatch" style={{ background: l.color }} />
              {l.name}
              {l.pane === 0 ? '' : ' (pane)'}
            </span>
          ))}
          <span data-testid="strategy-chart-counts">
            {status.bars.toLocaleString('en-US')} bars · {status.signals} signals · {status.trades}{' '}
            trades
          </span>
        </div>
      )}
      {status.kind === 'ready' && hover !== null && <ChartTooltip hover={hover} width={width} />}
      {status.kind === 'loading' && (
        <div className="chart-message">loading the strategy chart…</div>
      )}
      {status.kind === 'error' && (
        <div className="chart-message error" role="alert" data-testid="chart-error">
          {status.message}
        </div>
      )}
    </>
  );
}
