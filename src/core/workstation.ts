import type { ApiHandlers } from '../shared/api';
import { DisposableStore, type Disposable } from '../shared/disposable';
import type { FeedSelection, FeedStatus } from '../shared/market';
import { ApiDispatcher, UserFacingError } from './api/api-dispatcher';
import { ApiEventHub } from './api/api-event-hub';
import { HistoryImporter } from './history/history-importer';
import { MarketBarsBatcher } from './market/market-bars-batcher';
import type { MarketFeed } from './market/market-feed';
import { ReplayFeed } from './market/replay-feed';
import { SimulatedFeed } from './market/simulated-feed';
import { CandleRepository } from './store/candle-repository';
import { openDatabase, type Db } from './store/database';
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
}

/**
 * The kernel both hosts build: store, feeds and the API handler table. Electron and the
 * headless server only carry its calls and events; neither adds behaviour of its own.
 */
export class Workstation implements Disposable {
  public readonly db: Db;
  public readonly candles: CandleRepository;
  public readonly events = new ApiEventHub();
  public readonly dispatcher: ApiDispatcher;
  private readonly clock: Clock;
  private readonly importer: HistoryImporter;
  private readonly batcher: MarketBarsBatcher;
  private readonly feedSubscriptions = new DisposableStore();
  private feedLifetime = new DisposableStore();
  private feed: MarketFeed;
  private statusTimer: Disposable | undefined;
  private disposed = false;

  public constructor(private readonly options: WorkstationOptions) {
    this.clock = options.clock ?? new LiveClock();
    this.db = openDatabase({ path: options.databasePath });
    this.candles = new CandleRepository(this.db);
    this.importer = new HistoryImporter(this.db, this.candles, this.clock);
    this.batcher = new MarketBarsBatcher(this.clock, (batch) =>
      this.events.emit('marketBars', batch),
    );
    this.feedSubscriptions.add(this.batcher);
    this.feed = this.createFeed(
      options.initialFeed ?? { kind: 'simulated', seed: options.simulatedSeed ?? 42 },
    );
    this.attachFeed();
    this.scheduleStatus();
    this.dispatcher = new ApiDispatcher(this.handlers());
  }

  public get currentFeed(): MarketFeed {
    return this.feed;
  }

  public selectFeed(selection: FeedSelection): FeedStatus {
    this.feedLifetime.dispose();
    this.feed.dispose();
    this.batcher.flushNow();
    this.feed = this.createFeed(selection);
    this.attachFeed();
    return this.feed.status();
  }

  public dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statusTimer?.dispose();
    this.feedLifetime.dispose();
    this.feed.dispose();
    this.feedSubscriptions.dispose();
    this.events.dispose();
    this.db.close();
  }

  private createFeed(selection: FeedSelection): MarketFeed {
    if (selection.kind === 'simulated') {
      return new SimulatedFeed(this.clock, {
        seed: selection.seed ?? this.options.simulatedSeed ?? 42,
        symbol: selection.symbol,
      });
    }
    if (this.candles.count(selection.series, selection.from, selection.to) === 0) {
      const s = selection.series;
      throw new UserFacingError(
        `no stored history for ${s.exchange} ${s.symbol} ${s.timeframe} in that range — import some first`,
      );
    }
    return new ReplayFeed(this.clock, this.candles, selection);
  }

  private attachFeed(): void {
    this.feedLifetime = new DisposableStore();
    this.feedLifetime.add(this.feed.onBar((e) => this.batcher.push(e)));
    this.feedLifetime.add(
      this.feed.onStatus((s) => {
        this.batcher.flushNow();
        this.events.emit('feedStatus', s);
      }),
    );
    this.feed.start();
  }

  private scheduleStatus(): void {
    const interval = this.options.statusIntervalMs ?? 1000;
    this.statusTimer = this.clock.setTimeout(() => {
      if (this.disposed) return;
      this.events.emit('feedStatus', this.feed.status());
      this.scheduleStatus();
    }, interval);
  }

  private handlers(): ApiHandlers {
    return {
      getAppInfo: () => ({
        name: 'Parallax',
        version: this.options.appVersion,
        node: process.versions.node,
      }),
      getFeedStatus: () => this.feed.status(),
      selectFeed: (selection) => this.selectFeed(selection),
      setReplaySpeed: ({ speed }) => {
        if (!(this.feed instanceof ReplayFeed))
          throw new UserFacingError(
            'the replay speed applies to a replay; the current feed is not one',
          );
        this.feed.setSpeed(speed);
        return this.feed.status();
      },
      getFeedCandles: ({ limit }) => ({ series: this.feed.series, ...this.feed.recent(limit) }),
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
    };
  }
}
