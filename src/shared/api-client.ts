import { ApiError } from './api-errors';
import {
  apiEvents,
  apiMethods,
  type Api,
  type EventName,
  type EventPayload,
  type MethodName,
} from './api';
import type { CallOutcome } from './wire';
import { toDisposable, type Disposable } from './disposable';

/** What a transport must do; the typed `Api` is built on top of it. */
export interface ApiTransport {
  call(method: MethodName, params: unknown): Promise<CallOutcome>;
  /** Every event the host pushes, untyped; the client checks the name. */
  onEvent(listener: (event: string, payload: unknown) => void): Disposable;
}

/** Builds the typed `Api` over any transport (VS Code's ProxyChannel idea, typed by zod). */
export function createApiClient(transport: ApiTransport): Api {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  transport.onEvent((event, payload) => {
    const set = listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as (p: unknown) => void)(payload);
  });

  const client: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Disposable {
      if (!Object.prototype.hasOwnProperty.call(apiEvents, event))
        throw new Error(`unknown event ${event}`);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return toDisposable(() => set.delete(listener as (payload: never) => void));
    },
  };
  for (const method of Object.keys(apiMethods) as MethodName[]) {
    client[method] = async (params: unknown) => {
      const outcome = await transport.call(method, params ?? {});
      if (!outcome.ok) throw new ApiError(outcome.error);
      return outcome.result;
    };
  }
  return Object.freeze(client) as Api;
}
