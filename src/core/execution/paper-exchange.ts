import type { Disposable } from '../../shared/disposable';
import type { Candle } from '../../shared/market';
import type { ExecutionClient, ExecutionListener } from './execution-client';
import type {
  ClosedTrade,
  Fill,
  OrderRejectReason,
  OrderRejection,
  SubmitResult,
} from './execution-events';
import type { EpochMs, OrderId, Price, Quantity, TradeId, Usdt } from './nominal';
import {
  ENTRY_REASONS,
  ORDER_EXIT_REASONS,
  type EntryOrderRequest,
  type EntryReason,
  type ExitOrderRequest,
  type ExitReason,
  type OrderExitReason,
  type OrderRequest,
  type PositionSide,
  type ProtectionLevel,
} from './order-request';
import {
  parsePaperAccountConfig,
  type PaperAccountConfig,
  type PaperAccountConfigInput,
} from './paper-account-config';
import type { PaperExchangeState } from './paper-exchange-state';
import { liquidationPrice, priceAtRoi } from './protection-levels';

/** A copy of the open position, for display and tests (allocates; not for the per-bar path). */
export interface PaperPosition {
  readonly side: PositionSide;
  readonly quantity: Quantity;
  readonly entryPrice: Price;
  readonly entryTime: EpochMs;
  readonly entryReason: EntryReason;
  /** Isolated margin still tied up: entry notional / leverage. */
  readonly margin: Usdt;
  readonly stopLoss: Price | null;
  readonly takeProfit: Price | null;
  /** Current trailing-stop level; it moves once per closed bar. */
  readonly trailingStop: Price | null;
  readonly liquidationPrice: Price;
  /** Unrealized P&L at the last bar's close (or the entry price before any close). */
  readonly unrealizedPnl: Usdt;
}

const LONG = 1;
const SHORT = -1;
const FLAT = 0;
/** +1 long, −1 short, 0 flat: a number, so the position maths multiplies by it. */
type Direction = number;

/** Prices a fill can be made from: positive and finite, high the top and low the bottom of the bar. */
export function isTradableBar(bar: Candle): boolean {
  const { open, high, low, close } = bar;
  return (
    low > 0 && low <= open && low <= close && high >= open && high >= close && Number.isFinite(high)
  );
}

/** Throws the RangeError `PaperExchange.onBar` refuses `bar` with. */
function refuseBar(bar: Candle, lastTime: number): never {
  const { time, open, high, low, close } = bar;
  if (!(time > lastTime) || !Number.isFinite(time)) {
    throw new RangeError(
      `PaperExchange.onBar: bar time ${time} is not after the previous bar (${lastTime})`,
    );
  }
  throw new RangeError(
    `PaperExchange.onBar: inconsistent bar at ${time}: o=${open} h=${high} l=${low} c=${close}`,
  );
}

/**
 * A simulated futures venue with one isolated-margin account and at most one position, driven by
 * closed bars. It is an {@link ExecutionClient} like any real venue, so the engine runs the same
 * code in backtest, paper and (later) live mode.
 *
 * Per bar, `onBar` does, in this order (DESIGN.md "Trading rules", "Paper account and fills"):
 * 1. fills the order queued on the previous bar at this bar's open ± slippage (buys pay up, sells
 *    receive less), charging the taker fee on notional;
 * 2. checks liquidation, stop-loss / trailing stop and take-profit against this bar — first its open
 *    (a level the bar opens beyond fills at the open: a gap is not a free pass), then its range
 *    (adverse levels before the take-profit: when stop and target are both inside the bar, the
 *    stop fills first). The fill bar itself is checked, after its open;
 * 3. moves the trailing stop from this bar's extreme (it applies from the next bar);
 * 4. marks the account to market at the close and returns the equity.
 * The strategy then decides on the closed bar and submits orders for the next bar's open.
 *
 * Fill prices: entries, rule exits, stop-loss and trailing stop are market (stop-market) fills and
 * pay slippage; a take-profit is a resting limit order and fills at its level (or at a better open)
 * without slippage; liquidation happens at the liquidation price. All fills pay the taker fee
 * (conservative: a take-profit might earn a maker rebate on a real venue).
 *
 * Liquidation (isolated margin) closes the position at the liquidation price and costs the account
 * exactly the position's margin (entry notional / leverage), on top of the entry fee already paid:
 * the price loss there is margin − mmr·notional, and the remaining maintenance margin mmr·notional
 * is seized as the exit fee (exchanges move it to their insurance fund).
 *
 * Deterministic: no clock reads; times come from bars, ids from counters. The per-bar path
 * allocates nothing unless a fill happens.
 */
