import type { Candle } from '../../../shared/market';
import { IndicatorBase } from '../indicator';

/**
 * On-balance volume: starts at 0 on the first bar, then adds the bar's volume when the close
 * rises, subtracts it when the close falls, and stays put when it is unchanged. Starting at 0
 * is what Tulip and technicalindicators do; TA-Lib starts at the first bar's volume, so its
 * values are ours plus that constant. Only changes of OBV carry meaning.
 */
export class Obv extends IndicatorBase {
  private previousClose = Number.NaN;
  private obv = 0;

  public constructor() {
    super('obv', 1);
  }

  public update(bar: Candle): void {
    this.keepPrevious();
    const close = bar.close;
    if (close > this.previousClose) this.obv += bar.volume;
    else if (close < this.previousClose) this.obv -= bar.volume;
    this.previousClose = close;
    this.out[0] = this.obv;
    this.isReady = true;
  }

  protected clear(): void {
    this.previousClose = Number.NaN;
    this.obv = 0;
  }
}
