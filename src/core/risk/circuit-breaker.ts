import type { Disposable } from '../../shared/disposable';
import {
  CircuitBreakerLimitsSchema,
  type CircuitBreakerLimits,
  type CircuitBreakerState,
} from '../../shared/variants';
import { Emitter } from '../events/emitter';
import type { Clock } from '../time/clock';
import { LIMIT_TOLERANCE_PCT, amountText, percentText } from './percent-text';

const DAY_MS = 86_400_000;
/** The order-rate window: orders submitted in the last 60 s of wall-clock time. */
export const ORDER_WINDOW_MS = 60_000;

/**
 * What survives a restart. The order-rate window is left out on purpose: it is wall-clock time,
 * and after a restart the last minute's orders belong to a process that no longer exists.
 * The limits are left out too: they are configuration, stored and passed to the constructor.
 */
export interface CircuitBreakerCheckpoint {
  readonly tripped: boolean;
  readonly reason: string | null;
  readonly trippedAt: number | null;
  /** Summed equity: last mark, running peak, first mark of the current UTC day; null before any. */
  readonly lastEquity: number | null;
  readonly peak: number | null;
  readonly dayStartEquity: number | null;
  /** The current UTC day as whole days since the epoch; null before any mark. */
  readonly day: number | null;
  /** Losing closing bars of the whole book in a row (see {@link CircuitBreaker.onTrade}). */
  readonly consecutiveLosses: number;
  /**
   * Bars whose trades are counted but not yet settled, as [bar time, summed net P&L], oldest
   * first. Absent in checkpoints written before losses were counted per bar: none pending.
   */
  readonly pendingBars?: ReadonlyArray<readonly [number, number]>;
}

/**
 * The global circuit breaker over main and every variant (DESIGN.md "Safety"): drawdown of the
 * summed equity, loss since the UTC day began, losing bars in a row and orders per minute.
 *
 * "Losses in a row" counts closing bars of the combined book, not single trades: the trades
 * of every account that closed on one bar are summed; a bar whose sum is a loss extends the run,
 * one whose sum is zero or a gain ends it, and a bar where no trade closed leaves it as it is.
 * Counting single trades across accounts made the limit meaningless for a book of many
 * accounts: 100 variants that exit on the same bar put up to 100 losses in a row at once, so a
 * limit of 50 tripped within a minute of ordinary trading. Per bar, one account alone counts its
 * losing trades in a row as before (it closes at most one trade per bar), and a hundred count
 * what a person would call a losing streak of the book.
 * When any limit is reached it trips: new entries must halt until a person resets it. It only
 * measures and says so; the variant manager enforces.
 *
 * Limits are reached at ≥ for drawdown, daily loss and losses in a row (25 losses trip a limit
 * of 25), and at > for the order rate (a limit of 600 per minute allows 600; the 601st trips).
 * Measurements go on while tripped, so the state keeps showing current values.
 */
export class CircuitBreaker implements Disposable {
  private limits: CircuitBreakerLimits;
  private readonly tripEmitter = new Emitter<CircuitBreakerState>();
  private _tripped = false;
  private reason: string | null = null;
  private trippedAt: number | null = null;

  private lastEquity: number | null = null;
  private peak: number | null = null;
  private dayStartEquity: number | null = null;
  private day: number | null = null;
  private consecutiveLosses = 0;
  /** Summed net P&L of the trades closed on each bar not yet settled, by bar time. */
  private pendingBars = new Map<number, number>();

  /** Submission times (wall clock) of the orders still in the window, oldest first: a ring. */
  private orderTimes = new Float64Array(64);
  private orderHead = 0;
  private orderCount = 0;

  public constructor(
    limits: CircuitBreakerLimits,
    private readonly clock: Clock,
  ) {
    this.limits = parseLimits(limits);
  }

  public get tripped(): boolean {
    return this._tripped;
  }

