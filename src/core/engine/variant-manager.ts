import type { EventName, EventPayload } from '../../shared/api';
import type { Disposable } from '../../shared/disposable';
import {
  TIMEFRAME_MS,
  type Candle,
  type CandleEvent,
  type FeedKind,
  type FeedStatus,
  type SeriesKey,
} from '../../shared/market';
import {
  CircuitBreakerLimitsSchema,
  type Alert,
  type AlertKind,
  type CircuitBreakerLimits,
  type CircuitBreakerState,
  type DeployStrategyParams,
  type LiveTradeFilter,
  type PositionRow,
  type PromotionAuditRow,
  type PromotionDecision as PromotionDecisionView,
  type PromotionPreview,
  type StrategySummary,
  type VariantAction,
  type VariantRow,
} from '../../shared/variants';
import { UserFacingError } from '../api/api-dispatcher';
import { PaperExchange, type OrderExitReason } from '../execution';
import {
  MetricsTracker,
  promotionGate,
  type MetricSnapshot,
  type PromotionDecision,
  type TrialStats,
} from '../metrics';
import { sampleParameterSets } from '../optimize/parameter-sampler';
import { strategyTemplates, type StrategyTemplate } from '../optimize/strategy-template-catalog';
import {
  CircuitBreaker,
  VariantSafetyLimits,
  type CircuitBreakerCheckpoint,
  type SafetyLimitsCheckpoint,
} from '../risk';
import { compileStrategy, formatStrategyIssue, type CompiledStrategy } from '../strategy';
import { AlertRepository } from '../store/alert-repository';
import { AppSettingRepository } from '../store/app-setting-repository';
import type { CandleRepository } from '../store/candle-repository';
import type { Db } from '../store/database';
import { EngineRecordWriter, type RecordBatch } from '../store/engine-record-writer';
import {
  ensureCacheSizeKb,
  InlineStoreCommitter,
  type SqlStatement,
  type StoreCommitter,
} from '../store/store-commit';
import {
  LiveStrategyRepository,
  type StoredParameters,
  type StoredStrategy,
  type StoredVariant,
} from '../store/live-strategy-repository';
import { LiveTradeRepository, liveTradeRow } from '../store/live-trade-repository';
import { MetricSnapshotRepository } from '../store/metric-snapshot-repository';
import { PromotionAuditRepository } from '../store/promotion-audit-repository';
import { parameterKey } from '../store/trial-ledger-repository';
import type { Clock } from '../time/clock';
import { EngineBarLoop } from './engine-bar-loop';
import type { EngineRecordSink } from './engine-records';
import { decodeMetricsState, type InstanceCheckpoint } from './instance-checkpoint';
import { paperAccountFor } from './risk-orders';
import { StrategyInstance } from './strategy-instance';
import { ThinnedEquityCurve } from './variant-equity-points';
import { SummedEquity } from './variant-summed-equity';
import { MainWindows, type MainWindowCheckpoint } from './variant-main-windows';
import {
  decisionView,
  LiveStrategy,
  sameSeries,
  seriesText,
  variantMetrics,
  VariantRuntime,
  type VariantCheckpoint,
  type VariantClosing,
} from './variant-runtime';
import { TrialLedger } from './variant-trial-ledger';

/** Where the manager reads the bars the current feed has shown (warm-up of unstored series). */
export interface VariantFeedView {
  readonly series: SeriesKey;
  /** The newest closed bars the feed has produced, oldest first. */
  recent(limit: number): { candles: Candle[] };
  /**
   * Open time of the newest bar that counts as closed "now": warm-up history ends there (a
   * replay's position, not the end of the stored series). Null: the newest bar it produced.
   */
  readonly upTo: number | null;
  /** The feed's kind and state, for the rows' words ("the replay has ended"); unknown when absent. */
  readonly kind?: FeedKind;
  readonly state?: FeedStatus['state'];
}

/** What a {@link VariantManager} runs on; the workstation passes its own, a benchmark its own. */
export interface VariantManagerOptions {
  readonly db: Db;
  readonly candles: CandleRepository;
  readonly clock: Clock;
  /** Receives the API events (the workstation's event hub). */
  readonly emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** The current feed, whose series new strategies bind to. */
  readonly feed: () => VariantFeedView | null;
  readonly templates?: readonly StrategyTemplate[];
  /** Metric events at most this often, ms. Default 250 (≤ 4 events/s). */
  readonly flushIntervalMs?: number;
  /**
   * Store commits at most this often, ms (a tick commits when this much has passed since the
   * last commit; reads and commands commit first). Default 1,000: commits dominate the live
   * path's cost, and what a hard kill loses in between is recomputed from stored candles.
   */
  readonly commitIntervalMs?: number;
  /**
   * Records buffered before a commit happens between two bars regardless of the timer. Default:
   * 100 per variant, from 2,000 to 50,000.
   */
  readonly maxBufferedRecords?: number;
  /** Keep a metric snapshot row per variant at most this often (clock ms). Default 60 s. */
  readonly snapshotIntervalMs?: number;
  /**
   * Where commits go: the store's own thread (the workstation's, on a file) or, by default, `db`
   * on the calling thread. Its owner disposes it, after the manager.
   */
  readonly committer?: StoreCommitter;
  readonly log?: (message: string) => void;
}

/** A strategy's own state persisted beside its variants' checkpoints. */
interface StrategyState {
  readonly windows: readonly MainWindowCheckpoint[];
}

/** Everything a chart of one variant needs from the engine (for the chart service). */
export interface VariantChartView {
  readonly strategyName: string;
  readonly strategy: CompiledStrategy;
  readonly config: CompiledStrategy['config'];
  readonly series: SeriesKey;
  readonly runId: string;
  readonly variantId: string;
  readonly equity: Array<{ time: number; equity: number }>;
  /** First base bar the strategy's indicators were warmed from (the chart replays from it). */
  readonly firstBarTime: number | null;
  /** Open time of the newest bar of its timeframe it evaluated: its records are complete to here. */
  readonly recordsThrough: number | null;
  readonly position: {
    readonly side: 'long' | 'short';
    readonly entryPrice: number;
    readonly stopPrice: number | null;
    readonly targetPrice: number | null;
    readonly liquidationPrice: number | null;
  } | null;
}

/** History used to warm new variants: this many times the longest warm-up, at least. */
const WARMUP_FACTOR = 3;
const MIN_WARMUP_BARS = 300;
/** Re-warming after a restart reads at most this many base bars (else the newest ones). */
const MAX_REWARM_BARS = 250_000;
const BREAKER_LIMITS_KEY = 'circuitBreaker.limits';
const BREAKER_STATE_KEY = 'circuitBreaker.state';
const LAST_SEEN_KEY = 'feed.lastSeen';
const MIN_COMMIT_RECORDS = 2_000;
const MAX_COMMIT_RECORDS = 50_000;
/**
 * SQLite page cache per registered variant, KB. A commit inserts each variant's records at its own
 * place in every record table (keys run, variant, seq) and rewrites its checkpoint row: past ~250
 * variants their pages outgrow the connection's 16 MB default and every commit reads pages back
 * (variants bench, 1,000 variants: 64 MB instead of 16 took 4–7 % off the CPU time).
 */
const PAGE_CACHE_KB_PER_VARIANT = 64;
/** Bounds the cache of a huge deployment. */
const PAGE_CACHE_KB_MAX = 256 * 1024;

/**
 * The live optimizer beside the main strategy. Deploys a template as main plus N variants drawn
 * from its parameter space, all in one {@link EngineBarLoop} per strategy (identical indicators
 * computed once, each variant on its own paper account, metrics and safety limits), fed closed
 * base bars of the series it was deployed on. It starts, pauses, resumes, restarts, stops and
 * kills variants at run time; isolates a variant that throws; enforces per-variant safety limits
 * and the global circuit breaker; keeps the trial ledger, decides promotion candidates, promotes
 * without stopping main; and commits records with checkpoints in one transaction per flush, so
 * after a hard kill {@link restore} continues exactly where the store says it was.
 */
export class VariantManager implements Disposable {
  private readonly strategies = new Map<string, LiveStrategy>();
  private readonly variants = new Map<string, VariantRuntime>();
  /** The circuit breaker's counted equities, one slot per runtime in the map's order. */
  private readonly summedEquity = new SummedEquity();
  private readonly repo: LiveStrategyRepository;
  private readonly liveTrades: LiveTradeRepository;
  private readonly audit: PromotionAuditRepository;
  private readonly alertRepo: AlertRepository;
  private readonly settingsRepo: AppSettingRepository;
  private readonly snapshots: MetricSnapshotRepository;
  public readonly ledger: TrialLedger;
  private readonly breaker: CircuitBreaker;
  private readonly templates: readonly StrategyTemplate[];
  private readonly flushIntervalMs: number;
  private readonly commitIntervalMs: number;
  private readonly committer: StoreCommitter;
  private readonly maxBufferedRecords: number | null;
  private readonly snapshotIntervalMs: number;
  private readonly log: (message: string) => void;
  private readonly breakerTrip: Disposable;
  private tickTimer: Disposable | null = null;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  private lastSnapshotAt = Number.NEGATIVE_INFINITY;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /** A commit is owed: the last tick skipped it. */
  private commitOwed = false;
  private feedSeries: SeriesKey | null = null;
  private breakerDirty = false;
  /** Last closed bar seen per series, committed with the strategies' progress. */
  private readonly lastSeen: Map<string, number>;
  private lastSeenDirty = false;
  /** Series whose bars the distributor dropped, from which bar. */
  private readonly missed = new Map<string, { series: SeriesKey; from: number }>();
  /** The last bar's series and its key: a feed sends the same series object bar after bar. */
  private keyOf: { series: SeriesKey; key: string } | null = null;
  /** The newest closed bar received (the market's "now", also in a replay) and its series. */
  private barNow: { series: SeriesKey; time: number } | null = null;
  private disposed = false;

