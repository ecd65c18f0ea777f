import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SeriesKey } from '../../../shared/market';
import { useAppStore } from '../store/app-store';
import {
  cancelBacktest,
  chooseTemplate,
  deployTested,
  openBacktest,
  runBacktest,
  startBacktests,
} from './backtest-actions';
import { useBacktestStore } from './backtest-store';
import { EquityCurve } from './equity-curve';
import { MetricsTable } from './metrics-table';
import { ParameterFields } from './parameter-fields';
import { TradesTable } from './trades-table';
import './backtest-panel.css';

const keyOf = (s: SeriesKey): string => `${s.exchange}|${s.symbol}|${s.timeframe}`;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Backtest a strategy template on stored history: pick the template, its parameters, the series
 * and a date range, run it with a progress bar; the chart beside shows the run in its strategy
 * mode (trades, signals, indicators), the panel its metrics, equity curve and trades. The tested
 * parameters can then be deployed as main, alone or with variants. Funding payments are not
 * modelled (DESIGN.md).
 */
export function BacktestPanel(): React.JSX.Element {
  const connection = useAppStore((s) => s.connection);
  const series = useAppStore(useShallow((s) => s.series));
  const templates = useBacktestStore(useShallow((s) => s.templates));
  const templateId = useBacktestStore((s) => s.templateId);
  const seriesKey = useBacktestStore((s) => s.seriesKey);
  const fromDay = useBacktestStore((s) => s.fromDay);
  const toDay = useBacktestStore((s) => s.toDay);
  const progress = useBacktestStore((s) => s.progress);
  const runId = useBacktestStore((s) => s.runId);
  const result = useBacktestStore((s) => s.result);
  const error = useBacktestStore((s) => s.error);
  const parameters = useBacktestStore(useShallow((s) => s.parameters));
  const deployVariants = useBacktestStore((s) => s.deployVariants);
  const deploy = useBacktestStore((s) => s.deploy);
  const recent = useBacktestStore(useShallow((s) => s.recent));

  useEffect(() => {
    if (connection === 'open') void startBacktests();
  }, [connection]);

  // Default to the first stored series and its whole span.
  useEffect(() => {
    const first = series[0];
    if (seriesKey === '' && first !== undefined) {
      useBacktestStore.setState({
        seriesKey: keyOf(first),
        fromDay: day(first.firstTime),
        toDay: day(first.lastTime),
      });
    }
  }, [series, seriesKey]);

  const running = runId !== null && result === null && error === null;
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;
  const template = templates.find((t) => t.id === templateId);

  return (
    <section className="bt-panel" data-testid="backtest-panel">
      <h2>Backtest</h2>
      <div className="bt-form">
        <label>
          template
          <select
            data-testid="backtest-template"
            value={templateId}
            onChange={(e) => chooseTemplate(e.target.value)}
          >
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.timeframe})
              </option>
            ))}
          </select>
        </label>
        <label>
          series
          <select
            data-testid="backtest-series"
            value={seriesKey}
            onChange={(e) => {
              const s = series.find((x) => keyOf(x) === e.target.value);
              useBacktestStore.setState({
                seriesKey: e.target.value,
                ...(s ? { fromDay: day(s.firstTime), toDay: day(s.lastTime) } : {}),
              });
            }}
          >
            {series.length === 0 && <option value="">import history first</option>}
            {series.map((s) => (
              <option key={keyOf(s)} value={keyOf(s)}>
                {s.exchange} {s.symbol} {s.timeframe}
              </option>
            ))}
          </select>
        </label>
        <label>
          from
          <input
            type="date"
            data-testid="backtest-from"
            value={fromDay}
            onChange={(e) => useBacktestStore.setState({ fromDay: e.target.value })}
          />
        </label>
        <label>
          to
          <input
            type="date"
            data-testid="backtest-to"
            value={toDay}
            onChange={(e) => useBacktestStore.setState({ toDay: e.target.value })}
          />
        </label>
        {running ? (
          <button type="button" data-testid="backtest-cancel" onClick={() => void cancelBacktest()}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            data-testid="backtest-run"
            disabled={seriesKey === '' || templates.length === 0}
            onClick={() => void runBacktest()}
          >
            Run backtest
          </button>
        )}
      </div>
      {template?.description && <p className="bt-muted">{template.description}</p>}
      {template && (
        <ParameterFields parameters={template.parameters} values={parameters} disabled={running} />
      )}
      {(running || progress) && (
        <div className="bt-progress">
          <progress data-testid="backtest-progress" max={1} value={fraction} />
          <span data-testid="backtest-status">
            {progress?.status ?? 'running'} · {Math.round(fraction * 100)}%
          </span>
        </div>
      )}
      {recent.length > 0 && (
        <details className="bt-recent" open>
          <summary>Recent runs ({recent.length})</summary>
          <ul data-testid="backtest-recent">
            {recent.map((r) => (
              <li key={r.runId}>
                <button
                  type="button"
                  className={r.runId === runId ? 'bt-recent-run current' : 'bt-recent-run'}
                  aria-current={r.runId === runId ? 'true' : undefined}
                  disabled={r.status === 'running'}
                  onClick={() => void openBacktest(r.runId)}
                  title={`${r.strategyName} on ${r.series.exchange} ${r.series.symbol}, ${r.status}${
                    r.error ? `: ${r.error}` : ''
                  } — open`}
                  data-testid="backtest-recent-run"
                  data-run-id={r.runId}
                >
                  <span>{r.runId}</span>
                  <span className="bt-recent-name">{r.strategyName}</span>
                  <span className={r.roiPct !== null && r.roiPct < 0 ? 'bt-loss' : 'bt-win'}>
                    {r.roiPct === null ? r.status : `${r.roiPct.toFixed(2)}%`}
                  </span>
                  <span className="bt-muted">
                    {r.tradeCount === null ? '' : `${r.tradeCount} trades`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {error && (
        <p className="error" role="alert" data-testid="backtest-error">
          {error}
        </p>
      )}
      {result?.metrics && (
        <>
          <p className="bt-muted">
            {result.strategyName} on {result.series.exchange} {result.series.symbol} ·{' '}
            {result.bars.toLocaleString('en-US')} bars · paper fills at the next open, fees and
            slippage included; funding not modelled.
          </p>
          <MetricsTable metrics={result.metrics} />
          {result.equity.length > 0 && <EquityCurve points={result.equity} />}
          {result.templateId !== null && (
            <div className="bt-deploy" data-testid="backtest-deploy">
              <button
                type="button"
                data-testid="deploy-main"
                disabled={deploy.kind === 'deploying'}
                onClick={() => void deployTested(0)}
                title="Deploy these parameters as main on the current feed, paper trading"
              >
                Deploy as main
              </button>
              <button
                type="button"
                data-testid="deploy-variants"
                disabled={deploy.kind === 'deploying'}
                onClick={() => void deployTested(deployVariants)}
                title="Deploy these parameters as main plus variants drawn from the template's parameter space"
              >
                Deploy as main + variants
              </button>
              <label>
                variants
                <input
                  type="number"
                  min={1}
                  max={1000}
                  data-testid="deploy-count"
                  value={deployVariants}
                  onChange={(e) => {
                    const n = Math.round(e.target.valueAsNumber);
                    if (Number.isFinite(n))
                      useBacktestStore.setState({
                        deployVariants: Math.min(1000, Math.max(1, n)),
                      });
                  }}
                />
              </label>
              {deploy.kind === 'done' && (
                <span className="bt-ok" role="status" data-testid="deploy-result">
                  {deploy.message}
                </span>
              )}
              {deploy.kind === 'error' && (
                <span className="error" role="alert" data-testid="deploy-error">
                  {deploy.message}
                </span>
              )}
            </div>
          )}
          <TradesTable trades={result.trades} />
        </>
      )}
    </section>
  );
}
