import type { Disposable } from '../../shared/disposable';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../shared/market';
import {
  PaperExchange,
  type ClosedTrade,
  type EntryOrderRequest,
  type ExecutionClient,
  type ExitOrderRequest,
  type Fill,
  type OrderExitReason,
  type OrderRejection,
  type PaperAccountConfigInput,
  type PaperExchangeState,
  type PositionSide,
} from '../execution';
import type { IndicatorLease, IndicatorReader, IndicatorSet } from '../indicators';
import { MetricsTracker, SINGLE_TRIAL, type MetricSnapshot, type TrialStats } from '../metrics';
import type { CompiledStrategy, RuleGates, RuleName } from '../strategy';
import { SeriesPool } from '../strategy/compile-strategy';
import {
  fillRecord,
  tradeRecord,
  type EngineRecordSink,
  type SignalAction,
} from './engine-records';
import type { EquityCurve } from './equity-curve';
import {
  decodeExchangeState,
  decodeMetricsState,
  encodeExchangeState,
  encodeMetricsState,
  INSTANCE_CHECKPOINT_VERSION,
  parseInstanceCheckpoint,
  type InstanceCheckpoint,
} from './instance-checkpoint';
import { entryOrderFor, paperAccountFor } from './risk-orders';
import { TimeframeRoller } from './timeframe-roller';
import { timeOrNull } from '../time/unknown-time';

/** An execution client the engine drives bar by bar (the paper exchange; later a live venue's mirror). */
export interface BarDrivenExecution extends ExecutionClient {
  /**
   * Fills queued orders, checks stops and targets against `bar`, returns equity at its close.
   * `checked`: the bar was found tradable (`isTradableBar`) by the caller, not to be checked again.
   */
  onBar(bar: Candle, checked?: boolean): number;
  /** Whether a position was open at any moment of the last bar. */
  readonly barExposed: boolean;
  readonly positionSide: PositionSide | null;
  readonly cash: number;
  readonly hasPendingExit: boolean;
  /** The venue's whole state between bars, for a checkpoint (the paper exchange has it). */
  checkpoint?(): PaperExchangeState;
  /** Continues from a {@link checkpoint} (a fresh venue only). */
  restore?(state: PaperExchangeState): void;
}

/** What a restored instance must match once its warm-up is done (see `StrategyInstance.restore`). */
interface PendingRestore {
  readonly warm: boolean;
  readonly readyStreak: number;
  readonly barsSeen: number;
  readonly time: number | null;
}

/** Lifecycle of an instance (STYLE 9): it trades while `running`, never after `disposed`. */
export type InstanceState = 'ready' | 'running' | 'disposed';

/** What an instance is built from. */
export interface StrategyInstanceOptions {
  /** The variant's id: every record carries it. */
  readonly id: string;
  readonly strategy: CompiledStrategy;
  /** The shared indicators; the instance leases the ones its rules read. */
  readonly indicators: IndicatorSet;
  readonly execution: BarDrivenExecution;
  readonly metrics: MetricsTracker;
  readonly sink?: EngineRecordSink;
  /** Receives the equity of every trading bar, when given. */
  readonly equityCurve?: EquityCurve;
}

/**
 * One pool of shared rule history and subexpressions per indicator set, i.e. per bar loop: the
 * instances reading the same indicators keep and compute identical series and terms once.
 */
const POOLS = new WeakMap<IndicatorSet, SeriesPool>();

function poolOf(indicators: IndicatorSet): SeriesPool {
  let pool = POOLS.get(indicators);
  if (pool === undefined) POOLS.set(indicators, (pool = new SeriesPool()));
  return pool;
}

const SIGNAL_EXIT: ExitOrderRequest = Object.freeze({ type: 'exit', reason: 'signal' });

