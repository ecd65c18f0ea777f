import { useEffect } from 'react';
import { formatParameters, formatUtc } from '../layout/format';
import { useAppStore } from '../store/app-store';
import { loadAlerts, loadPromotionAudit, markAlertsRead } from './alert-actions';
import { alertTitle } from './alert-toasts';

/** The alert log and the promotion audit, newest first. */
export function AlertsPage(): React.JSX.Element {
  const alerts = useAppStore((s) => s.alerts);
  const alertsLoaded = useAppStore((s) => s.alertsLoaded);
  const alertsError = useAppStore((s) => s.alertsError);
  const audit = useAppStore((s) => s.audit);
  const auditLoaded = useAppStore((s) => s.auditLoaded);
  const auditError = useAppStore((s) => s.auditError);

  useEffect(() => {
    markAlertsRead();
    void loadAlerts();
    void loadPromotionAudit();
  }, []);

  return (
    <div className="page alerts-page" data-testid="alerts-page">
      <section className="panel" aria-label="Alert log">
        <div className="panel-head">
          <h2>Alerts</h2>
          <span className="muted">{alerts.length.toLocaleString()} in the log</span>
        </div>
        {alertsError && (
          <p className="error" role="alert" data-testid="alerts-error">
            The alert log could not be read: {alertsError}
          </p>
        )}
        {alertsLoaded && alerts.length === 0 ? (
          <p className="empty">
            No alerts yet — safety stops, promotion candidates, circuit-breaker trips and feed
            outages will appear here.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th scope="col" title="Open time of the market bar it happened at">
                    Bar (UTC)
                  </th>
                  <th scope="col" title="When the host raised it (wall clock)">
                    Raised (UTC)
                  </th>
                  <th scope="col">Severity</th>
                  <th scope="col">Kind</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Strategy / variant</th>
                </tr>
              </thead>
              <tbody>
                {alerts.map((a) => (
                  <tr key={a.alertId} data-testid="alert-row" data-kind={a.kind}>
                    <td data-testid="alert-bar-time">
                      {a.barTime === null ? '—' : formatUtc(a.barTime)}
                    </td>
                    <td data-testid="alert-wall-time">{formatUtc(a.time)}</td>
                    <td className={`sev sev-${a.severity}`}>{a.severity}</td>
                    <td>{alertTitle(a.kind)}</td>
                    <td>{a.message}</td>
                    <td>{[a.strategyId, a.variantId].filter(Boolean).join(' / ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-label="Promotion audit">
        <div className="panel-head">
          <h2>Promotion audit</h2>
          <span className="muted">{audit.length.toLocaleString()} promotions</span>
        </div>
        {auditError && (
          <p className="error" role="alert" data-testid="audit-error">
            The promotion audit could not be read: {auditError}
          </p>
        )}
        {auditLoaded && audit.length === 0 ? (
          <p className="empty">
            No promotions yet — main still runs the parameters it was deployed with.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Strategy</th>
                  <th scope="col">Variant</th>
                  <th scope="col">By</th>
                  <th scope="col">Candidate?</th>
                  <th scope="col">Version</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {audit.map((a) => (
                  <tr key={a.auditId} data-testid="audit-row" data-variant-id={a.variantId}>
                    <td>{formatUtc(a.time)}</td>
                    <td>{a.strategyId}</td>
                    <td>{a.variantId}</td>
                    <td>{a.by}</td>
                    <td>{a.wasCandidate ? 'yes' : 'no — promoted anyway'}</td>
                    <td>
                      v{a.versionBefore} → v{a.versionAfter}
                    </td>
                    <td className="params">{formatParameters(a.before)}</td>
                    <td className="params">{formatParameters(a.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
