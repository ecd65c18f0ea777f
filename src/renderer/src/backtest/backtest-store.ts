import { create } from 'zustand';
import type {
  BacktestProgress,
  BacktestResult,
  BacktestRunSummary,
  StrategyTemplateSummary,
} from '../../../shared/backtest';

/** A parameter value as the form holds it. */
export type ParameterValue = number | string;

/** Where deploying the tested parameters stands. */
export type DeployState =
  | { kind: 'idle' }
  | { kind: 'deploying' }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string };

/** The backtest page's state; actions in ./backtest-actions set it. */
export interface BacktestState {
  templates: StrategyTemplateSummary[];
  templateId: string;
  /** Values of the chosen template's parameters (defaults until edited). */
  parameters: Record<string, ParameterValue>;
  /** `exchange|symbol|timeframe` of the chosen stored series. */
  seriesKey: string;
  /** Range as `YYYY-MM-DD` (UTC days, inclusive); empty means the series' first or last bar. */
  fromDay: string;
  toDay: string;
  runId: string | null;
  progress: BacktestProgress | null;
  result: BacktestResult | null;
  error: string | null;
  /** Finished runs (stored ones and this session's), newest last: the chart's selector offers them. */
  runs: Array<{ runId: string; label: string }>;
  /** The newest stored runs, newest first, as the host lists them (they outlive a reload). */
  recent: BacktestRunSummary[];
  /** Variants to deploy beside main with the tested parameters. */
  deployVariants: number;
  deploy: DeployState;
}

// Its own small store: the page is self-contained, and the app store's slices belong to the shell.
export const useBacktestStore = create<BacktestState>()(() => ({
  templates: [],
  templateId: 'ema-crossover-trend',
  parameters: {},
  seriesKey: '',
  fromDay: '',
  toDay: '',
  runId: null,
  progress: null,
  result: null,
  error: null,
  runs: [],
  recent: [],
  deployVariants: 5,
  deploy: { kind: 'idle' },
}));