  /**
   * The summed equity of every running account at a bar close (`barTime`: the bar's open time,
   * epoch ms). The day's baseline is the first mark whose bar falls in a new UTC day; a mark
   * from an earlier day than the current one (a late bar) measures against the current day.
   * @throws RangeError on a non-finite equity or time.
   */
  public onEquity(barTime: number, totalEquity: number): void {
    if (!Number.isFinite(barTime)) throw new RangeError(`bar time must be finite, got ${barTime}`);
    if (!Number.isFinite(totalEquity))
      throw new RangeError(`total equity must be a finite number, got ${totalEquity}`);
    this.settleBars(barTime);
    const day = Math.floor(barTime / DAY_MS);
    if (this.day === null || day > this.day || this.dayStartEquity === null) {
      this.day = this.day === null ? day : Math.max(this.day, day);
      this.dayStartEquity = totalEquity;
    }
    if (this.peak === null || totalEquity > this.peak) this.peak = totalEquity;
    this.lastEquity = totalEquity;
    if (!this._tripped) this.checkEquityLimits();
  }

  /**
   * A trade of any account closed on the bar opening at `barTime` with this net P&L. It is
   * added to that bar's sum; the bar counts once every account has stepped it, at
   * {@link settleBars} (which each {@link onEquity} calls with its bar).
   */
  public onTrade(barTime: number, netPnl: number): void {
    if (!Number.isFinite(barTime)) throw new RangeError(`bar time must be finite, got ${barTime}`);
    if (!Number.isFinite(netPnl))
      throw new RangeError(`trade P&L must be a finite number, got ${netPnl}`);
    this.pendingBars.set(barTime, (this.pendingBars.get(barTime) ?? 0) + netPnl);
  }

  /**
   * Every bar up to `throughTime` is complete: their trade sums count, oldest first. A losing
   * bar extends the run; a break-even or winning one ends it (break-even is not a loss).
   */
  public settleBars(throughTime: number): void {
    if (this.pendingBars.size === 0) return;
    const due = [...this.pendingBars.keys()].filter((t) => t <= throughTime).sort((a, b) => a - b);
    for (const t of due) {
      const net = this.pendingBars.get(t) ?? 0;
      this.pendingBars.delete(t);
      this.consecutiveLosses = net < 0 ? this.consecutiveLosses + 1 : 0;
      if (!this._tripped) this.checkLossStreak();
    }
  }

  /** An order submitted by any account, now by the clock. */
  public onOrder(): void {
    const now = this.clock.nowMs();
    this.pruneOrders(now);
    this.pushOrder(now);
    if (!this._tripped) this.checkOrderRate();
  }

  public state(): CircuitBreakerState {
    this.pruneOrders(this.clock.nowMs());
    return {
      tripped: this._tripped,
      reason: this.reason,
      trippedAt: this.trippedAt,
      limits: { ...this.limits },
      values: {
        drawdownPct: this.drawdownPct(),
        dailyLossPct: this.dailyLossPct(),
        consecutiveLosses: this.consecutiveLosses,
        ordersLastMinute: this.orderCount,
      },
    };
  }

  /**
   * New limits; when a measured value already reaches a new limit it trips now. A tripped
   * breaker stays tripped: only a person's reset re-allows entries.
   * @throws RangeError naming the field when a limit is invalid.
   */
  public setLimits(limits: CircuitBreakerLimits): CircuitBreakerState {
    this.limits = parseLimits(limits);
    if (!this._tripped) {
      this.pruneOrders(this.clock.nowMs());
      if (!this.checkEquityLimits() && !this.checkLossStreak()) this.checkOrderRate();
    }
    return this.state();
  }

  /**
   * A person re-allows entries. Measurements restart from now: the peak and the day's baseline
   * become the last summed equity, the losing run is 0 and the order window is emptied —
   * otherwise the very next mark or order would trip it again on the same old numbers.
   */
  public reset(): CircuitBreakerState {
    this._tripped = false;
    this.reason = null;
    this.trippedAt = null;
    this.peak = this.lastEquity;
    this.dayStartEquity = this.lastEquity;
    this.consecutiveLosses = 0;
    this.pendingBars.clear();
    this.orderHead = 0;
    this.orderCount = 0;
    return this.state();
  }

