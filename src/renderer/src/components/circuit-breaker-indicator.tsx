import { useState } from 'react';
import { ApiError, type ApiIssue } from '../../../shared/api-errors';
import {
  CircuitBreakerLimitsSchema,
  type CircuitBreakerLimits,
  type CircuitBreakerState,
} from '../../../shared/variants';
import { formatNumber, formatUtc } from '../layout/format';
import { issueInWords } from '../layout/form-issues';
import { Modal } from '../layout/modal';
import { currentApi, describeError } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { resetCircuitBreaker } from '../variants/variant-actions';

type LimitKey = keyof CircuitBreakerLimits;

interface LimitRow {
  key: LimitKey;
  name: string;
  /** What is counted, for the field's hint. */
  hint: string;
  unit: '%' | '';
  now: string;
}

function limitRows(s: CircuitBreakerState): LimitRow[] {
  return [
    {
      key: 'maxDrawdownPct',
      name: 'Drawdown',
      hint: 'of the summed equity from its peak, %',
      unit: '%',
      now: `${formatNumber(s.values.drawdownPct)}%`,
    },
    {
      key: 'maxDailyLossPct',
      name: 'Daily loss',
      hint: 'since the UTC day began, %',
      unit: '%',
      now: `${formatNumber(s.values.dailyLossPct)}%`,
    },
    {
      key: 'maxConsecutiveLosses',
      name: 'Losing bars in a row',
      hint: 'bars whose closed trades, all accounts summed, lost money',
      unit: '',
      now: String(s.values.consecutiveLosses),
    },
    {
      key: 'maxOrdersPerMinute',
      name: 'Orders in the last minute',
      hint: 'orders submitted by all accounts, wall clock',
      unit: '',
      now: String(s.values.ordersLastMinute),
    },
  ];
}

type LimitTexts = Record<LimitKey, string>;

const textsOf = (limits: CircuitBreakerLimits): LimitTexts => ({
  maxDrawdownPct: String(limits.maxDrawdownPct),
  maxDailyLossPct: String(limits.maxDailyLossPct),
  maxConsecutiveLosses: String(limits.maxConsecutiveLosses),
  maxOrdersPerMinute: String(limits.maxOrdersPerMinute),
});

/** A number typed in a field; empty or not a number stays NaN so the schema names the field. */
const numberIn = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The limits from the fields, or what is wrong with each field. */
function parseTexts(
  texts: LimitTexts,
): { ok: true; limits: CircuitBreakerLimits } | { ok: false; issues: ApiIssue[] } {
  const parsed = CircuitBreakerLimitsSchema.safeParse({
    maxDrawdownPct: numberIn(texts.maxDrawdownPct),
    maxDailyLossPct: numberIn(texts.maxDailyLossPct),
    maxConsecutiveLosses: numberIn(texts.maxConsecutiveLosses),
    maxOrdersPerMinute: numberIn(texts.maxOrdersPerMinute),
  });
  if (parsed.success) return { ok: true, limits: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: issueInWords(i),
    })),
  };
}

/**
 * The limits as fields beside the measured values; saving sends them to the host, which trips at
 * once when a value already reaches a new limit. Errors stay next to the field they concern.
 */
function LimitsForm({ state }: { state: CircuitBreakerState }): React.JSX.Element {
  const [texts, setTexts] = useState<LimitTexts>(() => textsOf(state.limits));
  const [issues, setIssues] = useState<readonly ApiIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = textsOf(state.limits);
  const changed = (Object.keys(texts) as LimitKey[]).some(
    (k) => numberIn(texts[k]) !== numberIn(current[k]) || texts[k].trim() === '',
  );
  const issueFor = (key: LimitKey): string | undefined =>
    issues.find((i) => i.path === key)?.message;

  const save = async (): Promise<void> => {
    setError(null);
    setSaved(false);
    const parsed = parseTexts(texts);
    if (!parsed.ok) {
      setIssues(parsed.issues);
      return;
    }
    setIssues([]);
    setBusy(true);
    try {
      const next = await currentApi().setCircuitBreakerLimits(parsed.limits);
      useAppStore.setState({ circuitBreaker: next, circuitBreakerError: null });
      setTexts(textsOf(next.limits));
      setSaved(true);
    } catch (e) {
      const fieldIssues = e instanceof ApiError ? e.issues : [];
      setIssues(fieldIssues);
      setError(`Limits not saved: ${describeError(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="cb-limits"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col">Limit</th>
          </tr>
        </thead>
        <tbody>
          {limitRows(state).map((row) => {
            const issue = issueFor(row.key);
            return (
              <tr key={row.key} data-testid={`cb-row-${row.key}`}>
                <th scope="row">{row.name}</th>
                <td className="num">{row.now}</td>
                <td>
                  <label className="form-field">
                    <span className="cb-limit-input">
                      <input
                        value={texts[row.key]}
                        inputMode="decimal"
                        size={9}
                        aria-label={`${row.name} limit`}
                        aria-invalid={issue !== undefined}
                        onChange={(e) => {
                          const value = e.target.value;
                          setTexts((t) => ({ ...t, [row.key]: value }));
                          setSaved(false);
                        }}
                        data-testid={`cb-limit-${row.key}`}
                      />
                      {row.unit}
                    </span>
                    {issue ? (
                      <small className="error" role="alert" data-testid={`cb-error-${row.key}`}>
                        {issue}
                      </small>
                    ) : (
                      <small className="muted">{row.hint}</small>
                    )}
                  </label>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="cb-limits-actions">
        <button type="submit" disabled={busy || !changed} data-testid="cb-limits-save">
          {busy ? 'Saving…' : 'Save limits'}
        </button>
        {saved && (
          <span className="muted" role="status" data-testid="cb-limits-saved">
            Limits saved.
          </span>
        )}
        {error && (
          <span className="error" role="alert" data-testid="cb-limits-error">
            {error}
          </span>
        )}
      </div>
    </form>
  );
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
          wide
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
              <LimitsForm state={state} />
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
