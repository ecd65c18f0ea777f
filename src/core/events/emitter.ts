import { toDisposable, type Disposable } from '../../shared/disposable';

export type Listener<T> = (value: T) => void;

/**
 * A typed event source. `fire` walks a copy of the listeners, and a listener that throws is
 * reported to `onListenerError` instead of stopping the others.
 */
export class Emitter<T> implements Disposable {
  private listeners: Array<Listener<T>> = [];

  public constructor(
    private readonly onListenerError: (error: unknown) => void = defaultListenerError,
  ) {}

  public readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  public fire(value: T): void {
    const snapshot = this.listeners;
    for (let i = 0; i < snapshot.length; i++) {
      try {
        snapshot[i]!(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  public get listenerCount(): number {
    return this.listeners.length;
  }

  public dispose(): void {
    this.listeners = [];
  }
}

function defaultListenerError(error: unknown): void {
  console.error('[parallax] event listener failed:', error);
}
