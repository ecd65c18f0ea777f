import type { ApiHandlers } from '../shared/api';
import { DisposableStore, type Disposable } from '../shared/disposable';
import {
  FeedSelectionSchema,
  TIMEFRAME_MS,
  type Candle,
  type CandleEvent,
  type FeedSelection,
  type FeedStatus,
  type SeriesKey,
} from '../shared/market';
import { ApiDispatcher, UserFacingError } from './api/api-dispatcher';
import { ApiEventHub } from './api/api-event-hub';
import { chartHandlers, StrategyChartService, storedThenFeedBars } from './chart';
import { VariantManager, type VariantFeedView } from './engine/variant-manager';
import { HistoryImporter } from './history/history-importer';
import { TimeframeAggregator } from './market/aggregation';
import { BarDistributor } from './market/distribution';
import { ExchangeFeed, ExchangeGapRepository, type CcxtUrlOverrides } from './market/exchange';
import { MarketBarsBatcher } from './market/market-bars-batcher';
import { BacktestService } from './optimize';
import type { MarketFeed } from './market/market-feed';
import { ReplayFeed } from './market/replay-feed';
import { SimulatedFeed } from './market/simulated-feed';
import { AppSettingRepository } from './store/app-setting-repository';
import { CandleRepository } from './store/candle-repository';
import { openDatabase, type Db } from './store/database';
import type { StoreCommitter } from './store/store-commit';
import { openStoreCommitter } from './store/store-commit-thread';
import { LiveClock, type Clock } from './time/clock';

export interface WorkstationOptions {
  /** SQLite file (or ':memory:'). */
  databasePath: string;
  appVersion: string;
  clock?: Clock;
  /** Seed of the simulated market shown when nothing else is selected. */
  simulatedSeed?: number;
  /** Feed to start with; the simulated market by default. */
  initialFeed?: FeedSelection;
  /** How often feed status (messages/s) is re-broadcast, in ms. */
  statusIntervalMs?: number;
  /**
   * Where to reach an exchange instead of its public endpoints, per ccxt id (a local fake
   * exchange in tests), with the markets to use so none are fetched.
   */
  exchangeEndpoints?: Readonly<
    Record<string, { urls: CcxtUrlOverrides; markets?: readonly object[] }>
  >;
}

/**
 * The kernel both hosts build: store, feeds and the API handler table. Electron and the
 * headless server only carry its calls and events; neither adds behaviour of its own.
 */
export class Workstation implements Disposable {
  public readonly db: Db;
  /** Where the variant manager commits: the store's own thread on a file. */
  private readonly committer: StoreCommitter;
  public readonly candles: CandleRepository;
  public readonly gaps: ExchangeGapRepository;
  public readonly events = new ApiEventHub();
  /** Every consumer of feed bars (strategies, variants) subscribes here, each with its own queue. */
  public readonly bars: BarDistributor;
  public readonly dispatcher: ApiDispatcher;
  /** Backtests run in the host, on the same engine as live variants. */
  public readonly backtests: BacktestService;
  /** Deployed strategies: main and its variants on the current feed. */
  public readonly variants: VariantManager;
  /** Strategy, performance and comparison charts of backtest runs and live variants. */
  public readonly charts: StrategyChartService;
  private readonly settings: AppSettingRepository;
  private readonly clock: Clock;
  private readonly importer: HistoryImporter;
  private readonly batcher: MarketBarsBatcher;
  private readonly feedSubscriptions = new DisposableStore();
  private feedLifetime = new DisposableStore();
  private feed: MarketFeed;
  /** What the current feed was opened with (a resumed replay: its new start). */
  private selection: FeedSelection | undefined;
  /** The series the chart shows: the feed's own, or a higher timeframe built from it. */
  private shown: SeriesKey;
  private statusTimer: Disposable | undefined;
  private disposed = false;
  /**
   * A replay resumed after a restart plays only the bars after the last one seen; its progress
   * is told over the range the person chose: `before` bars of `all` had played before it.
   */
  private resumedReplay: { before: number; all: number } | null = null;