  public constructor(private readonly options: VariantManagerOptions) {
    const { db } = options;
    this.repo = new LiveStrategyRepository(db);
    this.liveTrades = new LiveTradeRepository(db);
    this.audit = new PromotionAuditRepository(db);
    this.alertRepo = new AlertRepository(db);
    this.settingsRepo = new AppSettingRepository(db);
    this.snapshots = new MetricSnapshotRepository(db);
    this.ledger = new TrialLedger(db);
    this.templates = options.templates ?? strategyTemplates();
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.commitIntervalMs = options.commitIntervalMs ?? 1_000;
    this.committer = options.committer ?? new InlineStoreCommitter(db);
    this.maxBufferedRecords = options.maxBufferedRecords ?? null;
    this.snapshotIntervalMs = options.snapshotIntervalMs ?? 60_000;
    this.log = options.log ?? ((m) => console.warn(`[parallax] ${m}`));
    const stored = CircuitBreakerLimitsSchema.safeParse(
      this.settingsRepo.get(BREAKER_LIMITS_KEY) ?? {},
    );
    this.breaker = new CircuitBreaker(
      stored.success ? stored.data : CircuitBreakerLimitsSchema.parse({}),
      options.clock,
    );
    const state = this.settingsRepo.get(BREAKER_STATE_KEY);
    if (state !== undefined) {
      try {
        this.breaker.restore(state as CircuitBreakerCheckpoint);
      } catch (error) {
        this.log(`circuit breaker state not restored: ${message(error)}`);
      }
    }
    this.breakerTrip = this.breaker.onTrip((s) => this.onBreakerTrip(s));
    const seen = this.settingsRepo.get(LAST_SEEN_KEY);
    this.lastSeen = new Map(
      seen !== null && typeof seen === 'object'
        ? Object.entries(seen).filter((e): e is [string, number] => typeof e[1] === 'number')
        : [],
    );
  }

  // ─── Bars ────────────────────────────────────────────────────────────────────────────────

  /** A bar from the distributor; closed base bars of a strategy's series are traded. */
  public onBar(event: CandleEvent): void {
    if (this.disposed || !event.closed) return;
    this.barNow = { series: event.series, time: event.candle.time };
    let keyOf = this.keyOf;
    if (keyOf === null || keyOf.series !== event.series) {
      keyOf = { series: event.series, key: seriesId(event.series) };
      this.keyOf = keyOf;
    }
    const key = keyOf.key;
    if ((this.lastSeen.get(key) ?? Number.NEGATIVE_INFINITY) < event.candle.time) {
      this.lastSeen.set(key, event.candle.time);
      this.lastSeenDirty = true;
      this.requestTick();
    }
    let stepped = false;
    for (const s of this.strategies.values()) {
      if (!s.active || !sameSeries(s.series, event.series)) continue;
      if (this.advance(s, event.candle)) stepped = true;
    }
    if (!stepped) return;
    this.markBreakerEquity(event.candle.time);
    if (this.bufferedRecords() >= this.commitThreshold()) this.commit(false);
    this.requestTick();
  }

  /**
   * The distributor dropped closed bars of `series` from `firstMissed` on (this consumer fell too
   * far behind). The next bar fills the gap from the store; should none come, the next tick does.
   */
  public onBarsMissed(series: SeriesKey, firstMissed: number): void {
    const key = seriesId(series);
    this.missed.set(key, {
      series,
      from: Math.min(this.missed.get(key)?.from ?? firstMissed, firstMissed),
    });
    this.requestTick();
  }

  /** Trades stored bars of series whose bars were dropped, up to the newest stored one. */
  private catchUpMissed(): void {
    if (this.missed.size === 0) return;
    const missed = [...this.missed.values()];
    this.missed.clear();
    let stepped = false;
    for (const { series } of missed) {
      const newest = this.options.candles.last(series, 1).at(-1);
      if (newest === undefined) continue;
      const upTo = Math.min(newest.time, this.options.feed()?.upTo ?? newest.time);
      for (const s of this.strategies.values()) {
        if (!s.active || !sameSeries(s.series, series) || s.lastTime === null || s.lastTime >= upTo)
          continue;
        for (const bar of this.options.candles.iterate(series, s.lastTime + 1, upTo))
          this.step(s, bar);
        stepped = true;
      }
      const key = seriesId(series);
      if ((this.lastSeen.get(key) ?? Number.NEGATIVE_INFINITY) < upTo) {
        this.lastSeen.set(key, upTo);
        this.lastSeenDirty = true;
      }
      if (stepped) this.markBreakerEquity(upTo);
    }
  }

  /**
   * The feed changed: strategies of other series wait (their rows say so). A replay (re)started
   * before bars a strategy of its series has already traded cannot make it trade them again: it
   * takes no bar until the replay passes its last one. That is said in its rows and in an alert,
   * never left silent.
   */
  public onFeedChanged(series: SeriesKey): void {
    this.feedSeries = series;
    for (const rt of this.variants.values()) rt.uiDirty = true;
    const feed = this.options.feed();
    const behind = [...this.strategies.values()].filter(
      (s) => s.active && sameSeries(s.series, series) && this.behindFeed(s, feed),
    );
    if (behind.length > 0) {
      const last = Math.max(...behind.map((s) => s.lastTime ?? 0));
      this.alert(
        'replay-behind',
        'warning',
        `the ${seriesText(series)} ${feed?.kind ?? 'feed'} starts before bars already traded: ` +
          `${behind.map((s) => s.id).join(', ')} ${behind.length === 1 ? 'takes' : 'take'} no bar until it passes ${utcText(last)} UTC, ` +
          `the last bar ${behind.length === 1 ? 'it' : 'they'} traded`,
        behind.length === 1
          ? { strategyId: behind[0]!.id, variantId: null }
          : { strategyId: null, variantId: null },
        last,
      );
    }
    this.requestTick();
  }

  /** The feed's state changed (a replay ended, a link came back): the rows' words follow. */
  public onFeedStatus(): void {
    for (const rt of this.variants.values()) rt.uiDirty = true;
    this.requestTick();
  }

  /** The feed shows `s`'s series but has not reached the last bar `s` traded. */
  private behindFeed(s: LiveStrategy, feed: VariantFeedView | null): boolean {
    return (
      feed !== null &&
      sameSeries(feed.series, s.series) &&
      s.lastTime !== null &&
      feed.upTo !== null &&
      feed.upTo < s.lastTime
    );
  }

  /**
   * The last closed bar of `series` the manager processed, as committed: a replay of it resumes
   * after this bar (strategies on it processed it in the same commit).
   */
  public lastSeenTime(series: SeriesKey): number | null {
    return this.lastSeen.get(seriesId(series)) ?? null;
  }

  private advance(s: LiveStrategy, bar: Candle): boolean {
    if (s.lastTime !== null && bar.time <= s.lastTime) return false;
    const baseMs = TIMEFRAME_MS[s.series.timeframe];
    if (s.lastTime !== null && bar.time > s.lastTime + baseMs) {
      // Bars that closed while the strategy was not fed (app down, feed elsewhere, a paused
      // subscription): traded from the store first, so stops see every bar.
      for (const missed of this.options.candles.iterate(s.series, s.lastTime + 1, bar.time - 1))
        this.step(s, missed);
    }
    this.step(s, bar);
    return true;
  }

  private step(s: LiveStrategy, bar: Candle): void {
    const main = s.main;
    const mainBefore = main.instance?.metrics.equity ?? 0;
    const mainBarsBefore = main.instance?.metrics.bars ?? 0;
    s.loop.onClosedBar(bar);
    // Only main is ever given a loop of its own (by a promotion).
    main.ownLoop?.onClosedBar(bar);
    s.lastTime = bar.time;
    s.dirty = true;
    const variants = s.variants;
    for (let i = 0; i < variants.length; i++) {
      const rt = variants[i] as VariantRuntime;
      const instance = rt.instance;
      if (instance === null) continue;
      const m = instance.metrics;
      const bars = m.bars;
      if (bars === rt.seenBars) continue;
      const first = rt.seenBars === 0 || bars === 1;
      rt.seenBars = bars;
      if (first && rt.role === 'variant' && m.firstTime !== null)
        s.windows.open(m.firstTime, mainBefore);
      this.afterVariantBar(rt, instance, m);
    }
    const mi = main.instance;
    if (mi !== null && mi.metrics.bars !== mainBarsBefore && mi.metrics.lastTime !== null)
      s.windows.onMainBar(
        mi.metrics.lastTime,
        mainBefore,
        mi.metrics.equity,
        mi.execution.barExposed,
      );
  }

