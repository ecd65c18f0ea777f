import type { StateCreator } from 'zustand';
import type { Alert, PromotionAuditRow } from '../../../shared/variants';
import type { AppState } from '../store/app-store';

export interface AlertsSlice {
  /** The alert log, newest first. */
  alerts: Alert[];
  alertsLoaded: boolean;
  alertsError: string | null;
  /** Alerts shown as notifications right now (newest last). */
  toasts: Alert[];
  /** Alerts that arrived while the Alerts page was not shown (the tab's badge). */
  unreadAlerts: number;
  /** Every promotion with its before/after parameters, newest first. */
  audit: PromotionAuditRow[];
  auditLoaded: boolean;
  auditError: string | null;
}

export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = () => ({
  alerts: [],
  alertsLoaded: false,
  alertsError: null,
  toasts: [],
  unreadAlerts: 0,
  audit: [],
  auditLoaded: false,
  auditError: null,
});
