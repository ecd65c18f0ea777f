import type { Disposable } from '../../shared/disposable';

/**
 * Time is a dependency: core never reads the wall clock directly, so replays and tests run
 * deterministically on a TestClock while the app runs on a LiveClock.
 */
export interface Clock {
  nowMs(): number;
  /** Runs `callback` once after `delayMs` (clock time). */
  setTimeout(callback: () => void, delayMs: number): Disposable;
}

export class LiveClock implements Clock {
  public nowMs(): number {
    return Date.now();
  }

  public setTimeout(callback: () => void, delayMs: number): Disposable {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { dispose: () => clearTimeout(handle) };
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock the caller advances; timers fire in (time, creation) order. */
export class TestClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly timers: PendingTimer[] = [];

  public constructor(startMs = 0) {
    this.now = startMs;
  }

  public nowMs(): number {
    return this.now;
  }

  public setTimeout(callback: () => void, delayMs: number): Disposable {
    const timer: PendingTimer = {
      at: this.now + Math.max(0, delayMs),
      seq: this.seq++,
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return { dispose: () => void (timer.cancelled = true) };
  }

  /** Moves time forward, firing every timer due on the way. */
  public advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.now = next.at;
      next.cancelled = true;
      next.callback();
    }
    this.now = target;
  }

  /** Fires timers until none is pending (bounded, so a self-rescheduling timer cannot hang a test). */
  public runAll(maxTimers = 1_000_000): void {
    for (let fired = 0; fired < maxTimers; fired++) {
      const next = this.nextDue(Number.POSITIVE_INFINITY);
      if (!next) return;
      this.now = Math.max(this.now, next.at);
      next.cancelled = true;
      next.callback();
    }
    throw new Error(`TestClock.runAll: more than ${maxTimers} timers fired`);
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (let i = this.timers.length - 1; i >= 0; i--) {
      const t = this.timers[i]!;
      if (t.cancelled) {
        this.timers.splice(i, 1);
        continue;
      }
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)))
        best = t;
    }
    return best;
  }
}
