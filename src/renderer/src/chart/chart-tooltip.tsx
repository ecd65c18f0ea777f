import { formatUtc } from '../layout/format';
import { formatValue, ruleWords } from './chart-data';
import type { MarkerHover } from './strategy-chart-view';

const WIDTH = 300;

/** One row per named value; the test ids say which list it is (`signal-term`, `signal-indicator`). */
function NamedValueRows({
  rows,
  testId,
  nameAttribute,
}: {
  rows: ReadonlyArray<{ readonly name: string; readonly value: number }>;
  testId: string;
  nameAttribute: 'data-term' | 'data-name';
}): React.JSX.Element {
  return (
    <tbody>
      {rows.map((r) => (
        <tr
          key={r.name}
          data-testid={testId}
          {...{ [nameAttribute]: r.name }}
          data-value={String(r.value)}
        >
          <th>{r.name}</th>
          <td>{formatValue(r.value)}</td>
        </tr>
      ))}
    </tbody>
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
          <NamedValueRows
            rows={signal.terms.map((t) => ({ name: t.text, value: t.value }))}
            testId="signal-term"
            nameAttribute="data-term"
          />
        </table>
        {hover.indicators.length > 0 && (
          <table className="why-indicators" data-testid="signal-indicators">
            <caption>indicators on that bar</caption>
            <NamedValueRows
              rows={hover.indicators}
              testId="signal-indicator"
              nameAttribute="data-name"
            />
          </table>
        )}
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
