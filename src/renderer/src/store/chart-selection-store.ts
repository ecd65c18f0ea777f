import { create } from 'zustand';
import type { ChartSource } from '../../../shared/chart';

/** What the chart draws: raw price, one strategy's view, its performance, or several compared. */
export type ChartMode = 'price' | 'strategy' | 'performance' | 'comparison';

export interface ChartSelectionState {
  /** Whose chart: null is raw price of the current feed. */
  source: ChartSource | null;
  mode: ChartMode;
  /** The equity curves the comparison mode overlays. */
  comparison: ChartSource[];
}

/**
 * Shared by the leaderboard (a row click selects a variant) and the chart (which draws it), so
 * neither knows the other: both read and write this store only.
 */
export const useChartSelection = create<ChartSelectionState>()(() => ({
  source: null,
  mode: 'price',
  comparison: [],
}));

const sameSource = (a: ChartSource, b: ChartSource): boolean =>
  a.kind === b.kind &&
  (a.kind === 'variant'
    ? a.variantId === (b as typeof a).variantId
    : a.runId === (b as Extract<ChartSource, { kind: 'backtest' }>).runId);

/** Shows one strategy's chart; raw price again with null. */
export function selectChartSource(source: ChartSource | null): void {
  useChartSelection.setState((s) => ({
    source,
    mode: source === null ? 'price' : s.mode === 'price' ? 'strategy' : s.mode,
  }));
}

export function setChartMode(mode: ChartMode): void {
  useChartSelection.setState({ mode });
}

/** Adds a source to the comparison, or removes it when it is already there. */
export function toggleComparison(source: ChartSource): void {
  useChartSelection.setState((s) => ({
    comparison: s.comparison.some((c) => sameSource(c, source))
      ? s.comparison.filter((c) => !sameSource(c, source))
      : [...s.comparison, source],
  }));
}
