import { create } from 'zustand';
import type { ChartSource } from '../../../shared/chart';
import type { VariantRow } from '../../../shared/variants';
import { compareVariants } from '../layout/natural-order';
import { currentApi, describeError } from '../store/actions';

/** Something the chart can show, as the selector lists it. */
export interface SourceOption {
  readonly source: ChartSource;
  readonly key: string;
  readonly label: string;
  /** The optgroup: a strategy's name, or "Backtest runs". */
  readonly group: string;
  /** A live variant's role; absent for a backtest run. */
  readonly role?: 'main' | 'variant';
}

export const RUNS_GROUP = 'Backtest runs';

/** `variant:<id>` or `backtest:<id>`; '' is raw price. */
export function sourceKey(source: ChartSource | null): string {
  if (source === null) return '';
  return source.kind === 'variant' ? `variant:${source.variantId}` : `backtest:${source.runId}`;
}

export function parseSourceKey(key: string): ChartSource | null {
  const i = key.indexOf(':');
  if (i < 0) return null;
  const id = key.slice(i + 1);
  if (id === '') return null;
  const kind = key.slice(0, i);
  if (kind === 'variant') return { kind: 'variant', variantId: id };
  if (kind === 'backtest') return { kind: 'backtest', runId: id };
  return null;
}

export function runOption(runId: string, label: string): SourceOption {
  const source: ChartSource = { kind: 'backtest', runId };
  return { source, key: sourceKey(source), label, group: RUNS_GROUP };
}

interface ChartSourcesState {
  /** Main and the variants of every deployed strategy, main first within each, natural order. */
  variants: SourceOption[];
  /** Why the list is empty when it could not be read (e.g. no variant manager in this build). */
  variantsError: string | null;
}

export const useChartSources = create<ChartSourcesState>()(() => ({
  variants: [],
  variantsError: null,
}));

function variantOption(row: VariantRow): SourceOption {
  const source: ChartSource = { kind: 'variant', variantId: row.variantId };
  const params = Object.entries(row.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return {
    source,
    key: sourceKey(source),
    label: row.role === 'main' ? `main · ${row.variantId}` : `${row.variantId} · ${params}`,
    group: `${row.strategyName} (${row.strategyId})`,
    role: row.role,
  };
}

async function loadChartSources(): Promise<void> {
  try {
    const rows = await currentApi().listVariants({});
    const sorted = [...rows].sort(compareVariants);
    useChartSources.setState({ variants: sorted.map(variantOption), variantsError: null });
  } catch (error) {
    useChartSources.setState({ variants: [], variantsError: describeError(error) });
  }
}

/** Reads at most once per this long, however many variants start or stop meanwhile. */
const REFRESH_GAP_MS = 1_000;
let refreshing: Promise<void> | null = null;
let again = false;

/**
 * Reads the live variants again (after a deploy, a stop, a reconnect). Calls while a read is
 * under way are folded into one more read after it: a deploy of 1,000 variants sends 1,000
 * `variantStarted` events, which must not become 1,000 reads of the whole list.
 */
export function refreshChartSources(): Promise<void> {
  if (refreshing !== null) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      await loadChartSources();
      if (again) await new Promise((r) => setTimeout(r, REFRESH_GAP_MS));
    } while (again);
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** The raw price mode shows the feed ('') or a stored series (`exchange|symbol|timeframe`). */
export const usePriceHistory = create<{ seriesKey: string }>()(() => ({ seriesKey: '' }));
