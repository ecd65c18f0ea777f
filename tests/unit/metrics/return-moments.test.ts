import { describe, expect, it } from 'vitest';
import { ReturnMoments } from '../../../src/core/metrics';

/** Two-pass moments straight from the definitions (the independent reference). */
function direct(returns: readonly number[]): {
  mean: number;
  sd: number;
  skewness: number;
  kurtosis: number;
  downside: number;
} {
  const n = returns.length;
  const mean = returns.reduce((s, r) => s + r, 0) / n;
  const central = (p: number): number => returns.reduce((s, r) => s + (r - mean) ** p, 0);
  const m2 = central(2);
  return {
    mean,
    sd: Math.sqrt(m2 / (n - 1)),
    skewness: (Math.sqrt(n) * central(3)) / m2 ** 1.5,
    kurtosis: (n * central(4)) / (m2 * m2),
    downside: returns.reduce((s, r) => s + Math.min(r, 0) ** 2, 0) / n,
  };
}

/** Returns of a mostly flat account: runs of zeros between small moves, as a variant has. */
function flatMostly(length: number, seed: number): number[] {
  let x = seed;
  const random = (): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const out: number[] = [];
  while (out.length < length) {
    const zeros = Math.floor(random() * 40);
    for (let i = 0; i < zeros && out.length < length; i++) out.push(0);
    const moves = 1 + Math.floor(random() * 15);
    for (let i = 0; i < moves && out.length < length; i++) out.push((random() - 0.48) * 0.004);
  }
  return out;
}

function feed(m: ReturnMoments, returns: readonly number[]): void {
  for (const r of returns) {
    if (r === 0) m.addZero();
    else m.add(r);
  }
}

describe('ReturnMoments with deferred zero returns', () => {
  it('matches the two-pass definitions on a mostly flat series, pending zeros included', () => {
    // Ends on a run of zeros, so the reads combine zeros still pending.
    const returns = [...flatMostly(5_000, 7), 0, 0, 0, 0, 0];
    const m = new ReturnMoments();
    feed(m, returns);
    const ref = direct(returns);
    expect(m.count).toBe(returns.length);
    expect(m.mean).toBeCloseTo(ref.mean, 15);
    expect((m.sampleSd as number) / ref.sd).toBeCloseTo(1, 12);
    expect((m.skewness as number) / ref.skewness).toBeCloseTo(1, 10);
    expect((m.kurtosis as number) / ref.kurtosis).toBeCloseTo(1, 12);
    expect((m.downsideMeanSquare as number) / ref.downside).toBeCloseTo(1, 12);
  });

  it('combines a group of zeros as one Welford step per zero would, to ~1e-15', () => {
    const returns = flatMostly(3_000, 11);
    const deferred = new ReturnMoments();
    const stepwise = new ReturnMoments();
    feed(deferred, returns);
    for (const r of returns) stepwise.add(r);
    for (const key of ['mean', 'sampleSd', 'skewness', 'kurtosis'] as const) {
      const a = deferred[key] as number;
      const b = stepwise[key] as number;
      expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-12);
    }
  });

  it('gives bit-identical sums however often it is read, and across a checkpoint', () => {
    const returns = flatMostly(2_000, 3);
    const readOnce = new ReturnMoments();
    const readAlways = new ReturnMoments();
    feed(readOnce, returns);
    for (const r of returns) {
      feed(readAlways, [r]);
      void readAlways.mean;
      void readAlways.kurtosis;
    }
    expect(readAlways.state()).toEqual(readOnce.state());

    // A checkpoint taken in a run of zeros carries them: the restored copy continues exactly.
    const head = [...returns.slice(0, 1_000), 0, 0, 0];
    const tail = returns.slice(1_000);
    const original = new ReturnMoments();
    feed(original, head);
    const state = original.state();
    expect(state.zeros).toBeGreaterThanOrEqual(3);
    const restored = new ReturnMoments();
    restored.restore(state);
    feed(original, tail);
    feed(restored, tail);
    expect(restored.state()).toEqual(original.state());
    expect(restored.kurtosis).toBe(original.kurtosis);
  });

  it('counts zeros alone as returns of zero variance', () => {
    const m = new ReturnMoments();
    for (let i = 0; i < 10; i++) m.addZero();
    expect(m.count).toBe(10);
    expect(m.mean).toBe(0);
    expect(m.sampleSd).toBe(0);
    expect(m.skewness).toBeNull();
    m.add(0.01);
    // 10 zeros and 0.01: mean 0.01/11, M2 = 0.0001·10/11.
    expect(m.mean).toBeCloseTo(0.01 / 11, 17);
    expect(m.sampleSd).toBeCloseTo(Math.sqrt((0.0001 * 10) / 11 / 10), 16);
  });
});
