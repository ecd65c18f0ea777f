import type { IndicatorSource } from '../indicator-catalog';
import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { IndicatorBank, READY, SOURCE, type BankMember } from '../support/indicator-bank';

/** Parameters of {@link Macd}, named as in the catalogue. */
export interface MacdOptions {
  fast: number;
  slow: number;
  signal: number;
  source?: IndicatorSource;
}

/**
 * MACD exactly as TA-Lib's TA_MACD computes it (checked against TA-Lib's regression table):
 * both EMAs start together on bar `slow`, each seeded with the simple average of its own last
 * `period` prices there (the fast one does *not* start on bar `fast`); MACD = fast − slow; the
 * signal line is an EMA of MACD seeded with the average of its first `signal` values;
 * histogram = MACD − signal. All three outputs appear on bar `slow + signal − 1`.
 * α = 2 / (n + 1) for every period (Tulip's special 0.15 / 0.075 for 12/26 is not used).
 * As in TA-Lib, fast > slow is swapped rather than refused. In a set with many MACDs the state
 * moves into a {@link MacdBank} (same arithmetic).
 */
export class Macd extends IndicatorBase implements BankMember {
  public readonly fast: number;
  public readonly slow: number;
  public readonly signal: number;
  public readonly source: IndicatorSource;
  /** @internal */
  public bank: IndicatorBank<this> | null = null;
  /** @internal */
  public slot = -1;
  private readonly fastAlpha: number;
  private readonly slowAlpha: number;
  private readonly signalAlpha: number;
  private count = 0;
  private fastSum = 0;
  private slowSum = 0;
  private fastEma = 0;
  private slowEma = 0;
  private signalCount = 0;
  private signalSum = 0;
  private signalEma = 0;

  public constructor({ fast, slow, signal, source = 'close' }: MacdOptions) {
    const lo = Math.min(fast, slow);
    const hi = Math.max(fast, slow);
    super('macd', hi + signal - 1);
    this.fast = lo;
    this.slow = hi;
    this.signal = signal;
    this.source = source;
    this.fastAlpha = 2 / (lo + 1);
    this.slowAlpha = 2 / (hi + 1);
    this.signalAlpha = 2 / (signal + 1);
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
    const slow = this.slow;
    let macd: number;
    if (this.count < slow) {
      const count = ++this.count;
      this.slowSum += x;
      if (count > slow - this.fast) this.fastSum += x;
      if (count < slow) return;
      this.fastEma = this.fastSum / this.fast;
      this.slowEma = this.slowSum / slow;
      macd = this.fastEma - this.slowEma;
    } else {
      this.fastEma += this.fastAlpha * (x - this.fastEma);
      this.slowEma += this.slowAlpha * (x - this.slowEma);
      macd = this.fastEma - this.slowEma;
    }
    if (this.isReady) {
      this.signalEma += this.signalAlpha * (macd - this.signalEma);
    } else {
      this.signalSum += macd;
      if (++this.signalCount < this.signal) return;
      this.signalEma = this.signalSum / this.signal;
      this.isReady = true;
    }
    const out = this.out;
    out[0] = macd;
    out[1] = this.signalEma;
    out[2] = macd - this.signalEma;
  }

  public saveRecord(state: Float64Array, r: number): void {
    state[r + READY] = this.isReady ? 1 : 0;
    state[r + FAST] = this.fast;
    state[r + SLOW] = this.slow;
    state[r + SIGNAL] = this.signal;
    state[r + FAST_ALPHA] = this.fastAlpha;
    state[r + SLOW_ALPHA] = this.slowAlpha;
    state[r + SIGNAL_ALPHA] = this.signalAlpha;
    state[r + COUNT] = this.count;
    state[r + FAST_SUM] = this.fastSum;
    state[r + SLOW_SUM] = this.slowSum;
    state[r + FAST_EMA] = this.fastEma;
    state[r + SLOW_EMA] = this.slowEma;
    state[r + SIGNAL_COUNT] = this.signalCount;
    state[r + SIGNAL_SUM] = this.signalSum;
    state[r + SIGNAL_EMA] = this.signalEma;
  }

