import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/core/market/exchange';

describe('Backoff', () => {
  it('grows exponentially to its ceiling, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitters each delay within [1 - jitter, 1] of nominal', () => {
    let r = 0;
    const b = new Backoff({ initialMs: 1000, maxMs: 1000, factor: 2, jitter: 0.5 }, () => r);
    for (r of [0, 0.25, 0.5, 0.999]) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
      expect(d).toBe(Math.round(1000 * (1 - 0.5 * r)));
    }
  });
});
