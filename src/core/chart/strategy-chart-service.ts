import type { ApiHandlers } from '../../shared/api';
import type { BacktestResult as BacktestResultView, TradeRow } from '../../shared/backtest';
import type { ChartSource, IndicatorOverlay, SignalRow, StrategyChart } from '../../shared/chart';
import type { Candle, SeriesKey } from '../../shared/market';
import { UserFacingError } from '../api/api-dispatcher';
import { createStrategyInstance } from '../engine';
import { signalTerms, type SignalRecord } from '../engine/engine-records';
import { IndicatorSet } from '../indicators';
import { loadWarmUpBars } from '../optimize/backtest-runner';
import { strategyTemplates, type StrategyTemplate } from '../optimize/strategy-template-catalog';
import type { CandleRepository } from '../store/candle-repository';
import type { Db } from '../store/database';
import { SignalRepository } from '../store/signal-repository';
import { TradeRepository, tradeRow } from '../store/trade-repository';
import { compileStrategy, formatStrategyIssue, type CompiledStrategy } from '../strategy';
import { INDICATOR_PLACEMENT } from './indicator-placement';
import type { LiveChartViews } from './live-chart-views';
import { replayStrategy, type StrategyReplay } from './strategy-replay';
import { thinPoints } from './thin-points';

/** Backtest runs by id (the BacktestService). */
export interface BacktestResults {
  /** @throws UserFacingError for an unknown run. */
  result(runId: string): BacktestResultView;
}

/** What the chart service reads. */
export interface StrategyChartServiceOptions {
  readonly db: Db;
  readonly candles: CandleRepository;
  readonly backtests: BacktestResults;
  /** Live variants (the variant manager); without it a variant source is answered "no variant". */
  readonly live?: LiveChartViews;
  /**
   * Closed base bars of a live series with open time ≥ `from`, oldest first: stored history, then
   * what the feed brought. Default: the candle store alone. See {@link storedThenFeedBars}.
   */
  readonly liveBars?: (series: SeriesKey, from: number) => Iterable<Candle>;
  /** The templates backtest runs are rebuilt from; the shipped ones by default. */
  readonly templates?: readonly StrategyTemplate[];
}

type Chart = StrategyChart;
type EquityPoint = { time: number; equity: number };

/** A finished run's chart over its whole range; the API slices the newest `limit` bars of it. */
interface FullChart {
  readonly strategyName: string;
  readonly strategy: CompiledStrategy;
  readonly series: SeriesKey;
  readonly replay: StrategyReplay;
  readonly signals: readonly SignalRecord[];
  readonly trades: readonly TradeRow[];
  readonly equity: readonly EquityPoint[];
}

/** Finished runs kept computed: flipping chart modes must not replay a run each time. */
const CACHED_RUNS = 4;

/**
 * The strategy, performance and comparison charts of backtest runs and live variants: candles of
 * the strategy's timeframe, the indicators its rules read recomputed by the engine's own bar
 * loop over the same bars (so the lines are the values the rules saw), the fired rules with
 * their terms from the signals table ("why it fired"), trades, equity and the open position.
 */
export class StrategyChartService {
  private readonly trades: TradeRepository;
  private readonly signals: SignalRepository;
  private readonly templates: readonly StrategyTemplate[];
  private readonly runs = new Map<string, FullChart>();

  public constructor(private readonly options: StrategyChartServiceOptions) {
    this.trades = new TradeRepository(options.db);
    this.signals = new SignalRepository(options.db);
    this.templates = options.templates ?? strategyTemplates();
  }

  /**
   * The strategy chart of `source`, its newest `limit` bars.
   * @throws UserFacingError for an unknown run or variant, or a run still running or failed.
   */
  public strategyChart(source: ChartSource, limit: number): Chart {
    return source.kind === 'backtest'
      ? this.backtestChart(source, limit)
      : this.variantChart(source, limit);
  }

  /**
   * Equity curves of `sources`, each thinned to at most `maxPoints` keeping each stretch's
   * extremes and its deepest drawdown (see thinPoints).
   * @throws UserFacingError naming the first unknown source.
   */
  public equityCurves(
    sources: readonly ChartSource[],
    maxPoints: number,
  ): Array<{ source: ChartSource; label: string; points: EquityPoint[] }> {
    return sources.map((source) => {
      if (source.kind === 'backtest') {
        const run = this.finishedRun(source.runId);
        const equity = run.equity.length > 0 ? run.equity : this.fullRun(run).equity;
        return {
          source,
          label: `${run.strategyName} · ${run.runId}`,
          points: [...thinPoints(equity, maxPoints)],
        };
      }
      const view = this.liveView(source.variantId);
      return {
        source,
        label: `${view.strategyName} · ${view.variantId}`,
        points: thinPoints(view.equity, maxPoints).map((p) => ({ time: p.time, equity: p.equity })),
      };
    });
  }

