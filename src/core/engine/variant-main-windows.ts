import type { Timeframe } from '../../shared/market';
import {
  MetricsTracker,
  type MetricSnapshot,
  type MetricsTrackerState,
  type TrialStats,
} from '../metrics';
import {
  decodeMetricsState,
  encodeMetricsState,
  type MetricsCheckpoint,
} from './instance-checkpoint';

/** A window as persisted with its strategy. */
export interface MainWindowCheckpoint {
  readonly start: number;
  readonly metrics: MetricsCheckpoint;
}

/**
 * Main measured over each variant's lifetime, for the promotion gate's "higher Sharpe than main
 * over the window both have traded": one metrics tracker of main's returns per distinct first
 * trading bar of a variant (variants deployed together share one). A window's equity is chained
 * from main's own bar returns, so a main that is restarted or promoted (same account) still
 * gives a continuous series.
 */
export class MainWindows {
  private readonly windows = new Map<number, MetricsTracker>();

  public constructor(private readonly timeframe: Timeframe) {}

  public get size(): number {
    return this.windows.size;
  }

  /** Starts a window at a variant's first trading bar; main's equity before that bar is E₀. */
  public open(start: number, mainEquityBefore: number): void {
    if (this.windows.has(start)) return;
    this.windows.set(
      start,
      new MetricsTracker({
        timeframe: this.timeframe,
        initialEquity: mainEquityBefore > 0 ? mainEquityBefore : 1,
      }),
    );
  }

  /** Main's bar: its account went from `before` to `after`; every window at or after its start takes the return. */
  public onMainBar(time: number, before: number, after: number, exposed: boolean): void {
    for (const [start, w] of this.windows) {
      if (time < start || (w.lastTime !== null && time <= w.lastTime)) continue;
      const ratio = before > 0 ? after / before : 1;
      w.onBar(time, Math.max(0, w.equity * ratio), exposed);
    }
  }

  /** Main's metrics over the window starting at `start`, if there is one. */
  public snapshot(start: number, trials: TrialStats): MetricSnapshot | undefined {
    return this.windows.get(start)?.snapshot(trials);
  }

  /** Forgets windows no variant measures against any more. */
  public retain(starts: ReadonlySet<number>): void {
    for (const start of [...this.windows.keys()])
      if (!starts.has(start)) this.windows.delete(start);
  }

  public checkpoint(): MainWindowCheckpoint[] {
    return [...this.windows].map(([start, w]) => ({
      start,
      metrics: encodeMetricsState(w.checkpoint()),
    }));
  }

  public restore(windows: readonly MainWindowCheckpoint[]): void {
    for (const { start, metrics } of windows) {
      const state: MetricsTrackerState = decodeMetricsState(metrics);
      const w = new MetricsTracker({
        timeframe: this.timeframe,
        initialEquity: state.initialEquity,
      });
      w.restore(state);
      this.windows.set(start, w);
    }
  }
}
