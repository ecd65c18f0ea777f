import { performance } from 'node:perf_hooks';
import type { Disposable } from '../../../src/shared/disposable';
import type { Clock } from '../../../src/core/time/clock';

/**
 * Exchange time running `speed` times faster than real time, from `startMs`. Shared by the fake
 * exchange and the feed under test, so a month of minutes can pass in seconds while every
 * timeout (silence, backoff) keeps its proportions.
 */
export class AcceleratedClock implements Clock {
  private readonly t0 = performance.now();

  public constructor(
    private readonly startMs: number,
    public readonly speed: number,
  ) {}

  public nowMs(): number {
    return Math.floor(this.startMs + (performance.now() - this.t0) * this.speed);
  }

  public setTimeout(callback: () => void, delayMs: number): Disposable {
    const handle = setTimeout(callback, Math.max(0, delayMs) / this.speed);
    return { dispose: () => clearTimeout(handle) };
  }
}
