/** The running sums of a {@link ReturnMoments}: count, mean, central sums M2–M4, Σ min(r, 0)². */
export interface ReturnMomentsState {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
  readonly m3: number;
  readonly m4: number;
  readonly downsideSq: number;
  /** Zero returns counted but not yet combined into the sums above (in `count` neither). */
  readonly zeros: number;
}

/** A {@link DrawdownTracker}'s peak (−∞ before the first mark) and maximum drawdown so far. */
export interface DrawdownState {
  readonly peak: number;
  readonly maxDrawdown: number;
}

/** A {@link TradeTally}'s counters and sums. */
export interface TradeTallyState {
  readonly count: number;
  readonly wins: number;
  readonly losses: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly netPnl: number;
}

/**
 * Everything a {@link MetricsTracker} accumulated, so that a restored tracker goes on with exactly
 * the same sums (plain numbers; the engine's checkpoint encodes ±∞ for JSON). The options it was
 * built with (timeframe, E₀, SR*) are the tracker's own and are checked, not restored.
 */
export interface MetricsTrackerState {
  readonly initialEquity: number;
  readonly periodsPerYear: number;
  readonly equity: number;
  readonly bars: number;
  readonly exposedBars: number;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  readonly returns: ReturnMomentsState;
  readonly drawdown: DrawdownState;
  readonly trades: TradeTallyState;
}
