import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, so a timed run does not pay for the garbage of the runs before it
 * (the benchmark runner starts Node without --expose-gc; the flag can be set at run time).
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) gc = exposed;
    else {
      setFlagsFromString('--expose-gc');
      gc = (runInNewContext('gc') as (() => void) | undefined) ?? null;
    }
  }
  gc?.();
}
