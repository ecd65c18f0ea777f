import { deflatedSharpeRatio, expectedMaxSharpe } from './deflated-sharpe-ratio';
import type { MetricSnapshot } from './metric-snapshot';
import { PROMOTION_GATE_DEFAULTS } from './promotion-gate-defaults';
import { assertTrialStats, type TrialStats } from './trial-stats';

/** The bars of the gate; DESIGN.md's values by default. */
export interface PromotionThresholds {
  readonly minClosedTrades: number;
  readonly minDsr: number;
}

/** The gate's verdict together with every number that decided it, for the confirmation dialog. */
export interface PromotionDecision {
  /** All three checks pass. A person may still promote a non-candidate; the UI then says so. */
  readonly isCandidate: boolean;
  readonly closedTrades: {
    readonly value: number;
    readonly required: number;
    readonly pass: boolean;
  };
  readonly dsr: {
    readonly value: number | null;
    readonly required: number;
    /** SR₀ (per period) the candidate was deflated against, from N and V. */
    readonly benchmarkSharpe: number;
    readonly trials: number;
    readonly sharpeVariance: number;
    readonly pass: boolean;
  };
  readonly sharpe: {
    /** Annualised Sharpe of each over the shared window. */
    readonly candidate: number | null;
    readonly main: number | null;
    /** Both snapshots cover the same bars (same timeframe, first and last bar). */
    readonly sameWindow: boolean;
    readonly pass: boolean;
  };
  /** One sentence per failed check, empty for a candidate. */
  readonly reasons: readonly string[];
}

/**
 * Decides whether a variant is a promotion candidate (DESIGN.md): at least 50 closed trades,
 * DSR ≥ 0.95 given the strategy's trial ledger, and a higher Sharpe than main over the window both
 * have traded. Pure: same inputs, same decision.
 *
 * Both snapshots must be taken over that shared window (same timeframe, same first and last bar);
 * the caller measures main over the candidate's lifetime. Snapshots of different windows fail the
 * Sharpe check rather than compare unlike things. Main with zero-variance returns and a zero mean
 * (flat the whole window) counts as Sharpe 0; a candidate's undefined Sharpe never passes.
 *
 * @param candidate - the variant's metrics over the shared window.
 * @param main - main's metrics over the same window.
 * @param trials - N and V of the strategy's trial ledger (same timeframe and window).
 */
export function promotionGate(
  candidate: MetricSnapshot,
  main: MetricSnapshot,
  trials: TrialStats,
  thresholds: PromotionThresholds = PROMOTION_GATE_DEFAULTS,
): PromotionDecision {
  assertTrialStats(trials);
  const reasons: string[] = [];

  const tradesPass = candidate.tradeCount >= thresholds.minClosedTrades;
  if (!tradesPass)
    reasons.push(`${candidate.tradeCount} closed trades, ${thresholds.minClosedTrades} required`);

  // Recomputed from the moments rather than read from the snapshot, so a snapshot deflated with an
  // older ledger cannot slip through.
  const benchmarkSharpe = expectedMaxSharpe(trials);
  const dsr =
    candidate.perPeriodSharpe === null || candidate.skewness === null || candidate.kurtosis === null
      ? null
      : deflatedSharpeRatio(
          {
            sharpe: candidate.perPeriodSharpe,
            observations: candidate.bars,
            skewness: candidate.skewness,
            kurtosis: candidate.kurtosis,
          },
          trials,
        );
  const dsrPass = dsr !== null && dsr >= thresholds.minDsr;
  if (!dsrPass) {
    reasons.push(
      dsr === null
        ? 'DSR undefined (too few returns or zero variance)'
        : `DSR ${dsr.toFixed(4)} below ${thresholds.minDsr} (N = ${trials.trials})`,
    );
  }

  const sameWindow =
    candidate.firstTime !== null &&
    candidate.firstTime === main.firstTime &&
    candidate.lastTime === main.lastTime &&
    candidate.periodsPerYear === main.periodsPerYear;
  const mainSharpe = main.sharpe ?? (main.meanReturn === 0 ? 0 : null);
  const sharpePass =
    sameWindow && candidate.sharpe !== null && mainSharpe !== null && candidate.sharpe > mainSharpe;
  if (!sameWindow) reasons.push('candidate and main metrics cover different windows');
  else if (!sharpePass) {
    reasons.push(
      candidate.sharpe === null || mainSharpe === null
        ? 'Sharpe undefined over the shared window'
        : `Sharpe ${candidate.sharpe.toFixed(3)} not above main's ${mainSharpe.toFixed(3)}`,
    );
  }

  return {
    isCandidate: tradesPass && dsrPass && sharpePass,
    closedTrades: {
      value: candidate.tradeCount,
      required: thresholds.minClosedTrades,
      pass: tradesPass,
    },
    dsr: {
      value: dsr,
      required: thresholds.minDsr,
      benchmarkSharpe,
      trials: trials.trials,
      sharpeVariance: trials.sharpeVariance,
      pass: dsrPass,
    },
    sharpe: { candidate: candidate.sharpe, main: mainSharpe, sameWindow, pass: sharpePass },
    reasons,
  };
}
