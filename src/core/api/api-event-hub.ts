import type { Disposable } from '../../shared/disposable';
import type { EventName, EventPayload } from '../../shared/api';
import { Emitter } from '../events/emitter';

export interface ApiEventMessage {
  event: EventName;
  payload: unknown;
}

/** Where core publishes API events; each transport subscribes once and forwards. */
export class ApiEventHub implements Disposable {
  private readonly emitter = new Emitter<ApiEventMessage>();

  public emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.fire({ event, payload });
  }

  public subscribe(listener: (message: ApiEventMessage) => void): Disposable {
    return this.emitter.event(listener);
  }

  public dispose(): void {
    this.emitter.dispose();
  }
}
