import type { StateCreator } from 'zustand';
import type { LiveTradeFilter, LiveTradeRow } from '../../../shared/variants';
import type { AppState } from '../store/app-store';

/** Rows the trades table asks for at most; the page says when a filter matches more. */
export const TRADES_LIMIT = 5_000;

export interface TradesSlice {
  /** The filter the table shows, and exactly the one an export sends. */
  tradeFilter: LiveTradeFilter;
  trades: LiveTradeRow[];
  /** The filter `trades` was read with: the rows on screen, and what an export sends. */
  shownTradeFilter: LiveTradeFilter;
  tradesLoading: boolean;
  tradesLoaded: boolean;
  tradesError: string | null;
  exporting: 'csv' | 'json' | null;
  exportError: string | null;
  /** The last export, for the notice beside the buttons. */
  lastExport: { format: 'csv' | 'json'; rows: number; fileName: string } | null;
}

export const createTradesSlice: StateCreator<AppState, [], [], TradesSlice> = () => ({
  tradeFilter: {},
  trades: [],
  shownTradeFilter: {},
  tradesLoading: false,
  tradesLoaded: false,
  tradesError: null,
  exporting: null,
  exportError: null,
  lastExport: null,
});
