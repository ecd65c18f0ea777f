import { describe, expect, it } from 'vitest';
import { threadCpuSeconds } from '../../../src/core/time/thread-cpu-time';

describe('threadCpuSeconds', () => {
  it('counts a busy loop, and never more than the wall clock that passed', () => {
    const cpu0 = threadCpuSeconds();
    const wall0 = performance.now();
    let x = 0;
    while (performance.now() - wall0 < 6) x += Math.sqrt(x + 1);
    const cpu = threadCpuSeconds() - cpu0;
    const wall = (performance.now() - wall0) / 1000;
    expect(x).toBeGreaterThan(0);
    // A thread cannot run longer than the time that passed (the nap inside the reading included).
    expect(cpu).toBeLessThanOrEqual(wall + 0.0005);
    // Tick-sampled accounting reads a short loop as a multiple of 4 ms, sometimes as 0.
    expect(cpu).toBeGreaterThan(0);
  });

  it('never goes backwards', () => {
    let previous = threadCpuSeconds();
    for (let i = 0; i < 20; i++) {
      const now = threadCpuSeconds();
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
  });
});
