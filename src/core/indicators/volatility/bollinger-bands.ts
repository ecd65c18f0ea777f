import type { IndicatorSource } from '../indicator-catalog';
import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';
import { sourcePrice } from '../price-source';
import { IndicatorBank, READY, SOURCE, type BankMember } from '../support/indicator-bank';
import { RollingWindow } from '../support/rolling-window';

/** Parameters of {@link BollingerBands}, named as in the catalogue. */
export interface BollingerBandsOptions {
  period: number;
  /** Band width in standard deviations. */
  stdDev: number;
  source?: IndicatorSource;
}

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± stdDev · σ, where σ is the
 * *population* standard deviation of the same `period` values (divide by period, not
 * period − 1) — what TA-Lib's BBANDS, technicalindicators, trading-signals and Tulip all use.
 * Outputs in catalogue order: middle, upper, lower. In a set with many of them the state moves
 * into a {@link BollingerBandsBank} (same arithmetic, the same window object).
 */
export class BollingerBands extends IndicatorBase implements BankMember {
  public readonly period: number;
  public readonly stdDev: number;
  public readonly source: IndicatorSource;
  /** @internal */
  public bank: IndicatorBank<this> | null = null;
  /** @internal */
  public slot = -1;
  /** @internal Its bank updates it in place: the window is the same object in both. */
  public readonly window: RollingWindow;

  public constructor({ period, stdDev, source = 'close' }: BollingerBandsOptions) {
    super('bb', period);
    this.period = period;
    this.stdDev = stdDev;
    this.source = source;
    this.window = new RollingWindow(period);
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
    const window = this.window;
    window.push(sourcePrice(bar, this.source));
    if (!window.full) return;
    const middle = window.mean();
    const width = this.stdDev * Math.sqrt(window.variance());
    const out = this.out;
    out[0] = middle;
    out[1] = middle + width;
    out[2] = middle - width;
    this.isReady = true;
  }

  public saveRecord(state: Float64Array, r: number): void {
    state[r + READY] = this.isReady ? 1 : 0;
    state[r + STD_DEV] = this.stdDev;
  }

  public loadRecord(state: Float64Array, r: number): void {
    this.isReady = state[r + READY] === 1;
  }

  protected clear(): void {
    this.bank?.clear(this.slot);
    this.window.clear();
  }
}

const STD_DEV = 2;

/**
 * Many {@link BollingerBands} of one timeframe, updated by one loop: the band width in a
 * record, the window each member's own {@link RollingWindow} (rings differ in length; an object
 * each keeps joining, leaving and swap-removing to a reference copy).
 */
export class BollingerBandsBank extends IndicatorBank<BollingerBands> {
  private readonly windows: RollingWindow[] = [];

  public constructor() {
    super(3);
  }

  protected run(from: number, to: number, prices: Float64Array): void {
    const state = this.state;
    const stride = this.stride;
    const windows = this.windows;
    const outs = this.outs;
    for (let i = from; i < to; i++) {
      const r = i * stride;
      const out = outs[i] as Float64Array;
      out[3] = out[0] as number;
      out[4] = out[1] as number;
      out[5] = out[2] as number;
      const window = windows[i] as RollingWindow;
      window.push(prices[state[r + SOURCE] as number] as number);
      if (!window.full) continue;
      const middle = window.mean();
      const width = (state[r + STD_DEV] as number) * Math.sqrt(window.variance());
      out[0] = middle;
      out[1] = middle + width;
      out[2] = middle - width;
      state[r + READY] = 1;
    }
  }

  protected clearState(r: number): void {
    // The window is the member's own: its `clear` empties it.
    void r;
  }

  protected override joinExtra(member: BollingerBands): void {
    this.windows.push(member.window);
  }

  protected override moveExtra(from: number, to: number): void {
    this.windows[to] = this.windows[from] as RollingWindow;
  }

  protected override dropLast(): void {
    this.windows.pop();
  }
}
