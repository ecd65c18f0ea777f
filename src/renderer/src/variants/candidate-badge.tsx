import type { PromotionDecision } from '../../../shared/variants';
import { formatNumber } from '../layout/format';

/**
 * Sharpe and DSR from fewer closed trades than this say nothing yet: the return series is the
 * mark-to-market wiggle of one position at most, and a DSR of 0.99 on it would read as proof.
 */
export const MIN_TRADES_FOR_RATIOS = 2;

/** The gate's three checks with their numbers, one line each (DESIGN.md "Promotion candidate"). */
export function gateChecks(
  d: PromotionDecision,
): Array<{ id: string; pass: boolean; text: string }> {
  const sharpeMain = d.sharpe.main === null ? 'n/a' : formatNumber(d.sharpe.main);
  // With 0 or 1 closed trades the ratios are noise (see the leaderboard's Sharpe and DSR cells).
  const early = d.closedTrades.value < MIN_TRADES_FOR_RATIOS;
  const needs = `— (needs ${MIN_TRADES_FOR_RATIOS} closed trades)`;
  return [
    {
      id: 'trades',
      pass: d.closedTrades.pass,
      text: `${d.closedTrades.value} closed trades ${d.closedTrades.pass ? '≥' : '<'} ${d.closedTrades.required}`,
    },
    {
      id: 'dsr',
      pass: d.dsr.pass,
      text: early
        ? `DSR ${needs}`
        : `DSR ${formatNumber(d.dsr.value, 3)} ${d.dsr.pass ? '≥' : '<'} ${formatNumber(d.dsr.required)}` +
          ` (N = ${d.dsr.trials} trials, benchmark Sharpe ${formatNumber(d.dsr.benchmarkSharpe, 4)} per bar)`,
    },
    {
      id: 'sharpe',
      pass: d.sharpe.pass,
      text: early
        ? `Sharpe ${needs}`
        : `Sharpe ${formatNumber(d.sharpe.candidate)} ${d.sharpe.pass ? '>' : 'not above'} main's ${sharpeMain}` +
          (d.sharpe.sameWindow ? ' over the same window' : ' (not yet over the same window)'),
    },
  ];
}

/** "candidate" with the numbers that decided it; for others, how far the gate is. */
export function CandidateBadge({
  decision,
}: {
  decision: PromotionDecision | null;
}): React.JSX.Element {
  if (decision === null) return <span className="muted">—</span>;
  const checks = gateChecks(decision);
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