  public constructor(private readonly options: WorkstationOptions) {
    this.clock = options.clock ?? new LiveClock();
    this.db = openDatabase({ path: options.databasePath });
    this.candles = new CandleRepository(this.db);
    this.gaps = new ExchangeGapRepository(this.db);
    this.bars = new BarDistributor(this.clock);
    this.importer = new HistoryImporter(this.db, this.candles, this.clock);
    this.batcher = new MarketBarsBatcher(this.clock, (batch) =>
      this.events.emit('marketBars', batch),
    );
    this.feedSubscriptions.add(this.batcher);
    this.settings = new AppSettingRepository(this.db);
    this.committer = openStoreCommitter(this.db, options.databasePath);
    this.variants = new VariantManager({
      db: this.db,
      committer: this.committer,
      candles: this.candles,
      clock: this.clock,
      emit: (event, payload) => this.events.emit(event, payload),
      feed: () => this.variantFeedView(),
    });
    this.backtests = new BacktestService({
      db: this.db,
      candles: this.candles,
      clock: this.clock,
      onProgress: (progress) => this.events.emit('backtestProgress', progress),
      onCompleted: (run) =>
        this.variants.recordBacktestTrial(
          run.templateId,
          run.parameters,
          run.metrics.perPeriodSharpe,
        ),
    });
    // Strategies come back first (from the store), then the feed they were on.
    this.variants.restore();
    const variantBars = this.bars.subscribe((event) => this.variants.onBar(event), {
      name: 'variants',
      maxQueuedClosed: 100_000,
      // Dropped bars are read back from the store: with the next bar, or at the next tick.
      onPaused: ({ firstMissed }) => {
        variantBars.resume();
        this.variants.onBarsMissed(firstMissed.series, firstMissed.candle.time);
      },
    });
    const { feed, selection, opened } = this.initialFeed();
    this.feed = feed;
    this.selection = opened;
    this.shown = this.shownSeries(selection);
    this.variants.onFeedChanged(this.feed.series);
    this.charts = new StrategyChartService({
      db: this.db,
      candles: this.candles,
      backtests: this.backtests,
      live: this.variants,
      liveBars: storedThenFeedBars(this.candles, () => this.feed),
    });
    this.attachFeed();
    this.scheduleStatus();
    this.dispatcher = new ApiDispatcher(this.handlers());
  }

  public get currentFeed(): MarketFeed {
    return this.feed;
  }

  public selectFeed(selection: FeedSelection): FeedStatus {
    const next = this.createFeed(selection);
    this.feedLifetime.dispose();
    this.feed.dispose();
    this.batcher.flushNow();
    this.feed = next;
    this.selection = selection;
    this.resumedReplay = null;
    this.shown = this.shownSeries(selection);
    this.settings.set(FEED_SELECTION_KEY, selection);
    this.variants.onFeedChanged(this.feed.series);
    this.attachFeed();
    return this.feedStatus();
  }

  /** The feed's status, naming the series the chart shows. */
  public feedStatus(): FeedStatus {
    return this.shownStatus(this.feed.status());
  }

  /** A status as the UI gets it: the shown series, a resumed replay's progress over its range. */
  private shownStatus(status: FeedStatus): FeedStatus {
    const resumed = this.resumedReplay;
    if (resumed === null || status.kind !== 'replay' || status.progress === null)
      return { ...status, series: this.shown };
    const progress =
      resumed.all === 0
        ? 1
        : (resumed.before + status.progress * (resumed.all - resumed.before)) / resumed.all;
    return { ...status, series: this.shown, progress };
  }

  /** Bars of the shown series so far: the feed's own, or aggregated from its base bars. */
  public feedCandles(limit: number): {
    series: SeriesKey;
    candles: Candle[];
    forming: Candle | null;
  } {
    if (this.shown.timeframe === this.feed.series.timeframe)
      return { series: this.shown, ...this.feed.recent(limit) };
    const aggregator = new TimeframeAggregator(this.shown.timeframe, this.feed.series.timeframe);
    const ratio = TIMEFRAME_MS[this.shown.timeframe] / TIMEFRAME_MS[this.feed.series.timeframe];
    const base = this.feed.recent(Math.min(limit * ratio, 1_000_000));
    const candles: Candle[] = [];
    for (const bar of base.candles) candles.push(...aggregator.pushClosed(bar));
    const pending = aggregator.pending();
    const forming = base.forming ? aggregator.forming(base.forming) : pending;
    return { series: this.shown, candles: candles.slice(-limit), forming };
  }

