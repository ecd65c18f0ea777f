import type { Disposable } from '../../../shared/disposable';
import {
  TIMEFRAME_MS,
  type Candle,
  type CandleEvent,
  type FeedState,
  type FeedStatus,
  type SeriesKey,
  type Timeframe,
} from '../../../shared/market';
import { Emitter } from '../../events/emitter';
import type { CandleRepository } from '../../store/candle-repository';
import type { Clock } from '../../time/clock';
import { periodStart, TimeframeAggregator } from '../aggregation/timeframe-aggregator';
import { TradeBarAggregator } from '../aggregation/trade-bar-aggregator';
import { BarBuffer, RateMeter, type MarketFeed } from '../market-feed';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff';
import {
  candleFromOhlcvRow,
  CcxtTradeSchema,
  parseBinanceStreamMessage,
  type BinanceStreamMessage,
} from './binance-messages';
import {
  createCcxtExchange,
  isRateLimitError,
  type CcxtExchange,
  type CcxtUrlOverrides,
} from './ccxt-exchange';
import type { ExchangeGapRepository } from './exchange-gap-repository';

/** Where bars come from: the exchange's kline stream, or its trades aggregated into bars. */
export type BarSource = 'klines' | 'trades';

export interface ExchangeFeedOptions {
  /** ccxt exchange id: 'binance', 'binanceusdm', or any ccxt pro exchange with watchOHLCV or watchTrades. */
  exchange: string;
  /** ccxt unified symbol, e.g. 'FIL/USDT' (spot) or 'FIL/USDT:USDT' (USDⓈ-M perpetual). */
  symbol: string;
  /** Higher timeframes built from the 1m stream; one exchange subscription serves them all. */
  timeframes?: readonly Timeframe[];
  /** Default: klines when the exchange streams them, else trades. */
  source?: BarSource;
  /** Open time to backfill from when nothing is stored yet. Default: `backfillBars` bars back. */
  backfillFrom?: number;
  /** Used when `backfillFrom` is not given. Default 1000. */
  backfillBars?: number;
  /** Bars per REST page. Default 1000 (Binance spot's maximum). */
  pageLimit?: number;
  /** Reconnect delays. Default 1 s doubling to 60 s, 50% jitter. */
  reconnect?: BackoffPolicy;
  /** Delays between REST retries after 429 / 5xx / network errors. Default 1 s doubling to 60 s. */
  restRetry?: BackoffPolicy;
  /** No message for this long (clock ms) means the connection is dead. Default 20 s. */
  staleAfterMs?: number;
  /**
   * A REST bar counts as closed when its period ended this long ago by our clock (or when the
   * stream already moved past it), so a slightly fast local clock cannot store a bar in progress.
   * Default 2 s.
   */
  clockSkewMs?: number;
  /** How long after its minute a trade-built bar waits for late trades before closing. Default 2 s. */
  tradeCloseGraceMs?: number;
  /** Overrides of ccxt's `urls.api` (tests point them at a local fake exchange). */
  urls?: CcxtUrlOverrides;
  /** ccxt markets to use instead of loading them over REST. */
  markets?: readonly object[];
  /** ccxt's minimum ms between REST calls (its `rateLimit`); ccxt's own value by default. */
  rateLimitMs?: number;
  /** Closed bars kept in memory for `recent()`. Default 5000. */
  recentCapacity?: number;
  /** Random source for jitter, in [0, 1). */
  random?: () => number;
  logger?: { warn(message: string): void };
}

/** Health of the exchange connection: what FeedStatus does not carry (yet). */
export interface ExchangeFeedHealth {
  state: FeedState;
  /** Clock time minus the exchange's event time of the newest message, ms (null before one). */
  lagMs: number | null;
  messagesPerSecond: number;
  messages: number;
  /** Connections made after the first. */
  reconnects: number;
  badMessages: number;
  badMessagesByKind: Readonly<Record<string, number>>;
  /** Closed bars that arrived again (repeats, reordered or already backfilled) and were skipped. */
  duplicateBars: number;
  /** Trades older than the bar in progress, or repeated, and skipped. */
  lateTrades: number;
  backfills: number;
  backfilledBars: number;
  restErrors: number;
  /** REST answers of 429 / 418 (rate limit). */
  rateLimited: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastMessageAt: number | null;
  /** Open time of the newest closed base bar stored. */
  lastClosedTime: number | null;
}

