import type { IndicatorSource } from '../indicator-catalog';
import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { IndicatorBank, READY, SOURCE, type BankMember } from '../support/indicator-bank';

/** Parameters of {@link Rsi}, named as in the catalogue. */
export interface RsiOptions {
  period: number;
  source?: IndicatorSource;
}

/**
 * Relative strength index with Wilder's smoothing, as TA-Lib computes it: the first average gain
 * and loss are simple means of the first `period` changes (so the first value needs
 * `period + 1` bars), then avg = (avg·(period − 1) + change) / period, and
 * RSI = 100·avgGain / (avgGain + avgLoss).
 *
 * Never rounded (technicalindicators rounds RSI to 2 decimals; rules must not see that).
 * A window without any change (avgGain = avgLoss = 0) gives 50 — neutral. The references
 * disagree there (TA-Lib 0, technicalindicators 100), and neither is a sensible signal.
 * In a set with many RSIs the state moves into an {@link RsiBank} (same arithmetic).
 */
export class Rsi extends IndicatorBase implements BankMember {
  public readonly period: number;
  public readonly source: IndicatorSource;
  /** @internal */
  public bank: IndicatorBank<this> | null = null;
  /** @internal */
  public slot = -1;
  private count = 0;
  private previous = Number.NaN;
  private avgGain = 0;
  private avgLoss = 0;

  public constructor({ period, source = 'close' }: RsiOptions) {
    super('rsi', period + 1);
    this.period = period;
    this.source = source;
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
    const change = x - this.previous;
    this.previous = x;
    const n = this.period;
    const count = ++this.count;
    if (count === 1) return;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (count <= n) {
      // Still collecting the first `period` changes: plain sums for now.
      this.avgGain += gain;
      this.avgLoss += loss;
      return;
    }
    if (count === n + 1) {
      this.avgGain = (this.avgGain + gain) / n;
      this.avgLoss = (this.avgLoss + loss) / n;
      this.isReady = true;
    } else {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
      // Keeps `count` from growing without bound: it only has to stay above n + 1.
      this.count = n + 2;
    }
    const total = this.avgGain + this.avgLoss;
    this.out[0] = total > 0 ? (100 * this.avgGain) / total : 50;
  }

  public saveRecord(state: Float64Array, r: number): void {
    state[r + READY] = this.isReady ? 1 : 0;
    state[r + PERIOD] = this.period;
    state[r + COUNT] = this.count;
    state[r + PREVIOUS] = this.previous;
    state[r + AVG_GAIN] = this.avgGain;
    state[r + AVG_LOSS] = this.avgLoss;
  }

  public loadRecord(state: Float64Array, r: number): void {
    this.isReady = state[r + READY] === 1;
    this.count = state[r + COUNT] as number;
    this.previous = state[r + PREVIOUS] as number;
    this.avgGain = state[r + AVG_GAIN] as number;
    this.avgLoss = state[r + AVG_LOSS] as number;
  }

  protected clear(): void {
    this.bank?.clear(this.slot);
    this.count = 0;
    this.previous = Number.NaN;
    this.avgGain = 0;
    this.avgLoss = 0;
  }
}

const PERIOD = 2;
const COUNT = 3;
const PREVIOUS = 4;
const AVG_GAIN = 5;
const AVG_LOSS = 6;

/** Many {@link Rsi}s of one timeframe, a record each, updated by one loop. */
export class RsiBank extends IndicatorBank<Rsi> {
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
      const change = x - (state[r + PREVIOUS] as number);
      state[r + PREVIOUS] = x;
      const n = state[r + PERIOD] as number;
      const count = (state[r + COUNT] as number) + 1;
      state[r + COUNT] = count;
      if (count === 1) continue;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      let avgGain = state[r + AVG_GAIN] as number;
      let avgLoss = state[r + AVG_LOSS] as number;
      if (count <= n) {
        // Still collecting the first `period` changes: plain sums for now.
        state[r + AVG_GAIN] = avgGain + gain;
        state[r + AVG_LOSS] = avgLoss + loss;
        continue;
      }
      if (count === n + 1) {
        avgGain = (avgGain + gain) / n;
        avgLoss = (avgLoss + loss) / n;
        state[r + READY] = 1;
      } else {
        avgGain = (avgGain * (n - 1) + gain) / n;
        avgLoss = (avgLoss * (n - 1) + loss) / n;
        // Keeps `count` from growing without bound: it only has to stay above n + 1.
        state[r + COUNT] = n + 2;
      }
      state[r + AVG_GAIN] = avgGain;
      state[r + AVG_LOSS] = avgLoss;
      const total = avgGain + avgLoss;
      out[0] = total > 0 ? (100 * avgGain) / total : 50;
    }
  }

  protected clearState(r: number): void {
    this.state[r + COUNT] = 0;
    this.state[r + PREVIOUS] = Number.NaN;
    this.state[r + AVG_GAIN] = 0;
    this.state[r + AVG_LOSS] = 0;
  }
}
