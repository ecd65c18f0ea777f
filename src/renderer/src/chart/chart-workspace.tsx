import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { loadRecentBacktests, parseSeriesKey } from '../backtest/backtest-actions';
import { useBacktestStore } from '../backtest/backtest-store';
import { CandleChart } from '../components/candle-chart';
import { currentApi } from '../store/actions';
import { useAppStore } from '../store/app-store';
import {
  selectChartSource,
  setChartMode,
  useChartSelection,
  type ChartMode,
} from '../store/chart-selection-store';
import {
  parseSourceKey,
  refreshChartSources,
  runOption,
  sourceKey,
  useChartSources,
  usePriceHistory,
  type SourceOption,
} from './chart-sources';
import { ComparisonChartPanel } from './comparison-chart-panel';
import { PerformanceChartPanel } from './performance-chart-panel';
import { StrategyChartPanel } from './strategy-chart-panel';
import './chart.css';

const MODES: ReadonlyArray<{ mode: ChartMode; label: string; key: string }> = [
  { mode: 'price', label: 'Price', key: 'p' },
  { mode: 'strategy', label: 'Strategy', key: 's' },
  { mode: 'performance', label: 'Performance', key: 'e' },
  { mode: 'comparison', label: 'Comparison', key: 'c' },
];

/** Every source the selector offers: live variants by strategy, then the stored backtest runs. */
function useSourceOptions(): SourceOption[] {
  const variants = useChartSources(useShallow((s) => s.variants));
  const runs = useBacktestStore(useShallow((s) => s.runs));
  return useMemo(
    () => [...variants, ...runs.map((r) => runOption(r.runId, r.label))],
    [variants, runs],
  );
}

function SourceSelector({ options }: { options: readonly SourceOption[] }): React.JSX.Element {
  const source = useChartSelection((s) => s.source);
  const key = sourceKey(source);
  const groups = Map.groupBy(options, (o) => o.group);
  const known = options.some((o) => o.key === key);
  return (
    <label>
      show
      <select
        data-testid="chart-source"
        value={key}
        onFocus={() => void refreshChartSources()}
        onChange={(e) => selectChartSource(parseSourceKey(e.target.value))}
      >
        <option value="">raw price (the feed)</option>
        {!known && key !== '' && <option value={key}>{key}</option>}
        {[...groups].map(([group, list]) => (
          <optgroup key={group} label={group}>
            {list.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** In the raw price mode: the feed's bars, or a stored series whole. */
function PriceHistorySelector(): React.JSX.Element {
  const series = useAppStore(useShallow((s) => s.series));
  const seriesKey = usePriceHistory((s) => s.seriesKey);
  return (
    <label>
      bars of
      <select
        data-testid="price-history"
        value={seriesKey}
        onChange={(e) => usePriceHistory.setState({ seriesKey: e.target.value })}
      >
        <option value="">the feed (live)</option>
        {series.map((s) => {
          const key = `${s.exchange}|${s.symbol}|${s.timeframe}`;
          return (
            <option key={key} value={key}>
              stored {s.exchange} {s.symbol} {s.timeframe} · {s.count.toLocaleString('en-US')} bars
            </option>
          );
        })}
      </select>
    </label>
  );
}

/**
 * The chart area of the dashboard and the backtest page: which strategy (raw price, main, a
 * variant, a backtest run), which mode (price, strategy, performance, comparison), and the chart.
 * Alt+P / S / E / C switch modes.
 */
export function ChartWorkspace(): React.JSX.Element {
  const mode = useChartSelection((s) => s.mode);
  const source = useChartSelection((s) => s.source);
  const connection = useAppStore((s) => s.connection);
  const historyKey = usePriceHistory((s) => s.seriesKey);
  const options = useSourceOptions();

  useEffect(() => {
    if (connection !== 'open') return;
    void refreshChartSources();
    // Stored backtest runs outlive a reload: the selector offers them from the start.
    void loadRecentBacktests();
    const api = currentApi();
    // A deploy of 1,000 variants sends 1,000 starts: one refresh for the burst, not one each.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void refreshChartSources();
      }, 300);
    };
    const subs = [api.on('variantStarted', refreshSoon), api.on('variantStopped', refreshSoon)];
    return () => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
    };
  }, [connection]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = MODES.find((m) => e.code === `Key${m.key.toUpperCase()}`);
      if (target) {
        e.preventDefault();
        setChartMode(target.mode);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const needsSource = mode === 'strategy' || mode === 'performance';
  return (
    <div className="chart-workspace" data-testid="chart-workspace" data-mode={mode}>
      <div className="chart-toolbar">
        <SourceSelector options={options} />
        <div className="chart-modes" role="group" aria-label="Chart mode">
          {MODES.map((m) => (
            <button
              key={m.mode}
              type="button"
              aria-pressed={mode === m.mode}
              aria-keyshortcuts={`Alt+${m.key.toUpperCase()}`}
              title={`${m.label} (Alt+${m.key.toUpperCase()})`}
              data-testid={`chart-mode-${m.mode}`}
              onClick={() => setChartMode(m.mode)}
            >
              {m.label}
            </button>
          ))}
        </div>
        {mode === 'price' && <PriceHistorySelector />}
      </div>
      <div className="chart-body">
        {mode === 'price' && <CandleChart history={parseSeriesKey(historyKey)} />}
        {needsSource && source === null && (
          <div className="chart-message" data-testid="chart-empty">
            Choose a strategy, a variant or a backtest run to see its {mode} chart.
          </div>
        )}
        {mode === 'strategy' && source !== null && (
          <StrategyChartPanel key={sourceKey(source)} source={source} />
        )}
        {mode === 'performance' && source !== null && (
          <PerformanceChartPanel key={sourceKey(source)} source={source} />
        )}
        {mode === 'comparison' && <ComparisonChartPanel options={options} />}
      </div>
    </div>
  );
}
