import type { Candle, SeriesKey } from '../../shared/market';
import type { PaperAccountConfigInput } from '../execution';
import type { TrialStats } from '../metrics';
import type { CandleRepository } from '../store/candle-repository';
import type { CompiledStrategy } from '../strategy';
import { BacktestSession, type BacktestOutcome } from './backtest-session';

/** One backtest: a compiled strategy over a stored series and a date range. */
export interface BacktestRequest {
  readonly strategy: CompiledStrategy;
  /** The stored series to replay; the strategy's timeframe must be a multiple of its own. */
  readonly series: SeriesKey;
  /** First and last bar open time to trade (epoch ms, inclusive); the whole series by default. */
  readonly from?: number;
  readonly to?: number;
  /** Id the records carry. */
  readonly variantId: string;
  readonly account?: PaperAccountConfigInput;
  readonly trials?: TrialStats;
}

/** How far a run has come, in base bars. */
export interface BacktestProgress {
  readonly done: number;
  readonly total: number;
}

/** How a run behaves while it runs. */
export interface BacktestRunOptions {
  /** Base bars between yields to the event loop (so a cancel call gets through). Default 20,000. */
  readonly yieldEvery?: number;
  /** Called at every yield and at the end. */
  readonly onProgress?: (progress: BacktestProgress) => void;
  /** Aborting it stops the run at its next yield; the result then says `cancelled`. */
  readonly signal?: AbortSignal;
}

/** A finished (or cancelled) backtest. */
export interface BacktestResult extends BacktestOutcome {
  readonly status: 'completed' | 'cancelled';
  readonly series: SeriesKey;
  readonly from: number | null;
  readonly to: number | null;
  /** Stored bars before `from` the instance warmed up on. */
  readonly warmUpBars: number;
}

const PAGE = 20_000;
const LAST = Number.MAX_SAFE_INTEGER;

/**
 * The stored bars just before `from` that warm up an instance needing `spanMs` of history:
 * what both a backtest and a live start (DESIGN: warm up from stored history) feed first.
 */
export function loadWarmUpBars(
  candles: CandleRepository,
  series: SeriesKey,
  from: number | undefined,
  spanMs: number,
): Candle[] {
  if (from === undefined || from <= 0) return [];
  return candles.range(series, Math.max(0, from - spanMs), from - 1, 10_000_000);
}

/**
 * Backtests a strategy over stored candles as fast as the engine goes: the very loop, instance,
 * paper exchange and metrics of live trading, fed from the store instead of a feed. It reads the
 * range page by page, yields to the event loop every `yieldEvery` bars — reporting progress and
 * honouring a cancel — and returns trades, equity curve and metrics.
 */
export class BacktestRunner {
  public constructor(private readonly candles: CandleRepository) {}

  /**
   * Runs `request`; resolves when the range is done or the run was cancelled.
   * @throws RangeError when the strategy's timeframe cannot be built from the series' bars.
   */
  public async run(
    request: BacktestRequest,
    options: BacktestRunOptions = {},
  ): Promise<BacktestResult> {
    const { series } = request;
    const from = request.from ?? 0;
    const to = request.to ?? LAST;
    const yieldEvery = Math.max(1, options.yieldEvery ?? 20_000);
    const session = new BacktestSession({
      strategy: request.strategy,
      baseTimeframe: series.timeframe,
      variantId: request.variantId,
      ...(request.account ? { account: request.account } : {}),
      ...(request.trials ? { trials: request.trials } : {}),
    });
    try {
      const warm = loadWarmUpBars(
        this.candles,
        series,
        request.from,
        session.instance.warmUpSpanMs,
      );
      session.warmUp(warm);
      const total = this.candles.count(series, from, to);
      let done = 0;
      let sinceYield = 0;
      let cancelled = options.signal?.aborted ?? false;
      let cursor = from;
      while (!cancelled) {
        const page = this.candles.range(series, cursor, to, PAGE);
        for (let i = 0; i < page.length && !cancelled;) {
          const end = Math.min(page.length, i + (yieldEvery - sinceYield));
          session.pushAll(i === 0 && end === page.length ? page : page.slice(i, end));
          done += end - i;
          sinceYield += end - i;
          i = end;
          if (sinceYield >= yieldEvery) {
            sinceYield = 0;
            options.onProgress?.({ done, total });
            await new Promise<void>((resolve) => setImmediate(resolve));
            cancelled = options.signal?.aborted ?? false;
          }
        }
        if (page.length < PAGE) break;
        cursor = (page[page.length - 1] as Candle).time + 1;
      }
      options.onProgress?.({ done, total });
      return {
        ...session.outcome(),
        status: cancelled ? 'cancelled' : 'completed',
        series,
        from: request.from ?? null,
        to: request.to ?? null,
        warmUpBars: warm.length,
      };
    } finally {
      session.dispose();
    }
  }
}
