import { create, type StateCreator } from 'zustand';
import type { ImportReport } from '../../../shared/history';
import type { FeedStatus, SeriesSummary } from '../../../shared/market';
import type { ConnectionState } from '../api/ws-transport';

export interface ConnectionSlice {
  connection: ConnectionState;
  transport: 'electron' | 'websocket' | null;
}

export interface FeedSlice {
  feed: FeedStatus | null;
  feedError: string | null;
}

export interface HistorySlice {
  series: SeriesSummary[];
  importing: string | null;
  imports: ImportReport[];
  importError: string | null;
}

export type AppState = ConnectionSlice & FeedSlice & HistorySlice;

const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = () => ({
  connection: 'connecting',
  transport: null,
});

const createFeedSlice: StateCreator<AppState, [], [], FeedSlice> = () => ({
  feed: null,
  feedError: null,
});

const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = () => ({
  series: [],
  importing: null,
  imports: [],
  importError: null,
});

/** One bound store made of slices; actions live in ./actions as plain functions over setState. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createFeedSlice(...a),
  ...createHistorySlice(...a),
}));
