import { formatUtc } from '../layout/format';
import { formatValue, ruleWords } from './chart-data';
import type { MarkerHover } from './strategy-chart-view';

const WIDTH = 300;

function IndicatorValues({ values }: { values: MarkerHover['indicators'] }): React.JSX.Element {
  return (
    <table className="why-indicators" data-testid="signal-indicators">
      <caption>indicators on that bar</caption>
      <tbody>
        {values.map((v) => (
          <tr
            key={v.name}
            data-testid="signal-indicator"
            data-name={v.name}
            data-value={String(v.value)}
          >
            <th>{v.name}</th>
            <td>{formatValue(v.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Why a marker is there, next to it: for a signal the rule as written and the value of each of
 * its terms on that bar (the engine's stored record); for a trade arrow its fill, reason and P&L.
 */
export function ChartTooltip({
  hover,
  width,
}: {
  hover: MarkerHover;
  width: number;
}): React.JSX.Element | null {
  const left = hover.x + 14 + WIDTH > width ? Math.max(0, hover.x - 14 - WIDTH) : hover.x + 14;
  const style = { left, top: Math.max(0, hover.y + 10) };
  const { signal, trade } = hover;
  if (signal !== null) {
    return (
      <div
        className="why-tooltip"
        style={style}
        data-testid="signal-tooltip"
        data-time={signal.time}
        data-rule={signal.rule}
        role="tooltip"
      >
        <div className="why-title">
          {ruleWords(signal.rule)} fired · {signal.action} · {formatUtc(signal.time)} UTC
        </div>
        <pre data-testid="signal-expression">{signal.expression}</pre>
        <table>
          <tbody>
            {signal.terms.map((t) => (
              <tr
                key={t.text}
                data-testid="signal-term"
                data-term={t.text}
                data-value={String(t.value)}
              >
                <th>{t.text}</th>
                <td>{formatValue(t.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {hover.indicators.length > 0 && <IndicatorValues values={hover.indicators} />}
      </div>
    );
  }
  if (trade !== null) {
    const entry = hover.ref.kind === 'entry';
    return (
      <div
        className="why-tooltip"
        style={style}
        data-testid="trade-tooltip"
        data-trade={trade.tradeId}
        role="tooltip"
      >
        <div className="why-title">
          {trade.side} {entry ? 'entry' : 'exit'} ·{' '}
          {formatUtc(entry ? trade.entryTime : trade.exitTime)} UTC
        </div>
        <table>
          <tbody>
            <tr>
              <th>{entry ? 'entry' : 'exit'} price</th>
              <td>{formatValue(entry ? trade.entryPrice : trade.exitPrice)}</td>
            </tr>
            <tr>
              <th>reason</th>
              <td>{entry ? trade.entryReason : trade.exitReason}</td>
            </tr>
            <tr>
              <th>net P&amp;L (fees in)</th>
              <td>{trade.netPnl.toFixed(2)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    );
  }
  return null;
}
