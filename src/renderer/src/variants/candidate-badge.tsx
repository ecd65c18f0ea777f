import type { PromotionDecision } from '../../../shared/variants';
import { formatNumber } from '../layout/format';

/**
 * Sharpe and DSR from fewer closed trades than this say nothing yet: the return series is the
 * mark-to-market wiggle of one position at most, and a DSR of 0.99 on it would read as proof.
 */
export const MIN_TRADES_FOR_RATIOS = 2;

/** Why a Sharpe or DSR from `trades` closed trades is not shown, or null when it is. */
export function ratioWithheld(trades: number): string | null {
  if (trades >= MIN_TRADES_FOR_RATIOS) return null;
  return `needs ${MIN_TRADES_FOR_RATIOS} closed trades; ${trades === 0 ? 'none has' : 'only 1 has'} closed yet`;
}

/**
 * The gate's three checks with their numbers, one line each (DESIGN.md "Promotion candidate").
 * `mainTrades` is main's closed trades: under 2, main's Sharpe is withheld like any other.
 */
export function gateChecks(
  d: PromotionDecision,
  mainTrades?: number,
): Array<{ id: string; pass: boolean; text: string }> {
  // With 0 or 1 closed trades the ratios are noise (see the leaderboard's Sharpe and DSR cells).
  const withheld = ratioWithheld(d.closedTrades.value);
  const mainWithheld = mainTrades === undefined ? null : ratioWithheld(mainTrades);
  // The gate measures main over the variant's own window, so this is not the table's main Sharpe.
  const mainSharpe =
    mainWithheld !== null
      ? `— (main ${mainWithheld})`
      : d.sharpe.main === null
        ? 'n/a'
        : formatNumber(d.sharpe.main);
  const mainLabel = d.sharpe.sameWindow
    ? `main over the same window ${mainSharpe}`
    : `main ${mainSharpe} (not yet over the same window)`;
  return [
    {
      id: 'trades',
      pass: d.closedTrades.pass,
      text: `${d.closedTrades.value} closed trades ${d.closedTrades.pass ? '≥' : '<'} ${d.closedTrades.required}`,
    },
    {
      id: 'dsr',
      pass: d.dsr.pass,
      text: withheld
        ? `DSR — (${withheld})`
        : `DSR ${formatNumber(d.dsr.value, 3)} ${d.dsr.pass ? '≥' : '<'} ${formatNumber(d.dsr.required)}` +
          ` (N = ${d.dsr.trials} trials, benchmark Sharpe ${formatNumber(d.dsr.benchmarkSharpe, 4)} per bar)`,
    },
    {
      id: 'sharpe',
      pass: d.sharpe.pass,
      text: withheld
        ? `Sharpe — (${withheld})`
        : `Sharpe ${formatNumber(d.sharpe.candidate)} ${d.sharpe.pass ? '>' : 'not above'} ${mainLabel}`,
    },
  ];
}

/**
 * Why a variant is not a candidate, in the checklist's own words (the host's sentences carry
 * Sharpe numbers even on under 2 trades); a stopped variant's first reason says it stopped.
 */
export function notCandidateReasons(d: PromotionDecision, mainTrades?: number): string[] {
  const failed = gateChecks(d, mainTrades)
    .filter((c) => !c.pass)
    .map((c) => c.text);
  return d.wasCandidate !== undefined ? [d.reasons[0] ?? 'no longer trades', ...failed] : failed;
}

/** "candidate" with the numbers that decided it; for others, how far the gate is. */
export function CandidateBadge({
  decision,
  mainTrades,
}: {
  decision: PromotionDecision | null;
  mainTrades?: number;
}): React.JSX.Element {
  if (decision === null) return <span className="muted">—</span>;
  const checks = gateChecks(decision, mainTrades);
  const why = checks.map((c) => `${c.pass ? '✓' : '✗'} ${c.text}`).join('\n');
  if (decision.wasCandidate !== undefined) {
    // No longer trades: never a candidate; the first reason says whether it was one.
    return (
      <span
        className="muted"
        title={`${decision.reasons[0] ?? 'no longer trades'}\nIts last numbers:\n${why}`}
        data-testid="gate-ended"
      >
        {decision.wasCandidate ? 'was a candidate' : '—'}
      </span>
    );
  }
  if (decision.isCandidate) {
    return (
      <span className="candidate-badge" title={why} data-testid="candidate-badge">
        ★ candidate
      </span>
    );
  }
  const passed = checks.filter((c) => c.pass).length;
  return (
    <span className="muted" title={why} data-testid="gate-progress">
      {passed}/3 checks
    </span>
  );
}