export class PaperExchange implements ExecutionClient {
  /** The validated account settings. */
  public readonly config: Readonly<PaperAccountConfig>;

  private readonly _slip: number;
  private readonly _feeRate: number;
  private readonly _leverage: number;
  /** Replaced, never changed in place: an event in progress keeps notifying the listeners it began with. */
  private _listeners: readonly ExecutionListener[] = [];

  // Declared with a double, not left to the constructor: a class field starts as `undefined`, and
  // a number stored over that makes V8 keep the field tagged — a new heap number per store, on
  // every bar. Started as a double, the field holds a box updated in place.
  private _cash = Number.NaN;
  private _equity = Number.NaN;
  private _lastTime = Number.NEGATIVE_INFINITY;
  private _lastClose = Number.NaN;
  private _exposed = false;
  private _nextOrderId = 1;
  private _nextTradeId = 1;

  // The position as plain fields, so the per-bar path touches no objects.
  private _dir: Direction = FLAT;
  private _qty = 0;
  private _entry = 0;
  private _entryTime = 0;
  private _entryReason: EntryReason = 'signal';
  private _entryFeeLeft = 0;
  private _marginLeft = 0;
  // Unset levels are ±Infinity on the side where they never trigger, so the checks need no branches.
  private _stopLoss = Number.NEGATIVE_INFINITY;
  private _takeProfit = Number.POSITIVE_INFINITY;
  private _trailDistance = 0;
  private _trail = Number.NEGATIVE_INFINITY;
  private _liquidation = 0;

  private _pendingEntry: EntryOrderRequest | null = null;
  private _pendingEntryId = 0;
  private _pendingExit: ExitOrderRequest | null = null;
  private _pendingExitId = 0;

  /**
   * @param config - account settings; omitted fields take {@link PAPER_ACCOUNT_DEFAULTS}.
   * @throws PaperAccountConfigError listing every invalid setting.
   */
  public constructor(config: PaperAccountConfigInput = {}) {
    this.config = Object.freeze(parsePaperAccountConfig(config));
    this._slip = this.config.slippageBps / 10_000;
    this._feeRate = this.config.takerFeeRate;
    this._leverage = this.config.leverage;
    this._cash = this.config.initialCash;
    this._equity = this._cash;
  }

  /** Wallet balance: initial cash plus realized P&L minus fees (margin in use is part of it). */
  public get cash(): Usdt {
    return this._cash as Usdt;
  }

  /** Cash plus unrealized P&L, marked at the last bar's close (or after an immediate close). */
  public get equity(): Usdt {
    return this._equity as Usdt;
  }

  /** Whether a position was open at any moment of the last bar (the exposure metric counts these). */
  public get barExposed(): boolean {
    return this._exposed;
  }

  /** Side of the open position, or null when flat. */
  public get positionSide(): PositionSide | null {
    return this._dir === FLAT ? null : this._dir === LONG ? 'long' : 'short';
  }

  /** Size of the open position (0 when flat). */
  public get positionQuantity(): Quantity {
    return this._qty as Quantity;
  }

  public get hasPendingEntry(): boolean {
    return this._pendingEntry !== null;
  }

  public get hasPendingExit(): boolean {
    return this._pendingExit !== null;
  }

  /** Open time of the last bar seen, or null before the first. */
  public get lastBarTime(): EpochMs | null {
    return this._lastTime === Number.NEGATIVE_INFINITY ? null : (this._lastTime as EpochMs);
  }

  /** A copy of the open position, or null when flat. */
  public position(): PaperPosition | null {
    if (this._dir === FLAT) return null;
    const mark = Number.isNaN(this._lastClose) ? this._entry : this._lastClose;
    return {
      side: this._dir === LONG ? 'long' : 'short',
      quantity: this._qty as Quantity,
      entryPrice: this._entry as Price,
      entryTime: this._entryTime as EpochMs,
      entryReason: this._entryReason,
      margin: this._marginLeft as Usdt,
      stopLoss: Number.isFinite(this._stopLoss) ? (this._stopLoss as Price) : null,
      takeProfit: Number.isFinite(this._takeProfit) ? (this._takeProfit as Price) : null,
      trailingStop: this._trailDistance > 0 ? (this._trail as Price) : null,
      liquidationPrice: this._liquidation as Price,
      unrealizedPnl: (this._dir * this._qty * (mark - this._entry)) as Usdt,
    };
  }