  private afterVariantBar(rt: VariantRuntime, instance: StrategyInstance, m: MetricsTracker): void {
    rt.uiDirty = true;
    rt.persistDirty = true;
    const equity = m.equity;
    const time = m.lastTime;
    if (time !== null) rt.curve.push(time, equity);
    rt.markEquity(equity);
    if (rt.closing !== null) {
      if (instance.execution.positionSide === null && !instance.execution.hasPendingExit)
        this.finishStop(rt);
      return;
    }
    if (rt.status === 'warming' && instance.warm) rt.status = rt.paused ? 'paused' : 'running';
    const breach = rt.safety?.onEquity(equity) ?? null;
    if (breach !== null) {
      this.beginStop(rt, `safety limit: ${breach.message}`, 'safetyLimit');
      this.alert('safety-stop', 'warning', `${rt.id} stopped: ${breach.message}`, rt);
    }
  }

  private markBreakerEquity(time: number): void {
    // Every account has stepped the bars up to `time`: their closed trades count now, even when
    // the last account that traded left the sum on this bar.
    this.breaker.settleBars(time);
    this.breakerDirty = true;
    const total = this.summedEquity.total();
    if (total === null) return;
    this.breaker.onEquity(time, total);
    this.breakerDirty = true;
  }

  /** Counts an account in the breaker's summed equity from now on. */
  private addToSum(rt: VariantRuntime, equity: number): void {
    if (rt.summed !== null) return;
    this.breaker.adjustBaseline(equity);
    rt.summed = equity;
  }

  private removeFromSum(rt: VariantRuntime): void {
    if (rt.summed === null) return;
    this.breaker.adjustBaseline(-rt.summed);
    rt.summed = null;
  }

  // ─── Deploy ──────────────────────────────────────────────────────────────────────────────

  /**
   * Compiles the template with main's parameters, draws the variants, warms everyone up from
   * stored history (or the feed's recent bars) and starts them on the current feed's series.
   * @throws UserFacingError for real mode, an unknown template, bad parameters or no feed.
   */
  public deploy(params: DeployStrategyParams): {
    strategy: StrategySummary;
    variants: VariantRow[];
  } {
    if (params.mode === 'real') {
      throw new UserFacingError(
        'real trading is not built yet: deploy in paper mode (mode "paper")',
      );
    }
    const template = this.templates.find((t) => t.id === params.templateId);
    if (template === undefined)
      throw new UserFacingError(`no strategy template named ${params.templateId}`);
    const feed = this.options.feed();
    if (feed === null) throw new UserFacingError('no feed is selected: select a market first');
    const mainCompiled = compileOrThrow(template.config, params.parameters, 'parameters');
    const drawn = sampleParameterSets(
      template.config.parameters,
      params.variants,
      params.sampler,
      params.seed,
      { avoid: [resolved(mainCompiled)] },
    );
    const compiled = [mainCompiled];
    drawn.forEach((set, i) =>
      compiled.push(compileOrThrow(template.config, set, `variants[${i}]`)),
    );

    const now = this.options.clock.nowMs();
    const strategyId = `s${this.repo.nextStrategyNumber()}`;
    const series = feed.series;
    const settings = {
      variants: params.variants,
      sampler: params.sampler,
      seed: params.seed,
      safety: params.safety,
      initialCash: params.initialCash,
      mode: params.mode,
    };
    const s = this.newStrategy({
      strategyId,
      name: template.config.meta.name,
      templateId: template.id,
      ledgerKey: `template:${template.id}`,
      config: template.config,
      version: 1,
      mainParameters: resolved(mainCompiled),
      series,
      strategyTimeframe: mainCompiled.timeframe,
      settings,
      autoPromote: false,
      active: true,
      originTime: null,
      lastTime: null,
      state: null,
      createdAt: now,
    });
    compiled.forEach((c, i) => {
      const rt = new VariantRuntime(
        s,
        i === 0 ? `${strategyId}-main` : `${strategyId}-v${i}`,
        i === 0 ? 'main' : 'variant',
        i,
        resolved(c),
        params.mode,
        now,
      );
      s.variants.push(rt);
      this.createInstance(rt, c);
    });
    // Everything below can throw (a timeframe the series cannot build): nothing is kept then.
    try {
      for (const rt of s.variants) rt.lifetime = s.loop.add(rt.instance as StrategyInstance);
    } catch (error) {
      for (const rt of s.variants) rt.instance?.dispose();
      throw new UserFacingError(
        `${template.config.meta.name} cannot run on ${seriesText(series)}: ${message(error)}`,
      );
    }
    const history = this.warmUpHistory(
      series,
      s.variants.map((rt) => rt.instance as StrategyInstance),
      feed,
    );
    s.loop.warmUp(history);
    s.originTime = history[0]?.time ?? null;
    s.lastTime = history.at(-1)?.time ?? null;
    for (const rt of s.variants) {
      const instance = rt.instance as StrategyInstance;
      rt.status = instance.warm ? 'running' : 'warming';
      rt.seenBars = instance.metrics.bars;
      this.addToSum(rt, instance.metrics.equity);
    }
    this.writeNow();
    this.options.db.transaction(() => {
      this.repo.insertStrategy(
        this.storedStrategy(s),
        s.variants.map((rt) => this.storedVariant(rt)),
        now,
      );
      for (const rt of s.variants) this.ledger.add(s.ledgerKey, rt.parameters, 'live', now);
    })();
    this.register(s);
    const trials = this.trials(s);
    const rows = s.variants.map((rt) => this.row(rt, trials));
    for (const row of rows) this.options.emit('variantStarted', row);
    this.requestTick();
    return { strategy: this.summary(s), variants: rows };
  }

  private newStrategy(stored: StoredStrategy): LiveStrategy {
    const windows = new MainWindows(stored.strategyTimeframe);
    const loop = new EngineBarLoop({
      baseTimeframe: stored.series.timeframe,
      onInstanceError: (instance, error) => this.onInstanceError(instance.id, error),
    });
    const writer = new EngineRecordWriter(this.options.db, stored.strategyId, {
      maxBuffered: Number.POSITIVE_INFINITY,
      continueRun: true,
    });
    return new LiveStrategy(
      stored.strategyId,
      stored.name,
      stored.templateId,
      stored.ledgerKey,
      compileConfig(stored.config),
      stored.version,
      stored.mainParameters,
      stored.series,
      stored.strategyTimeframe,
      stored.settings,
      stored.autoPromote,
      stored.active,
      stored.originTime,
      stored.lastTime,
      stored.createdAt,
      loop,
      writer,
      windows,
    );
  }

  private storedStrategy(s: LiveStrategy): StoredStrategy {
    return {
      strategyId: s.id,
      name: s.name,
      templateId: s.templateId,
      ledgerKey: s.ledgerKey,
      config: s.config,
      version: s.version,
      mainParameters: s.mainParameters,
      series: s.series,
      strategyTimeframe: s.timeframe,
      settings: s.settings,
      autoPromote: s.autoPromote,
      active: s.active,
      originTime: s.originTime,
      lastTime: s.lastTime,
      state: null,
      createdAt: s.createdAt,
    };
  }

  private storedVariant(rt: VariantRuntime): StoredVariant {
    return {
      variantId: rt.id,
      strategyId: rt.strategy.id,
      role: rt.role,
      ordinal: rt.ordinal,
      parameters: rt.parameters,
      mode: rt.mode,
      status: rt.status,
      statusReason: rt.reason,
      startedAt: rt.startedAt,
      checkpoint: null,
    };
  }

  private register(s: LiveStrategy): void {
    this.strategies.set(s.id, s);
    for (const rt of s.variants) {
      rt.joinSum(this.summedEquity, this.variants.get(rt.id));
      this.variants.set(rt.id, rt);
    }
    this.growPageCache();
  }

  /** Grows the connection's page cache with the variants (never shrinks one set larger). */
  private growPageCache(): void {
    const kb = Math.min(PAGE_CACHE_KB_MAX, PAGE_CACHE_KB_PER_VARIANT * this.variants.size);
    ensureCacheSizeKb(this.options.db, kb);
    this.committer.ensureCacheSizeKb(kb);
  }

  /**
   * A fresh instance on its own paper account, metrics and safety limits (not yet in the loop),
   * reading the strategy's shared indicators unless given others (those of a loop of its own).
   */
  private createInstance(
    rt: VariantRuntime,
    compiled: CompiledStrategy,
    indicators = rt.strategy.loop.indicators,
  ): StrategyInstance {
    const s = rt.strategy;
    const exchange = new PaperExchange(
      paperAccountFor(compiled.risk, { initialCash: s.settings.initialCash }),
    );
    const metrics = new MetricsTracker({
      timeframe: compiled.timeframe,
      initialEquity: exchange.config.initialCash,
    });
    rt.sink ??= this.sinkFor(rt);
    const instance = new StrategyInstance({
      id: rt.id,
      strategy: compiled,
      indicators,
      execution: exchange,
      metrics,
      sink: rt.sink,
    });
    rt.instance = instance;
    rt.exchange = exchange;
    rt.compiled = compiled;
    rt.safety = new VariantSafetyLimits(s.settings.safety, exchange.config.initialCash);
    rt.seenBars = 0;
    rt.frozen = null;
    this.applyBlock(rt);
    return instance;
  }

  private sinkFor(rt: VariantRuntime): EngineRecordSink {
    const s = rt.strategy;
    return {
      onSignal: (r) => s.writer.onSignal(r),
      onOrder: (r) => {
        s.writer.onOrder(r);
        if (r.status === 'submitted') this.breaker.onOrder();
      },
      onTrade: (r) => {
        s.writer.onTrade(r);
        // A fill on a base bar inside the strategy's own bar changes the row's position before
        // its metrics step: resend the row now, not at the strategy bar's close (which may never
        // come once a replay ends).
        rt.uiDirty = true;
        this.breaker.onTrade(r.exitTime, r.netPnl);
        this.options.emit(
          'tradeExecuted',
          liveTradeRow({ ...r, runId: s.id, strategyId: s.id, role: rt.role }),
        );
      },
    };
  }