  private backtestChart(source: Extract<ChartSource, { kind: 'backtest' }>, limit: number): Chart {
    const full = this.fullRun(this.finishedRun(source.runId));
    return assemble(source, full, limit, null, full.replay.candles.at(-1)?.time ?? null);
  }

  private variantChart(source: Extract<ChartSource, { kind: 'variant' }>, limit: number): Chart {
    const view = this.liveView(source.variantId);
    const strategy = recompile(
      view.strategy.config,
      Object.fromEntries(view.strategy.parameters),
      `variant ${view.variantId}`,
    );
    const firstTraded = view.equity[0]?.time;
    const from =
      view.firstBarTime ??
      (firstTraded !== undefined ? Math.max(0, firstTraded - warmUpSpanMs(strategy)) : 0);
    const bars = (this.options.liveBars ?? ((s, f) => this.options.candles.iterate(s, f)))(
      view.series,
      from,
    );
    const replay = replayStrategy({
      strategy,
      baseTimeframe: view.series.timeframe,
      warmUp: () => [],
      bars,
    });
    const full: FullChart = {
      strategyName: view.strategyName,
      strategy,
      series: view.series,
      replay,
      signals: this.signals.list(view.runId, view.variantId),
      trades: this.trades.list({ runId: view.runId, variantId: view.variantId }).map(tradeRow),
      equity: view.equity,
    };
    return assemble(source, full, limit, view.position, view.recordsThrough);
  }

  private liveView(variantId: string): NonNullable<ReturnType<LiveChartViews['chartView']>> {
    const view = this.options.live?.chartView(variantId);
    if (view === undefined) {
      throw new UserFacingError(
        this.options.live === undefined
          ? `no variant ${variantId}: live variants are not running in this build`
          : `no variant ${variantId}`,
      );
    }
    return view;
  }

  private finishedRun(runId: string): BacktestResultView {
    const run = this.options.backtests.result(runId);
    if (run.status === 'running') {
      throw new UserFacingError(`backtest ${runId} is still running; its chart comes when it ends`);
    }
    if (run.status === 'failed') {
      throw new UserFacingError(`backtest ${runId} failed, so it has no chart: ${run.error ?? ''}`);
    }
    return run;
  }

  /** A finished run replayed over its range, from the cache when it was charted recently. */
  private fullRun(run: BacktestResultView): FullChart {
    const cached = this.runs.get(run.runId);
    if (cached !== undefined) {
      // Most recently used last, so the oldest is evicted first.
      this.runs.delete(run.runId);
      this.runs.set(run.runId, cached);
      return cached;
    }
    const template = this.templates.find((t) => t.id === run.templateId);
    if (template === undefined) {
      throw new UserFacingError(
        `backtest ${run.runId} was run from template ${run.templateId ?? '(none)'}, which this build does not ship`,
      );
    }
    const strategy = recompile(template.config, run.parameters, `backtest ${run.runId}`);
    const { candles } = this.options;
    // The runner's own warm-up and range: the same bars in, so the same values out.
    const replay = replayStrategy({
      strategy,
      baseTimeframe: run.series.timeframe,
      warmUp: (spanMs) => loadWarmUpBars(candles, run.series, run.from ?? undefined, spanMs),
      bars: take(
        candles.iterate(run.series, run.from ?? 0, run.to ?? Number.MAX_SAFE_INTEGER),
        run.bars,
      ),
    });
    const full: FullChart = {
      strategyName: run.strategyName,
      strategy,
      series: run.series,
      replay,
      signals: this.signals.list(run.runId, run.runId),
      trades: run.trades,
      equity:
        run.equity.length > 0
          ? run.equity
          : Array.from({ length: replay.equity.length }, (_, i) => ({
              time: (replay.candles[i] as Candle).time,
              equity: replay.equity.at(i),
            })),
    };
    this.runs.set(run.runId, full);
    for (const id of this.runs.keys()) {
      if (this.runs.size <= CACHED_RUNS) break;
      this.runs.delete(id);
    }
    return full;
  }
}

/** The API handlers of the chart service. */
export function chartHandlers(
  service: StrategyChartService,
): Pick<ApiHandlers, 'getStrategyChart' | 'getEquityCurves'> {
  return {
    getStrategyChart: ({ source, limit }) => service.strategyChart(source, limit),
    getEquityCurves: ({ sources, maxPoints }) => service.equityCurves(sources, maxPoints),
  };
}

/** The feed as the live chart reads it (the workstation's view of its current feed). */
export interface ChartFeedView {
  readonly series: SeriesKey;
  /** `replay` feeds play stored bars: the store holds their future. */
  readonly kind?: string;
  /** The newest closed bars the feed has produced, oldest first. */
  recent(limit: number): { candles: Candle[] };
  /**
   * Open time of the newest bar that counts as closed now, when the feed has produced none yet
   * (a replay's start − 1): stored bars after it are the future. Absent: no limit, except for
   * a replay that has played nothing, which charts no stored bar until it does.
   */
  readonly upTo?: number | null;
}

