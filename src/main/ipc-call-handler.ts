import type { CallOutcome } from '../shared/wire';
import type { ApiDispatcher } from '../core/api/api-dispatcher';

/**
 * The IPC side of the API door, kept free of Electron imports so it is tested without the
 * Electron binary: calls from anywhere but the app's own main frame are refused; the rest go
 * through the same dispatcher the WebSocket host uses.
 */
export function createIpcCallHandler(
  dispatcher: ApiDispatcher,
  isTrustedSender: (sender: unknown) => boolean,
  log: (message: string) => void = (m) => console.warn(m),
): (sender: unknown, method: unknown, params: unknown) => Promise<CallOutcome> {
  return async (sender, method, params) => {
    if (!isTrustedSender(sender)) {
      log('[parallax] refused IPC call from a foreign frame');
      return {
        ok: false,
        error: { code: 'BAD_FRAME', message: 'calls are accepted from the app window only' },
      };
    }
    return dispatcher.dispatch(method, params);
  };
}
