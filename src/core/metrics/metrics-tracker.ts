import { TIMEFRAME_MS, type Timeframe } from '../../shared/market';
import { averageTradePnl } from './average-trade-pnl';
import { cagr, calmarRatio } from './calmar-ratio';
import { deflatedSharpeRatio, expectedMaxSharpe } from './deflated-sharpe-ratio';
import { DrawdownTracker } from './drawdown-tracker';
import { exposure } from './exposure';
import { maxDrawdown } from './max-drawdown';
import type { MetricSnapshot } from './metric-snapshot';
import type { MetricsTrackerState } from './metrics-tracker-state';
import { minTrl } from './min-track-record-length';
import type { PerformanceState } from './performance-state';
import { psr } from './probabilistic-sharpe-ratio';
import { profitFactor } from './profit-factor';
import { ReturnMoments } from './return-moments';
import { roiPercent } from './roi-percent';
import { perPeriodSharpe, sharpeRatio, sharpeSample } from './sharpe-ratio';
import { sortinoRatio } from './sortino-ratio';
import { assertFinite } from './statistic';
import { TradeTally } from './trade-tally';
import { assertTrialStats, type TrialStats } from './trial-stats';
import { winRate } from './win-rate';
import { timeOrNull } from '../time/unknown-time';

const MINUTES_PER_YEAR = 525_600;

/** Throws the RangeError a bar {@link MetricsTracker.onBar} refuses deserves. */
function refuseBar(time: number, equity: number, last: number): never {
  assertFinite(time, 'bar time');
  assertFinite(equity, 'equity');
  if (!(time > last) && !Number.isNaN(last)) {
    throw new RangeError(`bar time ${time} is not after the previous bar (${last})`);
  }
  throw new RangeError(`equity must not be negative, got ${equity}`);
}

/** How a {@link MetricsTracker} is set up. */
export interface MetricsTrackerOptions {
  /** The variant's bar length: sets P = 525,600 / minutes. */
  readonly timeframe: Timeframe;
  /** E₀, the account's equity before the first bar (10,000 USDT for a default paper account). */
  readonly initialEquity: number;
  /** SR* of PSR and MinTRL, per period. Default 0. */
  readonly benchmarkSharpe?: number;
}

/**
 * Keeps a variant's performance statistics up to date bar by bar, in O(1) time and memory per bar
 * and without allocating: running moments of returns, the equity peak and maximum drawdown, trade
 * sums and counters. A snapshot computes every statistic from that state on demand.
 *
 * Feed it once per closed bar of the variant's timeframe with the equity marked at the close
 * (r_t = E_t / E_{t−1} − 1, E₀ the initial equity), and once per closed trade with its net P&L.
 * NaN and ±∞ are refused at the door (RangeError): one bad value would poison every running sum.
 */
export class MetricsTracker implements PerformanceState {
  public readonly periodsPerYear: number;
  public readonly barMinutes: number;
  public readonly initialEquity: number;
  public readonly benchmarkSharpe: number;
  public readonly returns = new ReturnMoments();
  public readonly drawdown = new DrawdownTracker();
  public readonly trades = new TradeTally();

  // A double from the start, updated in place each bar (see PaperExchange's `_cash`).
  private _equity = Number.NaN;
  private _bars = 0;
  private _exposedBars = 0;
  // NaN before the first bar, not null (see timeOrNull).
  private _firstTime = Number.NaN;
  private _lastTime = Number.NaN;

  public constructor(options: MetricsTrackerOptions) {
    const ms = TIMEFRAME_MS[options.timeframe];
    if (ms === undefined) throw new RangeError(`unknown timeframe ${String(options.timeframe)}`);
    assertFinite(options.initialEquity, 'initialEquity');
    if (!(options.initialEquity > 0))
      throw new RangeError(`initialEquity must be > 0, got ${options.initialEquity}`);
    this.barMinutes = ms / 60_000;
    this.periodsPerYear = MINUTES_PER_YEAR / this.barMinutes;
    this.initialEquity = options.initialEquity;
    this.benchmarkSharpe = options.benchmarkSharpe ?? 0;
    assertFinite(this.benchmarkSharpe, 'benchmarkSharpe');
    this._equity = options.initialEquity;
    this.drawdown.push(options.initialEquity);
  }

  public get equity(): number {
    return this._equity;
  }
  public get bars(): number {
    return this._bars;
  }
  public get exposedBars(): number {
    return this._exposedBars;
  }
  public get firstTime(): number | null {
    return timeOrNull(this._firstTime);
  }
  public get lastTime(): number | null {
    return timeOrNull(this._lastTime);
  }

