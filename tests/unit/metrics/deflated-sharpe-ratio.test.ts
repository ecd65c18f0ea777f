import { describe, expect, it } from 'vitest';
import {
  EULER_MASCHERONI,
  SINGLE_TRIAL,
  TrialSharpeAccumulator,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  normalCdf,
  normalQuantile,
  probabilisticSharpeRatio,
} from '../../../src/core/metrics';

describe('Deflated Sharpe Ratio: the published numerical example', () => {
  // Bailey & López de Prado (2014), "The Deflated Sharpe Ratio: Correcting for Selection Bias,
  // Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), numerical example:
  // N = 100 independent trials whose annualised Sharpe ratios have variance V = 1/2; the best has an
  // annualised SR of 2.5 over T = 1,250 daily returns (5 years × 250 days) with skewness γ₃ = −3
  // and kurtosis γ₄ = 10. Stated results: SR₀ ≈ 0.1132 (daily) and DSR ≈ 0.9004, i.e. not
  // significant at 95% despite the annualised 2.5.
  const daysPerYear = 250;
  const sample = {
    sharpe: 2.5 / Math.sqrt(daysPerYear),
    observations: 1250,
    skewness: -3,
    kurtosis: 10,
  };
  const trials = { trials: 100, sharpeVariance: 0.5 / daysPerYear }; // annualised V → per-day V

  it('reproduces SR₀ ≈ 0.1132', () => {
    const sr0 = expectedMaxSharpe(trials);
    // √(0.5/250)·[(1 − γ)·Φ⁻¹(0.99) + γ·Φ⁻¹(1 − 1/(100e))]
    const g = EULER_MASCHERONI;
    expect(sr0).toBeCloseTo(
      Math.sqrt(0.002) *
        ((1 - g) * normalQuantile(0.99) + g * normalQuantile(1 - 1 / (100 * Math.E))),
      14,
    );
    expect(sr0.toFixed(4)).toBe('0.1132');
  });

  it('reproduces DSR ≈ 0.9004', () => {
    const dsr = deflatedSharpeRatio(sample, trials)!;
    // Φ[(0.1581 − 0.1132)·√1249 / √(1 + 3·0.1581 + 9/4·0.1581²)] = Φ(1.2838)
    const sr = sample.sharpe;
    const z =
      ((sr - expectedMaxSharpe(trials)) * Math.sqrt(1249)) /
      Math.sqrt(1 + 3 * sr + (9 / 4) * sr * sr);
    expect(z).toBeCloseTo(1.2838, 4);
    expect(dsr).toBeCloseTo(normalCdf(z), 14);
    expect(dsr.toFixed(4)).toBe('0.9004');
  });

  it('with N = 1 the benchmark is 0 and DSR equals PSR(0)', () => {
    expect(expectedMaxSharpe(SINGLE_TRIAL)).toBe(0);
    expect(expectedMaxSharpe({ trials: 1, sharpeVariance: 3 })).toBe(0);
    expect(deflatedSharpeRatio(sample, SINGLE_TRIAL)).toBe(probabilisticSharpeRatio(sample, 0));
  });

  it('deflates harder the more trials were run', () => {
    const v = 0.5 / daysPerYear;
    const dsr = [2, 10, 100, 1000].map((n) =>
      deflatedSharpeRatio(sample, { trials: n, sharpeVariance: v })!,
    );
    for (let i = 1; i < dsr.length; i++) expect(dsr[i]!).toBeLessThan(dsr[i - 1]!);
  });
});

describe('PSR', () => {
  it('reduces to Φ((SR − SR*)·√(T−1) / √(1 + SR²/2)) for normal returns (γ₃ = 0, γ₄ = 3)', () => {
    // SR 0.1 per period over 253 periods against SR* = 0: z = 0.1·√252 / √1.005 = 1.58350…
    const p = probabilisticSharpeRatio(
      { sharpe: 0.1, observations: 253, skewness: 0, kurtosis: 3 },
      0,
    )!;
    expect(p).toBeCloseTo(normalCdf((0.1 * Math.sqrt(252)) / Math.sqrt(1.005)), 14);
    expect(p).toBeCloseTo(0.943346, 6); // scipy: norm.cdf(1.583504)
  });

  it('penalises negative skew and fat tails', () => {
    const base = { sharpe: 0.1, observations: 253, skewness: 0, kurtosis: 3 };
    const p = probabilisticSharpeRatio(base, 0)!;
    expect(probabilisticSharpeRatio({ ...base, skewness: -2 }, 0)!).toBeLessThan(p);
    expect(probabilisticSharpeRatio({ ...base, kurtosis: 20 }, 0)!).toBeLessThan(p);
  });
});

describe('TrialSharpeAccumulator', () => {
  it('gives N and the sample variance of the trials’ per-period Sharpe ratios', () => {
    const acc = new TrialSharpeAccumulator();
    for (const sr of [0.01, 0.03, -0.02, 0.06]) acc.push(sr);
    // mean 0.02; deviations −0.01, 0.01, −0.04, 0.04; Σd² = 0.0034; / (4 − 1)
    const { trials, sharpeVariance } = acc.stats();
    expect(trials).toBe(4);
    expect(sharpeVariance).toBeCloseTo(0.0034 / 3, 15);
  });

  it('has V = 0 for one trial and refuses NaN or an empty ledger', () => {
    const acc = new TrialSharpeAccumulator();
    expect(() => acc.stats()).toThrow(RangeError);
    acc.push(0.05);
    expect(acc.stats()).toEqual({ trials: 1, sharpeVariance: 0 });
    expect(() => acc.push(Number.NaN)).toThrow(RangeError);
  });
});
