import type { TradeRow } from '../../../shared/backtest';

const time = (ms: number): string => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

/** A backtest's trades, newest last: entry and exit with their reasons, fees and net P&L. */
export function TradesTable({ trades }: { trades: readonly TradeRow[] }): React.JSX.Element {
  return (
    <div className="bt-trades">
      <table className="bt-table" data-testid="backtest-trades">
        <thead>
          <tr>
            <th>#</th>
            <th>side</th>
            <th>entry (UTC)</th>
            <th>exit (UTC)</th>
            <th>exit reason</th>
            <th>fee</th>
            <th>net P&amp;L</th>
          </tr>
        </thead>
        <tbody>
          {trades.map((t) => (
            <tr key={t.tradeId}>
              <td>{t.tradeId}</td>
              <td>{t.side}</td>
              <td>
                {time(t.entryTime)} @ {t.entryPrice.toFixed(2)}
              </td>
              <td>
                {time(t.exitTime)} @ {t.exitPrice.toFixed(2)}
              </td>
              <td>{t.exitReason}</td>
              <td>{t.fee.toFixed(2)}</td>
              <td className={t.netPnl >= 0 ? 'bt-win' : 'bt-loss'}>{t.netPnl.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
