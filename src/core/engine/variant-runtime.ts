import type { Disposable } from '../../shared/disposable';
import type { SeriesKey, Timeframe } from '../../shared/market';
import type {
  PromotionDecision as PromotionDecisionView,
  TradingMode,
  VariantMetrics,
  VariantRole,
  VariantStatus,
} from '../../shared/variants';
import type { OrderExitReason, PaperExchange } from '../execution';
import type { MetricSnapshot, MetricsTracker, PromotionDecision } from '../metrics';
import type { SafetyLimitsCheckpoint, VariantSafetyLimits } from '../risk';
import type { CompiledStrategy, StrategyConfig } from '../strategy';
import type { DeploySettings, StoredParameters } from '../store/live-strategy-repository';
import type { EngineRecordWriter } from '../store/engine-record-writer';
import type { EngineBarLoop } from './engine-bar-loop';
import type { EngineRecordSink } from './engine-records';
import type { InstanceCheckpoint } from './instance-checkpoint';
import type { StrategyInstance } from './strategy-instance';
import type { MainWindows } from './variant-main-windows';
import { ThinnedEquityCurve } from './variant-equity-points';
import type { SummedEquity } from './variant-summed-equity';

/** A variant that was told to stop and still waits for its exit to fill at the next open. */
export interface VariantClosing {
  readonly status: 'stopped';
  readonly reason: string;
  readonly exit: OrderExitReason;
}

/** What a variant persists with its strategy's records: enough to continue after a hard kill. */
export interface VariantCheckpoint {
  readonly instance: InstanceCheckpoint;
  readonly safety: SafetyLimitsCheckpoint;
  readonly paused: boolean;
  readonly closing: VariantClosing | null;
}

/** One deployed strategy: main and its variants on one series, in one bar loop. */
export class LiveStrategy {
  public readonly variants: VariantRuntime[] = [];
  /** Persisted fields changed since the last flush. */
  public dirty = true;

  public constructor(
    public readonly id: string,
    public readonly name: string,
    public readonly templateId: string | null,
    public readonly ledgerKey: string,
    public readonly config: StrategyConfig,
    public version: number,
    public mainParameters: StoredParameters,
    public readonly series: SeriesKey,
    public readonly timeframe: Timeframe,
    public readonly settings: DeploySettings,
    public autoPromote: boolean,
    public active: boolean,
    /** First bar the indicators were warmed from: a restart re-warms from here. */
    public originTime: number | null,
    /** Last base bar processed. */
    public lastTime: number | null,
    public readonly createdAt: number,
    public readonly loop: EngineBarLoop,
    public readonly writer: EngineRecordWriter,
    public readonly windows: MainWindows,
  ) {}

  public get main(): VariantRuntime {
    return this.variants[0] as VariantRuntime;
  }
}

/** One variant (or main) at run time: its instance while it runs, its status and what it showed last. */
export class VariantRuntime {
  // The fields every bar reads or writes come first, so that they share the object's first
  // cache lines (a bar visits every variant's runtime).
  public instance: StrategyInstance | null = null;
  /** The instance's metric bar count last seen, to tell which instances stepped on a bar. */
  public seenBars = 0;
  public status: VariantStatus = 'warming';
  public closing: VariantClosing | null = null;
  public paused = false;
  public safety: VariantSafetyLimits | null = null;
  public curve = new ThinnedEquityCurve();
  /** Changed since the last metrics event / the last flush. */
  public uiDirty = true;
  public persistDirty = true;
  private sum: SummedEquity | null = null;
  private sumSlot = -1;
  /** Its counted equity while it is in no {@link SummedEquity} yet (before the manager registers it). */
  private ownSummed: number | null = null;
  public reason: string | null = null;
  public exchange: PaperExchange | null = null;
  public compiled: CompiledStrategy | null = null;
  /** Removes the instance from the loop. */
  public lifetime: Disposable | null = null;
  /**
   * A loop of its own, stepped after the strategy's shared one, when the instance joined a running
   * strategy with indicators the shared loop already had (a promoted main): shared indicators
   * cannot replay their past, so only its own can warm it from stored history at once instead of
   * waiting for live bars — which never come once a replay has ended. Null: in the shared loop.
   */
  public ownLoop: EngineBarLoop | null = null;
  public promotion: PromotionDecision | null = null;
  /** Has been announced as a candidate since it started. */
  public wasCandidate = false;
  /**
   * A stopped variant's last metrics (the tracker, not a snapshot: its DSR is deflated by the
   * ledger's N and V of now, as after a restart) and position, shown without an instance.
   */
  public frozen: { metrics: MetricsTracker; position: 'long' | 'short' | null } | null = null;
  /** The checkpoint a stopped variant keeps in the store. */
  public lastCheckpoint: VariantCheckpoint | null = null;
  /** Writes the instance's records and tells the manager about trades and orders. */
  public sink: EngineRecordSink | null = null;

