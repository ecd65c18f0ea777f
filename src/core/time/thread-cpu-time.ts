import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';
/** Something to sleep on for a few microseconds (Atomics.wait on a value that never changes). */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/** Set once reading schedstat failed (not Linux, no /proc): the fallback from then on. */
let noSchedstat = false;

/**
 * CPU seconds the calling thread has run so far: for rates "per core" on a machine shared with
 * other work, where the wall clock also counts time spent waiting for a core.
 *
 * On Linux this is the scheduler's run time (`/proc/thread-self/schedstat`, nanoseconds).
 * `process.threadCpuUsage()` is sampled at the timer tick there — a 3 ms busy loop reads as
 * 0 or 4 ms (measured) — which makes one short run's rate off by a tenth either way, and the best
 * of several runs biased upwards. The kernel brings schedstat up to date only when the thread
 * leaves the CPU, so it first naps for 20 µs (a 3 ms loop then reads 3.0–3.1 ms, measured).
 * Elsewhere it falls back to `process.threadCpuUsage()`. Costs a nap and a file read (~0.1 ms):
 * call it around a timed run, never inside one.
 */
export function threadCpuSeconds(): number {
  if (!noSchedstat) {
    try {
      Atomics.wait(NAP, 0, 0, 0.02);
      const text = readFileSync(SCHEDSTAT, 'latin1');
      const ns = Number(text.slice(0, text.indexOf(' ')));
      if (Number.isFinite(ns) && ns > 0) return ns / 1e9;
    } catch {
      // not Linux, or /proc not mounted
    }
    noSchedstat = true;
  }
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1e6;
}