  /**
   * The account, position, queued orders and id counters now, for a checkpoint taken between
   * bars. {@link restore} on a fresh exchange continues exactly from here.
   */
  public checkpoint(): PaperExchangeState {
    const dir = this._dir;
    return {
      cash: this._cash,
      equity: this._equity,
      lastBarTime: this._lastTime,
      lastClose: this._lastClose,
      barExposed: this._exposed,
      nextOrderId: this._nextOrderId,
      nextTradeId: this._nextTradeId,
      position:
        dir === FLAT
          ? null
          : {
              side: dir === LONG ? 'long' : 'short',
              quantity: this._qty,
              entryPrice: this._entry,
              entryTime: this._entryTime,
              entryReason: this._entryReason,
              entryFeeLeft: this._entryFeeLeft,
              margin: this._marginLeft,
              leverage: this._leverage,
              stopLoss: this._stopLoss,
              takeProfit: this._takeProfit,
              trailingDistance: this._trailDistance,
              trailingStop: this._trail,
              liquidationPrice: this._liquidation,
            },
      pendingEntry:
        this._pendingEntry === null
          ? null
          : { orderId: this._pendingEntryId, request: this._pendingEntry },
      pendingExit:
        this._pendingExit === null
          ? null
          : { orderId: this._pendingExitId, request: this._pendingExit },
    };
  }

  /**
   * Puts a fresh exchange (no bar seen, nothing open or queued) in the state of `state`, as
   * {@link checkpoint} took it: the next bar continues as it would have on the original.
   * @throws Error on an exchange that has already traded; RangeError when the position was opened
   * with another leverage than this account's or the counters would reuse a queued order's id.
   */
  public restore(state: PaperExchangeState): void {
    if (
      this._lastTime !== Number.NEGATIVE_INFINITY ||
      this._dir !== FLAT ||
      this._pendingEntry !== null ||
      this._pendingExit !== null
    ) {
      throw new Error('PaperExchange.restore: only a fresh exchange can be restored');
    }
    const p = state.position;
    if (p !== null && p.leverage !== this._leverage) {
      throw new RangeError(
        `PaperExchange.restore: the position has leverage ${p.leverage}, this account ${this._leverage}`,
      );
    }
    const maxQueued = Math.max(state.pendingEntry?.orderId ?? 0, state.pendingExit?.orderId ?? 0);
    if (!(state.nextOrderId > maxQueued) || !(state.nextTradeId >= 1)) {
      throw new RangeError('PaperExchange.restore: id counters behind the queued orders');
    }
    this._cash = state.cash;
    this._equity = state.equity;
    this._lastTime = state.lastBarTime;
    this._lastClose = state.lastClose;
    this._exposed = state.barExposed;
    this._nextOrderId = state.nextOrderId;
    this._nextTradeId = state.nextTradeId;
    if (p !== null) {
      this._dir = p.side === 'long' ? LONG : SHORT;
      this._qty = p.quantity;
      this._entry = p.entryPrice;
      this._entryTime = p.entryTime;
      this._entryReason = p.entryReason;
      this._entryFeeLeft = p.entryFeeLeft;
      this._marginLeft = p.margin;
      this._stopLoss = p.stopLoss;
      this._takeProfit = p.takeProfit;
      this._trailDistance = p.trailingDistance;
      this._trail = p.trailingStop;
      this._liquidation = p.liquidationPrice;
    }
    this._pendingEntry = state.pendingEntry?.request ?? null;
    this._pendingEntryId = state.pendingEntry?.orderId ?? 0;
    this._pendingExit = state.pendingExit?.request ?? null;
    this._pendingExitId = state.pendingExit?.orderId ?? 0;
  }

  public subscribe(listener: ExecutionListener): Disposable {
    this._listeners = [...this._listeners, listener];
    return {
      dispose: () => {
        const i = this._listeners.indexOf(listener);
        if (i < 0) return;
        const listeners = this._listeners.slice();
        listeners.splice(i, 1);
        this._listeners = listeners;
      },
    };
  }