const BASE: Timeframe = '1m';
const BASE_MS = TIMEFRAME_MS[BASE];
const BINANCE_FAMILY = new Set(['binance', 'binanceusdm', 'binanceus', 'binancecoinm']);

class SessionEnded extends Error {}

/**
 * Live bars from a real exchange through ccxt: the WebSocket stream (klines, or trades
 * aggregated) for what is happening now, REST `fetchOHLCV` for everything missed — at start,
 * after every reconnect and whenever the stream skips a bar.
 *
 * Invariants: every closed 1m bar is stored (CandleRepository) and emitted exactly once, in
 * time order, before any later bar; closed bars equal the exchange's own history; a hole in the
 * exchange's history is recorded as verified-empty (ExchangeGapRepository), never filled in.
 * In-progress updates (closed: false) only ever describe a bar newer than the last closed one.
 */
export class ExchangeFeed implements MarketFeed {
  public readonly kind = 'exchange' as const;
  public readonly series: SeriesKey;
  private readonly tfMs = BASE_MS;
  private readonly ex: CcxtExchange;
  private readonly binance: boolean;
  private readonly source: BarSource;
  private readonly aggregators: TimeframeAggregator[];
  private readonly barEmitter = new Emitter<CandleEvent>();
  private readonly statusEmitter = new Emitter<FeedStatus>();
  private readonly rate = new RateMeter();
  private readonly bars: BarBuffer;
  private readonly reconnectBackoff: Backoff;
  private readonly restBackoff: Backoff;
  private readonly logger: { warn(message: string): void };
  private readonly loggedKinds = new Set<string>();
  private readonly tradeBars = new TradeBarAggregator(BASE);
  private readonly recentTradeIds = new Set<string>();
  private readonly pendingClosed = new Map<number, Candle>();

  private running = false;
  private disposed = false;
  private state: FeedState = 'paused';
  private session = 0;
  private sessionLive = false;
  private killSession: ((error: Error) => void) | undefined;
  private watchdog: Disposable | undefined;
  private sleeping: { timer: Disposable; wake: () => void } | undefined;
  private marketId: string | undefined;
  private marketsReady = false;

  private lastClosed: number | undefined;
  private forming: Candle | null = null;
  /** End of the newest period the stream has shown to be over (a closed bar, or the start of a newer one). */
  private streamClosedEnd = Number.NEGATIVE_INFINITY;
  private backfilling = false;
  private backfillAgain = false;
  private lastGapRequestFor = Number.NEGATIVE_INFINITY;
  /** Bars with open time up to here that REST did not return (after the last stored one) do not exist. */
  private restCheckedUntil = Number.NEGATIVE_INFINITY;
  /** Trade-built bars before this open time are incomplete (the stream started mid-bar). */
  private tradesTrustedFrom = Number.POSITIVE_INFINITY;
  private genericForming: Candle | null = null;
  private lastTradeId = Number.NEGATIVE_INFINITY;

  private readonly health = {
    lagMs: null as number | null,
    messages: 0,
    reconnects: 0,
    badMessages: 0,
    badMessagesByKind: {} as Record<string, number>,
    duplicateBars: 0,
    lateTrades: 0,
    backfills: 0,
    backfilledBars: 0,
    restErrors: 0,
    rateLimited: 0,
    lastError: null as string | null,
    lastErrorAt: null as number | null,
    lastMessageAt: null as number | null,
  };