  /**
   * Closed base bars to warm `instances` with, oldest first, ending at the newest bar the feed
   * has shown: stored bars of the series, completed by the feed's own recent bars.
   */
  private warmUpHistory(
    series: SeriesKey,
    instances: readonly StrategyInstance[],
    feed: VariantFeedView | null,
    upTo?: number,
  ): Candle[] {
    const baseMs = TIMEFRAME_MS[series.timeframe];
    const span = instances.reduce((m, i) => Math.max(m, i.warmUpSpanMs), 0);
    const n = Math.max(MIN_WARMUP_BARS, Math.ceil((span * WARMUP_FACTOR) / baseMs));
    const recent =
      feed !== null && sameSeries(feed.series, series) ? feed.recent(n).candles : ([] as Candle[]);
    const current = feed !== null && sameSeries(feed.series, series) ? feed.upTo : null;
    const end = upTo ?? recent.at(-1)?.time ?? current ?? Number.MAX_SAFE_INTEGER;
    const stored = this.options.candles.last(series, n, end);
    const byTime = new Map<number, Candle>();
    for (const c of stored) byTime.set(c.time, c);
    for (const c of recent) if (c.time <= end) byTime.set(c.time, c);
    return [...byTime.values()].sort((a, b) => a.time - b.time).slice(-n);
  }

  // ─── Control ─────────────────────────────────────────────────────────────────────────────

  /** Pause, resume, stop or restart one variant (main included). */
  public control(variantId: string, action: VariantAction): VariantRow {
    const rt = this.variantOrThrow(variantId);
    this.apply(rt, action);
    this.requestTick();
    return this.row(rt);
  }

  /** The same action on main and every variant of a strategy. */
  public controlStrategy(strategyId: string, action: VariantAction): VariantRow[] {
    const s = this.strategyOrThrow(strategyId);
    for (const rt of s.variants) {
      const ended = rt.status === 'stopped' || rt.status === 'error';
      if ((action === 'pause' || action === 'resume') && (ended || rt.closing !== null)) continue;
      if (action === 'stop' && (ended || rt.closing !== null)) continue;
      this.apply(rt, action);
    }
    this.requestTick();
    return s.variants.map((rt) => this.row(rt));
  }

  /** Stops a variant now: its position closes at the next bar's open. */
  public kill(variantId: string): VariantRow {
    const rt = this.variantOrThrow(variantId);
    if (rt.instance !== null && rt.closing === null)
      this.beginStop(rt, 'killed by a person', 'kill');
    this.requestTick();
    return this.row(rt);
  }

  private apply(rt: VariantRuntime, action: VariantAction): void {
    const ended = rt.instance === null || rt.closing !== null;
    switch (action) {
      case 'pause':
      case 'resume':
        if (ended)
          throw new UserFacingError(
            `${rt.id} is ${rt.status}${rt.closing ? ' (closing its position)' : ''}: restart it instead`,
          );
        rt.paused = action === 'pause';
        rt.status = rt.paused ? 'paused' : rt.instance?.warm ? 'running' : 'warming';
        this.applyBlock(rt);
        rt.uiDirty = rt.persistDirty = true;
        return;
      case 'stop':
        if (!ended) this.beginStop(rt, 'stopped by a person', 'manual');
        return;
      case 'restart':
        this.restart(rt);
        return;
    }
  }

  private applyBlock(rt: VariantRuntime): void {
    const instance = rt.instance;
    if (instance === null) return;
    instance.entriesBlockedBy =
      rt.closing !== null
        ? `stopping: ${rt.closing.reason}`
        : this.breaker.tripped
          ? `circuit breaker: ${this.breaker.state().reason ?? 'tripped'}`
          : rt.paused
            ? 'paused'
            : null;
  }

  /**
   * Ends a variant: new entries stop now; an open position gets an exit for the next bar's open
   * and the variant leaves the loop once it is flat. Its status reads `stopped` from now on.
   */
  private beginStop(rt: VariantRuntime, reason: string, exit: OrderExitReason): void {
    const instance = rt.instance;
    if (instance === null || rt.closing !== null) return;
    rt.status = 'stopped';
    rt.reason = reason;
    rt.paused = false;
    rt.closing = { status: 'stopped', reason, exit };
    this.applyBlock(rt);
    rt.uiDirty = rt.persistDirty = true;
    const queued = instance.flatten(exit);
    if (!queued && instance.execution.positionSide === null) this.finishStop(rt);
  }

  /** The variant is flat: it leaves the loop and the breaker's sum; its last numbers stay. */
  private finishStop(rt: VariantRuntime): void {
    const instance = rt.instance;
    if (instance === null) return;
    const closing = rt.closing;
    // Kept without its `closing`: the exit has been done, and a checkpoint still closing would
    // bring the variant back after a restart as an instance taking one more bar into its metrics.
    const cp = this.checkpointOf(rt);
    rt.lastCheckpoint = cp === null ? null : { ...cp, closing: null };
    rt.frozen = {
      metrics: frozenMetrics(rt.strategy, instance.metrics),
      position: instance.execution.positionSide,
    };
    rt.lifetime?.dispose();
    rt.lifetime = null;
    instance.dispose();
    this.dropOwnLoop(rt);
    rt.instance = null;
    rt.exchange = null;
    rt.safety = null;
    rt.closing = null;
    rt.status = closing?.status ?? rt.status;
    rt.reason = closing?.reason ?? rt.reason;
    this.removeFromSum(rt);
    rt.uiDirty = rt.persistDirty = true;
    this.queueSnapshot(rt, rt.frozen.metrics.snapshot(this.trials(rt.strategy)));
    this.updateActive(rt.strategy);
    this.options.emit('variantStopped', {
      variantId: rt.id,
      strategyId: rt.strategy.id,
      status: rt.status,
      reason: rt.reason,
    });
  }

  private onInstanceError(variantId: string, error: unknown): void {
    const rt = this.variants.get(variantId);
    if (rt === undefined || rt.instance === null) return;
    const reason = `error: ${message(error)}`;
    this.log(
      `variant ${variantId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    const instance = rt.instance;
    try {
      rt.lastCheckpoint = this.checkpointOf(rt);
      rt.frozen = {
        metrics: frozenMetrics(rt.strategy, instance.metrics),
        position: instance.execution.positionSide,
      };
    } catch {
      // A broken instance may not even give its numbers: the last committed ones stay.
      rt.frozen = null;
    }
    // The loop has removed it already; the lease and subscription go with the instance.
    rt.lifetime = null;
    instance.dispose();
    this.dropOwnLoop(rt);
    rt.instance = null;
    rt.exchange = null;
    rt.safety = null;
    rt.closing = null;
    rt.status = 'error';
    rt.reason = reason;
    this.removeFromSum(rt);
    rt.uiDirty = rt.persistDirty = true;
    this.updateActive(rt.strategy);
    this.alert('variant-error', 'warning', `${rt.id} stopped by an error: ${message(error)}`, rt);
    this.options.emit('variantStopped', {
      variantId: rt.id,
      strategyId: rt.strategy.id,
      status: 'error',
      reason,
    });
  }

  /**
   * A new instance with the same parameters on a fresh account (an open position is closed at
   * the last close first), warmed from stored history; order and trade ids continue.
   */
  private restart(rt: VariantRuntime, parameters: StoredParameters = rt.parameters): void {
    const s = rt.strategy;
    const compiled = compileOrThrow(s.config, parameters, 'parameters');
    const old = rt.instance;
    let counters: { nextOrderId: number; nextTradeId: number } | null = null;
    const previous = old !== null ? old.checkpoint() : rt.lastCheckpoint?.instance;
    if (previous !== undefined) {
      counters = {
        nextOrderId: previous.exchange.nextOrderId,
        nextTradeId: previous.exchange.nextTradeId,
      };
    }
    if (old !== null && rt.exchange !== null) {
      const lastClose = rt.exchange.checkpoint().lastClose;
      if (rt.exchange.positionSide !== null && Number.isFinite(lastClose) && s.lastTime !== null)
        rt.exchange.closeNow({ price: lastClose, time: s.lastTime }, 'manual');
      counters = {
        nextOrderId: rt.exchange.checkpoint().nextOrderId,
        nextTradeId: rt.exchange.checkpoint().nextTradeId,
      };
      rt.lifetime?.dispose();
      old.dispose();
      this.dropOwnLoop(rt);
      this.removeFromSum(rt);
    }
    rt.instance = null;
    rt.closing = null;
    rt.paused = false;
    rt.parameters = resolved(compiled);
    rt.startedAt = this.options.clock.nowMs();
    rt.curve = new ThinnedEquityCurve();
    rt.promotion = null;
    rt.wasCandidate = false;
    const instance = this.createInstance(rt, compiled);
    if (counters !== null) instance.restore(withCounters(instance.checkpoint(), counters));
    const feed = this.options.feed();
    instance.warmUp(this.warmUpHistory(s.series, [instance], feed, s.lastTime ?? undefined));
    rt.lifetime = s.loop.add(instance);
    rt.seenBars = instance.metrics.bars;
    rt.status = instance.warm ? 'running' : 'warming';
    rt.reason = null;
    this.addToSum(rt, instance.metrics.equity);
    if (!s.active) {
      s.active = true;
      s.dirty = true;
    }
    rt.uiDirty = rt.persistDirty = true;
    this.writeNow();
    this.ledger.add(s.ledgerKey, rt.parameters, 'live', rt.startedAt);
    this.repo.restartVariant(
      rt.id,
      rt.status,
      rt.reason,
      rt.startedAt,
      rt.parameters,
      rt.startedAt,
    );
    this.options.emit('variantStarted', this.row(rt));
  }

  /** Ends the loop of its own a variant's instance ran in, if any (the instance is gone). */
  private dropOwnLoop(rt: VariantRuntime): void {
    rt.ownLoop?.dispose();
    rt.ownLoop = null;
  }

  private updateActive(s: LiveStrategy): void {
    const active = s.variants.some((rt) => rt.instance !== null);
    if (active !== s.active) {
      s.active = active;
      s.dirty = true;
    }
  }

  // ─── Safety ──────────────────────────────────────────────────────────────────────────────

  /** Flatten everything: every position closes at the next bar's open, every variant stops. */
  public emergencyStop(): { flattened: number; stopped: number; time: number } {
    let flattened = 0;
    let stopped = 0;
    for (const rt of this.variants.values()) {
      if (rt.instance === null) continue;
      if (rt.closing !== null) {
        if (rt.instance.execution.positionSide !== null) flattened++;
        continue;
      }
      const hasPosition = rt.instance.execution.positionSide !== null;
      this.beginStop(rt, 'emergency stop', 'emergencyStop');
      stopped++;
      if (hasPosition) flattened++;
    }
    const time = this.options.clock.nowMs();
    this.alert(
      'emergency-stop',
      'critical',
      `emergency stop: ${stopped} variants stopped, ${flattened} positions closing at the next bar's open`,
    );
    this.flush();
    this.requestTick();
    return { flattened, stopped, time };
  }

