import type { Disposable } from '../../../shared/disposable';
import type { CandleEvent, SeriesKey } from '../../../shared/market';
import type { Clock } from '../../time/clock';
import type { MarketFeed } from '../market-feed';

/** Receives bars; may be async, in which case the next bar waits for it (per subscriber only). */
export type BarHandler = (event: CandleEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /** Shown in stats and reports, e.g. "variant:ema-cross#12". */
  name: string;
  /** Only these series (any timeframe of any series when omitted). */
  series?: readonly SeriesKey[];
  /**
   * Closed bars that may wait for this subscriber. One more and it is paused: it gets no
   * further bars until `resume()`, and `onPaused` tells it from which bar it must catch up
   * (from the store). Default 10,000.
   */
  maxQueuedClosed?: number;
  /** Called once when the subscriber is paused for falling too far behind. */
  onPaused?: (info: PausedInfo) => void;
}

export interface PausedInfo {
  name: string;
  /** The first closed bar this subscriber did not get. */
  firstMissed: CandleEvent;
}

/** Counters of one subscriber. */
export interface SubscriberStats {
  name: string;
  /** Events waiting: closed bars plus (at most one per series) in-progress updates. */
  queued: number;
  delivered: number;
  /** In-progress updates replaced by a newer one before delivery. */
  coalesced: number;
  /** Time from publish to delivery of the last delivered event, clock ms. */
  lagMs: number;
  maxLagMs: number;
  /** Handler calls that threw or rejected. */
  errors: number;
  paused: boolean;
  /** Closed bars not queued while paused. */
  missedClosed: number;
}

/** A live subscription: a lifetime plus its counters. */
export interface BarSubscription extends Disposable {
  readonly name: string;
  stats(): SubscriberStats;
  /** Ends a pause; bars published from now on are delivered again. */
  resume(): void;
}

export interface BarDistributorOptions {
  /** Runs a delivery turn later; setImmediate by default, so publish never waits for a handler. */
  schedule?: (task: () => void) => void;
  /** Events one subscriber handles per turn before yielding to the others. Default 256. */
  batchPerTurn?: number;
  onSubscriberError?: (name: string, error: unknown) => void;
}

interface Queued {
  event: CandleEvent;
  at: number;
}

const seriesId = (s: SeriesKey): string => `${s.exchange}|${s.symbol}|${s.timeframe}`;

/**
 * One feed, every consumer. Queue policy per subscriber:
 * - closed bars are queued in order and never dropped; past `maxQueuedClosed` the subscriber
 *   is paused and told (`onPaused`), never silently skipped;
 * - in-progress updates are coalesced: one slot per series keeps only the newest, and a closed
 *   bar makes a pending in-progress update of the same or an older bar obsolete;
 * - delivery happens in scheduled turns, never inside `publish`; in each turn every subscriber
 *   with work gets a bounded batch, and one whose async handler is still running is skipped
 *   until it settles — so a slow, async or throwing handler delays only itself. (A handler that blocks the thread synchronously still blocks the
 *   thread: CPU-heavy consumers belong in a worker.)
 */
export class BarDistributor implements Disposable {
  private readonly subscribers = new Set<Subscriber>();
  /** Subscribers with events waiting and no handler call in flight. */
  private readonly ready = new Set<Subscriber>();
  private readonly schedule: (task: () => void) => void;
  private readonly batchPerTurn: number;
  private readonly onSubscriberError: (name: string, error: unknown) => void;
  private pumpScheduled = false;

  public constructor(
    private readonly clock: Clock,
    options: BarDistributorOptions = {},
  ) {
    this.schedule = options.schedule ?? ((task) => void setImmediate(task));
    this.batchPerTurn = options.batchPerTurn ?? 256;
    this.onSubscriberError =
      options.onSubscriberError ??
      ((name, error) => console.error(`[parallax] bar subscriber ${name} failed:`, error));
  }

  /** Adds a consumer; dispose the returned subscription to remove it. */
  public subscribe(handler: BarHandler, options: SubscribeOptions): BarSubscription {
    const sub = new Subscriber(handler, options, this.clock, this.onSubscriberError, {
      ready: (s) => this.markReady(s),
      disposed: (s) => {
        this.subscribers.delete(s);
        this.ready.delete(s);
      },
    });
    this.subscribers.add(sub);
    return sub;
  }

  /** Hands an event to every subscriber's queue; returns at once. */
  public publish(event: CandleEvent): void {
    // One queue entry shared by every subscriber: publish costs a few map operations per subscriber.
    const item: Queued = { event, at: this.clock.nowMs() };
    const key = seriesId(event.series);
    for (const sub of this.subscribers) sub.enqueue(item, key);
  }

  /** Publishes everything `feed` emits until disposed. */
  public attach(feed: Pick<MarketFeed, 'onBar'>): Disposable {
    return feed.onBar((event) => this.publish(event));
  }

  public stats(): SubscriberStats[] {
    return [...this.subscribers].map((s) => s.stats());
  }

  public dispose(): void {
    for (const sub of [...this.subscribers]) sub.dispose();
  }