  /**
   * Processes one closed bar: queued orders at its open, then liquidation / stops / target against
   * it, then the trailing stop; returns the equity marked at its close.
   * @param checked - the caller found the bar {@link isTradableBar} already (a bar loop checks each
   * bar once for all its variants), so its prices are not checked again.
   * @throws RangeError for a bar that is not strictly after the previous one or has non-finite or
   * inconsistent prices (a feed bug must not turn into plausible-looking fills).
   */
  public onBar(bar: Candle, checked = false): Usdt {
    // Small enough for V8 to inline into the engine's bar step: refusals are thrown by
    // refuseBar, a bar with a position or an order in play goes to tradeBar.
    const time = bar.time;
    if (
      !(time > this._lastTime && time < Number.POSITIVE_INFINITY) ||
      (!checked && !isTradableBar(bar))
    ) {
      refuseBar(bar, this._lastTime);
    }
    this._lastTime = time;
    if (this._dir === FLAT && this._pendingEntry === null && this._pendingExit === null) {
      this._exposed = false;
      this._lastClose = bar.close;
      this._equity = this._cash;
    } else this.tradeBar(bar);
    return this._equity as Usdt;
  }

  /** {@link onBar} with a position open or an order queued. */
  private tradeBar(bar: Candle): void {
    const { time, open, high, low, close } = bar;
    const hadPosition = this._dir !== FLAT;

    // A bar that opens beyond the liquidation price liquidates before a queued exit can fill
    // there: isolated margin never loses more than the margin (DESIGN: liquidation closes at
    // that price and loses the margin).
    if (this._dir !== FLAT && this._dir * (open - this._liquidation) <= 0) this.liquidate(time);
    if (this._pendingExit !== null) this.fillPendingExit(time, open);
    else if (this._pendingEntry !== null) this.fillPendingEntry(time, open);

    this._exposed = hadPosition || this._dir !== FLAT;
    if (this._dir !== FLAT) {
      this.checkProtection(time, open, high, low);
      if (this._dir !== FLAT) this.moveTrailingStop(high, low);
    }

    this._lastClose = close;
    this._equity =
      this._dir === FLAT ? this._cash : this._cash + this._dir * this._qty * (close - this._entry);
  }

  public submit(request: OrderRequest): SubmitResult {
    const orderId = this._nextOrderId++ as OrderId;
    if (request.type === 'entry') {
      const problem = entryProblem(request, this._leverage);
      if (problem !== null) return this.reject(orderId, 'invalidOrder', problem);
      if (this._dir !== FLAT || this._pendingExit !== null) {
        return this.reject(
          orderId,
          'positionOpen',
          'one position per account: exit first, enter on a later bar',
        );
      }
      if (this._pendingEntry !== null) {
        return this.reject(
          orderId,
          'entryPending',
          `entry order ${this._pendingEntryId} already waits for the next bar`,
        );
      }
      this._pendingEntry = request;
      this._pendingEntryId = orderId;
      return { accepted: true, orderId };
    }

    if (request.type !== 'exit') return this.reject(orderId, 'invalidOrder', 'unknown order type');
    const problem = exitProblem(request);
    if (problem !== null) return this.reject(orderId, 'invalidOrder', problem);
    if (this._dir === FLAT)
      return this.reject(
        orderId,
        'noPosition',
        'exit orders are reduce-only and there is no position',
      );
    if (this._pendingExit !== null) {
      return this.reject(
        orderId,
        'exitPending',
        `exit order ${this._pendingExitId} already waits for the next bar`,
      );
    }
    this._pendingExit = request;
    this._pendingExitId = orderId;
    if (request.quantity !== undefined && request.quantity > this._qty) {
      return { accepted: true, orderId, clippedTo: this._qty as Quantity };
    }
    return { accepted: true, orderId };
  }

  public cancelPending(): number {
    let cancelled = 0;
    if (this._pendingEntry !== null) {
      this._pendingEntry = null;
      this.emitRejection(
        this._pendingEntryId as OrderId,
        'cancelled',
        'entry cancelled before its fill',
      );
      cancelled++;
    }
    if (this._pendingExit !== null) {
      this._pendingExit = null;
      this.emitRejection(
        this._pendingExitId as OrderId,
        'cancelled',
        'exit cancelled before its fill',
      );
      cancelled++;
    }
    return cancelled;
  }