  public circuitBreakerState(): CircuitBreakerState {
    return this.breaker.state();
  }

  public setCircuitBreakerLimits(limits: CircuitBreakerLimits): CircuitBreakerState {
    let state: CircuitBreakerState;
    try {
      state = this.breaker.setLimits(limits);
    } catch (error) {
      throw new UserFacingError(message(error));
    }
    this.writeNow();
    this.settingsRepo.set(BREAKER_LIMITS_KEY, state.limits);
    this.breakerDirty = true;
    this.options.emit('circuitBreaker', state);
    return state;
  }

  /** A person re-allows entries after a trip. */
  public resetCircuitBreaker(): CircuitBreakerState {
    const state = this.breaker.reset();
    for (const rt of this.variants.values()) this.applyBlock(rt);
    this.breakerDirty = true;
    this.options.emit('circuitBreaker', state);
    this.flush();
    return state;
  }

  private onBreakerTrip(state: CircuitBreakerState): void {
    for (const rt of this.variants.values()) {
      this.applyBlock(rt);
      rt.uiDirty = true;
    }
    this.breakerDirty = true;
    this.options.emit('circuitBreaker', state);
    this.alert(
      'circuit-breaker',
      'critical',
      `circuit breaker tripped: ${state.reason ?? 'a limit was reached'}; new entries are halted until a reset`,
    );
  }

  // ─── Promotion ───────────────────────────────────────────────────────────────────────────

  /** N and V of the strategy's trial ledger. */
  public trials(s: LiveStrategy): TrialStats {
    return this.ledger.stats(s.ledgerKey);
  }

  /** The gate's decision for a variant now: its metrics against main's over the same window. */
  private decide(
    rt: VariantRuntime,
    trials: TrialStats,
    snapshot?: MetricSnapshot,
  ): PromotionDecision {
    const s = rt.strategy;
    const own = snapshot ?? this.snapshotOf(rt, trials);
    const start = rt.firstTime;
    const window =
      (start !== null ? s.windows.snapshot(start, trials) : undefined) ??
      new MetricsTracker({ timeframe: s.timeframe, initialEquity: 1 }).snapshot(trials);
    return promotionGate(own, window, trials);
  }

  /**
   * {@link decide} for what the leaderboard and the promotion show: a variant that no longer
   * trades (stopped, closing, failed) is no candidate, whatever its last numbers were — its
   * first reason says so, and whether it was a candidate when it stopped (its last decision
   * while it ran, or its frozen numbers after a restart). The numbers stay for comparison.
   */
  private judge(
    rt: VariantRuntime,
    trials: TrialStats,
    snapshot?: MetricSnapshot,
  ): PromotionDecisionView {
    const decision = this.decide(rt, trials, snapshot);
    if (rt.instance !== null && rt.closing === null) return decisionView(decision);
    const was = (rt.promotion ?? decision).isCandidate;
    const why = rt.closing?.reason ?? rt.reason ?? rt.status;
    const view = decisionView(decision);
    return {
      ...view,
      isCandidate: false,
      wasCandidate: was,
      reasons: [
        was
          ? `${rt.status} (${why}): it was a candidate when it stopped`
          : `${rt.status} (${why}): a variant that no longer trades is not a candidate`,
        ...view.reasons,
      ],
    };
  }

  public previewPromotion(variantId: string): PromotionPreview {
    const rt = this.variantOrThrow(variantId);
    if (rt.role === 'main') throw new UserFacingError(`${variantId} is main already`);
    const s = rt.strategy;
    const decision = this.judge(rt, this.trials(s));
    const changes = Object.keys(rt.parameters).filter(
      (k) => rt.parameters[k] !== s.mainParameters[k],
    );
    const what =
      changes.length === 0
        ? `Main already trades ${variantId}'s parameters: promoting changes nothing.`
        : `Main (${s.name}, version ${s.version}) switches to ${variantId}'s parameters ` +
          `(${changes.map((k) => `${k} ${String(s.mainParameters[k])} → ${String(rt.parameters[k])}`).join(', ')}) ` +
          `and becomes version ${s.version + 1}, without stopping: it keeps its account, open position and metrics.`;
    const verdict = decision.isCandidate
      ? ' This variant is a promotion candidate.'
      : ` This variant is not a candidate: ${decision.reasons.join('; ')}.`;
    return {
      variantId,
      strategyId: s.id,
      decision,
      before: { ...s.mainParameters },
      after: { ...rt.parameters },
      summary: what + verdict,
    };
  }

  /**
   * Main's strategy switches to the variant's parameters without stopping trading: a new
   * instance with those parameters continues main's account, position, metrics and ids, its new
   * indicators warmed from stored history; the strategy's version goes up and an audit row says
   * who, when, before, after and why.
   * @throws UserFacingError for a non-candidate unless `acceptNonCandidate`.
   */
  public promote(
    variantId: string,
    acceptNonCandidate: boolean,
    by: 'person' | 'auto' = 'person',
  ): PromotionAuditRow {
    const rt = this.variantOrThrow(variantId);
    if (rt.role === 'main') throw new UserFacingError(`${variantId} is main already`);
    const s = rt.strategy;
    const main = s.main;
    const old = main.instance;
    if (old === null || main.closing !== null)
      throw new UserFacingError(`main of ${s.id} is ${main.status}: restart it before promoting`);
    const decision = this.judge(rt, this.trials(s));
    if (!decision.isCandidate && !acceptNonCandidate) {
      throw new UserFacingError(
        `${variantId} is not a promotion candidate (${decision.reasons.join('; ')}); confirm with acceptNonCandidate to promote it anyway`,
      );
    }
    if (parameterKey(rt.parameters) === parameterKey(s.mainParameters))
      throw new UserFacingError(`main already trades ${variantId}'s parameters`);
    const compiled = compileOrThrow(s.config, rt.parameters, 'parameters');
    if (compiled.timeframe !== old.timeframe)
      throw new UserFacingError(
        `${variantId} trades ${compiled.timeframe} bars and main ${old.timeframe}: a promotion keeps main's bar length`,
      );
    const checkpoint = old.checkpoint();
    const kept = {
      exchange: main.exchange,
      compiled: main.compiled,
      safety: main.safety,
      seenBars: main.seenBars,
    };
    // Main's new instance reads the promoted variant's indicators, which the shared loop already
    // computes and cannot replay: in a loop of its own they warm from stored history now, as a
    // new variant's do, instead of waiting cold for live bars that may never come (an ended
    // replay left it "warming" for good). It costs one instance's indicators per bar, until the
    // next restart puts everyone back in the shared loop.
    const ownLoop = new EngineBarLoop({
      baseTimeframe: s.series.timeframe,
      onInstanceError: (i, error) => this.onInstanceError(i.id, error),
    });
    const instance = this.createInstance(main, compiled, ownLoop.indicators);
    let lifetime: Disposable;
    try {
      instance.restore(checkpoint);
      lifetime = ownLoop.add(instance);
    } catch (error) {
      instance.dispose();
      ownLoop.dispose();
      Object.assign(main, kept, { instance: old });
      this.applyBlock(main);
      throw new UserFacingError(`cannot carry main's state over: ${message(error)}`);
    }
    // Main's safety limits measure its account, which carries on.
    main.safety = kept.safety;
    ownLoop.warmUp(
      this.warmUpHistory(s.series, [instance], this.options.feed(), s.lastTime ?? undefined),
    );
    main.lifetime?.dispose();
    old.dispose();
    this.dropOwnLoop(main);
    main.lifetime = lifetime;
    main.ownLoop = ownLoop;
    main.seenBars = instance.metrics.bars;
    main.status = main.paused ? 'paused' : instance.warm ? 'running' : 'warming';
    const before = { ...s.mainParameters };
    const versionBefore = s.version;
    s.version += 1;
    s.mainParameters = resolved(compiled);
    main.parameters = s.mainParameters;
    s.dirty = true;
    main.uiDirty = main.persistDirty = true;
    const time = this.options.clock.nowMs();
    this.writeNow();
    const row = this.options.db.transaction(() => {
      this.repo.saveDefinition(s.id, s.version, s.mainParameters, s.autoPromote);
      this.repo.restartVariant(
        main.id,
        main.status,
        main.reason,
        main.startedAt,
        main.parameters,
        time,
      );
      return this.audit.insert({
        strategyId: s.id,
        variantId,
        time,
        by,
        wasCandidate: decision.isCandidate,
        before,
        after: { ...s.mainParameters },
        decision,
        versionBefore,
        versionAfter: s.version,
      });
    })();
    this.flush();
    this.options.emit('promoted', row);
    this.alert(
      'promoted',
      'info',
      `${variantId} promoted to main of ${s.name} (version ${s.version})${by === 'auto' ? ' by auto-promote' : ''}${decision.isCandidate ? '' : ' although it was not a candidate'}`,
      rt,
    );
    return row;
  }

