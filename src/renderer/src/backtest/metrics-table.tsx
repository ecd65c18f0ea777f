import type { Metrics } from '../../../shared/backtest';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);
const num = (v: number | null, digits = 2): string => (v === null ? 'n/a' : v.toFixed(digits));

/** A backtest's metrics (DESIGN.md definitions); an infinite ratio shows as ∞, never a huge number. */
export function MetricsTable({ metrics }: { metrics: Metrics }): React.JSX.Element {
  const rows: Array<[string, string, string]> = [
    ['trades', 'Trades', String(metrics.tradeCount)],
    ['roi', 'ROI', `${metrics.roiPct.toFixed(2)}%`],
    ['equity', 'Final equity', `${metrics.equity.toFixed(2)} USDT`],
    ['win-rate', 'Win rate', pct(metrics.winRate)],
    [
      'profit-factor',
      'Profit factor',
      metrics.profitFactorInfinite ? '∞' : num(metrics.profitFactor),
    ],
    ['max-drawdown', 'Max drawdown', pct(metrics.maxDrawdown)],
    ['sharpe', 'Sharpe (annualised)', num(metrics.sharpe)],
    ['sortino', 'Sortino', metrics.sortinoInfinite ? '∞' : num(metrics.sortino)],
    ['calmar', 'Calmar', metrics.calmarInfinite ? '∞' : num(metrics.calmar)],
    ['exposure', 'Exposure', pct(metrics.exposure)],
    ['psr', 'PSR(0)', num(metrics.psr, 3)],
    ['dsr', 'DSR', num(metrics.dsr, 3)],
  ];
  return (
    <table className="bt-table" data-testid="backtest-metrics">
      <tbody>
        {rows.map(([id, label, value]) => (
          <tr key={id}>
            <th>{label}</th>
            <td data-testid={`metric-${id}`}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
