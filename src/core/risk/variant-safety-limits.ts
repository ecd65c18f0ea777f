import type { SafetyLimits } from '../../shared/variants';
import { LIMIT_TOLERANCE_PCT, amountText, percentText } from './percent-text';

/** Which per-variant limit was reached, with the numbers that reached it. */
export interface SafetyBreach {
  readonly limit: 'maxLoss' | 'maxDrawdown';
  /** The measured loss or drawdown, percent. */
  readonly valuePct: number;
  readonly limitPct: number;
  /** e.g. "loss 5.2% reached the 5% limit". */
  readonly message: string;
}

/** What survives a restart: the running peak and the breach, if any. */
export interface SafetyLimitsCheckpoint {
  readonly peak: number;
  readonly breach: SafetyBreach | null;
}

/**
 * One variant's stop rule (DESIGN.md "Safety"): stop at `maxLossPct` lost from the starting
 * equity or `maxDrawdownPct` below the running peak. Fed the equity marked at each bar's close;
 * once breached it stays breached — the variant is stopped and a restart begins a new instance.
 */
export class VariantSafetyLimits {
  private readonly maxLossPct: number;
  private readonly maxDrawdownPct: number;
  // A double from the start, updated in place (see PaperExchange's `_cash`).
  private _peak = Number.NaN;
  private _breach: SafetyBreach | null = null;

  public constructor(
    limits: SafetyLimits,
    private readonly initialEquity: number,
  ) {
    checkPercent(limits.maxLossPct, 'maxLossPct');
    checkPercent(limits.maxDrawdownPct, 'maxDrawdownPct');
    if (!Number.isFinite(initialEquity) || initialEquity <= 0)
      throw new RangeError(`initial equity must be a positive number, got ${initialEquity}`);
    this.maxLossPct = limits.maxLossPct;
    this.maxDrawdownPct = limits.maxDrawdownPct;
    this._peak = initialEquity;
  }

  /** The first breach, or null while both limits hold. */
  public get breach(): SafetyBreach | null {
    return this._breach;
  }

  /** The highest equity seen, the starting equity included. */
  public get peak(): number {
    return this._peak;
  }

  /**
   * Equity marked at a bar's close. Returns the breach once a limit is reached — the same one on
   * every later call, so callers act on the first non-null — else null. When one bar reaches
   * both limits, the loss limit is the one reported. O(1); allocates only on the breaching bar.
   * @throws RangeError on NaN or ±∞ (a bad mark must not pass for a safe one).
   */
  public onEquity(equity: number): SafetyBreach | null {
    if (this._breach) return this._breach;
    if (!Number.isFinite(equity))
      throw new RangeError(`equity must be a finite number, got ${equity}`);
    if (equity > this._peak) this._peak = equity;
    const lossPct = ((this.initialEquity - equity) / this.initialEquity) * 100;
    if (lossPct >= this.maxLossPct - LIMIT_TOLERANCE_PCT) {
      this._breach = {
        limit: 'maxLoss',
        valuePct: lossPct,
        limitPct: this.maxLossPct,
        message: `loss ${percentText(lossPct)}% reached the ${percentText(this.maxLossPct)}% limit`,
      };
      return this._breach;
    }
    const drawdownPct = ((this._peak - equity) / this._peak) * 100;
    if (drawdownPct >= this.maxDrawdownPct - LIMIT_TOLERANCE_PCT) {
      this._breach = {
        limit: 'maxDrawdown',
        valuePct: drawdownPct,
        limitPct: this.maxDrawdownPct,
        message: `drawdown ${percentText(drawdownPct)}% from the peak of ${amountText(this._peak)} reached the ${percentText(this.maxDrawdownPct)}% limit`,
      };
      return this._breach;
    }
    return null;
  }

  public checkpoint(): SafetyLimitsCheckpoint {
    return { peak: this._peak, breach: this._breach };
  }

  /** @throws RangeError when the peak is below the starting equity or the breach is malformed. */
  public restore(state: SafetyLimitsCheckpoint): void {
    // Checkpoints come back from storage as JSON: check the shape, not only the types.
    const b = state.breach as Partial<SafetyBreach> | null;
    if (
      b !== null &&
      (typeof b !== 'object' ||
        (b.limit !== 'maxLoss' && b.limit !== 'maxDrawdown') ||
        !Number.isFinite(b.valuePct) ||
        !Number.isFinite(b.limitPct) ||
        typeof b.message !== 'string')
    )
      throw new RangeError(
        'checkpoint breach must be null or a breach with its limit, values and message',
      );
    if (!Number.isFinite(state.peak) || state.peak < this.initialEquity)
      throw new RangeError(
        `checkpoint peak must be at least the starting equity ${this.initialEquity}, got ${state.peak}`,
      );
    this._peak = state.peak;
    this._breach = state.breach;
  }
}

function checkPercent(value: number, what: string): void {
  if (!Number.isFinite(value) || value <= 0 || value > 100)
    throw new RangeError(`${what} must be a percentage in (0, 100], got ${value}`);
}