  public listPromotionAudit(strategyId?: string): PromotionAuditRow[] {
    return this.audit.list(strategyId);
  }

  public setAutoPromote(strategyId: string, enabled: boolean): StrategySummary {
    const s = this.strategyOrThrow(strategyId);
    s.autoPromote = enabled;
    this.writeNow();
    this.repo.saveDefinition(s.id, s.version, s.mainParameters, s.autoPromote);
    return this.summary(s);
  }

  /** Records a completed backtest of a template in its ledger (a trial like any live variant). */
  public recordBacktestTrial(
    templateId: string,
    parameters: StoredParameters,
    perPeriodSharpe: number | null,
  ): void {
    this.writeNow();
    this.ledger.add(
      `template:${templateId}`,
      parameters,
      'backtest',
      this.options.clock.nowMs(),
      perPeriodSharpe !== null && Number.isFinite(perPeriodSharpe) ? perPeriodSharpe : null,
    );
  }

  public trialLedger(strategyId: string): {
    strategyId: string;
    count: number;
    sharpeVariance: number;
    trials: Array<{
      strategyId: string;
      parameters: StoredParameters;
      source: 'live' | 'backtest';
      firstSeen: number;
      perPeriodSharpe: number | null;
    }>;
  } {
    const s = this.strategyOrThrow(strategyId);
    this.refreshLedgerSharpes(s);
    this.writeNow();
    const stats = this.ledger.stats(s.ledgerKey);
    return {
      strategyId,
      count: stats.ledgerCount,
      sharpeVariance: stats.sharpeVariance,
      trials: this.ledger.list(s.ledgerKey).map((t) => ({
        strategyId,
        parameters: { ...t.parameters },
        source: t.source,
        firstSeen: t.firstSeen,
        perPeriodSharpe: t.perPeriodSharpe,
      })),
    };
  }

  private refreshLedgerSharpes(s: LiveStrategy): void {
    for (const rt of s.variants) {
      if (rt.instance === null) continue;
      const sharpe = rt.instance.snapshot(SINGLE).perPeriodSharpe;
      this.ledger.updateSharpe(s.ledgerKey, rt.parameters, sharpe);
    }
  }

  // ─── Views ───────────────────────────────────────────────────────────────────────────────

  public listStrategies(): StrategySummary[] {
    return [...this.strategies.values()].map((s) => this.summary(s));
  }

  public listVariants(strategyId?: string): VariantRow[] {
    const strategies =
      strategyId !== undefined ? [this.strategyOrThrow(strategyId)] : [...this.strategies.values()];
    const feed = this.options.feed();
    return strategies.flatMap((s) => {
      const trials = this.trials(s);
      return s.variants.map((rt) => this.row(rt, trials, undefined, feed));
    });
  }

  public listPositions(): PositionRow[] {
    const rows: PositionRow[] = [];
    for (const rt of this.variants.values()) {
      const p = rt.exchange?.position();
      if (p === undefined || p === null) continue;
      const lastClose = (rt.exchange as PaperExchange).checkpoint().lastClose;
      rows.push({
        variantId: rt.id,
        strategyId: rt.strategy.id,
        role: rt.role,
        side: p.side,
        quantity: p.quantity,
        leverage: (rt.exchange as PaperExchange).config.leverage,
        entryTime: p.entryTime,
        entryPrice: p.entryPrice,
        markPrice: Number.isFinite(lastClose) ? lastClose : p.entryPrice,
        unrealisedPnl: p.unrealizedPnl,
        stopPrice: p.trailingStop ?? p.stopLoss,
        targetPrice: p.takeProfit,
        liquidationPrice:
          Number.isFinite(p.liquidationPrice) && p.liquidationPrice > 0 ? p.liquidationPrice : null,
      });
    }
    return rows;
  }

  public listLiveTrades(
    filter: LiveTradeFilter,
    limit?: number,
  ): ReturnType<typeof liveTradeRow>[] {
    this.flush();
    return this.liveTrades.list(filter, limit).map(liveTradeRow);
  }

  /** Exactly the rows {@link listLiveTrades} gives for `filter`, as CSV or JSON text. */
  public exportLiveTrades(
    filter: LiveTradeFilter,
    format: 'csv' | 'json',
  ): { format: 'csv' | 'json'; rows: number; text: string } {
    this.flush();
    const trades = this.liveTrades.list(filter);
    const text =
      format === 'csv'
        ? LiveTradeRepository.toCsv(trades)
        : JSON.stringify(trades.map(liveTradeRow), null, 2);
    return { format, rows: trades.length, text };
  }

  public listAlerts(limit: number): Alert[] {
    return this.alertRepo.list(limit);
  }

  /** Logs an alert and sends it to the UI. */
  public alert(
    kind: AlertKind,
    severity: Alert['severity'],
    text: string,
    about?: VariantRuntime | { strategyId: string | null; variantId: string | null },
    barTime?: number | null,
  ): Alert {
    const strategyId =
      about instanceof VariantRuntime ? about.strategy.id : (about?.strategyId ?? null);
    const variantId = about instanceof VariantRuntime ? about.id : (about?.variantId ?? null);
    const alert = this.alertRepo.insert({
      time: Math.max(0, Math.round(this.options.clock.nowMs())),
      barTime: alertBarTime(barTime !== undefined ? barTime : this.barTimeOf(about)),
      kind,
      severity,
      message: text,
      strategyId,
      variantId,
    });
    this.options.emit('alert', alert);
    return alert;
  }

  /**
   * The open time of the market bar an alert about `about` happened at: the bar its strategy is
   * on (the one being stepped, when the event happens mid-bar), else the newest bar received,
   * else the feed's newest bar. Null before any bar.
   */
  private barTimeOf(
    about?: VariantRuntime | { strategyId: string | null; variantId: string | null },
  ): number | null {
    const s =
      about instanceof VariantRuntime
        ? about.strategy
        : about?.strategyId != null
          ? this.strategies.get(about.strategyId)
          : undefined;
    const now = this.barNow;
    if (s !== undefined) {
      const current = now !== null && sameSeries(now.series, s.series) ? now.time : null;
      return Math.max(s.lastTime ?? -1, current ?? -1) >= 0
        ? Math.max(s.lastTime ?? -1, current ?? -1)
        : null;
    }
    return now?.time ?? this.options.feed()?.upTo ?? null;
  }

  /** What a chart of one variant needs, or undefined for an unknown or stopped variant. */
  public chartView(variantId: string): VariantChartView | undefined {
    const rt = this.variants.get(variantId);
    if (rt === undefined) return undefined;
    // The chart reads signals and trades from the store: commit first, as every read does.
    this.flush();
    const s = rt.strategy;
    const compiled = rt.compiled ?? compileOrThrow(s.config, rt.parameters, 'parameters');
    const p = rt.exchange?.position() ?? null;
    return {
      strategyName: s.name,
      strategy: compiled,
      config: compiled.config,
      series: s.series,
      runId: s.id,
      variantId,
      equity: rt.curve.points(),
      firstBarTime: s.originTime,
      recordsThrough: rt.metrics?.lastTime ?? null,
      position:
        p === null
          ? null
          : {
              side: p.side,
              entryPrice: p.entryPrice,
              stopPrice: p.trailingStop ?? p.stopLoss,
              targetPrice: p.takeProfit,
              liquidationPrice: p.liquidationPrice > 0 ? p.liquidationPrice : null,
            },
    };
  }

  /** The running instance of a variant (benchmarks, tests and the chart service read it). */
  public instanceOf(variantId: string): StrategyInstance | undefined {
    return this.variants.get(variantId)?.instance ?? undefined;
  }

  private summary(s: LiveStrategy): StrategySummary {
    return {
      strategyId: s.id,
      name: s.name,
      templateId: s.templateId,
      version: s.version,
      series: { ...s.series },
      timeframe: s.timeframe,
      mainVariantId: s.main.id,
      variantCount: s.variants.length - 1,
      autoPromote: s.autoPromote,
      trials: this.ledger.count(s.ledgerKey),
      createdAt: s.createdAt,
    };
  }

