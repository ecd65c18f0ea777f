import type { Timeframe } from '../../shared/market';
import type { PaperAccountConfigInput } from '../execution';
import type { MetricSnapshot, TrialStats } from '../metrics';
import type { ParameterValues } from '../strategy';
import type { TradeRecord } from './engine-records';

/** One variant of a sharded run: a strategy config and its parameter values, as plain data. */
export interface ShardVariant {
  readonly id: string;
  /** A strategy config (what `compileStrategy` takes). */
  readonly config: unknown;
  readonly parameters?: ParameterValues;
  readonly account?: PaperAccountConfigInput;
}

/** What a shard worker is started with (its `workerData`). */
export interface ShardJob {
  readonly baseTimeframe: Timeframe;
  /** Every bar of the run, packed by `packBars`: the same memory for every shard. */
  readonly bars: SharedArrayBuffer;
  /** The first bars only warm indicators and rules up; the rest are traded. */
  readonly warmUpBars: number;
  readonly variants: readonly ShardVariant[];
  /** Send the trades back, or only the metrics and record counts (nothing else is kept). */
  readonly trades: boolean;
  readonly trials: TrialStats;
  /**
   * Bars to run on throwaway copies of the shard (two passes, a fresh copy each) before saying
   * ready, so that the timed run starts on optimized code that stays optimized, as a
   * long-running engine has (benchmarks); 0 for none.
   */
  readonly jitWarmUpBars: number;
}

/** What a shard reports per variant. */
export interface ShardVariantOutcome {
  readonly id: string;
  readonly metrics: MetricSnapshot;
  /** Empty unless the run asked for trades. */
  readonly trades: readonly TradeRecord[];
  /** Records the variant produced (signals with their terms, orders, fills, trades). */
  readonly records: {
    readonly signals: number;
    readonly orders: number;
    readonly fills: number;
    readonly trades: number;
  };
}

/** Messages from a shard worker to the runner. */
export type ShardMessage =
  | { readonly type: 'ready'; readonly indicators: number }
  | {
      readonly type: 'done';
      /** Seconds the shard spent on the bars, warm-up included, results excluded. */
      readonly seconds: number;
      /** CPU seconds its thread used meanwhile (below `seconds` when it waited for a core). */
      readonly cpuSeconds: number;
      readonly outcomes: readonly ShardVariantOutcome[];
    }
  | { readonly type: 'failed'; readonly message: string };

/** Commands from the runner to a ready shard. */
export type ShardCommand = { readonly type: 'run' };
