import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isMethodName } from '../shared/api';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallOutcome } from '../shared/wire';

/**
 * The only door between the page and the host: one call channel and one event channel.
 * Unknown methods are refused here already; main validates everything again.
 */
const bridge = Object.freeze({
  call(method: string, params: unknown): Promise<CallOutcome> {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'UNKNOWN_METHOD',
          message: `unknown method: ${String(method).slice(0, 128)}`,
        },
      });
    }
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, method, params) as Promise<CallOutcome>;
  },
  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown): void =>
      listener(event, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
});

contextBridge.exposeInMainWorld('parallaxHost', bridge);