  private snapshotOf(rt: VariantRuntime, trials: TrialStats): MetricSnapshot {
    if (rt.instance !== null) return rt.instance.snapshot(trials);
    if (rt.frozen !== null) return rt.frozen.metrics.snapshot(trials);
    return new MetricsTracker({
      timeframe: rt.strategy.timeframe,
      initialEquity: rt.strategy.settings.initialCash,
    }).snapshot(trials);
  }

  /**
   * Why a variant is as it is, in words: why it stopped, or why a live one takes no bar now
   * (another series on the feed, a replay behind its last bar, a feed that has ended).
   */
  private statusReason(
    rt: VariantRuntime,
    feed: VariantFeedView | null = this.options.feed(),
  ): string | null {
    const s = rt.strategy;
    if (rt.closing !== null)
      return `${rt.closing.reason} (closing its position at the next bar's open)`;
    if (rt.instance === null) return rt.reason;
    if (this.feedSeries !== null && !sameSeries(this.feedSeries, s.series))
      return `waiting for the ${seriesText(s.series)} feed: the feed shows ${seriesText(this.feedSeries)}`;
    const kind = feed?.kind ?? 'feed';
    if (this.behindFeed(s, feed))
      return `waiting for the ${kind} to pass ${utcText(s.lastTime ?? 0)} UTC, the last bar it traded: the ${kind} was restarted from an earlier bar`;
    if (feed !== null && sameSeries(feed.series, s.series) && feed.state === 'ended')
      return rt.instance.warm
        ? `the ${kind} has ended: waiting for the next bar of ${seriesText(s.series)}`
        : `the ${kind} has ended: it needs more bars of ${seriesText(s.series)} to finish warming up`;
    return rt.reason;
  }

  private warmUpBarsLeft(rt: VariantRuntime): number {
    const instance = rt.instance;
    if (instance === null || instance.warm) return 0;
    const needed = Math.ceil(instance.warmUpSpanMs / TIMEFRAME_MS[instance.timeframe]);
    return Math.max(1, needed - instance.barsSeen);
  }

  private row(
    rt: VariantRuntime,
    trials = this.trials(rt.strategy),
    snapshot?: MetricSnapshot,
    feed: VariantFeedView | null = this.options.feed(),
  ): VariantRow {
    const s = rt.strategy;
    const snap = snapshot ?? this.snapshotOf(rt, trials);
    const promotion = rt.role === 'variant' ? this.judge(rt, trials, snap) : null;
    return {
      variantId: rt.id,
      strategyId: s.id,
      strategyName: s.name,
      role: rt.role,
      mode: rt.mode,
      status: rt.status,
      statusReason: this.statusReason(rt, feed),
      parameters: { ...rt.parameters },
      series: { ...s.series },
      timeframe: rt.compiled?.timeframe ?? s.timeframe,
      startedAt: rt.startedAt,
      metrics: variantMetrics(snap),
      promotion,
      warmUpBarsLeft: this.warmUpBarsLeft(rt),
      position: rt.position,
    };
  }

  private variantOrThrow(variantId: string): VariantRuntime {
    const rt = this.variants.get(variantId);
    if (rt === undefined) throw new UserFacingError(`no variant ${variantId}`);
    return rt;
  }

  private strategyOrThrow(strategyId: string): LiveStrategy {
    const s = this.strategies.get(strategyId);
    if (s === undefined) throw new UserFacingError(`no strategy ${strategyId}`);
    return s;
  }

  // ─── Ticks: metric events, promotion checks, commits ─────────────────────────────────────

  /** Schedules the next tick, at most one per `flushIntervalMs`. */
  private requestTick(): void {
    if (this.tickTimer !== null || this.disposed) return;
    const now = this.options.clock.nowMs();
    const next = this.commitOwed
      ? Math.min(this.lastTickAt + this.flushIntervalMs, this.lastCommitAt + this.commitIntervalMs)
      : this.lastTickAt + this.flushIntervalMs;
    const delay = Math.max(0, next - now);
    this.tickTimer = this.options.clock.setTimeout(() => {
      this.tickTimer = null;
      this.tick();
    }, delay);
  }

  /**
   * One batch: the snapshots of every variant that changed go out in one `metricsUpdate`,
   * promotion candidates are decided on them, and everything is committed.
   */
  public tick(): void {
    if (this.disposed) return;
    this.lastTickAt = this.options.clock.nowMs();
    this.catchUpMissed();
    const rows: EventPayload<'metricsUpdate'>['rows'] = [];
    const candidates: VariantRuntime[] = [];
    const feed = this.options.feed();
    for (const s of this.strategies.values()) {
      const trials = this.trials(s);
      for (const rt of s.variants) {
        if (!rt.uiDirty) continue;
        rt.uiDirty = false;
        const snap = this.snapshotOf(rt, trials);
        if (rt.instance !== null)
          this.ledger.updateSharpe(s.ledgerKey, rt.parameters, snap.perPeriodSharpe);
        let promotion: PromotionDecisionView | null = null;
        if (rt.role === 'variant' && rt.instance !== null && rt.closing === null) {
          rt.promotion = this.decide(rt, trials, snap);
          promotion = decisionView(rt.promotion);
          // Announced once per start: a DSR hovering at the bar must not flood the alerts.
          if (rt.promotion.isCandidate && !rt.wasCandidate) candidates.push(rt);
          if (rt.promotion.isCandidate) rt.wasCandidate = true;
        } else if (rt.role === 'variant') {
          // Stopped or closing: never shown as a candidate (rt.promotion keeps the last live one).
          promotion = this.judge(rt, trials, snap);
        }
        rows.push({
          variantId: rt.id,
          status: rt.status,
          statusReason: this.statusReason(rt, feed),
          metrics: variantMetrics(snap),
          promotion,
          warmUpBarsLeft: this.warmUpBarsLeft(rt),
          position: rt.position,
        });
      }
    }
    if (rows.length > 0)
      this.options.emit('metricsUpdate', { time: Math.max(0, Math.round(this.lastTickAt)), rows });
    for (const rt of candidates) {
      const decision = rt.promotion as PromotionDecision;
      this.options.emit('promotionCandidate', {
        variantId: rt.id,
        strategyId: rt.strategy.id,
        decision: decisionView(decision),
      });
      this.alert(
        'promotion-candidate',
        'info',
        `${rt.id} is a promotion candidate: ${decision.closedTrades.value} trades, DSR ${decision.dsr.value?.toFixed(3) ?? 'n/a'}, Sharpe ${decision.sharpe.candidate?.toFixed(2) ?? 'n/a'} vs main ${decision.sharpe.main?.toFixed(2) ?? 'n/a'}`,
        rt,
      );
      if (rt.strategy.autoPromote) {
        try {
          this.promote(rt.id, false, 'auto');
        } catch (error) {
          this.log(`auto-promote of ${rt.id} failed: ${message(error)}`);
        }
      }
    }
    if (this.lastTickAt - this.lastCommitAt >= this.commitIntervalMs) {
      this.commit(false);
    } else {
      // Committed by a later tick; one is scheduled even if no bar comes to ask for it.
      this.commitOwed = true;
      this.requestTick();
    }
  }

  /**
   * Records buffered before a commit between bars: 100 per variant, from 2,000 to 50,000. Small
   * commits let the store's thread start early and keep up (a replay at full speed), but every
   * commit also rewrites the checkpoint row of each variant that traded, so the size grows with
   * the variants.
   */
  private commitThreshold(): number {
    return (
      this.maxBufferedRecords ??
      Math.min(MAX_COMMIT_RECORDS, Math.max(MIN_COMMIT_RECORDS, 100 * this.variants.size))
    );
  }

  private bufferedRecords(): number {
    let n = 0;
    for (const s of this.strategies.values()) n += s.writer.buffered;
    return n;
  }

  private queueSnapshot(rt: VariantRuntime, snapshot: MetricSnapshot): void {
    if (snapshot.lastTime === null) return;
    rt.strategy.writer.onSnapshot(rt.id, snapshot.lastTime, snapshot);
  }

  /**
   * Commits and waits for it: what reads and commands do first, so that they see, and come after,
   * everything before them.
   */
  public flush(): void {
    this.commit(true);
  }

