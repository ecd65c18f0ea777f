import { describe, expect, it } from 'vitest';
import {
  MetricsTracker,
  SINGLE_TRIAL,
  expectedMaxSharpe,
  normalCdf,
  promotionGate,
  type MetricSnapshot,
} from '../../../src/core/metrics';

const HOUR = 3_600_000;
const BASE = new MetricsTracker({ timeframe: '1h', initialEquity: 10_000 }).snapshot(SINGLE_TRIAL);

/** A snapshot over hours 0…999 with the given numbers (only what the gate reads matters). */
function snap(over: Partial<MetricSnapshot>): MetricSnapshot {
  return {
    ...BASE,
    firstTime: 0,
    lastTime: 999 * HOUR,
    bars: 1000,
    tradeCount: 60,
    meanReturn: 0.0015,
    returnSd: 0.01,
    perPeriodSharpe: 0.15,
    skewness: 0,
    kurtosis: 3,
    sharpe: 0.15 * Math.sqrt(8760),
    ...over,
  };
}

const main = snap({
  tradeCount: 500,
  perPeriodSharpe: 0.02,
  meanReturn: 0.0002,
  sharpe: 0.02 * Math.sqrt(8760),
});

describe('promotionGate', () => {
  it('passes a variant with ≥ 50 trades, DSR ≥ 0.95 and a higher Sharpe than main, and shows the numbers', () => {
    const d = promotionGate(snap({}), main, SINGLE_TRIAL);
    // N = 1: SR₀ = 0, DSR = Φ(0.15·√999 / √(1 + 0.15²/2)) = Φ(4.71…)
    const dsr = normalCdf((0.15 * Math.sqrt(999)) / Math.sqrt(1 + 0.15 ** 2 / 2));
    expect(d.isCandidate).toBe(true);
    expect(d.reasons).toEqual([]);
    expect(d.closedTrades).toEqual({ value: 60, required: 50, pass: true });
    expect(d.dsr.value).toBeCloseTo(dsr, 14);
    expect(d.dsr).toMatchObject({ required: 0.95, benchmarkSharpe: 0, trials: 1, pass: true });
    expect(d.sharpe).toMatchObject({ sameWindow: true, pass: true });
    expect(d.sharpe.candidate).toBeCloseTo(0.15 * Math.sqrt(8760), 12);
    expect(d.sharpe.main).toBeCloseTo(0.02 * Math.sqrt(8760), 12);
  });

  it('needs at least 50 closed trades: 49 fails, 50 passes', () => {
    const fail = promotionGate(snap({ tradeCount: 49 }), main, SINGLE_TRIAL);
    expect(fail.isCandidate).toBe(false);
    expect(fail.closedTrades.pass).toBe(false);
    expect(fail.reasons).toEqual(['49 closed trades, 50 required']);
    expect(promotionGate(snap({ tradeCount: 50 }), main, SINGLE_TRIAL).isCandidate).toBe(true);
  });

  it('deflates with the trial ledger it is given, not with whatever DSR the snapshot carries', () => {
    // N = 100, V = 0.01: SR₀ = 0.1·[(1 − γ)Φ⁻¹(0.99) + γΦ⁻¹(1 − 1/(100e))] ≈ 0.253 > SR 0.15
    const trials = { trials: 100, sharpeVariance: 0.01 };
    const d = promotionGate(snap({ dsr: 0.999 }), main, trials);
    const sr0 = expectedMaxSharpe(trials);
    expect(sr0).toBeCloseTo(0.253, 3);
    expect(d.dsr.benchmarkSharpe).toBe(sr0);
    expect(d.dsr.value).toBeCloseTo(
      normalCdf(((0.15 - sr0) * Math.sqrt(999)) / Math.sqrt(1 + 0.15 ** 2 / 2)),
      14,
    );
    expect(d.dsr.pass).toBe(false);
    expect(d.isCandidate).toBe(false);
    expect(d.reasons[0]).toMatch(/^DSR 0\.\d{4} below 0.95 \(N = 100\)$/);
  });

  it('needs a strictly higher Sharpe than main', () => {
    const d = promotionGate(snap({ sharpe: main.sharpe }), main, SINGLE_TRIAL);
    expect(d.sharpe.pass).toBe(false);
    expect(d.isCandidate).toBe(false);
    expect(d.reasons[0]).toMatch(/not above main/);
  });

  it('refuses to compare snapshots of different windows', () => {
    const d = promotionGate(snap({}), { ...main, firstTime: -HOUR }, SINGLE_TRIAL);
    expect(d.sharpe).toMatchObject({ sameWindow: false, pass: false });
    expect(d.reasons).toEqual(['candidate and main metrics cover different windows']);
    expect(
      promotionGate(snap({}), { ...main, periodsPerYear: 525_600 }, SINGLE_TRIAL).sharpe.sameWindow,
    ).toBe(false);
  });

  it('counts a main that stayed flat (zero variance, zero mean) as Sharpe 0', () => {
    const flatMain = snap({
      tradeCount: 0,
      meanReturn: 0,
      returnSd: 0,
      sharpe: null,
      perPeriodSharpe: null,
    });
    const d = promotionGate(snap({}), flatMain, SINGLE_TRIAL);
    expect(d.sharpe.main).toBe(0);
    expect(d.isCandidate).toBe(true);
  });

  it('never passes a candidate whose Sharpe is undefined', () => {
    const d = promotionGate(
      snap({ sharpe: null, perPeriodSharpe: null, skewness: null, kurtosis: null }),
      main,
      SINGLE_TRIAL,
    );
    expect(d.isCandidate).toBe(false);
    expect(d.dsr.value).toBeNull();
    expect(d.reasons).toHaveLength(2);
  });

  it('takes other thresholds when given', () => {
    expect(
      promotionGate(snap({ tradeCount: 10 }), main, SINGLE_TRIAL, {
        minClosedTrades: 10,
        minDsr: 0.5,
      }).isCandidate,
    ).toBe(true);
  });
});
