import type { Api } from '../../../shared/api';
import type { BacktestResult, StrategyTemplateSummary } from '../../../shared/backtest';
import type { SeriesKey } from '../../../shared/market';
import { currentApi, describeError } from '../store/actions';
import { selectChartSource, setChartMode, useChartSelection } from '../store/chart-selection-store';
import { useBacktestStore, type ParameterValue } from './backtest-store';

const DAY_MS = 86_400_000;
/** Stored runs the page lists. */
const RECENT_RUNS = 20;
/** Points of a stored run's equity curve (the store keeps none: the host replays the run). */
const EQUITY_POINTS = 20_000;
let listening = false;

const runLabel = (r: { runId: string; strategyName: string; series: { symbol: string } }): string =>
  `${r.runId} · ${r.strategyName} · ${r.series.symbol}`;

/**
 * Reads the newest stored runs: the page lists them, and the chart's selector offers the ended
 * ones beside this session's. Called on connecting and after each run ends.
 */
export async function loadRecentBacktests(): Promise<void> {
  let api: Api;
  try {
    api = currentApi();
  } catch {
    return;
  }
  try {
    const recent = await api.listBacktests({ limit: RECENT_RUNS });
    useBacktestStore.setState((s) => {
      const stored = recent
        .filter((r) => r.status !== 'failed' && r.status !== 'running')
        .reverse()
        .map((r) => ({ runId: r.runId, label: runLabel(r) }));
      const storedIds = new Set(stored.map((r) => r.runId));
      return { recent, runs: [...stored, ...s.runs.filter((r) => !storedIds.has(r.runId))] };
    });
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}

/** Shows a stored run: its metrics, trades and equity on the page, its trades on the chart. */
export async function openBacktest(runId: string): Promise<void> {
  useBacktestStore.setState({
    runId,
    result: null,
    progress: null,
    error: null,
    deploy: { kind: 'idle' },
  });
  await loadResult(runId);
}

/** `exchange|symbol|timeframe` → the series key. */
export function parseSeriesKey(key: string): SeriesKey | null {
  const [exchange, symbol, timeframe] = key.split('|');
  if (!exchange || !symbol || !timeframe) return null;
  return { exchange, symbol, timeframe } as SeriesKey;
}

/** A template's default parameter values. */
export function defaultParameters(
  template: StrategyTemplateSummary | undefined,
): Record<string, ParameterValue> {
  return Object.fromEntries((template?.parameters ?? []).map((p) => [p.name, p.default]));
}

/** Loads the templates and listens to backtest progress; safe to call more than once. */
export async function startBacktests(): Promise<void> {
  let api: Api;
  try {
    api = currentApi();
  } catch {
    return;
  }
  if (!listening) {
    listening = true;
    api.on('backtestProgress', (progress) => {
      if (progress.runId !== useBacktestStore.getState().runId) return;
      useBacktestStore.setState({ progress });
      if (progress.status !== 'running') {
        void loadResult(progress.runId);
        void loadRecentBacktests();
      }
    });
  }
  try {
    const templates = await api.listStrategyTemplates({});
    const { templateId, parameters } = useBacktestStore.getState();
    useBacktestStore.setState({
      templates,
      ...(Object.keys(parameters).length === 0
        ? { parameters: defaultParameters(templates.find((t) => t.id === templateId)) }
        : {}),
    });
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
  // After a reload (or a restart of the host) the page reopens the newest run that ended.
  await loadRecentBacktests();
  const { runId, recent } = useBacktestStore.getState();
  const last = recent.find((r) => r.status === 'completed' || r.status === 'cancelled');
  if (runId === null && last !== undefined) await openBacktest(last.runId);
}

/** Chooses a template; its parameters start at their defaults. */
export function chooseTemplate(templateId: string): void {
  const template = useBacktestStore.getState().templates.find((t) => t.id === templateId);
  useBacktestStore.setState({ templateId, parameters: defaultParameters(template) });
}

export function setParameter(name: string, value: ParameterValue): void {
  useBacktestStore.setState((s) => ({ parameters: { ...s.parameters, [name]: value } }));
}

/** Starts a backtest of the chosen template with the chosen parameters, series and range. */
export async function runBacktest(): Promise<void> {
  const state = useBacktestStore.getState();
  const series = parseSeriesKey(state.seriesKey);
  if (series === null) {
    useBacktestStore.setState({ error: 'choose a stored series first (import history)' });
    return;
  }
  const from = state.fromDay ? Date.parse(`${state.fromDay}T00:00:00Z`) : undefined;
  const to = state.toDay ? Date.parse(`${state.toDay}T00:00:00Z`) + DAY_MS - 1 : undefined;
  useBacktestStore.setState({
    error: null,
    result: null,
    progress: null,
    runId: null,
    deploy: { kind: 'idle' },
  });
  try {
    const { runId } = await currentApi().runBacktest({
      templateId: state.templateId,
      parameters: state.parameters,
      series,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
    // Progress that arrived before the id did is read with the result.
    useBacktestStore.setState({ runId });
    const now = await currentApi().getBacktestResult({ runId });
    if (now.status !== 'running') await loadResult(runId);
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}

/** Asks the host to stop the running backtest. */
export async function cancelBacktest(): Promise<void> {
  const { runId } = useBacktestStore.getState();
  if (runId === null) return;
  try {
    await currentApi().cancelBacktest({ runId });
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}

/**
 * Deploys the tested template and parameters on the current feed: as main alone
 * (`variants` 0), or as main plus that many variants drawn from its parameter space.
 */
export async function deployTested(variants: number): Promise<void> {
  const { result } = useBacktestStore.getState();
  if (result === null || result.templateId === null) return;
  useBacktestStore.setState({ deploy: { kind: 'deploying' } });
  try {
    const deployed = await currentApi().deployStrategy({
      templateId: result.templateId,
      parameters: result.parameters,
      variants,
    });
    const s = deployed.strategy;
    useBacktestStore.setState({
      deploy: {
        kind: 'done',
        message: `Deployed ${s.name} as ${s.strategyId} on ${s.series.exchange} ${s.series.symbol}: main${
          s.variantCount > 0 ? ` + ${s.variantCount} variants` : ' alone'
        }, paper trading. It warms up from stored history, then trades.`,
      },
    });
  } catch (error) {
    useBacktestStore.setState({ deploy: { kind: 'error', message: describeError(error) } });
  }
}

/**
 * A run read back from the store has no equity curve: the host replays it for the chart, and
 * the page draws the same curve.
 */
async function withEquity(result: BacktestResult): Promise<BacktestResult> {
  if (result.equity.length > 0 || result.metrics === null) return result;
  const [curve] = await currentApi().getEquityCurves({
    sources: [{ kind: 'backtest', runId: result.runId }],
    maxPoints: EQUITY_POINTS,
  });
  return curve === undefined ? result : { ...result, equity: curve.points };
}

async function loadResult(runId: string): Promise<void> {
  try {
    const result = await withEquity(await currentApi().getBacktestResult({ runId }));
    if (useBacktestStore.getState().runId !== runId) return;
    useBacktestStore.setState((s) => ({
      result,
      error: result.error,
      runs:
        result.status === 'failed' || s.runs.some((r) => r.runId === runId)
          ? s.runs
          : [...s.runs, { runId, label: runLabel(result) }],
    }));
    if (result.status === 'failed') return;
    // The run's trades go on the chart: its strategy mode.
    selectChartSource({ kind: 'backtest', runId });
    const { mode } = useChartSelection.getState();
    if (mode === 'price' || mode === 'comparison') setChartMode('strategy');
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}