  /**
   * Hands one commit to the store: every buffered order, trade, signal and snapshot; each changed
   * variant's status and checkpoint; each strategy's last bar and state; the breaker's state, all
   * in one transaction. Called between bars only, so checkpoints and records always describe the
   * same bar. `wait`: return once it (and every commit before it) is done; otherwise the engine
   * goes on while the store's thread writes.
   */
  private commit(wait: boolean): void {
    if (!this.options.db.open) return;
    const now = this.options.clock.nowMs();
    this.lastCommitAt = now;
    this.commitOwed = false;
    const takeSnapshots = now - this.lastSnapshotAt >= this.snapshotIntervalMs;
    if (takeSnapshots) this.lastSnapshotAt = now;
    const batches: RecordBatch[] = [];
    const statements: SqlStatement[] = [];
    for (const s of this.strategies.values()) {
      if (takeSnapshots) {
        const trials = this.trials(s);
        for (const rt of s.variants)
          if (rt.instance !== null && rt.persistDirty)
            this.queueSnapshot(rt, rt.instance.snapshot(trials));
      }
      const batch = s.writer.takeBatch();
      if (batch !== null) batches.push(batch);
      for (const rt of s.variants) {
        if (!rt.persistDirty) continue;
        rt.persistDirty = false;
        const cp = rt.instance !== null ? this.checkpointOf(rt) : rt.lastCheckpoint;
        statements.push(this.repo.saveVariant(rt.id, rt.status, rt.reason, cp, now));
      }
      if (s.dirty) {
        s.dirty = false;
        const starts = new Set<number>();
        for (const rt of s.variants) {
          const t = rt.role === 'variant' && rt.instance !== null ? rt.firstTime : null;
          if (t !== null) starts.add(t);
        }
        s.windows.retain(starts);
        const state: StrategyState = { windows: s.windows.checkpoint() };
        statements.push(this.repo.saveProgress(s.id, s.lastTime, s.originTime, state, s.active));
      }
    }
    this.ledger.persist(statements);
    if (this.lastSeenDirty) {
      this.lastSeenDirty = false;
      statements.push(this.settingsRepo.setLater(LAST_SEEN_KEY, Object.fromEntries(this.lastSeen)));
    }
    if (this.breakerDirty) {
      this.breakerDirty = false;
      statements.push(this.settingsRepo.setLater(BREAKER_STATE_KEY, this.breaker.checkpoint()));
    }
    if (batches.length > 0 || statements.length > 0) this.committer.submit({ batches, statements });
    if (wait) this.committer.drain();
  }

  /**
   * Waits for the commits handed to the store so far, before a write on this thread: a commit
   * still queued must not land after it and put older rows back.
   */
  private writeNow(): void {
    this.committer.drain();
  }

  private checkpointOf(rt: VariantRuntime): VariantCheckpoint | null {
    const instance = rt.instance;
    if (instance === null || rt.safety === null) return rt.lastCheckpoint;
    return {
      instance: instance.checkpoint(),
      safety: rt.safety.checkpoint(),
      paused: rt.paused,
      closing: rt.closing,
    };
  }

  // ─── Restore ─────────────────────────────────────────────────────────────────────────────

  /**
   * Rebuilds every stored strategy. Variants still trading are restored from their checkpoints,
   * their indicators re-warmed from stored candles from the strategy's first warm-up bar up to
   * its last committed bar; bars that closed after it are traded (from the store) when the feed
   * brings the series' next bar. Stopped variants come back with their last numbers.
   */
  public restore(): void {
    for (const stored of this.repo.strategies()) {
      try {
        this.restoreStrategy(stored);
      } catch (error) {
        this.log(`strategy ${stored.strategyId} could not be restored: ${message(error)}`);
      }
    }
  }

  private restoreStrategy(stored: StoredStrategy): void {
    const s = this.newStrategy(stored);
    const variants = this.repo.variants(stored.strategyId);
    const restored: StrategyInstance[] = [];
    for (const v of variants) {
      const rt = new VariantRuntime(
        s,
        v.variantId,
        v.role,
        v.ordinal,
        v.parameters,
        v.mode,
        v.startedAt,
      );
      s.variants.push(rt);
      rt.status = v.status;
      rt.reason = v.statusReason;
      const cp = parseVariantCheckpoint(v.checkpoint);
      rt.lastCheckpoint = cp;
      const trading = v.status !== 'stopped' && v.status !== 'error';
      if (!stored.active || (!trading && cp?.closing == null)) {
        this.freeze(rt, v, cp);
        continue;
      }
      const compiled = compileOrThrow(s.config, v.parameters, 'parameters');
      const instance = this.createInstance(rt, compiled);
      if (cp !== null) {
        instance.restore(cp.instance);
        rt.safety?.restore(cp.safety);
        rt.paused = cp.paused;
        rt.closing = cp.closing;
      }
      rt.lifetime = s.loop.add(instance);
      this.applyBlock(rt);
      restored.push(instance);
    }
    if (restored.length > 0 && s.lastTime === null) {
      // Deployed but never committed a bar: warm up as a deploy would.
      const history = this.warmUpHistory(s.series, restored, this.options.feed());
      s.loop.warmUp(history);
      s.originTime = history[0]?.time ?? null;
      s.lastTime = history.at(-1)?.time ?? null;
    } else if (restored.length > 0 && s.lastTime !== null) {
      const from = s.originTime ?? 0;
      const total = this.options.candles.count(s.series, from, s.lastTime);
      s.loop.warmUp(
        total <= MAX_REWARM_BARS
          ? this.options.candles.iterate(s.series, from, s.lastTime)
          : this.options.candles.last(s.series, MAX_REWARM_BARS, s.lastTime),
      );
    }
    const state = stored.state as StrategyState | null;
    if (state !== null && Array.isArray(state.windows)) s.windows.restore(state.windows);
    for (const rt of s.variants) {
      const instance = rt.instance;
      if (instance === null) continue;
      rt.seenBars = instance.metrics.bars;
      if (rt.closing === null)
        rt.status = rt.paused ? 'paused' : instance.warm ? 'running' : 'warming';
      rt.summed = instance.metrics.equity;
    }
    this.register(s);
    this.updateActive(s);
  }

  /** A variant that no longer trades: its last numbers from its checkpoint. */
  private freeze(rt: VariantRuntime, v: StoredVariant, cp: VariantCheckpoint | null): void {
    const s = rt.strategy;
    const tracker = new MetricsTracker({
      timeframe: s.timeframe,
      initialEquity: s.settings.initialCash,
    });
    let position: 'long' | 'short' | null = null;
    if (cp !== null) {
      try {
        tracker.restore(decodeMetricsState(cp.instance.metrics));
        position = cp.instance.exchange.position?.side ?? null;
      } catch (error) {
        this.log(`variant ${v.variantId}: last metrics not readable: ${message(error)}`);
      }
    }
    rt.frozen = { metrics: tracker, position };
    if (v.status !== 'stopped' && v.status !== 'error') {
      rt.status = 'stopped';
      rt.reason ??= 'stopped';
    }
  }

  public dispose(): void {
    if (this.disposed) return;
    try {
      this.flush();
    } catch (error) {
      this.log(`final commit failed: ${message(error)}`);
    }
    this.disposed = true;
    this.tickTimer?.dispose();
    this.breakerTrip.dispose();
    this.breaker.dispose();
    for (const s of this.strategies.values()) {
      for (const rt of s.variants) {
        rt.instance?.dispose();
        this.dropOwnLoop(rt);
      }
      s.loop.dispose();
    }
  }
}

/** A copy of a stopping instance's metrics, kept after the instance is gone. */
function frozenMetrics(s: LiveStrategy, metrics: MetricsTracker): MetricsTracker {
  const copy = new MetricsTracker({ timeframe: s.timeframe, initialEquity: metrics.initialEquity });
  copy.restore(metrics.checkpoint());
  return copy;
}

const SINGLE: TrialStats = { trials: 1, sharpeVariance: 0 };

/** A bar time an alert can carry: a whole, non-negative epoch ms, or null. */
function alertBarTime(t: number | null): number | null {
  return t !== null && Number.isFinite(t) && t >= 0 ? Math.round(t) : null;
}

/** The last time {@link utcText} formatted: a tick words every row of a strategy with one time. */
let lastUtc = { ms: Number.NaN, text: '' };

/** `2023-03-08 14:05` (UTC), for messages. */
function utcText(ms: number): string {
  if (ms !== lastUtc.ms)
    lastUtc = { ms, text: new Date(ms).toISOString().slice(0, 16).replace('T', ' ') };
  return lastUtc.text;
}

function seriesId(s: SeriesKey): string {
  return `${s.exchange}|${s.symbol}|${s.timeframe}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every parameter's value of a compiled variant, defaults included. */
function resolved(c: CompiledStrategy): StoredParameters {
  return Object.fromEntries(c.parameters);
}

function compileOrThrow(
  config: unknown,
  values: StoredParameters,
  where: string,
): CompiledStrategy {
  const result = compileStrategy(config, values);
  if (!result.ok) {
    throw new UserFacingError(
      `${where}: ${result.issues.map((i) => formatStrategyIssue({ ...i, path: i.path.replace(/^parameterValues\./, '') })).join('; ')}`,
      result.issues.map((i) => ({
        path: `${where}.${i.path.replace(/^parameterValues\./, '')}`,
        message: i.message,
      })),
    );
  }
  return result.strategy;
}

function compileConfig(config: unknown): CompiledStrategy['config'] {
  return compileOrThrow(config, {}, 'config').config;
}

/**
 * A fresh instance's checkpoint with the id counters of the instance it replaces, so a restarted
 * variant's order and trade ids go on. `warm` lets the warm-up that follows decide warmth on its
 * own (a restore never makes an instance warmer than its checkpoint said).
 */
function withCounters(
  cp: InstanceCheckpoint,
  counters: { nextOrderId: number; nextTradeId: number },
): InstanceCheckpoint {
  return {
    ...cp,
    warm: true,
    exchange: {
      ...cp.exchange,
      nextOrderId: Math.max(cp.exchange.nextOrderId, counters.nextOrderId),
      nextTradeId: Math.max(cp.exchange.nextTradeId, counters.nextTradeId),
    },
  };
}

function parseVariantCheckpoint(value: unknown): VariantCheckpoint | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Partial<VariantCheckpoint>;
  if (v.instance === undefined || v.safety === undefined) return null;
  return {
    instance: v.instance,
    safety: v.safety as SafetyLimitsCheckpoint,
    paused: v.paused === true,
    closing: (v.closing ?? null) as VariantClosing | null,
  };
}
