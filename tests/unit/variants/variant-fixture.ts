import { join } from 'node:path';
import type { EventName, EventPayload } from '../../../src/shared/api';
import type { Candle, SeriesKey } from '../../../src/shared/market';
import {
  VariantManager,
  type VariantManagerOptions,
} from '../../../src/core/engine/variant-manager';
import type { StrategyTemplate } from '../../../src/core/optimize/strategy-template-catalog';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { ThreadStoreCommitter } from '../../../src/core/store/store-commit-thread';
import { validateStrategyConfig } from '../../../src/core/strategy';
import { TestClock } from '../../../src/core/time/clock';

/** Binance.US BTC/USDT 1-minute bars: the series of the real-data manager tests. */
export const BTC: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };

/** A shipped template with 12 variants and tight safety limits, as a trader would deploy it. */
export const MACD_RSI_DEPLOY = {
  templateId: 'macd-rsi-confirmation',
  parameters: {},
  variants: 12,
  sampler: 'latin-hypercube' as const,
  seed: 5,
  safety: { maxLossPct: 5, maxDrawdownPct: 10 },
  initialCash: 10_000,
  mode: 'paper' as const,
};

/** A template from a config literal (validated like the shipped ones). */
export function templateOf(id: string, config: unknown): StrategyTemplate {
  const result = validateStrategyConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { id, config: result.config };
}

/** 1-minute bars from a list of opens/closes: each bar opens at `open`, closes at `close`. */
export function barsFrom(
  start: number,
  prices: ReadonlyArray<readonly [open: number, close: number]>,
): Candle[] {
  return prices.map(([open, close], i) => ({
    time: start + i * 60_000,
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: 1,
  }));
}

/**
 * A variant manager on its own, as a benchmark or a test builds it: a real SQLite file, stored
 * bars, a TestClock and a feed view whose "now" follows the bars fed.
 */
export class ManagerRig {
  public readonly db: Db;
  public readonly candles: CandleRepository;
  public readonly clock = new TestClock(Date.UTC(2026, 0, 1));
  public readonly events: Array<{ event: EventName; payload: unknown }> = [];
  public manager: VariantManager;
  /** The store's commit thread, when the rig was asked for one (as the workstation has). */
  public readonly committer: ThreadStoreCommitter | null;
  private upTo: number | null = null;

  public constructor(
    dir: string,
    public readonly series: SeriesKey,
    private readonly options: Partial<VariantManagerOptions> = {},
    file = 'parallax.sqlite',
    storeThread = false,
  ) {
    const path = join(dir, file);
    this.db = openDatabase({ path });
    this.candles = new CandleRepository(this.db);
    this.committer = storeThread ? new ThreadStoreCommitter({ path }) : null;
    this.manager = this.create();
  }

  /** Stores bars of the series (history to warm up from, or bars to replay). */
  public store(bars: readonly Candle[]): void {
    this.candles.transaction(() => this.candles.insert(this.series, bars));
  }

  /** Warm-up history ends at this bar (the feed's "now"). */
  public at(time: number): void {
    this.upTo = time;
  }

  /** Feeds closed bars as the distributor would, ticking the clock by `msPerBar` each. */
  public feed(bars: readonly Candle[], msPerBar = 0): void {
    for (const bar of bars) {
      this.manager.onBar({ series: this.series, candle: bar, closed: true });
      this.upTo = bar.time;
      if (msPerBar > 0) this.clock.advance(msPerBar);
    }
  }

  public of<E extends EventName>(event: E): Array<EventPayload<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<E>);
  }

  /** A second manager on the same file, as after a restart (the first is dropped unflushed). */
  public reopen(): VariantManager {
    this.manager = this.create();
    this.manager.restore();
    return this.manager;
  }

  public dispose(): void {
    this.manager.dispose();
    this.committer?.dispose();
    this.db.close();
  }

  private create(): VariantManager {
    return new VariantManager({
      db: this.db,
      candles: this.candles,
      clock: this.clock,
      emit: (event, payload) => this.events.push({ event, payload }),
      feed: () => ({
        series: this.series,
        recent: () => ({ candles: [] }),
        upTo: this.upTo,
      }),
      log: () => undefined,
      ...(this.committer !== null ? { committer: this.committer } : {}),
      ...this.options,
    });
  }
}

/**
 * Enters long whenever flat and leaves on the next bar: one round trip every two bars, so many
 * variants of it open and close on the same bars.
 */
export const flipTemplate = templateOf('flip', {
  meta: { name: 'Flip', timeframe: '1m', version: 1 },
  parameters: [{ name: 'size', type: 'int', default: 90, min: 20, max: 90 }],
  rules: { entryLong: 'true', exitLong: 'true' },
  risk: { positionSize: { kind: 'percentOfEquity', percent: '$size' } },
});