  /**
   * An account joined (`deltaEquity` = +its equity) or left (−its equity at its last mark) the
   * sum. Without this, a new variant's 10,000 would read as a gain and a stopped one's removal
   * as a loss. The choice: the peak, the day's baseline and the last mark are scaled by
   * (E + Δ) / E, so the drawdown and daily-loss percentages are exactly what they were — joining
   * or leaving neither dilutes nor concentrates them; only marks move them. Call it before the
   * next {@link onEquity} whose sum includes (or no longer includes) the account. When the sum
   * drops to 0 or below (every account left) the equity measurements start afresh at the next
   * mark; before the first mark there is nothing to adjust.
   */
  public adjustBaseline(deltaEquity: number): void {
    if (!Number.isFinite(deltaEquity))
      throw new RangeError(`equity change must be a finite number, got ${deltaEquity}`);
    if (this.lastEquity === null) return;
    const after = this.lastEquity + deltaEquity;
    if (this.lastEquity <= 0 || after <= 0) {
      // Nothing to scale from (or to): the next mark becomes the new peak and day baseline.
      this.lastEquity = after > 0 ? after : null;
      this.peak = this.lastEquity;
      this.dayStartEquity = this.lastEquity;
      return;
    }
    const scale = after / this.lastEquity;
    this.lastEquity = after;
    if (this.peak !== null) this.peak *= scale;
    if (this.dayStartEquity !== null) this.dayStartEquity *= scale;
  }

  /** Called once per trip, with the state at that moment (its reason names the limit). */
  public onTrip(listener: (state: CircuitBreakerState) => void): Disposable {
    return this.tripEmitter.event(listener);
  }

  public checkpoint(): CircuitBreakerCheckpoint {
    return {
      tripped: this._tripped,
      reason: this.reason,
      trippedAt: this.trippedAt,
      lastEquity: this.lastEquity,
      peak: this.peak,
      dayStartEquity: this.dayStartEquity,
      day: this.day,
      consecutiveLosses: this.consecutiveLosses,
      pendingBars: [...this.pendingBars].sort((a, b) => a[0] - b[0]),
    };
  }

