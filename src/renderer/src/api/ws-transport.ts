import type { ApiTransport } from '../../../shared/api-client';
import type { MethodName } from '../../../shared/api';
import { ServerFrameSchema, type CallOutcome } from '../../../shared/wire';
import { toDisposable, type Disposable } from '../../../shared/disposable';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve: (outcome: CallOutcome) => void;
}

/**
 * The API over the headless host's WebSocket. Reconnects with backoff; calls made while the
 * connection is down fail at once with DISCONNECTED rather than hanging.
 */
export class WebSocketTransport implements ApiTransport {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: string, payload: unknown) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private retryMs = 250;
  private opened: Promise<void> | undefined;

  public constructor(private readonly url: string) {
    this.connect();
  }

  public call(method: MethodName, params: unknown): Promise<CallOutcome> {
    return (this.opened ?? Promise.resolve()).then(
      () =>
        new Promise<CallOutcome>((resolve) => {
          const socket = this.socket;
          if (!socket || socket.readyState !== WebSocket.OPEN) {
            resolve({
              ok: false,
              error: { code: 'DISCONNECTED', message: 'not connected to the Parallax host' },
            });
            return;
          }
          const id = this.nextId++;
          this.pending.set(id, { resolve });
          socket.send(JSON.stringify({ type: 'call', id, method, params }));
        }),
    );
  }

  public onEvent(listener: (event: string, payload: unknown) => void): Disposable {
    this.eventListeners.add(listener);
    return toDisposable(() => this.eventListeners.delete(listener));
  }

  public onState(listener: (state: ConnectionState) => void): Disposable {
    this.stateListeners.add(listener);
    return toDisposable(() => this.stateListeners.delete(listener));
  }

  private setState(state: ConnectionState): void {
    for (const l of this.stateListeners) l(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.opened = new Promise<void>((resolve) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('close', () => resolve(), { once: true });
    });
    socket.addEventListener('open', () => {
      this.retryMs = 250;
      this.setState('open');
    });
    socket.addEventListener('message', (e: MessageEvent<string>) => this.onMessage(e.data));
    socket.addEventListener('close', () => {
      for (const [, p] of this.pending)
        p.resolve({
          ok: false,
          error: { code: 'DISCONNECTED', message: 'connection to the Parallax host was lost' },
        });
      this.pending.clear();
      this.setState('closed');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  private onMessage(text: string): void {
    let frame;
    try {
      frame = ServerFrameSchema.parse(JSON.parse(text));
    } catch {
      console.warn('[parallax] ignored a malformed frame from the host');
      return;
    }
    if (frame.type === 'event') {
      for (const l of this.eventListeners) l(frame.event, frame.payload);
      return;
    }
    if (frame.id === null) {
      console.warn('[parallax] host reported an error:', frame.outcome);
      return;
    }
    const p = this.pending.get(frame.id);
    if (p) {
      this.pending.delete(frame.id);
      p.resolve(frame.outcome);
    }
  }
}