/**
 * One variant running one compiled strategy on closed bars, by DESIGN.md's trading rules. Per
 * closed bar of its timeframe (`onBar`, after the shared {@link IndicatorSet} has been updated
 * with that bar):
 * 1. the execution client processes it: queued orders fill at its open, stops and targets are
 *    checked against its range, equity is marked at its close (→ metrics, equity curve);
 * 2. the rules are evaluated on it; until every indicator they read is ready (and the rules'
 *    look-back is filled), nothing they say is acted on;
 * 3. with a position: its side's exit rule → an exit order for the next bar's open;
 * 4. only when flat: the entry rules; long and short both true → no entry; one position, no
 *    pyramiding (a reversal is an exit on one bar and an entry on a later one).
 * Fired rules are recorded with their terms' values, orders, fills and trades go to the sink.
 * The bar path allocates only when a rule fires or an order fills.
 */
export class StrategyInstance implements Disposable {
  public readonly id: string;
  public readonly strategy: CompiledStrategy;
  /** The strategy's bar length: `onBar` takes bars of this timeframe. */
  public readonly timeframe: Timeframe;
  /** Every timeframe the instance reads: its own first, then its indicators' higher ones. */
  public readonly timeframes: readonly Timeframe[];
  public readonly execution: BarDrivenExecution;
  public readonly metrics: MetricsTracker;

  private readonly indicatorSet: IndicatorSet;
  private readonly leases: IndicatorLease[];
  private readonly readers: IndicatorReader[];
  /** This instance's own rules and their history, reading the shared indicators' outputs. */
  private readonly rules: ReturnType<CompiledStrategy['instantiate']>;
  private readonly tests: CompiledStrategy['tests'];
  private readonly gates: RuleGates;
  private readonly sink: EngineRecordSink | undefined;
  private readonly equityCurve: EquityCurve | undefined;
  private readonly subscription: Disposable;
  /**
   * The entry orders by side when their size does not depend on cash (a share of equity): built
   * once, not per signal. Null: built per entry from the cash then.
   */
  private readonly fixedEntries: { long: EntryOrderRequest; short: EntryOrderRequest } | null;
  private _state: InstanceState = 'ready';
  private _warm = false;
  private _readyStreak = 0;
  private _bars = 0;
  /** Open time of the last traded bar; NaN before one (a number-only field: no box per bar). */
  private _time = Number.NaN;
  /** Open time of the last bar evaluated, traded or warm-up. */
  private _lastBarTime = Number.NaN;
  private _restored: PendingRestore | null = null;
  /**
   * Why new entries are held back (a paused variant, the circuit breaker), or null. Entry rules
   * still fire and are recorded as `blocked`; exits, stops and targets keep working.
   */
  public entriesBlockedBy: string | null = null;

  public constructor(options: StrategyInstanceOptions) {
    this.id = options.id;
    this.strategy = options.strategy;
    this.timeframe = options.strategy.timeframe;
    this.execution = options.execution;
    this.metrics = options.metrics;
    this.indicatorSet = options.indicators;
    this.sink = options.sink;
    this.equityCurve = options.equityCurve;
    this.leases = options.strategy.requirements.map((r) =>
      options.indicators.acquire({
        type: r.type,
        params: r.params,
        ...(r.source === null ? {} : { source: r.source }),
        timeframe: r.timeframe,
      }),
    );
    this.readers = this.leases.map((l) => l.indicator);
    this.rules = options.strategy.instantiate(
      this.readers.map((r) => r.outputs),
      poolOf(options.indicators),
    );
    this.tests = this.rules.tests;
    this.gates = this.rules.gates;
    const risk = options.strategy.risk;
    this.fixedEntries =
      risk.positionSize.kind === 'percentOfEquity'
        ? { long: frozenEntry(risk, 'long'), short: frozenEntry(risk, 'short') }
        : null;
    const frames = new Set<Timeframe>([this.timeframe]);
    for (const r of options.strategy.requirements) frames.add(r.timeframe);
    this.timeframes = [...frames];
    this.subscription = this.execution.subscribe({
      onFill: (fill) => this.recordFill(fill),
      onTradeClosed: (trade) => this.recordTrade(trade),
      onOrderRejected: (rejection) => this.recordRejection(rejection),
    });
  }

