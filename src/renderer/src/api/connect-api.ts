import { createApiClient } from '../../../shared/api-client';
import type { Api } from '../../../shared/api';
import type { HostBridge } from '../../../shared/host-bridge';
import { toDisposable } from '../../../shared/disposable';
import { WebSocketTransport, type ConnectionState } from './ws-transport';

declare global {
  interface Window {
    parallaxHost?: HostBridge;
  }
}

export interface ApiConnection {
  api: Api;
  transport: 'electron' | 'websocket';
  onState(listener: (state: ConnectionState) => void): void;
}

/** Picks the transport the page was given: Electron's preload bridge, else the headless WebSocket. */
export function connectApi(): ApiConnection {
  const host = window.parallaxHost;
  if (host) {
    const api = createApiClient({
      call: (method, params) => host.call(method, params),
      onEvent: (listener) => toDisposable(host.onEvent(listener)),
    });
    return { api, transport: 'electron', onState: (l) => l('open') };
  }
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocketTransport(
    `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`,
  );
  return { api: createApiClient(ws), transport: 'websocket', onState: (l) => void ws.onState(l) };
}
