import { create, type StateCreator } from 'zustand';
import type { ImportReport } from '../../../shared/history';
import type { FeedStatus, SeriesSummary } from '../../../shared/market';
import { createAlertsSlice, type AlertsSlice } from '../alerts/alerts-slice';
import type { ConnectionState } from '../api/ws-transport';
import type { PageId } from '../layout/page';
import type { MarketChoiceSlice } from '../market/market-choice';
import { createTradesSlice, type TradesSlice } from '../trades/trades-slice';
import {
  createPositionsSlice,
  createSafetySlice,
  createVariantsSlice,
  type PositionsSlice,
  type SafetySlice,
  type VariantsSlice,
} from '../variants/variants-slice';

export interface ConnectionSlice {
  connection: ConnectionState;
  transport: 'electron' | 'websocket' | null;
}

export interface FeedSlice extends MarketChoiceSlice {
  feed: FeedStatus | null;
  feedError: string | null;
}

export interface HistorySlice {
  series: SeriesSummary[];
  importing: string | null;
  imports: ImportReport[];
  importError: string | null;
}

export interface NavigationSlice {
  page: PageId;
}

export type AppState = ConnectionSlice &
  FeedSlice &
  HistorySlice &
  NavigationSlice &
  VariantsSlice &
  PositionsSlice &
  SafetySlice &
  TradesSlice &
  AlertsSlice;

const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = () => ({
  connection: 'connecting',
  transport: null,
});

const createFeedSlice: StateCreator<AppState, [], [], FeedSlice> = () => ({
  feed: null,
  feedError: null,
  marketChoice: 'simulated',
  replaySpeedChoice: 100,
});

const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = () => ({
  series: [],
  importing: null,
  imports: [],
  importError: null,
});

const createNavigationSlice: StateCreator<AppState, [], [], NavigationSlice> = () => ({
  page: 'dashboard',
});

/** One bound store made of slices; actions live in ./actions and beside each feature's slice. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createFeedSlice(...a),
  ...createHistorySlice(...a),
  ...createNavigationSlice(...a),
  ...createVariantsSlice(...a),
  ...createPositionsSlice(...a),
  ...createSafetySlice(...a),
  ...createTradesSlice(...a),
  ...createAlertsSlice(...a),
}));