  public closeNow(
    market: { readonly price: number; readonly time: number },
    reason: OrderExitReason,
  ): SubmitResult {
    const orderId = this._nextOrderId++ as OrderId;
    const { price, time } = market;
    if (
      !(price > 0) ||
      !Number.isFinite(price) ||
      !Number.isFinite(time) ||
      time < this._lastTime
    ) {
      return this.reject(
        orderId,
        'invalidOrder',
        'closeNow needs a finite price > 0 and a time not before the last bar',
      );
    }
    if (!isOrderExitReason(reason))
      return this.reject(orderId, 'invalidOrder', `unknown exit reason ${String(reason)}`);
    this.cancelPending();
    if (this._dir === FLAT) return this.reject(orderId, 'noPosition', 'nothing to close');
    this.closePosition(
      orderId,
      this._qty,
      price * (1 - this._dir * this._slip),
      time,
      reason,
      false,
    );
    this._equity = this._cash;
    return { accepted: true, orderId };
  }

  private fillPendingExit(time: number, open: number): void {
    const request = this._pendingExit!;
    const orderId = this._pendingExitId as OrderId;
    this._pendingExit = null;
    if (this._dir === FLAT) {
      this.emitRejection(orderId, 'noPosition', 'the position closed before the exit could fill');
      return;
    }
    // Clip again at the fill: the position is the only upper bound that counts (reduce-only).
    const quantity =
      request.quantity === undefined ? this._qty : Math.min(request.quantity, this._qty);
    this.closePosition(
      orderId,
      quantity,
      open * (1 - this._dir * this._slip),
      time,
      request.reason,
      false,
    );
  }

  private fillPendingEntry(time: number, open: number): void {
    const request = this._pendingEntry!;
    const orderId = this._pendingEntryId as OrderId;
    this._pendingEntry = null;
    const dir: Direction = request.side === 'long' ? LONG : SHORT;
    const price = open * (1 + dir * this._slip);
    const leverage = this._leverage;
    const quantity =
      request.size.kind === 'quantity'
        ? request.size.quantity
        : (request.size.fraction * this._cash) / (price * (1 / leverage + this._feeRate));
    const notional = quantity * price;
    const margin = notional / leverage;
    const fee = notional * this._feeRate;
    // A relative epsilon so that sizing by the whole of cash is not refused for a rounding error.
    if (margin + fee > this._cash * (1 + 1e-12)) {
      this.emitRejection(
        orderId,
        'insufficientFunds',
        `margin ${margin.toFixed(2)} + fee ${fee.toFixed(2)} exceed cash ${this._cash.toFixed(2)}`,
      );
      return;
    }
    const stopLoss = resolveLevel(request.stopLoss, request.side, price, leverage);
    const takeProfit = resolveLevel(request.takeProfit, request.side, price, leverage);
    if (stopLoss !== null && !(dir * (price - stopLoss) > 0)) {
      this.emitRejection(
        orderId,
        'invalidProtection',
        `stop-loss ${stopLoss} is not on the losing side of the fill ${price}`,
      );
      return;
    }
    if (takeProfit !== null && !(dir * (takeProfit - price) > 0)) {
      this.emitRejection(
        orderId,
        'invalidProtection',
        `take-profit ${takeProfit} is not on the winning side of the fill ${price}`,
      );
      return;
    }

    this._cash -= fee;
    this._dir = dir;
    this._qty = quantity;
    this._entry = price;
    this._entryTime = time;
    this._entryReason = request.reason ?? 'signal';
    this._entryFeeLeft = fee;
    this._marginLeft = margin;
    this._stopLoss = stopLoss ?? -dir * Number.POSITIVE_INFINITY;
    this._takeProfit = takeProfit ?? dir * Number.POSITIVE_INFINITY;
    const trailing = request.trailingStop;
    this._trailDistance =
      trailing === undefined
        ? 0
        : trailing.kind === 'percent'
          ? trailing.percent / 100
          : Math.abs(trailing.roiPct) / 100 / leverage;
    this._trail =
      this._trailDistance > 0
        ? price * (1 - dir * this._trailDistance)
        : -dir * Number.POSITIVE_INFINITY;
    this._liquidation = liquidationPrice(
      request.side,
      price,
      leverage,
      this.config.maintenanceMarginRate,
    );

    if (this._listeners.length > 0) {
      const fill: Fill = {
        orderId,
        time: time as EpochMs,
        side: dir === LONG ? 'buy' : 'sell',
        opensPosition: true,
        quantity: quantity as Quantity,
        price: price as Price,
        fee: fee as Usdt,
        reason: this._entryReason,
      };
      for (const l of this._listeners) l.onFill?.(fill);
    }
  }

