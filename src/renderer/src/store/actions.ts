import { ApiError } from '../../../shared/api-errors';
import type { Api } from '../../../shared/api';
import type { Candle, FeedSelection, ReplaySpeed, SeriesKey } from '../../../shared/market';
import { loadAlerts, wireAlertEvents } from '../alerts/alert-actions';
import type { ApiConnection } from '../api/connect-api';
import type { PageId } from '../layout/page';
import { barStream } from '../market/bar-stream';
import { loadTrades, wireTradeEvents } from '../trades/trade-actions';
import { refreshVariantManager, wireVariantEvents } from '../variants/variant-actions';
import { useAppStore } from './app-store';

let api: Api | undefined;
const CHART_BARS = 100_000;

function requireApi(): Api {
  if (!api) throw new Error('API not connected yet');
  return api;
}

/** The session's API, for feature modules (e.g. the backtest panel) that call it themselves. */
export function currentApi(): Api {
  return requireApi();
}

/** Words for the person at the screen: the host's own message, or what went wrong in transit. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Wires API events to the store and the bar stream; called once at start. */
export function startSession(connection: ApiConnection): void {
  api = connection.api;
  useAppStore.setState({ transport: connection.transport });
  // Batches that arrive while a snapshot is loading are applied after it, newer bars only.
  let pendingBatches: Array<{
    series: SeriesKey;
    closed: Candle[];
    forming: Candle | null;
  }> | null = null;

  const reloadBars = async (): Promise<void> => {
    if (pendingBatches) return;
    pendingBatches = [];
    try {
      const snapshot = await requireApi().getFeedCandles({ limit: CHART_BARS });
      barStream.reset(snapshot.series, snapshot.candles, snapshot.forming);
      for (const b of pendingBatches) barStream.append(b.series, b.closed, b.forming);
    } catch (error) {
      useAppStore.setState({ feedError: describeError(error) });
    } finally {
      pendingBatches = null;
    }
  };

  connection.api.on('marketBars', (batch) => {
    if (pendingBatches) pendingBatches.push(batch);
    else if (barStream.isFor(batch.series))
      barStream.append(batch.series, batch.closed, batch.forming);
    else void reloadBars();
  });
  connection.api.on('feedStatus', (status) => {
    useAppStore.setState({ feed: status });
    if (!barStream.isFor(status.series)) void reloadBars();
  });
  connection.api.on('historyImported', () => void refreshSeries());
  wireVariantEvents(connection.api);
  wireTradeEvents(connection.api);
  wireAlertEvents(connection.api);

  connection.onState((state) => {
    useAppStore.setState({ connection: state });
    if (state === 'open') {
      void requireApi()
        .getFeedStatus({})
        .then((feed) => useAppStore.setState({ feed, feedError: null }))
        .catch((error: unknown) => useAppStore.setState({ feedError: describeError(error) }));
      void reloadBars();
      void refreshSeries();
      // After a reconnect anything may have changed: read the trading state back whole.
      void refreshVariantManager();
      void loadAlerts();
      if (useAppStore.getState().page === 'trades') void loadTrades();
    }
  });
}

/** Shows one of the pages (the tabs, Alt+1…4, and links such as "open the alert log"). */
export function showPage(page: PageId): void {
  useAppStore.setState({ page });
}

export async function refreshSeries(): Promise<void> {
  try {
    useAppStore.setState({ series: await requireApi().listSeries({}) });
  } catch (error) {
    useAppStore.setState({ importError: describeError(error) });
  }
}

export async function selectFeed(selection: FeedSelection): Promise<void> {
  try {
    const feed = await requireApi().selectFeed(selection);
    useAppStore.setState({ feed, feedError: null });
  } catch (error) {
    useAppStore.setState({ feedError: describeError(error) });
  }
}

/**
 * Starts a replay of `series` and resolves once the feed is that series: null, or the reason it
 * did not start. The deploy dialog deploys on the feed, so it must not deploy before this.
 */
export async function startReplayOf(series: SeriesKey, speed: ReplaySpeed): Promise<string | null> {
  const key = (s: SeriesKey): string => `${s.exchange}|${s.symbol}|${s.timeframe}`;
  await selectFeed({ kind: 'replay', series, speed });
  const now = useAppStore.getState();
  if (now.feed && key(now.feed.series) === key(series) && now.feed.kind === 'replay') return null;
  return now.feedError ?? `the feed is ${now.feed?.label ?? 'not running'}, not the replay`;
}

export async function setReplaySpeed(speed: ReplaySpeed): Promise<void> {
  try {
    const feed = await requireApi().setReplaySpeed({ speed });
    useAppStore.setState({ feed, feedError: null });
  } catch (error) {
    useAppStore.setState({ feedError: describeError(error) });
  }
}

/** Sends each file to the host's importer; the host validates every row. */
export async function importFiles(files: readonly File[]): Promise<void> {
  useAppStore.setState({ importError: null });
  for (const file of files) {
    useAppStore.setState({ importing: file.name });
    try {
      const contentBase64 = await fileToBase64(file);
      const report = await requireApi().importHistory({ fileName: file.name, contentBase64 });
      useAppStore.setState((s) => ({ imports: [report, ...s.imports].slice(0, 20) }));
    } catch (error) {
      useAppStore.setState({ importError: describeError(error) });
    }
  }
  useAppStore.setState({ importing: null });
  await refreshSeries();
}

async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
