import { describe, expect, it } from 'vitest';
import {
  MetricSnapshotSchema,
  MetricsTracker,
  SINGLE_TRIAL,
  minTrackRecordLength,
  normalCdf,
  normalQuantile,
  probabilisticSharpeRatio,
} from '../../../src/core/metrics';

const DAY = 86_400_000;

/**
 * A four-day series worked by hand. Daily bars, so P = 525,600 / 1,440 = 365.
 * E: 100 → 102 → 99.96 → 104.958 → 103.90842, i.e. r = +2%, −2%, +5%, −1%.
 */
function fourDays(): MetricsTracker {
  const t = new MetricsTracker({ timeframe: '1d', initialEquity: 100 });
  const equity = [102, 99.96, 104.958, 103.90842];
  const exposed = [true, true, false, true];
  equity.forEach((e, i) => t.onBar(i * DAY, e, exposed[i]!));
  for (const pnl of [5, -2, 3, -1]) t.onTradeClosed(pnl);
  return t;
}

describe('MetricsTracker on a series worked by hand', () => {
  const s = fourDays().snapshot(SINGLE_TRIAL);

  it('ROI, win rate, average trade, profit factor, trade count, exposure', () => {
    expect(s.roiPct).toBeCloseTo(((103.90842 - 100) / 100) * 100, 10); // 3.90842
    expect(s.tradeCount).toBe(4);
    expect(s.winRate).toBe(0.5); // 2 of 4 trades have net P&L > 0
    expect(s.averageTradePnl).toBeCloseTo((5 - 2 + 3 - 1) / 4, 12); // 1.25
    expect(s.profitFactor).toBeCloseTo((5 + 3) / (2 + 1), 12); // 8/3
    expect(s.profitFactorInfinite).toBe(false);
    expect(s.exposure).toBe(3 / 4);
  });

  it('mean, sample sd, skewness and kurtosis (not excess)', () => {
    // mean = (0.02 − 0.02 + 0.05 − 0.01) / 4 = 0.01; deviations 0.01, −0.03, 0.04, −0.02
    expect(s.meanReturn).toBeCloseTo(0.01, 14);
    // Σd² = (1 + 9 + 16 + 4)e-4 = 0.003; sample variance 0.003 / 3 = 0.001
    expect(s.returnSd).toBeCloseTo(Math.sqrt(0.001), 14);
    // m2 = 0.003/4 = 7.5e-4; m3 = (1 − 27 + 64 − 8)e-6 / 4 = 7.5e-6; γ₃ = m3 / m2^1.5 = 2/√30
    expect(s.skewness).toBeCloseTo(2 / Math.sqrt(30), 12);
    // m4 = (1 + 81 + 256 + 16)e-8 / 4 = 88.5e-8; γ₄ = m4 / m2² = 88.5e-8 / 5.625e-7 = 1.57333…
    expect(s.kurtosis).toBeCloseTo(88.5e-8 / 5.625e-7, 10);
  });

  it('Sharpe and Sortino, annualised with P = 365', () => {
    // per period: 0.01 / √0.001 = 1/√10
    expect(s.perPeriodSharpe).toBeCloseTo(1 / Math.sqrt(10), 12);
    expect(s.sharpe).toBeCloseTo(Math.sqrt(365 / 10), 10); // 6.0415…
    // downside: (0 + 0.02² + 0 + 0.01²) / 4 (all T) = 1.25e-4; 0.01 / √1.25e-4 = 2/√5
    expect(s.sortino).toBeCloseTo((2 / Math.sqrt(5)) * Math.sqrt(365), 10); // 17.088…
    expect(s.sortinoInfinite).toBe(false);
  });

  it('maximum drawdown, not the current one', () => {
    // peaks 100, 102, 102, 104.958, 104.958: falls 2.04/102 = 2% and 1.04958/104.958 = 1% (current)
    expect(s.maxDrawdown).toBeCloseTo(0.02, 12);
  });

  it('PSR(0) and MinTRL from the formulas of DESIGN.md', () => {
    const sr = 1 / Math.sqrt(10);
    const g3 = 2 / Math.sqrt(30);
    const g4 = 88.5e-8 / 5.625e-7;
    const v = 1 - g3 * sr + ((g4 - 1) / 4) * sr * sr; // 0.898863…
    expect(s.psr).toBeCloseTo(normalCdf((sr * Math.sqrt(4 - 1)) / Math.sqrt(v)), 12);
    expect(s.psr).toBeCloseTo(0.7182717985032594, 9); // scipy: norm.cdf(0.57771…)
    expect(s.minTrl).toBeCloseTo(1 + v * (normalQuantile(0.95) / sr) ** 2, 9);
    expect(s.minTrl).toBeCloseTo(25.319136619655367, 8);
  });

  it('DSR with N = 1: SR₀ = 0, so DSR = PSR(0)', () => {
    expect(s.deflationBenchmarkSharpe).toBe(0);
    expect(s.dsr).toBe(s.psr);
  });

  it('Calmar is n/a under 30 days', () => {
    expect(s.calmar).toBeNull();
    expect(s.calmarInfinite).toBe(false);
    // CAGR itself is still reported: (1.0390842)^(365/4) − 1
    expect(s.cagr).toBeCloseTo(Math.pow(1.0390842, 365 / 4) - 1, 8);
  });

  it('produces a snapshot the zod schema accepts and JSON carries unchanged', () => {
    expect(MetricSnapshotSchema.parse(s)).toEqual(s);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('MetricsTracker edge cases', () => {
  it('Calmar appears at 30 days: CAGR / max drawdown', () => {
    const t = new MetricsTracker({ timeframe: '1d', initialEquity: 100 });
    // day 0: −10% (E = 90); days 1…28: +1% each → 29 bars
    let e = 90;
    t.onBar(0, e, true);
    for (let d = 1; d < 29; d++) t.onBar(d * DAY, (e *= 1.01), true);
    expect(t.snapshot(SINGLE_TRIAL).calmar).toBeNull(); // 29 days
    t.onBar(29 * DAY, e * 1.01, true); // 30 days
    const s = t.snapshot(SINGLE_TRIAL);
    const growth = (90 * 1.01 ** 29) / 100;
    const cagr = Math.pow(growth, 365 / 30) - 1;
    expect(s.cagr).toBeCloseTo(cagr, 10);
    expect(s.maxDrawdown).toBeCloseTo(0.1, 12); // from the initial 100 to 90
    expect(s.calmar).toBeCloseTo(cagr / 0.1, 9);
  });

  it('encodes an infinite profit factor as null plus a flag, never as a huge number', () => {
    const t = new MetricsTracker({ timeframe: '1h', initialEquity: 1000 });
    t.onTradeClosed(10);
    t.onTradeClosed(0); // break-even: neither win nor loss
    const s = t.snapshot(SINGLE_TRIAL);
    expect(s.profitFactor).toBeNull();
    expect(s.profitFactorInfinite).toBe(true);
    expect(s.winRate).toBe(0.5);
    expect(JSON.parse(JSON.stringify(s)).profitFactorInfinite).toBe(true);
    // and the schema refuses a number beside the flag
    expect(MetricSnapshotSchema.safeParse({ ...s, profitFactor: 1e308 }).success).toBe(false);
  });

  it('leaves every trade statistic undefined without trades', () => {
    const s = new MetricsTracker({ timeframe: '1h', initialEquity: 1000 }).snapshot(SINGLE_TRIAL);
    expect(s).toMatchObject({
      tradeCount: 0,
      winRate: null,
      averageTradePnl: null,
      profitFactor: null,
      profitFactorInfinite: false,
      exposure: null,
      sharpe: null,
      psr: null,
      dsr: null,
      minTrl: null,
    });
    expect(MetricSnapshotSchema.safeParse(s).success).toBe(true);
  });

  it('zero-variance returns: Sharpe, skewness, kurtosis, PSR undefined; flat equity has no Sortino either', () => {
    const flat = new MetricsTracker({ timeframe: '1h', initialEquity: 1000 });
    for (let i = 0; i < 10; i++) flat.onBar(i * 3_600_000, 1000, false);
    expect(flat.snapshot(SINGLE_TRIAL)).toMatchObject({
      meanReturn: 0,
      returnSd: 0,
      sharpe: null,
      skewness: null,
      kurtosis: null,
      psr: null,
      sortino: null,
      sortinoInfinite: false,
      maxDrawdown: 0,
    });

    // a constant +1% per bar: no variance, no downside, positive mean → Sortino +∞
    const steady = new MetricsTracker({ timeframe: '1h', initialEquity: 1000 });
    let e = 1000;
    for (let i = 0; i < 10; i++) steady.onBar(i * 3_600_000, (e *= 1.01), true);
    const s = steady.snapshot(SINGLE_TRIAL);
    expect(s.returnSd).toBe(0);
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.sortinoInfinite).toBe(true);
  });

  it('MinTRL is undefined when SR ≤ SR*', () => {
    const sample = { sharpe: 0.05, observations: 500, skewness: 0, kurtosis: 3 };
    expect(minTrackRecordLength(sample, 0.05)).toBeNull();
    expect(minTrackRecordLength(sample, 0.1)).toBeNull();
    // normal returns: 1 + (1 + SR²/2)·(1.6449 / 0.05)²
    expect(minTrackRecordLength(sample, 0)).toBeCloseTo(
      1 + (1 + 0.05 ** 2 / 2) * (normalQuantile(0.95) / 0.05) ** 2,
      9,
    );
    // and PSR against SR* = SR is exactly one half
    expect(probabilisticSharpeRatio(sample, 0.05)).toBe(0.5);
  });

  it('a wiped-out account stays at −100% without dividing 0 by 0', () => {
    const t = new MetricsTracker({ timeframe: '1h', initialEquity: 1000 });
    t.onBar(0, 500, true);
    t.onBar(3_600_000, 0, true);
    t.onBar(7_200_000, 0, false);
    const s = t.snapshot(SINGLE_TRIAL);
    expect(s.roiPct).toBe(-100);
    expect(s.maxDrawdown).toBe(1);
    expect(s.meanReturn).toBeCloseTo((-0.5 - 1 + 0) / 3, 14);
    expect(MetricSnapshotSchema.safeParse(s).success).toBe(true);
  });

  it('rejects NaN and ±∞ at the door, and bars that do not move forward', () => {
    const t = new MetricsTracker({ timeframe: '1m', initialEquity: 1000 });
    expect(() => t.onBar(0, Number.NaN, false)).toThrow(/equity must be a finite number/);
    expect(() => t.onBar(0, Number.POSITIVE_INFINITY, false)).toThrow(/equity must be a finite/);
    expect(() => t.onBar(Number.NaN, 1000, false)).toThrow(/bar time must be a finite number/);
    expect(() => t.onBar(Number.POSITIVE_INFINITY, 1000, false)).toThrow(/bar time must be/);
    expect(() => t.onBar(0, -1, false)).toThrow(/equity must not be negative, got -1/);
    expect(() => t.onTradeClosed(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    t.onBar(60_000, 1000, false);
    expect(() => t.onBar(60_000, 1000, false)).toThrow(/not after the previous bar \(60000\)/);
    expect(() => t.onBar(0, 1000, false)).toThrow(RangeError);
    expect(() => t.snapshot({ trials: 0, sharpeVariance: 0 })).toThrow(RangeError);
    expect(() => t.snapshot({ trials: 2, sharpeVariance: Number.NaN })).toThrow(RangeError);
    expect(() => new MetricsTracker({ timeframe: '1m', initialEquity: Number.NaN })).toThrow(
      RangeError,
    );
    // nothing bad got in
    expect(t.bars).toBe(1);
  });

  it('uses P = 525,600 / timeframe minutes', () => {
    expect(new MetricsTracker({ timeframe: '1m', initialEquity: 1 }).periodsPerYear).toBe(525_600);
    expect(new MetricsTracker({ timeframe: '4h', initialEquity: 1 }).periodsPerYear).toBe(2_190);
    expect(new MetricsTracker({ timeframe: '1d', initialEquity: 1 }).periodsPerYear).toBe(365);
  });

  it('reset forgets bars and trades but keeps E₀', () => {
    const t = fourDays();
    t.reset();
    const s = t.snapshot(SINGLE_TRIAL);
    expect(s).toMatchObject({
      bars: 0,
      tradeCount: 0,
      equity: 100,
      roiPct: 0,
      maxDrawdown: 0,
      firstTime: null,
    });
  });
});