  /** Liquidation, then stops, then the target: first at the open, then inside the range. */
  private checkProtection(time: number, open: number, high: number, low: number): void {
    const dir = this._dir;
    const liq = this._liquidation;
    const trailTighter = dir * (this._trail - this._stopLoss) > 0;
    const stop = trailTighter ? this._trail : this._stopLoss;
    const stopReason: ExitReason = trailTighter ? 'trailingStop' : 'stopLoss';
    const slip = 1 - dir * this._slip;

    // At the open: whatever the bar opens beyond triggers there.
    if (dir * (open - liq) <= 0) return this.liquidate(time);
    if (dir * (open - stop) <= 0)
      return this.closeByVenue(this._qty, open * slip, time, stopReason);
    if (dir * (open - this._takeProfit) >= 0)
      return this.closeByVenue(this._qty, open, time, 'takeProfit');

    // Inside the range: the adverse extreme first (stop before target), and of the adverse levels the
    // one nearer the entry, which the price reaches first.
    const adverse = dir === LONG ? low : high;
    const stopReached = dir * (adverse - stop) <= 0;
    if (stopReached || dir * (adverse - liq) <= 0) {
      if (stopReached && dir * (stop - liq) >= 0)
        return this.closeByVenue(this._qty, stop * slip, time, stopReason);
      return this.liquidate(time);
    }
    const favourable = dir === LONG ? high : low;
    if (dir * (favourable - this._takeProfit) >= 0) {
      this.closeByVenue(this._qty, this._takeProfit, time, 'takeProfit');
    }
  }

  /** Once per closed bar, from that bar's extreme; the new level applies from the next bar. */
  private moveTrailingStop(high: number, low: number): void {
    if (this._trailDistance <= 0) return;
    if (this._dir === LONG) {
      const level = high * (1 - this._trailDistance);
      if (level > this._trail) this._trail = level;
    } else {
      const level = low * (1 + this._trailDistance);
      if (level < this._trail) this._trail = level;
    }
  }

  private liquidate(time: number): void {
    this.closePosition(
      this._nextOrderId++ as OrderId,
      this._qty,
      this._liquidation,
      time,
      'liquidation',
      true,
    );
  }

  private closeByVenue(quantity: number, price: number, time: number, reason: ExitReason): void {
    this.closePosition(this._nextOrderId++ as OrderId, quantity, price, time, reason, false);
  }

  /** Realizes `quantity` of the position at `price` (slippage already applied). */
  private closePosition(
    orderId: OrderId,
    quantity: number,
    price: number,
    time: number,
    reason: ExitReason,
    liquidation: boolean,
  ): void {
    const dir = this._dir;
    const full = quantity >= this._qty;
    const share = full ? 1 : quantity / this._qty;
    const entryFee = full ? this._entryFeeLeft : this._entryFeeLeft * share;
    const margin = full ? this._marginLeft : this._marginLeft * share;
    const gross = dir * quantity * (price - this._entry);
    // Liquidation: the account loses exactly the margin, so whatever of it the price left is seized.
    const exitFee = liquidation ? margin + gross : price * quantity * this._feeRate;
    this._cash += gross - exitFee;

    const side: PositionSide = dir === LONG ? 'long' : 'short';
    const entryPrice = this._entry;
    const entryTime = this._entryTime;
    const entryReason = this._entryReason;
    if (full) {
      this.resetPosition();
    } else {
      this._qty -= quantity;
      this._entryFeeLeft -= entryFee;
      this._marginLeft -= margin;
    }

    if (this._listeners.length === 0) return;
    const fill: Fill = {
      orderId,
      time: time as EpochMs,
      side: dir === LONG ? 'sell' : 'buy',
      opensPosition: false,
      quantity: quantity as Quantity,
      price: price as Price,
      fee: exitFee as Usdt,
      reason,
    };
    const net = gross - entryFee - exitFee;
    const trade: ClosedTrade = {
      tradeId: this._nextTradeId++ as TradeId,
      side,
      quantity: quantity as Quantity,
      leverage: this._leverage,
      entryTime: entryTime as EpochMs,
      entryPrice: entryPrice as Price,
      entryReason,
      exitTime: time as EpochMs,
      exitPrice: price as Price,
      exitReason: reason,
      grossPnl: gross as Usdt,
      fee: (entryFee + exitFee) as Usdt,
      netPnl: net as Usdt,
      margin: margin as Usdt,
      roiPct: (net / margin) * 100,
    };
    const listeners = this._listeners;
    for (const l of listeners) l.onFill?.(fill);
    for (const l of listeners) l.onTradeClosed?.(trade);
  }

