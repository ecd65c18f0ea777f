import type { Candle } from '../../../shared/market';
import type { IndicatorSource } from '../indicator-catalog';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { IndicatorBank, READY, SOURCE, type BankMember } from '../support/indicator-bank';

/** Parameters of {@link Ema}, named as in the catalogue. */
export interface EmaOptions {
  period: number;
  source?: IndicatorSource;
}

/**
 * Exponential moving average, α = 2 / (period + 1).
 *
 * Seeding — Parallax's one definition: the first value is the simple average of the first
 * `period` values (as TA-Lib and technicalindicators do), produced on bar `period`; after that
 * ema += α·(x − ema). trading-signals and Tulip seed from the first price instead; the two agree
 * once the seed has decayed (its weight after k more bars is (1 − α)^k).
 * In a set with many EMAs the state moves into an {@link EmaBank} (same arithmetic).
 */
export class Ema extends IndicatorBase implements BankMember {
  public readonly period: number;
  public readonly source: IndicatorSource;
  /** @internal */
  public bank: IndicatorBank<this> | null = null;
  /** @internal */
  public slot = -1;
  private readonly alpha: number;
  private count = 0;
  private seedSum = 0;
  private ema = Number.NaN;

  public constructor({ period, source = 'close' }: EmaOptions) {
    super('ema', period);
    this.period = period;
    this.source = source;
    this.alpha = 2 / (period + 1);
  }

  public override get ready(): boolean {
    return this.bank === null ? this.isReady : this.bank.isReady(this.slot);
  }

  public update(bar: Candle): void {
    if (this.bank !== null) {
      this.bank.updateOne(this.slot, bar);
      return;
    }
    this.keepPrevious();
    const x = sourcePrice(bar, this.source);
    if (this.isReady) {
      this.ema += this.alpha * (x - this.ema);
      this.out[0] = this.ema;
      return;
    }
    this.seedSum += x;
    if (++this.count === this.period) {
      this.ema = this.seedSum / this.period;
      this.out[0] = this.ema;
      this.isReady = true;
    }
  }

  public saveRecord(state: Float64Array, r: number): void {
    state[r + READY] = this.isReady ? 1 : 0;
    state[r + PERIOD] = this.period;
    state[r + ALPHA] = this.alpha;
    state[r + COUNT] = this.count;
    state[r + SEED_SUM] = this.seedSum;
    state[r + EMA] = this.ema;
  }

  public loadRecord(state: Float64Array, r: number): void {
    this.isReady = state[r + READY] === 1;
    this.count = state[r + COUNT] as number;
    this.seedSum = state[r + SEED_SUM] as number;
    this.ema = state[r + EMA] as number;
  }

  protected clear(): void {
    this.bank?.clear(this.slot);
    this.count = 0;
    this.seedSum = 0;
    this.ema = Number.NaN;
  }
}

const PERIOD = 2;
const ALPHA = 3;
const COUNT = 4;
const SEED_SUM = 5;
const EMA = 6;

/** Many {@link Ema}s of one timeframe, a record each, updated by one loop. */
export class EmaBank extends IndicatorBank<Ema> {
  public constructor() {
    super(7);
  }

  protected run(from: number, to: number, prices: Float64Array): void {
    const state = this.state;
    const stride = this.stride;
    const outs = this.outs;
    for (let i = from; i < to; i++) {
      const r = i * stride;
      const out = outs[i] as Float64Array;
      out[1] = out[0] as number;
      const x = prices[state[r + SOURCE] as number] as number;
      if (state[r + READY] === 1) {
        const e = state[r + EMA] as number;
        const next = e + (state[r + ALPHA] as number) * (x - e);
        state[r + EMA] = next;
        out[0] = next;
        continue;
      }
      const seedSum = (state[r + SEED_SUM] as number) + x;
      state[r + SEED_SUM] = seedSum;
      const n = (state[r + COUNT] as number) + 1;
      state[r + COUNT] = n;
      if (n === state[r + PERIOD]) {
        const seed = seedSum / n;
        state[r + EMA] = seed;
        out[0] = seed;
        state[r + READY] = 1;
      }
    }
  }

  protected clearState(r: number): void {
    this.state[r + COUNT] = 0;
    this.state[r + SEED_SUM] = 0;
    this.state[r + EMA] = Number.NaN;
  }
}