  public constructor(
    private readonly clock: Clock,
    private readonly candles: CandleRepository,
    private readonly gaps: ExchangeGapRepository,
    private readonly options: ExchangeFeedOptions,
  ) {
    this.series = { exchange: options.exchange, symbol: options.symbol, timeframe: BASE };
    this.ex = createCcxtExchange(options.exchange, {
      urls: options.urls,
      rateLimitMs: options.rateLimitMs,
    });
    this.binance = BINANCE_FAMILY.has(options.exchange);
    const streamsKlines = this.ex.has['watchOHLCV'] === true;
    this.source = options.source ?? (streamsKlines ? 'klines' : 'trades');
    if (this.source === 'klines' && !streamsKlines)
      throw new Error(`${options.exchange} does not stream klines (watchOHLCV)`);
    if (this.source === 'trades' && this.ex.has['watchTrades'] !== true) {
      throw new Error(`${options.exchange} streams neither klines nor trades`);
    }
    const higher = [...new Set(options.timeframes ?? [])].filter((tf) => tf !== BASE);
    this.aggregators = higher.map((tf) => new TimeframeAggregator(tf, BASE));
    this.bars = new BarBuffer(options.recentCapacity ?? 5000);
    this.reconnectBackoff = new Backoff(
      options.reconnect ?? DEFAULT_RECONNECT_BACKOFF,
      options.random,
    );
    this.restBackoff = new Backoff(options.restRetry ?? DEFAULT_RECONNECT_BACKOFF, options.random);
    this.logger = options.logger ?? { warn: (m) => console.warn(`[parallax] ${m}`) };
    this.installMessageTap();
  }

  public start(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    this.loadStoredState();
    this.setState('starting');
    void this.connectionLoop();
  }

  public stop(): void {
    if (!this.running) return;
    this.running = false;
    this.endSession(new SessionEnded('stopped'));
    this.sleeping?.wake();
    void this.ex.close().catch(() => undefined);
    this.setState('paused');
  }

