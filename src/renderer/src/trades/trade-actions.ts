import type { Api } from '../../../shared/api';
import type { LiveTradeFilter } from '../../../shared/variants';
import { currentApi, describeError } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { downloadText } from './download-file';
import { TRADES_LIMIT } from './trades-slice';

let reloadTimer: ReturnType<typeof setTimeout> | undefined;
let stale = true;
let requestSeq = 0;

/** New trades mark the table stale; it reloads (debounced) only while the Trades page is shown. */
export function wireTradeEvents(api: Api): void {
  api.on('tradeExecuted', () => {
    stale = true;
    if (useAppStore.getState().page === 'trades') scheduleReload();
  });
}

function scheduleReload(): void {
  if (reloadTimer !== undefined) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = undefined;
    void loadTrades();
  }, 500);
}

/** Called when the Trades page opens: read again if anything happened meanwhile. */
export function tradesPageShown(): void {
  if (stale || !useAppStore.getState().tradesLoaded) void loadTrades();
}

/** Reads the trades of the current filter; an answer to an older filter is dropped. */
export async function loadTrades(): Promise<void> {
  const seq = ++requestSeq;
  const filter = useAppStore.getState().tradeFilter;
  stale = false;
  useAppStore.setState({ tradesLoading: true });
  try {
    const trades = await currentApi().listLiveTrades({ filter, limit: TRADES_LIMIT });
    if (seq !== requestSeq) return;
    useAppStore.setState({ trades, tradesLoaded: true, tradesError: null, tradesLoading: false });
  } catch (error) {
    if (seq !== requestSeq) return;
    useAppStore.setState({ tradesError: describeError(error), tradesLoading: false });
  }
}

/** Changes the filter (undefined clears a field) and reloads the table with it. */
export function setTradeFilter(patch: Partial<LiveTradeFilter>): void {
  useAppStore.setState((s) => {
    const next: LiveTradeFilter = { ...s.tradeFilter, ...patch };
    for (const key of Object.keys(next) as Array<keyof LiveTradeFilter>)
      if (next[key] === undefined || next[key] === '') delete next[key];
    return { tradeFilter: next };
  });
  void loadTrades();
}

export function clearTradeFilter(): void {
  useAppStore.setState({ tradeFilter: {} });
  void loadTrades();
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** Exports exactly the table's filter through the host, then saves the text as a file. */
export async function exportTrades(format: 'csv' | 'json'): Promise<void> {
  const filter = useAppStore.getState().tradeFilter;
  useAppStore.setState({ exporting: format, exportError: null });
  try {
    const result = await currentApi().exportLiveTrades({ filter, format });
    const fileName = `parallax-trades-${stamp(Date.now())}.${format}`;
    downloadText(
      fileName,
      result.text,
      format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
    );
    useAppStore.setState({
      exporting: null,
      lastExport: { format, rows: result.rows, fileName },
    });
  } catch (error) {
    useAppStore.setState({
      exporting: null,
      exportError: `Export failed: ${describeError(error)}`,
    });
  }
}
