import type { CallOutcome } from './wire';

/** What the Electron preload exposes on `window.parallaxHost` (and nothing else). */
export interface HostBridge {
  call(method: string, params: unknown): Promise<CallOutcome>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}
