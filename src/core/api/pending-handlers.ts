import { apiMethods, type ApiHandlers, type MethodName } from '../../shared/api';
import { UserFacingError } from './api-dispatcher';

/** Methods of the contract whose service is still being built; each answers a clear error. */
const PENDING = ['getStrategyChart', 'getEquityCurves'] as const satisfies readonly MethodName[];

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

/**
 * A handler for every method of the contract, each refusing with "not available": a base for
 * tests that stub a few methods and need a complete table.
 */
export function refusingHandlers(): ApiHandlers {
  const table: Partial<Record<MethodName, () => never>> = {};
  for (const method of Object.keys(apiMethods) as MethodName[]) {
    table[method] = () => {
      throw new UserFacingError(`${method} is not available here`);
    };
  }
  return table as ApiHandlers;
}