  public get state(): InstanceState {
    return this._state;
  }

  /** True once every indicator the rules read is ready and their look-back is filled. */
  public get warm(): boolean {
    return this._warm;
  }

  /** Closed bars seen, warm-up included. */
  public get barsSeen(): number {
    return this._bars;
  }

  /**
   * How much history, in milliseconds before the first trading bar, warms every indicator and
   * the rules' look-back: the longest of (warm-up + 1) bars of each indicator's
   * timeframe, plus the look-back in bars of the instance's own timeframe.
   */
  public get warmUpSpanMs(): number {
    const own = TIMEFRAME_MS[this.timeframe];
    let span = (this.strategy.maxLookback + 1) * own;
    this.strategy.requirements.forEach((r, i) => {
      const reader = this.readers[i] as IndicatorReader;
      // The look-back counts bars of the strategy's timeframe: its rules buffer what they read.
      span = Math.max(
        span,
        (reader.warmupBars + 1) * TIMEFRAME_MS[r.timeframe] + (r.lookback + 1) * own,
      );
    });
    return span;
  }

  /**
   * One closed bar of the instance's timeframe, traded. The shared indicator set must already
   * hold this bar (the bar loop updates it first).
   * @param checked - the bar loop found the bar tradable (`isTradableBar`) (once for all its instances).
   */
  public onBar(bar: Candle, checked = false): void {
    if (this._state !== 'running') {
      if (this._state === 'disposed') return;
      if (this._restored !== null) this.settleRestore();
      this._state = 'running';
    }
    this._time = bar.time;
    const equity = this.execution.onBar(bar, checked);
    this.metrics.onBar(bar.time, equity, this.execution.barExposed);
    this.equityCurve?.push(bar.time, equity);
    this.evaluate(bar, true);
  }

  /**
   * One closed bar of warm-up history: the rules see it (filling their look-back), nothing is
   * traded, marked or recorded. The shared indicator set must already hold it.
   */
  public warmUpBar(bar: Candle): void {
    if (this._state === 'disposed') return;
    this.evaluate(bar, false);
  }

  /**
   * Warms the instance up from stored history before it trades, on its own: for an instance
   * joining a loop that is already running. `bars` are closed bars of the instance's timeframe,
   * oldest first, ending just before the first bar it will trade. The indicators this instance
   * created are fed with them (higher timeframes built from them); indicators it shares with
   * instances already running are current and are not fed again. Because those cannot replay
   * their past, when any is shared the rules' look-back refills from live bars before the first
   * signal. (At start-up, warm every instance together with {@link EngineBarLoop.warmUp}.)
   */
  public warmUp(bars: Iterable<Candle>): void {
    if (this._state !== 'ready') throw new Error(`warmUp: instance ${this.id} is ${this._state}`);
    const own: IndicatorLease[] = [];
    const higher: Array<{ lease: IndicatorLease; roller: TimeframeRoller }> = [];
    for (const lease of this.leases) {
      if (!lease.created) continue;
      const tf = this.strategy.requirements[this.leases.indexOf(lease)]?.timeframe;
      if (tf === undefined || tf === this.timeframe) own.push(lease);
      else higher.push({ lease, roller: new TimeframeRoller(tf, this.timeframe) });
    }
    const one: Candle[] = [];
    const feed = (key: string, bar: Candle): void => {
      one[0] = bar;
      this.indicatorSet.prime(key, one);
    };
    for (const bar of bars) {
      for (const lease of own) feed(lease.key, bar);
      for (const h of higher) {
        h.roller.push(bar);
        if (h.roller.gapDidClose) feed(h.lease.key, { ...h.roller.gapClosed });
        if (h.roller.didClose) feed(h.lease.key, { ...h.roller.closed });
      }
      this.evaluate(bar, false);
    }
    if (this.leases.some((l) => !l.created)) {
      this._warm = false;
      this._readyStreak = 0;
    }
    if (this._restored !== null) this.settleRestore();
  }

