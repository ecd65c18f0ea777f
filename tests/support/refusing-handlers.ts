import { UserFacingError } from '../../src/core/api/api-dispatcher';
import { apiMethods, type ApiHandlers, type MethodName } from '../../src/shared/api';

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
