import WebSocket, { type ClientOptions } from 'ws';
import type { Api } from '../../src/shared/api';
import { createApiClient } from '../../src/shared/api-client';
import { toDisposable } from '../../src/shared/disposable';
import { ServerFrameSchema, type CallOutcome } from '../../src/shared/wire';

/**
 * The typed API over a running host's WebSocket (`pageUrl` is the URL it printed, token
 * included): a second client beside the page, for the e2e specs and the UI benchmark.
 */
export async function connectHostApi(
  pageUrl: string,
  options: ClientOptions = {},
): Promise<{ api: Api; close: () => void }> {
  const url = new URL(pageUrl);
  const ws = new WebSocket(
    `ws://${url.host}/api?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`,
    options,
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, (outcome: CallOutcome) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  ws.on('message', (data) => {
    const frame = ServerFrameSchema.parse(JSON.parse(String(data)));
    if (frame.type === 'event') for (const l of listeners) l(frame.event, frame.payload);
    else if (frame.id !== null) {
      pending.get(frame.id)?.(frame.outcome);
      pending.delete(frame.id);
    }
  });
  let nextId = 1;
  const api = createApiClient({
    call: (method, params) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, params }));
      }),
    onEvent: (listener) => {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
  });
  return { api, close: () => ws.close() };
}
