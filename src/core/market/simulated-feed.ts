import type { Disposable } from '../../shared/disposable';
import type { Candle, CandleEvent, FeedStatus, SeriesKey } from '../../shared/market';
import { Emitter } from '../events/emitter';
import type { Clock } from '../time/clock';
import { BarBuffer, RateMeter, type MarketFeed } from './market-feed';
import { MarketSimulator } from './market-simulator';

export interface SimulatedFeedOptions {
  seed: number;
  symbol?: string;
  /** Closed bars generated before "now" so the chart and strategies have history. */
  historyBars?: number;
  /** Real milliseconds between simulated trades. */
  tickMs?: number;
}

/** The exchange id simulated series are stored and shown under: never mistaken for a real venue. */
export const SIMULATED_EXCHANGE = 'simulated';
const BAR_MS = 60_000;

/** A live-looking 1-minute market from the seeded simulator, clearly labelled as simulated. */
export class SimulatedFeed implements MarketFeed {
  public readonly kind = 'simulated' as const;
  public readonly series: SeriesKey;
  private readonly simulator: MarketSimulator;
  private readonly bars = new BarBuffer(20_000);
  private readonly barEmitter = new Emitter<CandleEvent>();
  private readonly statusEmitter = new Emitter<FeedStatus>();
  private readonly rate = new RateMeter();
  private readonly tickMs: number;
  private forming: Candle | null = null;
  private timer: Disposable | undefined;
  private running = false;

  public constructor(
    private readonly clock: Clock,
    private readonly options: SimulatedFeedOptions,
  ) {
    this.series = {
      exchange: SIMULATED_EXCHANGE,
      symbol: options.symbol ?? 'SIM/USDT',
      timeframe: '1m',
    };
    this.simulator = new MarketSimulator({
      seed: options.seed,
      ticksPerBar: Math.round(BAR_MS / (options.tickMs ?? 1000)),
    });
    this.tickMs = options.tickMs ?? 1000;
    const now = clock.nowMs();
    const currentBar = now - (now % BAR_MS);
    const history = options.historyBars ?? 1500;
    for (let i = history; i > 0; i--)
      this.bars.push(this.simulator.nextBar(currentBar - i * BAR_MS));
  }

  public start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleTick();
    this.statusEmitter.fire(this.status());
  }

  public stop(): void {
    this.running = false;
    this.timer?.dispose();
    this.timer = undefined;
    this.statusEmitter.fire(this.status());
  }

  public status(): FeedStatus {
    return {
      kind: 'simulated',
      state: this.running ? 'live' : 'paused',
      series: this.series,
      label: `SIMULATED market (seed ${this.options.seed}) — not real prices`,
      replaySpeed: null,
      messagesPerSecond: this.rate.perSecond(this.clock.nowMs()),
      progress: null,
      error: null,
    };
  }

  public recent(limit: number): { candles: Candle[]; forming: Candle | null } {
    return { candles: this.bars.newest(limit), forming: this.forming ? { ...this.forming } : null };
  }

  public readonly onBar = (listener: (event: CandleEvent) => void): Disposable =>
    this.barEmitter.event(listener);
  public readonly onStatus = (listener: (status: FeedStatus) => void): Disposable =>
    this.statusEmitter.event(listener);

  public dispose(): void {
    this.stop();
    this.barEmitter.dispose();
    this.statusEmitter.dispose();
  }

  private scheduleTick(): void {
    const now = this.clock.nowMs();
    this.timer = this.clock.setTimeout(() => this.tick(), this.tickMs - (now % this.tickMs));
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.clock.nowMs();
    const barTime = now - (now % BAR_MS);
    if (this.forming && this.forming.time < barTime) this.closeForming();
    if (!this.forming) this.simulator.beginBar();
    const last = this.forming?.close ?? this.simulator.lastPrice;
    const price = this.simulator.nextTick();
    const volume = this.simulator.tickVolume(last, price);
    if (!this.forming) {
      this.forming = {
        time: barTime,
        open: last,
        high: Math.max(last, price),
        low: Math.min(last, price),
        close: price,
        volume,
      };
    } else {
      const f = this.forming;
      f.high = Math.max(f.high, price);
      f.low = Math.min(f.low, price);
      f.close = price;
      f.volume = Math.round((f.volume + volume) * 1e6) / 1e6;
    }
    this.rate.mark(now);
    this.barEmitter.fire({ series: this.series, candle: { ...this.forming }, closed: false });
    this.scheduleTick();
  }

  private closeForming(): void {
    const bar = this.forming!;
    this.forming = null;
    this.bars.push(bar);
    this.barEmitter.fire({ series: this.series, candle: { ...bar }, closed: true });
  }
}