  public dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.state = 'ended';
    this.barEmitter.dispose();
    this.statusEmitter.dispose();
  }

  public status(): FeedStatus {
    return {
      kind: 'exchange',
      state: this.state,
      series: this.series,
      label: `${this.options.exchange} ${this.options.symbol} — live exchange data (${this.source})`,
      replaySpeed: null,
      messagesPerSecond: this.rate.perSecond(this.clock.nowMs()),
      progress: null,
      error: this.health.lastError,
      health: {
        lagMs: this.health.lagMs,
        reconnects: this.health.reconnects,
        badMessages: this.health.badMessages,
        duplicateBars: this.health.duplicateBars,
        rateLimited: this.health.rateLimited,
        restErrors: this.health.restErrors,
        lastErrorAt: this.health.lastErrorAt,
      },
    };
  }

  /** Connection health beyond FeedStatus: lag, reconnects, bad messages, rate limits, last error. */
  public healthStatus(): ExchangeFeedHealth {
    return {
      state: this.state,
      ...this.health,
      badMessagesByKind: { ...this.health.badMessagesByKind },
      messagesPerSecond: this.rate.perSecond(this.clock.nowMs()),
      lastClosedTime: this.lastClosed ?? null,
    };
  }

  public recent(limit: number): { candles: Candle[]; forming: Candle | null } {
    return { candles: this.bars.newest(limit), forming: this.visibleForming() };
  }

  public readonly onBar = (listener: (event: CandleEvent) => void): Disposable =>
    this.barEmitter.event(listener);
  public readonly onStatus = (listener: (status: FeedStatus) => void): Disposable =>
    this.statusEmitter.event(listener);

  // ── connection ────────────────────────────────────────────────────────────────────────────

  private async connectionLoop(): Promise<void> {
    let first = true;
    while (this.running) {
      if (!first) {
        this.health.reconnects++;
        this.setState('reconnecting');
      }
      first = false;
      const session = ++this.session;
      this.sessionLive = false;
      const killed = new Promise<never>((_, reject) => (this.killSession = reject));
      killed.catch(() => undefined);
      try {
        await Promise.race([this.prepareMarkets(), killed]);
        this.beginSession();
        this.armWatchdog(session);
        this.requestBackfill();
        await this.streamLoop(session, killed);
      } catch (error) {
        if (!(error instanceof SessionEnded) || error.message !== 'stopped')
          this.recordError(error);
      }
      this.watchdog?.dispose();
      this.killSession = undefined;
      await this.ex.close().catch(() => undefined);
      if (!this.running) return;
      this.setState('reconnecting');
      await this.sleep(this.reconnectBackoff.next());
    }
  }

  private async prepareMarkets(): Promise<void> {
    if (this.marketsReady) return;
    if (this.options.urls?.ws !== undefined) await this.ex.loadHttpProxyAgent();
    if (this.options.markets) this.ex.setMarkets([...this.options.markets]);
    else await this.ex.loadMarkets();
    this.marketId = this.ex.market(this.options.symbol).id;
    this.marketsReady = true;
  }

  private beginSession(): void {
    this.health.lastMessageAt = this.clock.nowMs();
    this.genericForming = null;
    if (this.source === 'trades') {
      // The bar in progress when the stream (re)starts misses the trades before it: that bar
      // comes from REST once it has closed, never from the partial trades.
      this.tradeBars.reset();
      this.tradesTrustedFrom = periodStart(this.clock.nowMs(), BASE) + BASE_MS;
    }
  }

  private async streamLoop(session: number, killed: Promise<never>): Promise<void> {
    while (this.running && session === this.session) {
      const watch =
        this.source === 'klines'
          ? this.ex.watchOHLCV(this.options.symbol, BASE)
          : this.ex.watchTrades(this.options.symbol);
      watch.catch(() => undefined);
      const result = await Promise.race([watch, killed]);
      // Binance messages were already decoded by the tap; other exchanges are read from ccxt's cache.
      if (!this.binance) this.onGenericResult(result);
    }
  }

  private endSession(error: Error): void {
    this.killSession?.(error);
  }

  private armWatchdog(session: number): void {
    const stale = this.options.staleAfterMs ?? 20_000;
    const tick = Math.max(1, Math.floor(stale / 4));
    const check = (): void => {
      if (!this.running || session !== this.session) return;
      const now = this.clock.nowMs();
      if (now - (this.health.lastMessageAt ?? now) > stale) {
        this.endSession(
          new Error(
            `no message for ${now - this.health.lastMessageAt!} ms: connection treated as dead`,
          ),
        );
        return;
      }
      if (this.source === 'trades') this.closeDueTradeBar(now);
      this.watchdog = this.clock.setTimeout(check, tick);
    };
    this.watchdog = this.clock.setTimeout(check, tick);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        timer.dispose();
        this.sleeping = undefined;
        resolve();
      };
      const timer = this.clock.setTimeout(wake, ms);
      this.sleeping = { timer, wake };
    });
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────

  /**
   * Every frame passes through here before ccxt's own handler: it is counted (rate, liveness),
   * validated, and a malformed one is skipped — counted and logged once per kind — instead of
   * reaching code that would throw on it.
   */
  private installMessageTap(): void {
    const original = this.ex.handleMessage.bind(this.ex);
    this.ex.handleMessage = (client: unknown, message: unknown): void => {
      if (!this.running) return;
      const now = this.clock.nowMs();
      this.health.messages++;
      this.health.lastMessageAt = now;
      this.rate.mark(now);
      if (this.binance) {
        const decoded = parseBinanceStreamMessage(message);
        if (decoded.kind === 'bad') return this.countBad(decoded.reason, decoded.detail);
        this.onBinanceMessage(decoded, now);
      } else if (typeof message !== 'object' || message === null) {
        return this.countBad('not-json', String(message).slice(0, 80));
      }
      try {
        original(client, message);
      } catch (error) {
        this.countBad('rejected-by-ccxt', error instanceof Error ? error.message : String(error));
      }
    };
    // ccxt logs unparsable frames itself; they are counted and logged once here instead.
    this.ex.log = () => undefined;
  }

  private onBinanceMessage(message: BinanceStreamMessage, now: number): void {
    switch (message.kind) {
      case 'kline':
        if (
          message.marketId !== this.marketId ||
          message.interval !== BASE ||
          this.source !== 'klines'
        )
          return;
        this.health.lagMs = now - message.eventTime;
        this.markLive();
        this.onStreamBar(message.candle, message.closed);
        return;
      case 'trade':
        if (message.marketId !== this.marketId || this.source !== 'trades') return;
        this.health.lagMs = now - message.eventTime;
        this.markLive();
        if (message.id <= this.lastTradeId) {
          this.health.lateTrades++;
          return;
        }
        this.lastTradeId = message.id;
        this.onTrade(message.time, message.price, message.amount);
        return;
      case 'error':
        this.recordError(new Error(`exchange error ${message.code}: ${message.message}`));
        return;
      default:
        return;
    }
  }

  private onGenericResult(result: unknown): void {
    if (!Array.isArray(result)) return;
    for (const item of result) {
      if (this.source === 'klines') {
        const candle = candleFromOhlcvRow(item);
        if (!candle) {
          this.countBad('malformed-ohlcv', JSON.stringify(item).slice(0, 80));
          continue;
        }
        this.markLive();
        // ccxt's OHLCV rows carry no "closed" flag: a row of a later bar closes the previous one.
        const prev = this.genericForming;
        if (prev && candle.time < prev.time) continue;
        if (prev && candle.time > prev.time) this.onStreamBar(prev, true);
        this.genericForming = candle;
        this.onStreamBar(candle, false);
      } else {
        const trade = CcxtTradeSchema.safeParse(item);
        if (!trade.success) {
          this.countBad('malformed-trade', JSON.stringify(item).slice(0, 80));
          continue;
        }
        this.markLive();
        const id = trade.data.id == null ? undefined : String(trade.data.id);
        if (id !== undefined) {
          if (this.recentTradeIds.has(id)) {
            this.health.lateTrades++;
            continue;
          }
          this.recentTradeIds.add(id);
          if (this.recentTradeIds.size > 5000)
            this.recentTradeIds.delete(this.recentTradeIds.values().next().value!);
        }
        this.onTrade(trade.data.timestamp, trade.data.price, trade.data.amount);
      }
    }
  }

  private onTrade(time: number, price: number, amount: number): void {
    const update = this.tradeBars.add({ time, price, amount });
    if (!update) {
      this.health.lateTrades++;
      return;
    }
    if (update.closed) this.onTradeBarClosed(update.closed);
    this.onStreamBar(update.forming, false);
  }

  private closeDueTradeBar(now: number): void {
    const closed = this.tradeBars.closeDue(now - (this.options.tradeCloseGraceMs ?? 2_000));
    if (closed) this.onTradeBarClosed(closed);
  }

  private onTradeBarClosed(bar: Candle): void {
    // A partial bar is not emitted: the gap it leaves makes the next bar trigger a backfill.
    if (bar.time >= this.tradesTrustedFrom) this.onStreamBar(bar, true);
    else this.streamClosedEnd = Math.max(this.streamClosedEnd, bar.time + this.tfMs);
  }

  private markLive(): void {
    if (this.sessionLive) return;
    this.sessionLive = true;
    this.reconnectBackoff.reset();
    this.setState('live');
  }

  private countBad(kind: string, detail: string): void {
    this.health.badMessages++;
    this.health.badMessagesByKind[kind] = (this.health.badMessagesByKind[kind] ?? 0) + 1;
    if (!this.loggedKinds.has(kind)) {
      this.loggedKinds.add(kind);
      this.logger.warn(
        `${this.options.exchange} ${this.options.symbol}: skipped a ${kind} message (${detail}); further ones are only counted`,
      );
    }
  }

  // ── bars: the exactly-once, in-order gate ─────────────────────────────────────────────────

  private onStreamBar(candle: Candle, closed: boolean): void {
    if (closed) {
      this.streamClosedEnd = Math.max(this.streamClosedEnd, candle.time + this.tfMs);
      if (this.lastClosed !== undefined && candle.time <= this.lastClosed) {
        this.health.duplicateBars++;
        return;
      }
      if (this.backfilling) {
        // Committed after the backfill, in order; no new round unless it leaves a hole (flushPending).
        this.pendingClosed.set(candle.time, candle);
        return;
      }
      if (!this.follows(candle.time)) {
        this.pendingClosed.set(candle.time, candle);
        this.requestBackfill();
        return;
      }
      this.commit([candle]);
      this.emitForming();
      return;
    }
    this.streamClosedEnd = Math.max(this.streamClosedEnd, candle.time);
    if (this.lastClosed !== undefined && candle.time <= this.lastClosed) return;
    this.forming = candle;
    if (this.backfilling) return;
    if (!this.follows(candle.time) && candle.time > this.lastGapRequestFor) {
      // The stream is on a bar whose predecessor never closed here: fetch it before going on.
      this.lastGapRequestFor = candle.time;
      this.requestBackfill();
      return;
    }
    this.emitForming();
  }

  /** True when a bar at `time` comes right after the last closed bar (or after a verified hole). */
  private follows(time: number): boolean {
    if (this.lastClosed === undefined) return true;
    const next = this.lastClosed + this.tfMs;
    return time === next || this.gaps.covers(this.series, next, time);
  }

  /** Stores bars (new ones, in order) and then emits them with the higher bars they close. */
  private commit(bars: readonly Candle[]): void {
    const fresh = bars.filter(
      (b, i) =>
        (this.lastClosed === undefined || b.time > this.lastClosed) &&
        (i === 0 || b.time > bars[i - 1]!.time),
    );
    if (fresh.length === 0) return;
    this.candles.transaction(() => this.candles.insert(this.series, fresh));
    for (const bar of fresh) {
      this.lastClosed = bar.time;
      this.bars.push(bar);
      this.barEmitter.fire({ series: this.series, candle: bar, closed: true });
      for (const agg of this.aggregators) {
        for (const higher of agg.pushClosed(bar)) {
          this.barEmitter.fire({
            series: { ...this.series, timeframe: agg.target },
            candle: higher,
            closed: true,
          });
        }
      }
    }
  }

  private visibleForming(): Candle | null {
    const f = this.forming;
    return f && (this.lastClosed === undefined || f.time > this.lastClosed) ? { ...f } : null;
  }

  private emitForming(): void {
    const f = this.visibleForming();
    if (!f) return;
    this.barEmitter.fire({ series: this.series, candle: f, closed: false });
    for (const agg of this.aggregators) {
      this.barEmitter.fire({
        series: { ...this.series, timeframe: agg.target },
        candle: agg.forming(f),
        closed: false,
      });
    }
  }

  // ── backfill ──────────────────────────────────────────────────────────────────────────────

  private requestBackfill(): void {
    if (!this.running) return;
    if (this.backfilling) {
      this.backfillAgain = true;
      return;
    }
    void this.runBackfill();
  }

  private async runBackfill(): Promise<void> {
    this.backfilling = true;
    try {
      do {
        this.backfillAgain = false;
        this.health.backfills++;
        await this.backfillOnce();
      } while (this.backfillAgain && this.running);
    } catch (error) {
      if (!(error instanceof SessionEnded)) this.recordError(error);
    } finally {
      this.backfilling = false;
    }
    if (!this.running) return;
    if (this.flushPending()) this.requestBackfill();
    else this.emitForming();
  }

  /** Fetches every closed bar after the last stored one, page by page, and commits them. */
  private async backfillOnce(): Promise<void> {
    let since =
      this.lastClosed !== undefined ? this.lastClosed + this.tfMs : this.initialBackfillFrom();
    let leadingHoleVerified = this.lastClosed !== undefined;
    const limit = this.options.pageLimit ?? 1000;
    for (;;) {
      const rows = await this.fetchPage(since, limit);
      const cutoff = Math.max(
        this.clock.nowMs() - (this.options.clockSkewMs ?? 2_000),
        this.streamClosedEnd,
      );
      // Every bar that ends by the cutoff and is not in this answer does not exist on the exchange.
      if (rows.length < limit) this.restCheckedUntil = cutoff;
      const page: Candle[] = [];
      for (const row of rows) {
        const candle = candleFromOhlcvRow(row);
        if (!candle) {
          this.countBad('malformed-rest-row', JSON.stringify(row).slice(0, 80));
          continue;
        }
        if (
          candle.time >= since &&
          candle.time + this.tfMs <= cutoff &&
          (page.length === 0 || candle.time > page.at(-1)!.time)
        ) {
          page.push(candle);
        }
      }
      if (page.length === 0) return;
      // Holes between bars the exchange did return are its own: record them, never fill them.
      const verifiedAt = this.clock.nowMs();
      let expected = since;
      this.gaps.transaction(() => {
        for (const bar of page) {
          if (bar.time > expected && leadingHoleVerified)
            this.gaps.record(this.series, expected, bar.time, verifiedAt);
          leadingHoleVerified = true;
          expected = bar.time + this.tfMs;
        }
      });
      const before = this.lastClosed;
      this.commit(page);
      if (this.lastClosed !== before)
        this.health.backfilledBars += page.filter(
          (b) => before === undefined || b.time > before,
        ).length;
      if (rows.length < limit) return;
      since = page.at(-1)!.time + this.tfMs;
    }
  }

  private initialBackfillFrom(): number {
    if (this.options.backfillFrom !== undefined)
      return periodStart(this.options.backfillFrom, BASE);
    return periodStart(this.clock.nowMs(), BASE) - (this.options.backfillBars ?? 1000) * this.tfMs;
  }

  /** One REST page, retried with backoff on rate limits, 5xx and network errors. */
  private async fetchPage(since: number, limit: number): Promise<unknown[]> {
    for (;;) {
      if (!this.running) throw new SessionEnded('stopped');
      try {
        await this.prepareMarkets();
        const rows = await this.ex.fetchOHLCV(this.options.symbol, BASE, since, limit);
        this.restBackoff.reset();
        return rows;
      } catch (error) {
        this.health.restErrors++;
        if (isRateLimitError(error)) this.health.rateLimited++;
        this.recordError(error);
        await this.sleep(this.restBackoff.next());
      }
    }
  }

  /**
   * After a backfill: stream bars that waited are committed in order. A hole before one of them
   * that the last REST query covered is the exchange's own and is recorded; a hole REST has not
   * covered yet (the bar closed after the query) stops the flush. Returns true when another
   * backfill round is needed.
   */
  private flushPending(): boolean {
    const waiting = [...this.pendingClosed.values()].sort((a, b) => a.time - b.time);
    for (const bar of waiting) {
      if (this.lastClosed !== undefined && bar.time <= this.lastClosed) {
        this.health.duplicateBars++;
        this.pendingClosed.delete(bar.time);
        continue;
      }
      if (this.lastClosed !== undefined && !this.follows(bar.time)) {
        if (bar.time > this.restCheckedUntil) return true;
        this.gaps.record(this.series, this.lastClosed + this.tfMs, bar.time, this.clock.nowMs());
      }
      this.pendingClosed.delete(bar.time);
      this.commit([bar]);
    }
    return false;
  }

  // ── state ─────────────────────────────────────────────────────────────────────────────────

  private loadStoredState(): void {
    const stored = this.candles.last(
      this.series,
      Math.max(1, this.options.recentCapacity ?? 5000),
      this.clock.nowMs(),
    );
    const last = stored.at(-1);
    if (!last) return;
    this.lastClosed = last.time;
    for (const bar of stored) this.bars.push(bar);
    // Higher bars in progress resume from the stored 1m bars of their open period, silently.
    for (const agg of this.aggregators) {
      const from = periodStart(last.time, agg.target);
      for (const bar of this.candles.range(this.series, from, last.time, 100_000))
        agg.pushClosed(bar);
    }
  }

  private recordError(error: unknown): void {
    const message =
      error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    this.health.lastError = message.slice(0, 300);
    this.health.lastErrorAt = this.clock.nowMs();
    this.statusEmitter.fire(this.status());
  }

  private setState(state: FeedState): void {
    if (this.state === state || this.disposed) return;
    this.state = state;
    this.statusEmitter.fire(this.status());
  }
}
