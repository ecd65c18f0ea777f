import { create } from 'zustand';
import type {
  BacktestProgress,
  BacktestResult,
  StrategyTemplateSummary,
} from '../../../shared/backtest';

/** The backtest panel's state; actions in ./backtest-actions set it. */
export interface BacktestState {
  templates: StrategyTemplateSummary[];
  templateId: string;
  /** `exchange|symbol|timeframe` of the chosen stored series. */
  seriesKey: string;
  /** Range as `YYYY-MM-DD` (UTC days, inclusive); empty means the series' first or last bar. */
  fromDay: string;
  toDay: string;
  runId: string | null;
  progress: BacktestProgress | null;
  result: BacktestResult | null;
  error: string | null;
}

// Its own small store: the panel is self-contained, and the app store's slices belong to the shell.
export const useBacktestStore = create<BacktestState>()(() => ({
  templates: [],
  templateId: 'ema-crossover-trend',
  seriesKey: '',
  fromDay: '',
  toDay: '',
  runId: null,
  progress: null,
  result: null,
  error: null,
}));
