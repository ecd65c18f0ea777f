import type { Api } from '../../../shared/api';
import type { SeriesKey } from '../../../shared/market';
import { currentApi, describeError, selectFeed } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { useBacktestStore } from './backtest-store';
import { markerStream, tradeMarkers } from './trade-markers';

const DAY_MS = 86_400_000;
let listening = false;

/** `exchange|symbol|timeframe` → the series key. */
export function parseSeriesKey(key: string): SeriesKey | null {
  const [exchange, symbol, timeframe] = key.split('|');
  if (!exchange || !symbol || !timeframe) return null;
  return { exchange, symbol, timeframe } as SeriesKey;
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
      if (progress.status !== 'running') void loadResult(progress.runId);
    });
  }
  try {
    useBacktestStore.setState({ templates: await api.listStrategyTemplates({}) });
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}

/** Starts a backtest of the chosen template on the chosen series and range. */
export async function runBacktest(): Promise<void> {
  const state = useBacktestStore.getState();
  const series = parseSeriesKey(state.seriesKey);
  if (series === null) {
    useBacktestStore.setState({ error: 'choose a stored series first (import history)' });
    return;
  }
  const from = state.fromDay ? Date.parse(`${state.fromDay}T00:00:00Z`) : undefined;
  const to = state.toDay ? Date.parse(`${state.toDay}T00:00:00Z`) + DAY_MS - 1 : undefined;
  useBacktestStore.setState({ error: null, result: null, progress: null, runId: null });
  markerStream.set([]);
  try {
    const { runId } = await currentApi().runBacktest({
      templateId: state.templateId,
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

async function loadResult(runId: string): Promise<void> {
  try {
    const result = await currentApi().getBacktestResult({ runId });
    if (useBacktestStore.getState().runId !== runId) return;
    useBacktestStore.setState({ result, error: result.error });
    if (result.status === 'failed') return;
    await showOnChart(result.series, result.from, result.to);
    markerStream.set(tradeMarkers(result.trades));
  } catch (error) {
    useBacktestStore.setState({ error: describeError(error) });
  }
}

/**
 * Puts the tested bars on the chart: a replay of the same range as fast as possible, so the
 * chart shows exactly the bars the strategy traded; resolves once the replay has ended.
 */
async function showOnChart(
  series: SeriesKey,
  from: number | null,
  to: number | null,
): Promise<void> {
  await selectFeed({
    kind: 'replay',
    series,
    speed: 'max',
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to } : {}),
  });
  await new Promise<void>((resolve) => {
    // A replay that never ends (an error) must not keep the markers off the chart.
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, 30_000);
    const done = (): boolean => {
      const feed = useAppStore.getState().feed;
      return feed?.kind === 'replay' && feed.state === 'ended';
    };
    const stop = useAppStore.subscribe(() => {
      if (!done()) return;
      stop();
      clearTimeout(timer);
      resolve();
    });
    if (done()) {
      stop();
      clearTimeout(timer);
      resolve();
    }
  });
}