  /**
   * Back to a checkpointed state; a restored trip is not announced again (it was when it
   * happened). @throws RangeError on a malformed checkpoint.
   */
  public restore(state: CircuitBreakerCheckpoint): void {
    // Checkpoints come back from storage as JSON: check the shape, not only the types.
    if (typeof state !== 'object' || state === null)
      throw new RangeError('checkpoint must be an object');
    if (typeof state.tripped !== 'boolean')
      throw new RangeError(
        `checkpoint tripped must be true or false, got ${String(state.tripped)}`,
      );
    if (state.reason !== null && typeof state.reason !== 'string')
      throw new RangeError('checkpoint reason must be a text or null');
    for (const key of ['lastEquity', 'peak', 'dayStartEquity', 'day', 'trippedAt'] as const) {
      const v = state[key];
      if (v !== null && !Number.isFinite(v))
        throw new RangeError(`checkpoint ${key} must be a finite number or null, got ${v}`);
    }
    if (!Number.isInteger(state.consecutiveLosses) || state.consecutiveLosses < 0)
      throw new RangeError(
        `checkpoint consecutiveLosses must be an integer ≥ 0, got ${state.consecutiveLosses}`,
      );
    const pending = state.pendingBars ?? [];
    if (
      !Array.isArray(pending) ||
      !pending.every(
        (p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]),
      )
    )
      throw new RangeError('checkpoint pendingBars must be a list of [bar time, net P&L] pairs');
    this._tripped = state.tripped;
    this.reason = state.tripped ? (state.reason ?? 'tripped before the restart') : null;
    this.trippedAt = state.tripped ? state.trippedAt : null;
    this.lastEquity = state.lastEquity;
    this.peak = state.peak;
    this.dayStartEquity = state.dayStartEquity;
    this.day = state.day;
    this.consecutiveLosses = state.consecutiveLosses;
    this.pendingBars = new Map(pending.map(([t, net]) => [t, net]));
    this.orderHead = 0;
    this.orderCount = 0;
  }

  public dispose(): void {
    this.tripEmitter.dispose();
  }

  private drawdownPct(): number {
    if (this.peak === null || this.lastEquity === null || this.peak <= 0) return 0;
    return Math.max(0, ((this.peak - this.lastEquity) / this.peak) * 100);
  }

  private dailyLossPct(): number {
    const start = this.dayStartEquity;
    if (start === null || this.lastEquity === null || start <= 0) return 0;
    return Math.max(0, ((start - this.lastEquity) / start) * 100);
  }

  private checkEquityLimits(): boolean {
    const drawdown = this.drawdownPct();
    if (drawdown >= this.limits.maxDrawdownPct - LIMIT_TOLERANCE_PCT) {
      this.trip(
        `drawdown ${percentText(drawdown)}% of the summed equity (peak ${amountText(this.peak ?? 0)}, now ${amountText(this.lastEquity ?? 0)}) reached the ${percentText(this.limits.maxDrawdownPct)}% limit`,
      );
      return true;
    }
    const daily = this.dailyLossPct();
    if (daily >= this.limits.maxDailyLossPct - LIMIT_TOLERANCE_PCT) {
      this.trip(
        `daily loss ${percentText(daily)}% since the UTC day began (from ${amountText(this.dayStartEquity ?? 0)} to ${amountText(this.lastEquity ?? 0)}) reached the ${percentText(this.limits.maxDailyLossPct)}% limit`,
      );
      return true;
    }
    return false;
  }

  private checkLossStreak(): boolean {
    if (this.consecutiveLosses < this.limits.maxConsecutiveLosses) return false;
    this.trip(
      `${this.consecutiveLosses} losing bars in a row (the trades closed on each, all accounts together, lost money) reached the limit of ${this.limits.maxConsecutiveLosses}`,
    );
    return true;
  }

  private checkOrderRate(): boolean {
    if (this.orderCount <= this.limits.maxOrdersPerMinute) return false;
    this.trip(
      `${this.orderCount} orders in the last minute exceeded the limit of ${this.limits.maxOrdersPerMinute} per minute`,
    );
    return true;
  }

  private trip(reason: string): void {
    this._tripped = true;
    this.reason = reason;
    this.trippedAt = Math.max(0, Math.round(this.clock.nowMs()));
    this.tripEmitter.fire(this.state());
  }

  /** Drops orders that left the window: an order exactly 60 s old no longer counts. */
  private pruneOrders(now: number): void {
    const cap = this.orderTimes.length;
    while (this.orderCount > 0 && this.orderTimes[this.orderHead]! <= now - ORDER_WINDOW_MS) {
      this.orderHead = (this.orderHead + 1) % cap;
      this.orderCount--;
    }
  }

  private pushOrder(time: number): void {
    let cap = this.orderTimes.length;
    if (this.orderCount === cap) {
      // The ring grows with the real order rate only (bounded by what the engine submits).
      const grown = new Float64Array(cap * 2);
      for (let i = 0; i < this.orderCount; i++)
        grown[i] = this.orderTimes[(this.orderHead + i) % cap]!;
      this.orderTimes = grown;
      this.orderHead = 0;
      cap *= 2;
    }
    this.orderTimes[(this.orderHead + this.orderCount) % cap] = time;
    this.orderCount++;
  }
}

function parseLimits(limits: CircuitBreakerLimits): CircuitBreakerLimits {
  const parsed = CircuitBreakerLimitsSchema.safeParse(limits);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'limits';
    throw new RangeError(`circuit breaker ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
