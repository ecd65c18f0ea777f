import type { Disposable } from '../../shared/disposable';
import {
  TIMEFRAME_MS,
  type Candle,
  type CandleEvent,
  type FeedStatus,
  type ReplaySpeed,
  type SeriesKey,
} from '../../shared/market';
import { Emitter } from '../events/emitter';
import type { CandleRepository } from '../store/candle-repository';
import type { Clock } from '../time/clock';
import { BarBuffer, RateMeter, type MarketFeed } from './market-feed';

export interface ReplayFeedOptions {
  series: SeriesKey;
  speed: ReplaySpeed;
  from?: number;
  to?: number;
  /** Bars emitted per timer turn at 'max' speed, so the host stays responsive. */
  maxSpeedBatch?: number;
}

/**
 * Plays stored bars in order at 1×, 10×, 100× real time or as fast as possible. The sequence of
 * bars is the same at every speed and on every run: speed changes only the spacing in time.
 */
export class ReplayFeed implements MarketFeed {
  public readonly kind = 'replay' as const;
  public readonly series: SeriesKey;
  private readonly barEmitter = new Emitter<CandleEvent>();
  private readonly statusEmitter = new Emitter<FeedStatus>();
  private readonly rate = new RateMeter();
  private readonly played = new BarBuffer(1_000_000);
  private readonly source: Iterator<Candle>;
  private readonly total: number;
  private speed: ReplaySpeed;
  private emitted = 0;
  private next: Candle | undefined;
  private timer: Disposable | undefined;
  private state: FeedStatus['state'] = 'paused';

  public constructor(
    private readonly clock: Clock,
    candles: CandleRepository,
    private readonly options: ReplayFeedOptions,
  ) {
    this.series = options.series;
    this.speed = options.speed;
    const from = options.from ?? 0;
    const to = options.to ?? Number.MAX_SAFE_INTEGER;
    this.total = candles.count(options.series, from, to);
    this.source = candles.iterate(options.series, from, to);
    this.next = this.source.next().value ?? undefined;
    if (this.total === 0) this.state = 'ended';
  }

  public start(): void {
    if (this.state === 'live' || this.state === 'ended') return;
    this.state = 'live';
    this.schedule();
    this.statusEmitter.fire(this.status());
  }

  public stop(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.state === 'live') this.state = 'paused';
    this.statusEmitter.fire(this.status());
  }

  public setSpeed(speed: ReplaySpeed): void {
    this.speed = speed;
    if (this.state === 'live') {
      this.timer?.dispose();
      this.schedule();
    }
    this.statusEmitter.fire(this.status());
  }

  public status(): FeedStatus {
    return {
      kind: 'replay',
      state: this.state,
      series: this.series,
      label: `REPLAY of stored ${this.series.exchange} ${this.series.symbol} ${this.series.timeframe} history`,
      replaySpeed: this.speed,
      messagesPerSecond: this.rate.perSecond(this.clock.nowMs()),
      progress: this.total === 0 ? 1 : this.emitted / this.total,
      error: null,
    };
  }

  public recent(limit: number): { candles: Candle[]; forming: Candle | null } {
    return { candles: this.played.newest(limit), forming: null };
  }

  public readonly onBar = (listener: (event: CandleEvent) => void): Disposable =>
    this.barEmitter.event(listener);
  public readonly onStatus = (listener: (status: FeedStatus) => void): Disposable =>
    this.statusEmitter.event(listener);

  public dispose(): void {
    this.timer?.dispose();
    this.state = 'ended';
    this.barEmitter.dispose();
    this.statusEmitter.dispose();
  }

  private schedule(): void {
    const delay = this.speed === 'max' ? 0 : TIMEFRAME_MS[this.series.timeframe] / this.speed;
    this.timer = this.clock.setTimeout(() => this.step(), delay);
  }

  private step(): void {
    if (this.state !== 'live') return;
    const batch = this.speed === 'max' ? (this.options.maxSpeedBatch ?? 2_000) : 1;
    let n = 0;
    while (n < batch && this.next) {
      const bar = this.next;
      this.next = this.source.next().value ?? undefined;
      this.played.push(bar);
      this.emitted++;
      n++;
      this.barEmitter.fire({ series: this.series, candle: bar, closed: true });
    }
    this.rate.mark(this.clock.nowMs(), n);
    if (!this.next) {
      this.state = 'ended';
      this.statusEmitter.fire(this.status());
      return;
    }
    this.schedule();
  }
}