/**
 * Live bars for the chart: the stored history of `series` before the feed's first bar, then the
 * feed's own bars — for the series the feed plays; the store alone for any other. A replay's
 * series is stored ahead of the replay: only bars the feed has played (or, before it played
 * any, bars up to its `upTo`) may be charted.
 */
export function storedThenFeedBars(
  candles: CandleRepository,
  currentFeed: () => ChartFeedView | null,
): (series: SeriesKey, from: number) => Iterable<Candle> {
  return function* (series, from) {
    const feed = currentFeed();
    if (feed === null || !sameSeries(feed.series, series)) {
      yield* candles.iterate(series, from);
      return;
    }
    const played = feed.recent(1_000_000).candles;
    const first = played[0]?.time;
    const storedEnd =
      first !== undefined
        ? first - 1
        : (feed.upTo ?? (feed.kind === 'replay' ? -1 : Number.MAX_SAFE_INTEGER));
    if (from <= storedEnd) yield* candles.iterate(series, from, storedEnd);
    for (const bar of played) if (bar.time >= from) yield bar;
  };
}

function sameSeries(a: SeriesKey, b: SeriesKey): boolean {
  return a.exchange === b.exchange && a.symbol === b.symbol && a.timeframe === b.timeframe;
}

function recompile(
  config: unknown,
  parameters: Readonly<Record<string, number | string>>,
  what: string,
): CompiledStrategy {
  const compiled = compileStrategy(config, parameters);
  if (!compiled.ok) {
    throw new UserFacingError(
      `the strategy of ${what} no longer compiles: ${compiled.issues.map(formatStrategyIssue).join('; ')}`,
    );
  }
  return compiled.strategy;
}

/** How far back an instance of `strategy` warms up (the engine's own figure). */
function warmUpSpanMs(strategy: CompiledStrategy): number {
  const probe = createStrategyInstance({ id: 'span', strategy, indicators: new IndicatorSet() });
  try {
    return probe.warmUpSpanMs;
  } finally {
    probe.dispose();
  }
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let n = 0;
  for (const item of items) {
    yield item;
    if (++n >= count) return;
  }
}

/** The newest `limit` bars of `full`, with everything drawn over them. */
function assemble(
  source: ChartSource,
  full: FullChart,
  limit: number,
  position: StrategyChart['position'],
  recordsThrough: number | null,
): Chart {
  const { replay, strategy } = full;
  const n = replay.candles.length;
  const start = Math.max(0, n - limit);
  const since = n > 0 ? (replay.candles[start] as Candle).time : Number.MAX_SAFE_INTEGER;
  const times = replay.candles;
  // In the order the strategy declares its indicators (the engine's slots follow the rules).
  const declared = strategy.config.indicators.map((i) => i.id);
  const order = (ids: readonly string[]): number =>
    Math.min(...ids.map((id) => declared.indexOf(id)).filter((i) => i >= 0), declared.length);
  const replayed = [...replay.indicators].sort(
    (a, b) => order(a.requirement.ids) - order(b.requirement.ids),
  );
  const indicators: IndicatorOverlay[] = replayed.map(({ requirement, outputs }) => {
    const id = requirement.ids[0] ?? requirement.key;
    return {
      id,
      type: requirement.type,
      placement: INDICATOR_PLACEMENT[requirement.type],
      timeframe: requirement.timeframe,
      lines: outputs.map((column, o) => {
        const points: Array<{ time: number; value: number }> = [];
        for (let i = start; i < n; i++) {
          const value = column.at(i);
          if (Number.isFinite(value)) points.push({ time: (times[i] as Candle).time, value });
        }
        return {
          name: outputs.length === 1 ? id : `${id}.${requirement.outputs[o] ?? o}`,
          points,
        };
      }),
    };
  });
  const rules = strategy.config.rules;
  const signals: SignalRow[] = [];
  for (const s of full.signals) {
    if (s.time < since) continue;
    signals.push({
      time: s.time,
      rule: s.rule,
      action: s.action,
      orderId: s.orderId,
      expression: rules[s.rule] ?? '',
      terms: signalTerms(s),
    });
  }
  return {
    source,
    strategyName: full.strategyName,
    series: full.series,
    timeframe: strategy.timeframe,
    candles: replay.candles.slice(start),
    indicators,
    signals,
    trades: full.trades.filter((t) => t.exitTime >= since),
    equity: full.equity
      .filter((p) => p.time >= since)
      .map((p) => ({ time: p.time, equity: p.equity })),
    recordsThrough,
    position,
  };
}
