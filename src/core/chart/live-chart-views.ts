import type { SeriesKey } from '../../shared/market';
import type { CompiledStrategy } from '../strategy';

/** The open position's levels, as the strategy chart draws them. */
export interface LiveChartPosition {
  readonly side: 'long' | 'short';
  readonly entryPrice: number;
  readonly stopPrice: number | null;
  readonly targetPrice: number | null;
  readonly liquidationPrice: number | null;
}

/** What the chart needs to know about one live variant (main included). */
export interface LiveChartView {
  readonly strategyName: string;
  /**
   * The variant's compiled strategy. Read only: the chart recompiles its config with its
   * parameters for its own replay, so the variant's rule state is never touched.
   */
  readonly strategy: CompiledStrategy;
  /** The base bar series the variant's bar loop is fed (the feed's series). */
  readonly series: SeriesKey;
  /** The run its orders, trades and signals are stored under. */
  readonly runId: string;
  readonly variantId: string;
  /** Equity at each closed bar of its timeframe, oldest first. */
  readonly equity: ReadonlyArray<{ readonly time: number; readonly equity: number }>;
  readonly position: LiveChartPosition | null;
  /** Open time of the newest bar of its timeframe the variant evaluated (null before any). */
  readonly recordsThrough: number | null;
  /**
   * Open time of the first base bar the variant read, warm-up included, when known: the chart's
   * replay starts there too, so its indicator values are the variant's own (an EMA remembers
   * where it started).
   */
  readonly firstBarTime?: number | null;
}

/** Live variants by id; the variant manager implements it (`VariantManager.chartView`). */
export interface LiveChartViews {
  chartView(variantId: string): LiveChartView | undefined;
}