  private resetPosition(): void {
    this._dir = FLAT;
    this._qty = 0;
    this._entry = 0;
    this._entryFeeLeft = 0;
    this._marginLeft = 0;
    this._stopLoss = Number.NEGATIVE_INFINITY;
    this._takeProfit = Number.POSITIVE_INFINITY;
    this._trailDistance = 0;
    this._trail = Number.NEGATIVE_INFINITY;
    this._liquidation = 0;
  }

  private reject(orderId: OrderId, reason: OrderRejectReason, message: string): SubmitResult {
    return { accepted: false, rejection: this.emitRejection(orderId, reason, message) };
  }

  private emitRejection(
    orderId: OrderId,
    reason: OrderRejectReason,
    message: string,
  ): OrderRejection {
    const rejection: OrderRejection = { orderId, time: this.lastBarTime, reason, message };
    for (const l of this._listeners) l.onOrderRejected?.(rejection);
    return rejection;
  }
}

function isOrderExitReason(value: unknown): value is OrderExitReason {
  return (ORDER_EXIT_REASONS as readonly unknown[]).includes(value);
}

const positiveFinite = (x: number): boolean => Number.isFinite(x) && x > 0;

/** Why an entry request is malformed, or null. Runs at submission, before anything is queued. */
function entryProblem(request: EntryOrderRequest, leverage: number): string | null {
  if (request.side !== 'long' && request.side !== 'short')
    return `unknown side ${String(request.side)}`;
  if (
    request.reason !== undefined &&
    !(ENTRY_REASONS as readonly string[]).includes(request.reason)
  ) {
    return `unknown entry reason ${String(request.reason)}`;
  }
  const size = request.size;
  if (size.kind === 'quantity') {
    if (!positiveFinite(size.quantity))
      return `quantity must be a finite number > 0, got ${size.quantity}`;
  } else if (size.kind === 'cashFraction') {
    if (!positiveFinite(size.fraction) || size.fraction > 1)
      return `cash fraction must be in (0, 1], got ${size.fraction}`;
  } else {
    return 'unknown size kind';
  }
  const sl = request.stopLoss;
  if (sl !== undefined) {
    if (
      sl.kind === 'price'
        ? !positiveFinite(sl.price)
        : !(Number.isFinite(sl.roiPct) && sl.roiPct < 0)
    ) {
      return 'stop-loss must be a finite price > 0 or a finite ROI % < 0';
    }
  }
  const tp = request.takeProfit;
  if (tp !== undefined) {
    if (
      tp.kind === 'price'
        ? !positiveFinite(tp.price)
        : !(positiveFinite(tp.roiPct) && (request.side === 'long' || tp.roiPct < 100 * leverage))
    ) {
      // A short cannot gain more than 100% of notional: its price would have to reach 0.
      return 'take-profit must be a finite price > 0 or a finite ROI % > 0 that a price > 0 can reach';
    }
  }
  const tr = request.trailingStop;
  if (tr !== undefined) {
    const percent = tr.kind === 'percent' ? tr.percent : Math.abs(tr.roiPct) / leverage;
    if (!positiveFinite(percent) || percent >= 100)
      return 'trailing distance must be a finite price distance in (0%, 100%)';
  }
  return null;
}

function exitProblem(request: ExitOrderRequest): string | null {
  if (!isOrderExitReason(request.reason)) return `unknown exit reason ${String(request.reason)}`;
  if (request.quantity !== undefined && !positiveFinite(request.quantity)) {
    return `exit quantity must be a finite number > 0, got ${request.quantity}`;
  }
  return null;
}

function resolveLevel(
  level: ProtectionLevel | undefined,
  side: PositionSide,
  fillPrice: number,
  leverage: number,
): number | null {
  if (level === undefined) return null;
  return level.kind === 'price' ? level.price : priceAtRoi(side, fillPrice, leverage, level.roiPct);
}
