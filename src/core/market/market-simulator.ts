import type { Candle } from '../../shared/market';
import { SeededRandom } from './seeded-random';

export interface MarketSimulatorOptions {
  seed: number;
  startPrice: number;
  /** Annualised volatility the GARCH process reverts to, e.g. 0.6 for 60 %. */
  annualVolatility: number;
  /** Trades (price steps) per bar. */
  ticksPerBar: number;
  barMs: number;
  /** Bar-level GARCH(1,1) reaction and persistence; alpha + beta < 1. */
  garchAlpha: number;
  garchBeta: number;
  /** Degrees of freedom of the Student-t shocks: lower means fatter tails. */
  tailDof: number;
  /** Typical volume of one bar. */
  baseVolume: number;
}

export const MARKET_SIMULATOR_DEFAULTS: Omit<MarketSimulatorOptions, 'seed'> = {
  startPrice: 27_000,
  annualVolatility: 0.6,
  ticksPerBar: 60,
  barMs: 60_000,
  garchAlpha: 0.05,
  garchBeta: 0.93,
  tailDof: 5,
  baseVolume: 12,
};

const MINUTES_PER_YEAR = 525_600;

/**
 * A synthetic market with the stylised facts of real ones: Student-t (fat-tailed) bar returns and
 * GARCH(1,1) volatility clustering, sampled as ticks and assembled into OHLCV bars. The variance
 * evolves once per bar from the previous bar's return (clustering across bars, as in real
 * minute data); ticks inside a bar are normal with a variance drawn per bar from the scale
 * mixture that makes the bar's return Student-t (a sum of t ticks would average the tails
 * away). Volume rises with the size of the move.
 * Deterministic for a seed. (alpha 0.05, beta 0.93, t(5) keep the fourth moment finite:
 * beta² + 2·alpha·beta + 9·alpha² < 1.)
 */
export class MarketSimulator {
  private readonly rng: SeededRandom;
  private readonly options: MarketSimulatorOptions;
  private readonly omega: number;
  /** Variance of one bar's log return. */
  private barVariance: number;
  /** Log return accumulated in the bar under way. */
  private barShock = 0;
  /** This bar's variance scale: a normal scale mixture makes each bar's return Student-t. */
  private barMix = 1;
  private price: number;

  public constructor(options: Partial<MarketSimulatorOptions> & { seed: number }) {
    this.options = { ...MARKET_SIMULATOR_DEFAULTS, ...options };
    const o = this.options;
    if (o.garchAlpha < 0 || o.garchBeta < 0 || o.garchAlpha + o.garchBeta >= 1) {
      throw new Error('garchAlpha + garchBeta must be below 1 (and neither negative)');
    }
    this.rng = new SeededRandom(o.seed);
    const barsPerYear = (MINUTES_PER_YEAR * 60_000) / o.barMs;
    const barVariance = (o.annualVolatility * o.annualVolatility) / barsPerYear;
    this.omega = barVariance * (1 - o.garchAlpha - o.garchBeta);
    this.barVariance = barVariance;
    this.price = o.startPrice;
  }

  public get lastPrice(): number {
    return this.price;
  }

  /** Starts a new bar: the GARCH step from the bar that just ended. */
  public beginBar(): void {
    const o = this.options;
    this.barVariance =
      this.omega + o.garchAlpha * this.barShock * this.barShock + o.garchBeta * this.barVariance;
    this.barShock = 0;
    this.barMix = this.rng.studentTVarianceScale(o.tailDof);
  }

  /** The next trade price inside the current bar. */
  public nextTick(): number {
    const o = this.options;
    const shock = Math.sqrt((this.barVariance * this.barMix) / o.ticksPerBar) * this.rng.normal();
    this.barShock += shock;
    // Log-returns keep prices positive.
    this.price = roundPrice(this.price * Math.exp(shock));
    return this.price;
  }

  /** Volume of one tick, larger when the move was large. */
  public tickVolume(previousPrice: number, price: number): number {
    const o = this.options;
    const typicalMove = Math.sqrt(this.omega / (1 - o.garchAlpha - o.garchBeta) / o.ticksPerBar);
    const move = Math.abs(Math.log(price / previousPrice)) / typicalMove;
    const noise = Math.exp(0.5 * this.rng.normal());
    return roundVolume((o.baseVolume / o.ticksPerBar) * (0.4 + 0.6 * move) * noise);
  }

  /** A whole bar opening at `time`. */
  public nextBar(time: number): Candle {
    this.beginBar();
    const open = this.price;
    let high = open;
    let low = open;
    let volume = 0;
    let prev = open;
    for (let i = 0; i < this.options.ticksPerBar; i++) {
      const p = this.nextTick();
      volume += this.tickVolume(prev, p);
      prev = p;
      if (p > high) high = p;
      if (p < low) low = p;
    }
    return { time, open, high, low, close: this.price, volume: roundVolume(volume) };
  }
}

function roundPrice(p: number): number {
  return Math.round(p * 100) / 100;
}

function roundVolume(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
