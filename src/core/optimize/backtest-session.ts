import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../shared/market';
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  EquityCurve,
  type FillRecord,
  type OrderRecord,
  type SignalRecord,
  type StrategyInstance,
  type TradeRecord,
} from '../engine';
import type { PaperAccountConfigInput } from '../execution';
import { SINGLE_TRIAL, type MetricSnapshot, type TrialStats } from '../metrics';
import type { CompiledStrategy } from '../strategy';

/** One strategy to backtest, compiled, and where its bars come from. */
export interface BacktestSpec {
  readonly strategy: CompiledStrategy;
  /** Timeframe of the bars pushed (the stored series'); the strategy's must be a multiple. */
  readonly baseTimeframe: Timeframe;
  /** Id the records carry. */
  readonly variantId: string;
  readonly account?: PaperAccountConfigInput;
  /** N and V of the trial ledger for the DSR of the final metrics (one trial by default). */
  readonly trials?: TrialStats;
}

/** What a backtest produced: the same records and metrics a live variant produces. */
export interface BacktestOutcome {
  readonly variantId: string;
  /** Base bars traded (warm-up excluded). */
  readonly bars: number;
  readonly trades: TradeRecord[];
  readonly signals: SignalRecord[];
  readonly orders: OrderRecord[];
  readonly fills: FillRecord[];
  /** Equity at the close of every traded bar of the strategy's timeframe. */
  readonly equity: Array<{ time: number; equity: number }>;
  readonly metrics: MetricSnapshot;
}

/**
 * The engine set up for one backtest: a bar loop, one strategy instance on its own paper account,
 * its metrics and a record collector — exactly what a live variant runs, fed from stored bars.
 * The runner drives it; benchmarks drive it directly over bars in memory.
 */
export class BacktestSession {
  public readonly loop: EngineBarLoop;
  public readonly instance: StrategyInstance;
  private readonly records = new EngineRecordCollector();
  private readonly curve = new EquityCurve();
  private traded = 0;

  public constructor(private readonly spec: BacktestSpec) {
    this.loop = new EngineBarLoop({ baseTimeframe: spec.baseTimeframe });
    this.instance = createStrategyInstance({
      id: spec.variantId,
      strategy: spec.strategy,
      indicators: this.loop.indicators,
      ...(spec.account ? { account: spec.account } : {}),
      sink: this.records,
      equityCurve: this.curve,
    });
    this.loop.add(this.instance);
  }

  /** History before the first traded bar (oldest first): warms indicators and rules, trades nothing. */
  public warmUp(bars: Iterable<Candle>): void {
    this.loop.warmUp(bars);
  }

  /** One closed base bar, traded. */
  public push(bar: Candle): void {
    this.loop.onClosedBar(bar);
    this.traded++;
  }

  /** Runs every bar of `bars` (the hot loop: no per-bar work besides the engine's). */
  public pushAll(bars: readonly Candle[]): void {
    const loop = this.loop;
    // One equity point per closed bar of the strategy's timeframe: room for all of them now.
    const perPoint =
      TIMEFRAME_MS[this.spec.strategy.timeframe] / TIMEFRAME_MS[this.spec.baseTimeframe];
    this.curve.reserve(Math.ceil(bars.length / perPoint) + 1);
    for (let i = 0; i < bars.length; i++) loop.onClosedBar(bars[i] as Candle);
    this.traded += bars.length;
  }

  /** Trades, equity and metrics so far. */
  public outcome(): BacktestOutcome {
    return {
      variantId: this.spec.variantId,
      bars: this.traded,
      trades: this.records.trades,
      signals: this.records.signals,
      orders: this.records.orders,
      fills: this.records.fills,
      equity: this.curve.points(),
      metrics: this.instance.snapshot(this.spec.trials ?? SINGLE_TRIAL),
    };
  }

  /** Releases the instance's indicators. */
  public dispose(): void {
    this.instance.dispose();
    this.loop.dispose();
  }
}