  /**
   * The instance's state after the last bar, JSON-safe and exact: account, position, queued
   * orders, id counters, metrics, warmth. Persist it with the trades of the same bar; after a
   * restart, {@link restore} it into a fresh instance of the same strategy and variant.
   * @throws Error when the execution client cannot be checkpointed.
   */
  public checkpoint(): InstanceCheckpoint {
    const execution = this.execution;
    if (execution.checkpoint === undefined) {
      throw new Error(`checkpoint: instance ${this.id}'s execution client keeps no checkpoint`);
    }
    const pending = this._restored;
    return {
      version: INSTANCE_CHECKPOINT_VERSION,
      variantId: this.id,
      time: pending?.time ?? timeOrNull(this._lastBarTime),
      barsSeen: pending?.barsSeen ?? this._bars,
      warm: pending?.warm ?? this._warm,
      readyStreak: pending?.readyStreak ?? this._readyStreak,
      exchange: encodeExchangeState(execution.checkpoint()),
      metrics: encodeMetricsState(this.metrics.checkpoint()),
    };
  }

  /**
   * Continues from a {@link checkpoint}, on a fresh instance (state `ready`, no bar seen yet).
   * Account, position, queued orders, id counters and metrics are restored now. Indicators and
   * the rules' look-back are not in a checkpoint: warm the instance up next — {@link warmUp}, or
   * {@link EngineBarLoop.warmUp} for a whole loop — on stored bars up to and including
   * `checkpoint.time`, then trade the bars after it. After that warm-up the instance is warm
   * exactly when the checkpointed one was, unless the warm-up was too short to fill every
   * indicator and the look-back: then it stays cold until they are (never acts on unknown values).
   * Indicators with unbounded memory (EMA, RSI…) match the original to the last digit only when
   * warmed up from the bar the original started from.
   * @throws InstanceCheckpointError for a malformed checkpoint; Error for an instance that has
   * already seen bars or for another variant's checkpoint; RangeError for an account or metrics
   * set up differently.
   */
  public restore(checkpoint: InstanceCheckpoint): void {
    if (this._state !== 'ready' || this._bars > 0 || this._restored !== null) {
      throw new Error(`restore: instance ${this.id} has already started`);
    }
    const cp = parseInstanceCheckpoint(checkpoint);
    if (cp.variantId !== this.id) {
      throw new Error(`restore: checkpoint of ${cp.variantId} given to instance ${this.id}`);
    }
    const execution = this.execution;
    if (execution.restore === undefined) {
      throw new Error(`restore: instance ${this.id}'s execution client cannot be restored`);
    }
    const metrics = decodeMetricsState(cp.metrics);
    const exchange = decodeExchangeState(cp.exchange);
    // Check the metrics first: the exchange is the one that refuses a second restore.
    this.metrics.restore(metrics);
    execution.restore(exchange);
    this._time = Number.isFinite(exchange.lastBarTime) ? exchange.lastBarTime : Number.NaN;
    this._restored = {
      warm: cp.warm,
      readyStreak: cp.readyStreak,
      barsSeen: cp.barsSeen,
      time: cp.time,
    };
  }

  /**
   * Closes the position at the next bar's open (reduce-only) and drops queued entries: a kill,
   * a safety limit, the emergency stop. Nothing happens when flat with nothing queued.
   * @returns whether an exit order was queued.
   */
  public flatten(reason: OrderExitReason): boolean {
    const execution = this.execution;
    if (execution.positionSide === null) {
      execution.cancelPending();
      return false;
    }
    if (execution.hasPendingExit) return true;
    execution.cancelPending();
    const side = execution.positionSide;
    const result = execution.submit({ type: 'exit', reason });
    if (!result.accepted) return false;
    this.recordOrder(
      result.orderId,
      Number.isNaN(this._time) ? 0 : this._time,
      'exit',
      side,
      reason,
    );
    return true;
  }

