import type { Candle, Timeframe } from '../../shared/market';
import { createStrategyInstance, EngineBarLoop, EquityCurve, TimeframeRoller } from '../engine';
import type { IndicatorLease, IndicatorReader } from '../indicators';
import type { CompiledStrategy, IndicatorRequirement } from '../strategy';

/** Values appended one per bar, in a Float64Array that doubles when full. */
class GrowingColumn {
  private data: Float64Array;
  private count = 0;

  public constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  public get length(): number {
    return this.count;
  }

  public push(value: number): void {
    if (this.count === this.data.length) {
      const bigger = new Float64Array(this.count * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = value;
  }

  public at(index: number): number {
    return this.data[index] as number;
  }
}

/**
 * Hears every traded bar of the instance's own timeframe. The instance marks equity right after
 * the bar loop has updated every indicator for that bar — all timeframes — and before its rules
 * read them: the one moment the chart must sample to show exactly what the rules saw.
 */
class BarProbe extends EquityCurve {
  public constructor(private readonly onBar: (time: number, equity: number) => void) {
    super(16);
  }

  public override push(time: number, equity: number): void {
    this.onBar(time, equity);
  }
}

/** One indicator the rules read, sampled at every strategy bar. */
export interface ReplayedIndicator {
  readonly requirement: IndicatorRequirement;
  /** One column per output, catalogue order; NaN while it warms up. */
  readonly outputs: readonly GrowingColumnView[];
}

/** Read access to a sampled column. */
export interface GrowingColumnView {
  readonly length: number;
  at(index: number): number;
}

/** What the strategy saw, one entry per traded bar of its timeframe, oldest first. */
export interface StrategyReplay {
  readonly timeframe: Timeframe;
  /** Bars of the strategy's timeframe built from the base bars exactly as the engine builds them. */
  readonly candles: readonly Candle[];
  readonly indicators: readonly ReplayedIndicator[];
  /** Equity at each bar's close on a fresh paper account (backtest parity: same bars, same trades). */
  readonly equity: GrowingColumnView;
}

/** What to replay. */
export interface StrategyReplayInput {
  /** A freshly compiled strategy (its rules keep state, so never one a live instance runs). */
  readonly strategy: CompiledStrategy;
  /** The timeframe of the bars given. */
  readonly baseTimeframe: Timeframe;
  /**
   * History before the first charted bar, oldest first, given how much the engine wants
   * (`StrategyInstance.warmUpSpanMs`): warms indicators and rules, is not charted.
   */
  readonly warmUp: (spanMs: number) => Iterable<Candle>;
  /** The charted base bars, oldest first. */
  readonly bars: Iterable<Candle>;
}

/**
 * Runs the strategy through the engine's own bar loop and instance — the shared indicator set,
 * the higher-timeframe roll-up and the warm-up of a backtest — and samples, at every closed bar
 * of the strategy's timeframe, the bar itself, every output of every indicator its rules read,
 * and equity. Higher-timeframe indicators are therefore sampled at their last closed bar, as the
 * rules read them (a step line on the chart). Costs one backtest of the range.
 */
export function replayStrategy(input: StrategyReplayInput): StrategyReplay {
  const { strategy, baseTimeframe } = input;
  const timeframe = strategy.timeframe;
  const loop = new EngineBarLoop({ baseTimeframe });
  const candles: Candle[] = [];
  const equity = new GrowingColumn(1024);
  // The chart's own roll-up of the strategy's bars, pushed each base bar just before the loop's.
  const roller = timeframe === baseTimeframe ? null : new TimeframeRoller(timeframe, baseTimeframe);
  let lastBase: Candle | null = null;
  let leases: IndicatorLease[] = [];
  let readers: IndicatorReader[] = [];
  let columns: GrowingColumn[][] = [];
  const probe = new BarProbe((time, value) => {
    candles.push(strategyBar(time, roller, lastBase));
    equity.push(value);
    for (let r = 0; r < readers.length; r++) {
      const out = (readers[r] as IndicatorReader).outputs;
      const cols = columns[r] as GrowingColumn[];
      for (let o = 0; o < cols.length; o++) (cols[o] as GrowingColumn).push(out[o] as number);
    }
  });
  const instance = createStrategyInstance({
    id: 'chart',
    strategy,
    indicators: loop.indicators,
    equityCurve: probe,
  });
  try {
    loop.add(instance);
    // The instance holds the indicators; a second lease on each reads the very same objects.
    leases = strategy.requirements.map((r) =>
      loop.indicators.acquire({
        type: r.type,
        params: r.params,
        ...(r.source === null ? {} : { source: r.source }),
        timeframe: r.timeframe,
      }),
    );
    readers = leases.map((l) => l.indicator);
    columns = readers.map((r) =>
      Array.from({ length: r.outputCount }, () => new GrowingColumn(1024)),
    );
    const feed = (bar: Candle, trading: boolean): void => {
      roller?.push(bar);
      lastBase = bar;
      if (trading) loop.onClosedBar(bar);
      else loop.warmUp([bar]);
    };
    for (const bar of input.warmUp(instance.warmUpSpanMs)) feed(bar, false);
    for (const bar of input.bars) feed(bar, true);
    return {
      timeframe,
      candles,
      indicators: strategy.requirements.map((requirement, i) => ({
        requirement,
        outputs: columns[i] as GrowingColumn[],
      })),
      equity,
    };
  } finally {
    for (const lease of leases) lease.dispose();
    instance.dispose();
    loop.dispose();
  }
}

/** The strategy bar that closed at `time`: the roller's (closed, or closed by a gap), or the base bar. */
function strategyBar(time: number, roller: TimeframeRoller | null, base: Candle | null): Candle {
  if (roller === null) {
    if (base === null || base.time !== time) throw new Error(`internal: no base bar at ${time}`);
    return { ...base };
  }
  const bar =
    roller.didClose && roller.closed.time === time
      ? roller.closed
      : roller.gapDidClose && roller.gapClosed.time === time
        ? roller.gapClosed
        : null;
  if (bar === null) throw new Error(`internal: no ${roller.target} bar closed at ${time}`);
  return {
    time: bar.time,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  };
}