  public dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statusTimer?.dispose();
    this.feedLifetime.dispose();
    this.feed.dispose();
    this.feedSubscriptions.dispose();
    this.backtests.dispose();
    this.variants.dispose();
    this.committer.dispose();
    this.bars.dispose();
    this.events.dispose();
    this.db.close();
  }

  /**
   * The feed to start with: the one given, else the one selected last time (a replay resumes
   * after the last bar the strategies processed), else the simulated market.
   */
  private initialFeed(): { feed: MarketFeed; selection: FeedSelection; opened: FeedSelection } {
    const simulated: FeedSelection = { kind: 'simulated', seed: this.options.simulatedSeed ?? 42 };
    if (this.options.initialFeed !== undefined) {
      const selection = this.options.initialFeed;
      return { feed: this.createFeed(selection), selection, opened: selection };
    }
    const stored = FeedSelectionSchema.safeParse(this.settings.get(FEED_SELECTION_KEY));
    if (stored.success) {
      const selection = stored.data;
      try {
        if (selection.kind !== 'replay')
          return { feed: this.createFeed(selection), selection, opened: selection };
        const last = this.variants.lastSeenTime(selection.series);
        const from = last === null ? selection.from : Math.max(selection.from ?? 0, last + 1);
        const resumed = { ...selection, ...(from !== undefined ? { from } : {}) };
        if (from !== undefined && from !== selection.from) {
          const start = selection.from ?? 0;
          const end = selection.to ?? Number.MAX_SAFE_INTEGER;
          this.resumedReplay = {
            before: this.candles.count(selection.series, start, from - 1),
            all: this.candles.count(selection.series, start, end),
          };
        }
        // A replay that had played to its end stays ended on the same series.
        return {
          feed: new ReplayFeed(this.clock, this.candles, resumed),
          selection,
          opened: resumed,
        };
      } catch (error) {
        console.warn(
          `[parallax] the last feed could not be reopened (${error instanceof Error ? error.message : String(error)}); showing the simulated market`,
        );
      }
    }
    return { feed: this.createFeed(simulated), selection: simulated, opened: simulated };
  }

  /** The current feed as the variant manager reads it: its series, recent bars and "now". */
  private variantFeedView(): VariantFeedView | null {
    // Undefined only while the constructor restores, before the first feed exists.
    const feed = this.feed as MarketFeed | undefined;
    if (feed === undefined) return null;
    const selection = this.selection;
    const newest = feed.recent(1).candles.at(-1)?.time ?? null;
    const upTo =
      newest ??
      (selection?.kind === 'replay'
        ? (selection.from ?? 0) - 1
        : Math.floor(this.clock.nowMs() / TIMEFRAME_MS[feed.series.timeframe]) *
            TIMEFRAME_MS[feed.series.timeframe] -
          TIMEFRAME_MS[feed.series.timeframe]);
    return {
      series: feed.series,
      recent: (limit) => feed.recent(limit),
      upTo,
      kind: feed.kind,
      state: feed.status().state,
    };
  }

  private createFeed(selection: FeedSelection): MarketFeed {
    if (selection.kind === 'simulated') {
      return new SimulatedFeed(this.clock, {
        seed: selection.seed ?? this.options.simulatedSeed ?? 42,
        symbol: selection.symbol,
      });
    }
    if (selection.kind === 'exchange') {
      const endpoint = this.options.exchangeEndpoints?.[selection.exchange];
      try {
        return new ExchangeFeed(this.clock, this.candles, this.gaps, {
          exchange: selection.exchange,
          symbol: selection.symbol,
          timeframes: selection.timeframes,
          source: selection.source,
          urls: endpoint?.urls,
          markets: endpoint?.markets,
        });
      } catch (error) {
        throw new UserFacingError(
          `cannot open ${selection.exchange} ${selection.symbol}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (this.candles.count(selection.series, selection.from, selection.to) === 0) {
      const s = selection.series;
      throw new UserFacingError(
        `no stored history for ${s.exchange} ${s.symbol} ${s.timeframe} in that range — import some first`,
      );
    }
    return new ReplayFeed(this.clock, this.candles, selection);
  }

  private shownSeries(selection: FeedSelection): SeriesKey {
    const base = this.feed.series;
    if (selection.kind !== 'exchange' || !selection.timeframes?.length) return base;
    return { ...base, timeframe: selection.timeframes[0]! };
  }

  private attachFeed(): void {
    this.feedLifetime = new DisposableStore();
    const shown = this.shown;
    // The chart gets the shown series only; every timeframe goes to the distributor.
    this.feedLifetime.add(this.feed.onBar((e) => isSeries(e, shown) && this.batcher.push(e)));
    this.feedLifetime.add(this.bars.attach(this.feed));
    let previous = this.feed.status().state;
    this.feedLifetime.add(
      this.feed.onStatus((s) => {
        this.batcher.flushNow();
        this.events.emit('feedStatus', this.shownStatus(s));
        this.alertOnHealth(previous, s);
        if (s.state !== previous) this.variants.onFeedStatus();
        previous = s.state;
      }),
    );
    this.feed.start();
  }

  /** A live feed that drops or comes back raises an alert (replays ending are not outages). */
  private alertOnHealth(previous: FeedStatus['state'], status: FeedStatus): void {
    if (status.kind !== 'exchange') return;
    const down = (s: FeedStatus['state']): boolean => s === 'reconnecting' || s === 'error';
    const where = `${status.series.exchange} ${status.series.symbol}`;
    if (previous === 'live' && down(status.state)) {
      this.variants.alert(
        'feed-down',
        'warning',
        `${where} feed ${status.state}${status.error ? `: ${status.error}` : ''}`,
      );
    } else if (down(previous) && status.state === 'live') {
      this.variants.alert('feed-restored', 'info', `${where} feed live again`);
    }
  }

  private scheduleStatus(): void {
    const interval = this.options.statusIntervalMs ?? 1000;
    this.statusTimer = this.clock.setTimeout(() => {
      if (this.disposed) return;
      this.events.emit('feedStatus', this.feedStatus());
      this.scheduleStatus();
    }, interval);
  }

  private handlers(): ApiHandlers {
    return {
      ...chartHandlers(this.charts),
      getAppInfo: () => ({
        name: 'Parallax',
        version: this.options.appVersion,
        node: process.versions.node,
      }),
      getFeedStatus: () => this.feedStatus(),
      selectFeed: (selection) => this.selectFeed(selection),
      setReplaySpeed: ({ speed }) => {
        if (!(this.feed instanceof ReplayFeed))
          throw new UserFacingError(
            'the replay speed applies to a replay; the current feed is not one',
          );
        this.feed.setSpeed(speed);
        // A restart resumes the replay at the speed it last had.
        const stored = FeedSelectionSchema.safeParse(this.settings.get(FEED_SELECTION_KEY));
        if (stored.success && stored.data.kind === 'replay')
          this.settings.set(FEED_SELECTION_KEY, { ...stored.data, speed });
        return this.feedStatus();
      },
      getFeedCandles: ({ limit }) => this.feedCandles(limit),
      getCandles: ({ series, from, to, limit }) => ({
        series,
        candles:
          from !== undefined
            ? this.candles.range(series, from, to ?? Number.MAX_SAFE_INTEGER, limit)
            : this.candles.last(series, limit, to),
      }),
      listSeries: () => this.candles.listSeries(),
      importHistory: (request) => {
        const report = this.importer.importFile({
          fileName: request.fileName,
          bytes: Buffer.from(request.contentBase64, 'base64'),
          exchange: request.exchange,
          symbol: request.symbol,
        });
        this.events.emit('historyImported', report);
        return report;
      },
      listStrategyTemplates: () => this.backtests.listTemplates(),
      runBacktest: (params) => this.backtests.start(params),
      cancelBacktest: ({ runId }) => ({ cancelled: this.backtests.cancel(runId) }),
      getBacktestResult: ({ runId }) => this.backtests.result(runId),
      listBacktests: ({ limit }) => this.backtests.list(limit),
      exportTrades: ({ filter, format }) => this.backtests.exportTrades(filter, format),
      deployStrategy: (params) => this.variants.deploy(params),
      listStrategies: () => this.variants.listStrategies(),
      listVariants: ({ strategyId }) => this.variants.listVariants(strategyId),
      controlVariant: ({ variantId, action }) => this.variants.control(variantId, action),
      controlStrategy: ({ strategyId, action }) =>
        this.variants.controlStrategy(strategyId, action),
      killVariant: ({ variantId }) => this.variants.kill(variantId),
      previewPromotion: ({ variantId }) => this.variants.previewPromotion(variantId),
      promoteVariant: ({ variantId, acceptNonCandidate }) =>
        this.variants.promote(variantId, acceptNonCandidate),
      listPromotionAudit: ({ strategyId }) => this.variants.listPromotionAudit(strategyId),
      setAutoPromote: ({ strategyId, enabled }) =>
        this.variants.setAutoPromote(strategyId, enabled),
      getTrialLedger: ({ strategyId }) => this.variants.trialLedger(strategyId),
      emergencyStop: () => this.variants.emergencyStop(),
      getCircuitBreaker: () => this.variants.circuitBreakerState(),
      setCircuitBreakerLimits: (limits) => this.variants.setCircuitBreakerLimits(limits),
      resetCircuitBreaker: () => this.variants.resetCircuitBreaker(),
      listPositions: () => this.variants.listPositions(),
      listLiveTrades: ({ filter, limit }) => this.variants.listLiveTrades(filter, limit),
      exportLiveTrades: ({ filter, format }) => this.variants.exportLiveTrades(filter, format),
      listAlerts: ({ limit }) => this.variants.listAlerts(limit),
    };
  }
}

const FEED_SELECTION_KEY = 'feed.selection';

function isSeries(event: CandleEvent, series: SeriesKey): boolean {
  const s = event.series;
  return (
    s.exchange === series.exchange && s.symbol === series.symbol && s.timeframe === series.timeframe
  );
}