  /** Every statistic now. @param trials - the trial ledger's N and V (one trial by default). */
  public snapshot(trials: TrialStats = SINGLE_TRIAL): MetricSnapshot {
    return this.metrics.snapshot(trials);
  }

  /** Stops for good: releases the indicator leases and the execution subscription. */
  public dispose(): void {
    if (this._state === 'disposed') return;
    this._state = 'disposed';
    this.subscription.dispose();
    this.rules.release();
    for (const lease of this.leases) lease.dispose();
  }

  /**
   * After the warm-up that follows a restore: warm only if the checkpointed instance was and the
   * warm-up made this one warm too; a streak towards warmth never longer than the original's.
   */
  private settleRestore(): void {
    const r = this._restored as PendingRestore;
    this._restored = null;
    const warmNow = this._warm;
    this._warm = r.warm && warmNow;
    if (!this._warm && !r.warm) this._readyStreak = Math.min(r.readyStreak, this._readyStreak);
    this._bars = r.barsSeen;
    if (r.time !== null && !(this._lastBarTime >= r.time)) {
      this._lastBarTime = r.time;
    }
  }

  private evaluate(bar: Candle, trading: boolean): void {
    this._lastBarTime = bar.time;
    this._bars++;
    this.rules.observeBar(bar);
    if (!this._warm && !this.becomeWarm()) return;
    if (trading) this.act();
  }