  public constructor(
    public readonly strategy: LiveStrategy,
    public readonly id: string,
    public readonly role: VariantRole,
    public readonly ordinal: number,
    public parameters: StoredParameters,
    public readonly mode: TradingMode,
    public startedAt: number,
  ) {}

  /** Its equity counted in the circuit breaker's sum, or null when not counted. */
  public get summed(): number | null {
    return this.sum !== null ? this.sum.get(this.sumSlot) : this.ownSummed;
  }

  public set summed(equity: number | null) {
    if (this.sum !== null) this.sum.set(this.sumSlot, equity);
    else this.ownSummed = equity;
  }

  /**
   * Its counted equity moves to a slot of `sum` (once: the manager registers a runtime once),
   * or to the slot of `replaced`, a runtime of the same id it takes the place of.
   */
  public joinSum(sum: SummedEquity, replaced?: VariantRuntime): void {
    if (this.sum !== null) return;
    const equity = this.ownSummed;
    if (replaced !== undefined && replaced !== this && replaced.sum === sum) {
      this.sumSlot = replaced.sumSlot;
      replaced.ownSummed = replaced.summed;
      replaced.sum = null;
    } else {
      this.sumSlot = sum.add();
    }
    this.sum = sum;
    this.summed = equity;
  }

  /** A bar's equity: becomes the counted one if it is counted. */
  public markEquity(equity: number): void {
    if (this.sum !== null) this.sum.mark(this.sumSlot, equity);
    else if (this.ownSummed !== null) this.ownSummed = equity;
  }

  /** Still has an instance stepping on bars (running, warming, paused, or closing a position). */
  public get live(): boolean {
    return this.instance !== null;
  }

  /** Its metrics: the running instance's, or those it kept when it stopped. */
  public get metrics(): MetricsTracker | null {
    return this.instance?.metrics ?? this.frozen?.metrics ?? null;
  }

  /** Open time of its first trading bar (the start of its promotion window), or null. */
  public get firstTime(): number | null {
    return this.metrics?.firstTime ?? null;
  }

  public get position(): 'long' | 'short' | null {
    if (this.exchange !== null) return this.exchange.positionSide;
    return this.frozen?.position ?? null;
  }
}

/** The table's few statistics from a snapshot. */
export function variantMetrics(s: MetricSnapshot): VariantMetrics {
  return {
    equity: s.equity,
    roiPct: s.roiPct,
    sharpe: s.sharpe,
    dsr: s.dsr,
    psr: s.psr,
    maxDrawdown: s.maxDrawdown,
    winRate: s.winRate,
    profitFactor: s.profitFactor,
    profitFactorInfinite: s.profitFactorInfinite,
    tradeCount: s.tradeCount,
    exposure: s.exposure,
    bars: s.bars,
    lastTime: s.lastTime,
  };
}

/** The gate's decision as the API carries it. */
export function decisionView(d: PromotionDecision): PromotionDecisionView {
  return {
    isCandidate: d.isCandidate,
    closedTrades: { ...d.closedTrades },
    dsr: { ...d.dsr },
    sharpe: { ...d.sharpe },
    reasons: [...d.reasons],
  };
}

/** `exchange symbol timeframe`, for messages. */
export function seriesText(s: SeriesKey): string {
  return `${s.exchange} ${s.symbol} ${s.timeframe}`;
}

export function sameSeries(a: SeriesKey, b: SeriesKey): boolean {
  return a.exchange === b.exchange && a.symbol === b.symbol && a.timeframe === b.timeframe;
}
