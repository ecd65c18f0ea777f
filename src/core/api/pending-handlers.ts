import type { ApiHandlers, MethodName } from '../../shared/api';
import { UserFacingError } from './api-dispatcher';

/** Methods of the contract whose service is still being built; each answers a clear error. */
const PENDING = [
  'deployStrategy',
  'listStrategies',
  'listVariants',
  'controlVariant',
  'controlStrategy',
  'killVariant',
  'previewPromotion',
  'promoteVariant',
  'listPromotionAudit',
  'setAutoPromote',
  'getTrialLedger',
  'emergencyStop',
  'getCircuitBreaker',
  'setCircuitBreakerLimits',
  'resetCircuitBreaker',
  'listPositions',
  'listLiveTrades',
  'exportLiveTrades',
  'listAlerts',
  'getStrategyChart',
  'getEquityCurves',
] as const satisfies readonly MethodName[];

export type PendingMethod = (typeof PENDING)[number];

/** Handlers for {@link PENDING}: each refuses with "not available in this build yet". */
export function pendingHandlers(): Pick<ApiHandlers, PendingMethod> {
  const table: Partial<Record<PendingMethod, () => never>> = {};
  for (const method of PENDING) {
    table[method] = () => {
      throw new UserFacingError(`${method} is not available in this build yet`);
    };
  }
  return table as Pick<ApiHandlers, PendingMethod>;
}
