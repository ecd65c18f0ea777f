import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../../../src/core/metrics';

// Reference values: scipy.stats.norm (1.17) cdf / ppf, which agree with the printed digits of
// Abramowitz & Stegun table 26.1 and with R's pnorm / qnorm.
const CDF: Array<[number, number]> = [
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [-0.3, 0.3820885778110474],
  [1, 0.8413447460685429],
  [1.96, 0.9750021048517795],
  [3, 0.9986501019683699],
  [-3, 0.0013498980316300933],
];
const CDF_TAIL: Array<[number, number]> = [
  [-5, 2.866515718791933e-7],
  [-8, 6.22096057427174e-16],
];
const QUANTILE: Array<[number, number]> = [
  [0.5, 0],
  [0.3, -0.5244005127080409],
  [0.95, 1.6448536269514722],
  [0.975, 1.959963984540054],
  [0.99, 2.3263478740408408],
  [0.999, 3.090232306167813],
  [0.01, -2.3263478740408408],
  [1e-6, -4.753424308822899],
];

describe('normalCdf', () => {
  it.each(CDF)('Φ(%d) matches the reference to 1e-9', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-9);
  });

  it.each(CDF_TAIL)('Φ(%d) keeps 1e-9 relative accuracy deep in the lower tail', (x, expected) => {
    expect(Math.abs(normalCdf(x) / expected - 1)).toBeLessThan(1e-9);
  });

  it('is symmetric: Φ(x) + Φ(−x) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThan(1e-15);
      }),
    );
  });

  it('rejects NaN', () => {
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it.each(QUANTILE)('Φ⁻¹(%d) matches the reference to 1e-9', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThan(1e-9);
  });

  it('inverts normalCdf to near machine precision', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 1e-12, noNaN: true }), (p) => {
        const x = normalQuantile(p);
        expect(Math.abs(normalCdf(x) / p - 1)).toBeLessThan(1e-12);
      }),
    );
  });

  it('gives ±∞ at 0 and 1 and refuses anything outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});
