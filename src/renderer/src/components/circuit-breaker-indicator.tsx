import { useState } from 'react';
import type { CircuitBreakerState } from '../../../shared/variants';
import { formatNumber, formatUtc } from '../layout/format';
import { Modal } from '../layout/modal';
import { useAppStore } from '../store/app-store';
import { resetCircuitBreaker } from '../variants/variant-actions';

function limitRows(s: CircuitBreakerState): Array<[string, string, string]> {
  return [
    [
      'Drawdown',
      `${formatNumber(s.values.drawdownPct)}%`,
      `${formatNumber(s.limits.maxDrawdownPct)}%`,
    ],
    [
      'Daily loss',
      `${formatNumber(s.values.dailyLossPct)}%`,
      `${formatNumber(s.limits.maxDailyLossPct)}%`,
    ],
    [
      'Losing trades in a row',
      String(s.values.consecutiveLosses),
      String(s.limits.maxConsecutiveLosses),
    ],
    [
      'Orders in the last minute',
      String(s.values.ordersLastMinute),
      String(s.limits.maxOrdersPerMinute),
    ],
  ];
}

/** The global circuit breaker at a glance; a click shows its values and limits, and resets a trip. */
export function CircuitBreakerIndicator(): React.JSX.Element {
  const state = useAppStore((s) => s.circuitBreaker);
  const error = useAppStore((s) => s.circuitBreakerError);
  const [open, setOpen] = useState(false);
  const [resetError, setResetError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const label =
    state === null
      ? error
        ? 'breaker ?'
        : 'breaker …'
      : state.tripped
        ? 'BREAKER TRIPPED'
        : 'breaker ok';
  const cls = state === null ? 'cb-unknown' : state.tripped ? 'cb-tripped' : 'cb-ok';
  const title =
    state === null
      ? (error ?? 'reading the circuit breaker')
      : state.tripped
        ? `New entries halted: ${state.reason ?? 'a limit was reached'}`
        : 'Circuit breaker armed: new entries allowed';

  const reset = async (): Promise<void> => {
    setBusy(true);
    setResetError(null);
    const o = await resetCircuitBreaker();
    setBusy(false);
    if (!o.ok) setResetError(`Not reset: ${o.error}`);
  };

  return (
    <>
      <button
        type="button"
        className={`cb-indicator ${cls}`}
        title={title}
        onClick={() => setOpen(true)}
        data-testid="circuit-breaker"
        data-tripped={state?.tripped ?? 'unknown'}
      >
        ● {label}
      </button>
      {open && (
        <Modal
          title="Circuit breaker"
          onClose={() => setOpen(false)}
          testId="circuit-breaker-dialog"
          actions={
            <>
              {state?.tripped && (
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => void reset()}
                  data-testid="circuit-breaker-reset"
                >
                  Allow new entries again
                </button>
              )}
              <button type="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </>
          }
        >
          {state === null ? (
            <p className={error ? 'error' : undefined}>{error ?? 'Reading the circuit breaker…'}</p>
          ) : (
            <>
              <p>
                {state.tripped
                  ? `Tripped at ${formatUtc(state.trippedAt)} UTC: ${state.reason ?? 'a limit was reached'}. New entries are halted over main and every variant; open positions keep their stops and targets.`
                  : 'Armed. If any limit below is reached, new entries stop over main and every variant.'}
              </p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Measure</th>
                    <th scope="col" className="num">
                      Now
                    </th>
                    <th scope="col" className="num">
                      Limit
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {limitRows(state).map(([name, now, limit]) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td className="num">{now}</td>
                      <td className="num">{limit}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {resetError && (
            <p className="error" role="alert">
              {resetError}
            </p>
          )}
        </Modal>
      )}
    </>
  );
}