  private markReady(sub: Subscriber): void {
    this.ready.add(sub);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.schedule(() => this.pump());
  }

  /**
   * One delivery turn: each ready subscriber gets up to `batchPerTurn` events, then the next
   * one's turn comes. One scheduled task per turn for all subscribers keeps the overhead flat.
   */
  private pump(): void {
    this.pumpScheduled = false;
    const turn = [...this.ready];
    this.ready.clear();
    for (const sub of turn) sub.deliver(this.batchPerTurn);
  }
}

interface SubscriberHooks {
  ready(s: Subscriber): void;
  disposed(s: Subscriber): void;
}

class Subscriber implements BarSubscription {
  public readonly name: string;
  private readonly filter: Set<string> | null;
  private readonly maxQueuedClosed: number;
  private closedQueue: Queued[] = [];
  private closedHead = 0;
  private readonly formingBySeries = new Map<string, Queued>();
  /** A handler's promise is pending: nothing more is delivered to it until it settles. */
  private busy = false;
  private disposed = false;
  private paused = false;
  private readonly counters = {
    delivered: 0,
    coalesced: 0,
    lagMs: 0,
    maxLagMs: 0,
    errors: 0,
    missedClosed: 0,
  };

  public constructor(
    private readonly handler: BarHandler,
    private readonly options: SubscribeOptions,
    private readonly clock: Clock,
    private readonly onError: (name: string, error: unknown) => void,
    private readonly hooks: SubscriberHooks,
  ) {
    this.name = options.name;
    this.filter = options.series ? new Set(options.series.map(seriesId)) : null;
    this.maxQueuedClosed = options.maxQueuedClosed ?? 10_000;
  }

  public enqueue(item: Queued, key: string): void {
    if (this.disposed) return;
    const event = item.event;
    if (this.filter && !this.filter.has(key)) return;
    if (!event.closed) {
      if (this.paused) return;
      if (this.formingBySeries.has(key)) this.counters.coalesced++;
      this.formingBySeries.set(key, item);
    } else {
      if (this.paused) {
        this.counters.missedClosed++;
        return;
      }
      if (this.closedQueue.length - this.closedHead >= this.maxQueuedClosed) {
        this.pause(event);
        return;
      }
      const pending = this.formingBySeries.get(key);
      if (pending && pending.event.candle.time <= event.candle.time) {
        this.formingBySeries.delete(key);
        this.counters.coalesced++;
      }
      this.closedQueue.push(item);
    }
    if (!this.busy) this.hooks.ready(this);
  }

  public stats(): SubscriberStats {
    return {
      name: this.name,
      queued: this.queued(),
      ...this.counters,
      paused: this.paused,
    };
  }

  public resume(): void {
    this.paused = false;
  }

  public dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closedQueue = [];
    this.closedHead = 0;
    this.formingBySeries.clear();
    this.hooks.disposed(this);
  }

  /** Delivers up to `max` events; stops early when an async handler is in flight. */
  public deliver(max: number): void {
    // One clock read per batch: lag is measured at the start of the subscriber's turn.
    const now = this.clock.nowMs();
    for (let n = 0; n < max && !this.disposed && !this.busy; n++) {
      const next = this.take();
      if (!next) return;
      const lag = now - next.at;
      this.counters.lagMs = lag;
      if (lag > this.counters.maxLagMs) this.counters.maxLagMs = lag;
      this.counters.delivered++;
      let result: void | Promise<void>;
      try {
        result = this.handler(next.event);
      } catch (error) {
        this.fail(error);
        continue;
      }
      if (result instanceof Promise) {
        this.busy = true;
        result.then(
          () => this.settle(),
          (error: unknown) => {
            this.fail(error);
            this.settle();
          },
        );
      }
    }
    if (!this.disposed && !this.busy && this.queued() > 0) this.hooks.ready(this);
  }

  private settle(): void {
    this.busy = false;
    if (!this.disposed && this.queued() > 0) this.hooks.ready(this);
  }

  private fail(error: unknown): void {
    this.counters.errors++;
    this.onError(this.name, error);
  }

  private queued(): number {
    return this.closedQueue.length - this.closedHead + this.formingBySeries.size;
  }

  private pause(firstMissed: CandleEvent): void {
    this.paused = true;
    this.counters.missedClosed++;
    // In-progress updates would only mislead a consumer that is catching up from the store.
    this.formingBySeries.clear();
    try {
      this.options.onPaused?.({ name: this.name, firstMissed });
    } catch (error) {
      this.onError(this.name, error);
    }
  }

  /** Closed bars first, in order; then the newest in-progress update of each series. */
  private take(): Queued | undefined {
    if (this.closedHead < this.closedQueue.length) {
      const item = this.closedQueue[this.closedHead++]!;
      if (this.closedHead > 1024 && this.closedHead * 2 > this.closedQueue.length) {
        this.closedQueue = this.closedQueue.slice(this.closedHead);
        this.closedHead = 0;
      }
      return item;
    }
    const first = this.formingBySeries.entries().next();
    if (first.done) return undefined;
    this.formingBySeries.delete(first.value[0]);
    return first.value[1];
  }
}