  /**
   * Records one closed bar.
   * @param time - the bar's open time (epoch ms), strictly after the previous bar's.
   * @param equity - equity marked at the bar's close, ≥ 0.
   * @param inPosition - whether a position was open at any moment of the bar.
   * @throws RangeError on NaN, ±∞, negative equity or a time that does not advance.
   */
  public onBar(time: number, equity: number, inPosition: boolean): void {
    // Small enough for V8 to inline into the engine's bar step (the messages of the refusals live
    // in refuseBar): the arguments then stay unboxed numbers.
    const previous = this._equity;
    const last = this._lastTime;
    // NaN before the first bar: then any finite time will do.
    const advances = Number.isNaN(last) ? !Number.isNaN(time) : time > last;
    if (!advances || !(Math.abs(time) < Infinity) || !(equity >= 0 && equity < Infinity)) {
      refuseBar(time, equity, last);
    }
    if (equity === previous) {
      // Most bars of most variants (a flat account): a zero return; the drawdown cannot change.
      this.returns.addZero();
    } else {
      // A wiped-out account (E = 0) stays at −100%: its later bars are flat periods, not 0/0.
      this.returns.add(previous > 0 ? equity / previous - 1 : 0);
      this.drawdown.add(equity);
      this._equity = equity;
    }
    this._bars++;
    if (inPosition) this._exposedBars++;
    if (Number.isNaN(last)) this._firstTime = time;
    this._lastTime = time;
  }

  /** Records one closed trade's net P&L (after fees). @throws RangeError on NaN or ±∞. */
  public onTradeClosed(netPnl: number): void {
    this.trades.push(netPnl);
  }

  /**
   * Every statistic at this moment, as a plain JSON-safe object.
   * @param trials - N and V of the strategy's trial ledger, for DSR ({@link SINGLE_TRIAL} if it
   * was tried once).
   */
  public snapshot(trials: TrialStats): MetricSnapshot {
    assertTrialStats(trials);
    const pf = profitFactor(this);
    const sortino = sortinoRatio(this);
    const calmar = calmarRatio(this);
    const sample = sharpeSample(this);
    return {
      firstTime: timeOrNull(this._firstTime),
      lastTime: timeOrNull(this._lastTime),
      bars: this._bars,
      periodsPerYear: this.periodsPerYear,
      initialEquity: this.initialEquity,
      equity: this._equity,
      roiPct: roiPercent(this),
      tradeCount: this.trades.count,
      winningTrades: this.trades.wins,
      losingTrades: this.trades.losses,
      winRate: winRate(this),
      averageTradePnl: averageTradePnl(this),
      grossProfit: this.trades.grossProfit,
      grossLoss: this.trades.grossLoss,
      profitFactor: pf.value,
      profitFactorInfinite: pf.infinite,
      exposure: exposure(this),
      maxDrawdown: maxDrawdown(this),
      meanReturn: this.returns.mean,
      returnSd: this.returns.sampleSd,
      skewness: this.returns.skewness,
      kurtosis: this.returns.kurtosis,
      perPeriodSharpe: perPeriodSharpe(this),
      sharpe: sharpeRatio(this),
      sortino: sortino.value,
      sortinoInfinite: sortino.infinite,
      cagr: cagr(this),
      calmar: calmar.value,
      calmarInfinite: calmar.infinite,
      benchmarkSharpe: this.benchmarkSharpe,
      psr: psr(this),
      minTrl: minTrl(this),
      trials: trials.trials,
      trialSharpeVariance: trials.sharpeVariance,
      deflationBenchmarkSharpe: expectedMaxSharpe(trials),
      dsr: sample === null ? null : deflatedSharpeRatio(sample, trials),
    };
  }

  /** Everything accumulated so far, for a checkpoint taken between bars. */
  public checkpoint(): MetricsTrackerState {
    return {
      initialEquity: this.initialEquity,
      periodsPerYear: this.periodsPerYear,
      equity: this._equity,
      bars: this._bars,
      exposedBars: this._exposedBars,
      firstTime: timeOrNull(this._firstTime),
      lastTime: timeOrNull(this._lastTime),
      returns: this.returns.state(),
      drawdown: this.drawdown.state(),
      trades: this.trades.state(),
    };
  }

  /**
   * Continues from a {@link checkpoint}: the next bar and trade update the same sums the original
   * tracker would have.
   * @throws RangeError when the state was taken with another E₀ or timeframe.
   */
  public restore(state: MetricsTrackerState): void {
    if (
      state.initialEquity !== this.initialEquity ||
      state.periodsPerYear !== this.periodsPerYear
    ) {
      throw new RangeError(
        `MetricsTracker.restore: state of E₀ ${state.initialEquity}, P ${state.periodsPerYear}; this tracker has E₀ ${this.initialEquity}, P ${this.periodsPerYear}`,
      );
    }
    this._equity = state.equity;
    this._bars = state.bars;
    this._exposedBars = state.exposedBars;
    this._firstTime = state.firstTime ?? Number.NaN;
    this._lastTime = state.lastTime ?? Number.NaN;
    this.returns.restore(state.returns);
    this.drawdown.restore(state.drawdown);
    this.trades.restore(state.trades);
  }

  /** Forgets every bar and trade; E₀ and the options stay. */
  public reset(): void {
    this.returns.reset();
    this.drawdown.reset();
    this.trades.reset();
    this._equity = this.initialEquity;
    this.drawdown.push(this.initialEquity);
    this._bars = 0;
    this._exposedBars = 0;
    this._firstTime = Number.NaN;
    this._lastTime = Number.NaN;
  }
}
