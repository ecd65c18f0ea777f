import type { TradeTallyState } from './metrics-tracker-state';
import { assertFinite } from './statistic';

/** Running counts and sums over closed trades' net P&L (after fees), O(1) per trade. */
export class TradeTally {
  private _count = 0;
  private _wins = 0;
  private _losses = 0;
  private _grossProfit = 0;
  private _grossLoss = 0;
  private _net = 0;

  /** Adds one closed trade's net P&L. @throws RangeError on NaN or ±∞. */
  public push(netPnl: number): void {
    assertFinite(netPnl, 'trade net P&L');
    this._count++;
    this._net += netPnl;
    if (netPnl > 0) {
      this._wins++;
      this._grossProfit += netPnl;
    } else if (netPnl < 0) {
      this._losses++;
      this._grossLoss -= netPnl;
    }
  }

  /** Counters and sums, for a checkpoint. */
  public state(): TradeTallyState {
    return {
      count: this._count,
      wins: this._wins,
      losses: this._losses,
      grossProfit: this._grossProfit,
      grossLoss: this._grossLoss,
      netPnl: this._net,
    };
  }

  /** Continues from what {@link state} returned. */
  public restore(state: TradeTallyState): void {
    this._count = state.count;
    this._wins = state.wins;
    this._losses = state.losses;
    this._grossProfit = state.grossProfit;
    this._grossLoss = state.grossLoss;
    this._net = state.netPnl;
  }

  public reset(): void {
    this._count = 0;
    this._wins = 0;
    this._losses = 0;
    this._grossProfit = 0;
    this._grossLoss = 0;
    this._net = 0;
  }

  public get count(): number {
    return this._count;
  }
  /** Trades with net P&L > 0. */
  public get wins(): number {
    return this._wins;
  }
  /** Trades with net P&L < 0 (a trade at exactly 0 is neither). */
  public get losses(): number {
    return this._losses;
  }
  /** Σ net P&L of winning trades. */
  public get grossProfit(): number {
    return this._grossProfit;
  }
  /** Σ |net P&L| of losing trades (a positive number). */
  public get grossLoss(): number {
    return this._grossLoss;
  }
  /** Σ net P&L of all trades. */
  public get netPnl(): number {
    return this._net;
  }
}
