import { join } from 'node:path';
import { TestClock } from '../../../src/core/time/clock';
import { Workstation } from '../../../src/core/workstation';
import type { EventName, EventPayload } from '../../../src/shared/api';
import type { CallOutcome } from '../../../src/shared/wire';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC } from '../../unit/variants/variant-fixture';

export { BTC };

/** 2023-03-01T00:00Z, the first bar of the real month. */
export const MARCH_1 = Date.UTC(2023, 2, 1);
export const DAY = 86_400_000;

export function ok<T>(outcome: CallOutcome): T {
  if (!outcome.ok) throw new Error(`call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

/** Every event the workstation emitted, by name, in order. */
export class EventLog {
  private readonly events: Array<{ event: EventName; payload: unknown }> = [];

  public constructor(ws: Workstation) {
    ws.events.subscribe((m) => this.events.push(m));
  }

  public of<E extends EventName>(event: E): Array<EventPayload<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<E>);
  }

  public clear(): void {
    this.events.length = 0;
  }
}

/** A workstation on a real SQLite file with the real BTC/USDT month stored, on a TestClock. */
export function workstationWithBtc(dir: string, file = 'parallax.sqlite') {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const ws = new Workstation({
    databasePath: join(dir, file),
    appVersion: 'test',
    clock,
    statusIntervalMs: 60_000,
  });
  if (ws.candles.count(BTC) === 0) {
    const bars = btcUsdtMinutes();
    ws.candles.transaction(() => ws.candles.insert(BTC, bars));
  }
  return { ws, clock, log: new EventLog(ws) };
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives the workstation until the replay has ended and every bar reached its subscribers (or
 * `until` says stop): the clock moves `stepMs` (one bar of a 100× replay of minutes) only when
 * the distributor has nothing queued. A `max` replay emits everything at the first step.
 */
export async function play(
  ws: Workstation,
  clock: TestClock,
  until: () => boolean = () => false,
  options: { stepMs?: number; maxTurns?: number } = {},
): Promise<void> {
  const stepMs = options.stepMs ?? 600;
  const maxTurns = options.maxTurns ?? 1_000_000;
  for (let turn = 0; turn < maxTurns; turn++) {
    if (until()) return;
    const queued = ws.bars.stats().reduce((n, s) => n + s.queued, 0);
    if (queued === 0) {
      if (ws.currentFeed.status().state === 'ended') {
        clock.advance(1_000); // the last metrics batch and commit
        return;
      }
      clock.advance(stepMs);
    }
    await immediate();
  }
  throw new Error('play: the replay did not end');
}
