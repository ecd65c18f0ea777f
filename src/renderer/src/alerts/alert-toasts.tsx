import { useEffect } from 'react';
import type { Alert } from '../../../shared/variants';
import { formatUtc } from '../layout/format';
import { showPage } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { dismissToast } from './alert-actions';

/** How long a notification stays; critical ones stay until dismissed. */
const TOAST_MS = { info: 8_000, warning: 15_000, critical: null } as const;

const KIND_TITLE: Record<Alert['kind'], string> = {
  'safety-stop': 'Safety stop',
  'promotion-candidate': 'Promotion candidate',
  promoted: 'Promoted',
  'circuit-breaker': 'Circuit breaker',
  'emergency-stop': 'Emergency stop',
  'variant-error': 'Variant error',
  'feed-down': 'Feed down',
  'feed-restored': 'Feed restored',
  'replay-behind': 'Replay behind the strategies',
};

export const alertTitle = (kind: Alert['kind']): string => KIND_TITLE[kind];

function Toast({ alert }: { alert: Alert }): React.JSX.Element {
  useEffect(() => {
    const ms = TOAST_MS[alert.severity];
    if (ms === null) return;
    const timer = setTimeout(() => dismissToast(alert.alertId), ms);
    return () => clearTimeout(timer);
  }, [alert.alertId, alert.severity]);
  return (
    <div
      className={`toast toast-${alert.severity}`}
      role={alert.severity === 'info' ? 'status' : 'alert'}
      data-testid="toast"
      data-kind={alert.kind}
    >
      <div className="toast-head">
        <strong>{alertTitle(alert.kind)}</strong>
        <button
          type="button"
          className="toast-close"
          aria-label="Dismiss notification"
          onClick={() => dismissToast(alert.alertId)}
        >
          ×
        </button>
      </div>
      <div className="toast-message">{alert.message}</div>
      <AlertTimes alert={alert} />
      <button type="button" className="link" onClick={() => showPage('alerts')}>
        Open the alert log
      </button>
    </div>
  );
}

/**
 * When it happened: at which market bar (during a replay that is what matters) and when on the
 * wall clock, both UTC.
 */
export function AlertTimes({ alert }: { alert: Alert }): React.JSX.Element {
  return (
    <div className="muted toast-times" data-testid="alert-times">
      {alert.barTime !== null && (
        <span data-testid="alert-bar-time">bar {formatUtc(alert.barTime)} UTC · </span>
      )}
      <span data-testid="alert-wall-time">raised {formatUtc(alert.time)} UTC</span>
    </div>
  );
}

/** Notifications for alerts as they happen (safety stops, candidates, breaker, feed…). */
export function AlertToasts(): React.JSX.Element {
  const toasts = useAppStore((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <Toast key={t.alertId} alert={t} />
      ))}
    </div>
  );
}