  /** Counts consecutive bars on which every indicator is ready; warm once they cover the look-back. */
  private becomeWarm(): boolean {
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) {
      if (!(readers[i] as IndicatorReader).ready) {
        this._readyStreak = 0;
        return false;
      }
    }
    this._readyStreak++;
    // The rules read up to maxLookback bars back; those bars must come from ready indicators too.
    if (this._readyStreak <= this.strategy.maxLookback) return false;
    this._warm = true;
    return true;
  }

  /** Tests only the rules the position needs: its side's exit, or when flat both entries. */
  private act(): void {
    // Only decides; what a fired rule does lives in exitOnSignal and enterOnSignal.
    const execution = this.execution;
    const side = execution.positionSide;
    const tests = this.tests;
    const gates = this.gates;
    if (side !== null) {
      if (execution.hasPendingExit) return;
      const gate = side === 'long' ? gates.exitLong : gates.exitShort;
      if (gate !== null && gate.read() !== 1) return;
      if (side === 'long' ? tests.exitLong() : tests.exitShort()) this.exitOnSignal(side);
      return;
    }
    // Most flat bars no entry's gate (a shared crossover, say) holds: one shared read each.
    const long = (gates.entryLong === null || gates.entryLong.read() === 1) && tests.entryLong();
    const short =
      (gates.entryShort === null || gates.entryShort.read() === 1) && tests.entryShort();
    if (long || short) this.enterOnSignal(long, short);
  }

  /** The position's exit rule held: an exit order for the next bar's open. */
  private exitOnSignal(side: PositionSide): void {
    const time = this._time;
    const result = this.execution.submit(SIGNAL_EXIT);
    const rule: RuleName = side === 'long' ? 'exitLong' : 'exitShort';
    if (result.accepted) {
      this.recordOrder(result.orderId, time, 'exit', side, 'signal');
      this.recordSignal(time, rule, 'exit', result.orderId);
    } else {
      this.recordSignal(time, rule, 'refused', result.rejection.orderId);
    }
  }

  /** An entry rule held while flat (both: a conflict, no entry). */
  private enterOnSignal(long: boolean, short: boolean): void {
    const time = this._time;
    if (long && short) {
      this.recordSignal(time, 'entryLong', 'conflict', null);
      this.recordSignal(time, 'entryShort', 'conflict', null);
      return;
    }
    const entrySide: PositionSide = long ? 'long' : 'short';
    const rule: RuleName = long ? 'entryLong' : 'entryShort';
    if (this.entriesBlockedBy !== null) {
      this.recordSignal(time, rule, 'blocked', null);
      return;
    }
    const execution = this.execution;
    const fixed = this.fixedEntries;
    const result = execution.submit(
      fixed !== null
        ? fixed[entrySide]
        : entryOrderFor(this.strategy.risk, entrySide, execution.cash),
    );
    if (result.accepted) {
      this.recordOrder(result.orderId, time, 'entry', entrySide, 'signal');
      this.recordSignal(time, rule, 'entry', result.orderId);
    } else {
      this.recordSignal(time, rule, 'refused', result.rejection.orderId);
    }
  }

  private recordSignal(
    time: number,
    rule: RuleName,
    action: SignalAction,
    orderId: number | null,
  ): void {
    this.sink?.onSignal?.({
      variantId: this.id,
      time,
      rule,
      action,
      orderId,
      termTexts: this.rules.termTexts(rule),
      termValues: this.rules.termValues(rule),
    });
  }

  private recordOrder(
    orderId: number,
    time: number,
    kind: 'entry' | 'exit',
    side: PositionSide,
    reason: string,
  ): void {
    this.sink?.onOrder?.({
      variantId: this.id,
      orderId,
      time,
      status: 'submitted',
      kind,
      side,
      reason,
      rejectReason: null,
      message: null,
    });
  }

  private recordRejection(rejection: OrderRejection): void {
    this.sink?.onOrder?.({
      variantId: this.id,
      orderId: rejection.orderId,
      time: rejection.time ?? timeOrNull(this._time),
      status: 'rejected',
      kind: null,
      side: null,
      reason: rejection.reason,
      rejectReason: rejection.reason,
      message: rejection.message,
    });
  }

  private recordFill(fill: Fill): void {
    this.sink?.onFill?.(fillRecord(this.id, fill));
  }

  private recordTrade(trade: ClosedTrade): void {
    this.metrics.onTradeClosed(trade.netPnl);
    this.sink?.onTrade?.(tradeRecord(this.id, trade));
  }
}

/** The entry order for a size that ignores cash, frozen to the last level: it is shared. */
function frozenEntry(risk: CompiledStrategy['risk'], side: PositionSide): EntryOrderRequest {
  const request = entryOrderFor(risk, side, Number.NaN);
  for (const value of Object.values(request)) {
    if (typeof value === 'object' && value !== null) Object.freeze(value);
  }
  return Object.freeze(request);
}

/** What {@link createStrategyInstance} needs besides the compiled strategy. */
export interface CreateStrategyInstanceOptions {
  readonly id: string;
  readonly strategy: CompiledStrategy;
  readonly indicators: IndicatorSet;
  /** Paper account settings; the leverage comes from the strategy's risk section. */
  readonly account?: PaperAccountConfigInput;
  readonly sink?: EngineRecordSink;
  readonly equityCurve?: EquityCurve;
}

/**
 * An instance on its own paper account (isolated margin, the strategy's leverage) with its own
 * metrics: what a backtest and a paper variant both run.
 */
export function createStrategyInstance(options: CreateStrategyInstanceOptions): StrategyInstance {
  const execution = new PaperExchange(paperAccountFor(options.strategy.risk, options.account));
  const metrics = new MetricsTracker({
    timeframe: options.strategy.timeframe,
    initialEquity: execution.config.initialCash,
  });
  return new StrategyInstance({
    id: options.id,
    strategy: options.strategy,
    indicators: options.indicators,
    execution,
    metrics,
    ...(options.sink ? { sink: options.sink } : {}),
    ...(options.equityCurve ? { equityCurve: options.equityCurve } : {}),
  });
}
