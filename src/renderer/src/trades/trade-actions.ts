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

/** The newest read, so an export can wait for the table to show the filter it sends. */
let latestLoad: Promise<void> = Promise.resolve();

/** Reads the trades of the current filter; an answer to an older filter is dropped. */
export function loadTrades(): Promise<void> {
  latestLoad = readTrades();
  return latestLoad;
}

async function readTrades(): Promise<void> {
  const seq = ++requestSeq;
  const filter = useAppStore.getState().tradeFilter;
  stale = false;
  useAppStore.setState({ tradesLoading: true });
  try {
    const trades = await currentApi().listLiveTrades({ filter, limit: TRADES_LIMIT });
    if (seq !== requestSeq) return;
    useAppStore.setState({
      trades,
      shownTradeFilter: filter,
      tradesLoaded: true,
      tradesError: null,
      tradesLoading: false,
    });
  } catch (error) {
    if (seq !== requestSeq) return;
    useAppStore.setState({ tradesError: describeError(error), tradesLoading: false });
  }
}

/** Text typed into a filter field, applied once typing pauses (or at once by flushTradeFilter). */
const TYPING_PAUSE_MS = 300;
let typedPatch: Partial<LiveTradeFilter> | null = null;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

export function typeTradeFilter(patch: Partial<LiveTradeFilter>): void {
  typedPatch = { ...typedPatch, ...patch };
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = setTimeout(flushTradeFilter, TYPING_PAUSE_MS);
}

/** Applies typed text now (Enter, leaving the field, before an export). */
export function flushTradeFilter(): void {
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = undefined;
  const patch = typedPatch;
  typedPatch = null;
  if (patch === null) return;
  const current = useAppStore.getState().tradeFilter;
  const changed = (Object.keys(patch) as Array<keyof LiveTradeFilter>).some(
    (k) => (patch[k] || undefined) !== current[k],
  );
  if (changed) setTradeFilter(patch);
}

function dropTypedFilter(): void {
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = undefined;
  typedPatch = null;
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
  dropTypedFilter();
  useAppStore.setState({ tradeFilter: {} });
  void loadTrades();
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace(/[:T]/g, '-');

/**
 * Exports exactly the rows' filter through the host, then saves the text as a file: text still
 * being typed is applied first and the table's read awaited, so the file matches the table.
 */
export async function exportTrades(format: 'csv' | 'json'): Promise<void> {
  useAppStore.setState({ exporting: format, exportError: null });
  try {
    flushTradeFilter();
    await latestLoad;
    const filter = useAppStore.getState().shownTradeFilter;
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
