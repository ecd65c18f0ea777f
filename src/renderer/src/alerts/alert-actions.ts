import type { Api } from '../../../shared/api';
import type { Alert } from '../../../shared/variants';
import { currentApi, describeError } from '../store/actions';
import { useAppStore } from '../store/app-store';

/** Notifications on screen at once; older ones stay in the log (the tab counts them). */
const MAX_TOASTS = 3;
/** The log keeps this many in memory (the host keeps them all). */
const MAX_LOG = 2_000;

function addAlert(alert: Alert): void {
  useAppStore.setState((s) => {
    if (s.alerts.some((a) => a.alertId === alert.alertId)) return {};
    return {
      alerts: [alert, ...s.alerts].slice(0, MAX_LOG),
      toasts: [...s.toasts, alert].slice(-MAX_TOASTS),
      unreadAlerts: s.page === 'alerts' ? 0 : s.unreadAlerts + 1,
    };
  });
}

/** Alerts become notifications and log lines; promotions also refresh the audit. */
export function wireAlertEvents(api: Api): void {
  api.on('alert', addAlert);
  api.on('promoted', (row) =>
    useAppStore.setState((s) => ({
      audit: [row, ...s.audit.filter((a) => a.auditId !== row.auditId)],
    })),
  );
}

/** The Alerts page is shown: everything in the log has been seen. */
export function markAlertsRead(): void {
  useAppStore.setState({ unreadAlerts: 0 });
}

export function dismissToast(alertId: number): void {
  useAppStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.alertId !== alertId) }));
}

export async function loadAlerts(): Promise<void> {
  try {
    const alerts = await currentApi().listAlerts({ limit: 500 });
    const sorted = [...alerts].sort((a, b) => b.time - a.time || b.alertId - a.alertId);
    useAppStore.setState({ alerts: sorted, alertsLoaded: true, alertsError: null });
  } catch (error) {
    useAppStore.setState({ alertsError: describeError(error) });
  }
}

export async function loadPromotionAudit(): Promise<void> {
  try {
    const audit = await currentApi().listPromotionAudit({});
    const sorted = [...audit].sort((a, b) => b.time - a.time || b.auditId - a.auditId);
    useAppStore.setState({ audit: sorted, auditLoaded: true, auditError: null });
  } catch (error) {
    useAppStore.setState({ auditError: describeError(error) });
  }
}