  public loadRecord(state: Float64Array, r: number): void {
    this.isReady = state[r + READY] === 1;
    this.count = state[r + COUNT] as number;
    this.fastSum = state[r + FAST_SUM] as number;
    this.slowSum = state[r + SLOW_SUM] as number;
    this.fastEma = state[r + FAST_EMA] as number;
    this.slowEma = state[r + SLOW_EMA] as number;
    this.signalCount = state[r + SIGNAL_COUNT] as number;
    this.signalSum = state[r + SIGNAL_SUM] as number;
    this.signalEma = state[r + SIGNAL_EMA] as number;
  }

  protected clear(): void {
    this.bank?.clear(this.slot);
    this.count = 0;
    this.fastSum = 0;
    this.slowSum = 0;
    this.fastEma = 0;
    this.slowEma = 0;
    this.signalCount = 0;
    this.signalSum = 0;
    this.signalEma = 0;
  }
}

const FAST = 2;
const SLOW = 3;
const SIGNAL = 4;
const FAST_ALPHA = 5;
const SLOW_ALPHA = 6;
const SIGNAL_ALPHA = 7;
const COUNT = 8;
const FAST_SUM = 9;
const SLOW_SUM = 10;
const FAST_EMA = 11;
const SLOW_EMA = 12;
const SIGNAL_COUNT = 13;
const SIGNAL_SUM = 14;
const SIGNAL_EMA = 15;

/** Many {@link Macd}s of one timeframe, a record each, updated by one loop. */
export class MacdBank extends IndicatorBank<Macd> {
  public constructor() {
    super(16);
  }

  protected run(from: number, to: number, prices: Float64Array): void {
    const state = this.state;
    const stride = this.stride;
    const outs = this.outs;
    for (let i = from; i < to; i++) {
      const r = i * stride;
      const out = outs[i] as Float64Array;
      out[3] = out[0] as number;
      out[4] = out[1] as number;
      out[5] = out[2] as number;
      const x = prices[state[r + SOURCE] as number] as number;
      const slow = state[r + SLOW] as number;
      const counted = state[r + COUNT] as number;
      let fastEma: number;
      let slowEma: number;
      if (counted < slow) {
        const count = counted + 1;
        state[r + COUNT] = count;
        const slowSum = (state[r + SLOW_SUM] as number) + x;
        state[r + SLOW_SUM] = slowSum;
        const fast = state[r + FAST] as number;
        if (count > slow - fast) state[r + FAST_SUM] = (state[r + FAST_SUM] as number) + x;
        if (count < slow) continue;
        fastEma = (state[r + FAST_SUM] as number) / fast;
        slowEma = slowSum / slow;
      } else {
        fastEma = state[r + FAST_EMA] as number;
        slowEma = state[r + SLOW_EMA] as number;
        fastEma += (state[r + FAST_ALPHA] as number) * (x - fastEma);
        slowEma += (state[r + SLOW_ALPHA] as number) * (x - slowEma);
      }
      state[r + FAST_EMA] = fastEma;
      state[r + SLOW_EMA] = slowEma;
      const macd = fastEma - slowEma;
      let signalEma = state[r + SIGNAL_EMA] as number;
      if (state[r + READY] === 1) {
        signalEma += (state[r + SIGNAL_ALPHA] as number) * (macd - signalEma);
      } else {
        const signalSum = (state[r + SIGNAL_SUM] as number) + macd;
        state[r + SIGNAL_SUM] = signalSum;
        const signalCount = (state[r + SIGNAL_COUNT] as number) + 1;
        state[r + SIGNAL_COUNT] = signalCount;
        const signal = state[r + SIGNAL] as number;
        if (signalCount < signal) continue;
        signalEma = signalSum / signal;
        state[r + READY] = 1;
      }
      state[r + SIGNAL_EMA] = signalEma;
      out[0] = macd;
      out[1] = signalEma;
      out[2] = macd - signalEma;
    }
  }

  protected clearState(r: number): void {
    for (let f = COUNT; f <= SIGNAL_EMA; f++) this.state[r + f] = 0;
  }
}
