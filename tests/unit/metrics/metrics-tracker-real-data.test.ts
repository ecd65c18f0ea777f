import { describe, expect, it } from 'vitest';
import {
  EULER_MASCHERONI,
  MetricSnapshotSchema,
  MetricsTracker,
  TrialSharpeAccumulator,
  normalCdf,
  normalQuantile,
  type MetricSnapshot,
  type TrialStats,
} from '../../../src/core/metrics';
import type { Timeframe } from '../../../src/shared/market';
import { loadCandles } from '../../support/real-candles';

// The tracker's O(1) running updates against straightforward two-pass batch formulas written
// here, on real returns. Only Φ and Φ⁻¹ are shared with the implementation (they are checked
// against reference values in normal-distribution.test.ts).

interface Bar {
  time: number;
  open: number;
  close: number;
}

function loadCsv(file: string): Bar[] {
  return loadCandles(`candles/${file}`).map((c) => ({
    time: c.time,
    open: c.open,
    close: c.close,
  }));
}

/** An equity curve with positions and trades, from a toy rule on real bars. */
interface Path {
  initialEquity: number;
  times: number[];
  equity: number[];
  exposed: boolean[];
  tradePnls: number[];
}

/**
 * Holds the coin during bar t when bar t − lag closed above its open (a toy momentum rule), no
 * fees: enough to make returns, flat periods, exposure and trades out of real prices.
 */
function momentumPath(bars: readonly Bar[], lag: number): Path {
  const initialEquity = 10_000;
  const path: Path = { initialEquity, times: [], equity: [], exposed: [], tradePnls: [] };
  let e = initialEquity;
  let tradeStart: number | null = null;
  for (let t = 1; t < bars.length; t++) {
    const signal = t - lag >= 0 && bars[t - lag]!.close > bars[t - lag]!.open;
    if (signal) {
      if (tradeStart === null) tradeStart = e;
      e *= bars[t]!.close / bars[t - 1]!.close;
    } else if (tradeStart !== null) {
      path.tradePnls.push(e - tradeStart);
      tradeStart = null;
    }
    path.times.push(bars[t]!.time);
    path.equity.push(e);
    path.exposed.push(signal);
  }
  return path;
}

function track(
  path: Path,
  timeframe: Timeframe,
  trials: TrialStats,
  benchmarkSharpe = 0,
): MetricSnapshot {
  const tracker = new MetricsTracker({
    timeframe,
    initialEquity: path.initialEquity,
    benchmarkSharpe,
  });
  for (let i = 0; i < path.equity.length; i++)
    tracker.onBar(path.times[i]!, path.equity[i]!, path.exposed[i]!);
  for (const pnl of path.tradePnls) tracker.onTradeClosed(pnl);
  return tracker.snapshot(trials);
}

/** Everything recomputed from the whole series at once. */
function batch(
  path: Path,
  periodsPerYear: number,
  barMinutes: number,
  trials: TrialStats,
  srStar = 0,
) {
  const { equity, initialEquity: e0 } = path;
  const r: number[] = [];
  let prev = e0;
  for (const e of equity) {
    r.push(e / prev - 1);
    prev = e;
  }
  const T = r.length;
  const mean = r.reduce((a, b) => a + b, 0) / T;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let down = 0;
  for (const x of r) {
    const d = x - mean;
    s2 += d * d;
    s3 += d * d * d;
    s4 += d * d * d * d;
    if (x < 0) down += x * x;
  }
  const sd = Math.sqrt(s2 / (T - 1));
  const m2 = s2 / T;
  const skew = s3 / T / Math.pow(m2, 1.5);
  const kurt = s4 / T / (m2 * m2);
  const sr = mean / sd;
  let peak = e0;
  let maxDd = 0;
  for (const e of equity) {
    peak = Math.max(peak, e);
    maxDd = Math.max(maxDd, (peak - e) / peak);
  }
  const wins = path.tradePnls.filter((p) => p > 0);
  const losses = path.tradePnls.filter((p) => p < 0);
  const grossProfit = wins.reduce((a, b) => a + b, 0);
  const grossLoss = -losses.reduce((a, b) => a + b, 0);
  const end = equity[T - 1]!;
  const cagr = Math.pow(end / e0, periodsPerYear / T) - 1;
  const v = 1 - skew * sr + ((kurt - 1) / 4) * sr * sr;
  const g = EULER_MASCHERONI;
  const n = trials.trials;
  const sr0 =
    n === 1
      ? 0
      : Math.sqrt(trials.sharpeVariance) *
        ((1 - g) * normalQuantile(1 - 1 / n) + g * normalQuantile(1 - 1 / (n * Math.E)));
  return {
    roiPct: ((end - e0) / e0) * 100,
    meanReturn: mean,
    returnSd: sd,
    skewness: skew,
    kurtosis: kurt,
    perPeriodSharpe: sr,
    sharpe: sr * Math.sqrt(periodsPerYear),
    sortino: (mean / Math.sqrt(down / T)) * Math.sqrt(periodsPerYear),
    maxDrawdown: maxDd,
    exposure: path.exposed.filter(Boolean).length / T,
    tradeCount: path.tradePnls.length,
    winRate: wins.length / path.tradePnls.length,
    averageTradePnl: path.tradePnls.reduce((a, b) => a + b, 0) / path.tradePnls.length,
    profitFactor: grossProfit / grossLoss,
    cagr,
    calmar: (T * barMinutes) / 1440 >= 30 ? cagr / maxDd : null,
    psr: normalCdf(((sr - srStar) * Math.sqrt(T - 1)) / Math.sqrt(v)),
    minTrl: sr > srStar ? 1 + v * (normalQuantile(0.95) / (sr - srStar)) ** 2 : null,
    deflationBenchmarkSharpe: sr0,
    dsr: normalCdf(((sr - sr0) * Math.sqrt(T - 1)) / Math.sqrt(v)),
  };
}

/** Each batch value equals the incremental one to 1e-9, relative (absolute near zero). */
function expectAgreement(snapshot: MetricSnapshot, expected: Record<string, number | null>): void {
  for (const [key, want] of Object.entries(expected)) {
    const got = snapshot[key as keyof MetricSnapshot] as number | null;
    if (want === null) {
      expect(got, key).toBeNull();
      continue;
    }
    expect(got, key).not.toBeNull();
    const scale = Math.max(Math.abs(want), 1e-12);
    expect(Math.abs(got! - want) / scale, `${key}: ${got} vs ${want}`).toBeLessThan(1e-9);
  }
}

describe('MetricsTracker against batch formulas on real returns', () => {
  it('Binance.US BTC/USDT 1m, 30,240 bars (USDC depeg week inside)', () => {
    const bars = loadCsv('binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz');
    expect(bars.length).toBe(30_240);
    const path = momentumPath(bars, 1);
    const trials: TrialStats = { trials: 3, sharpeVariance: 1e-5 };
    const snap = track(path, '1m', trials, 0.001);
    expect(MetricSnapshotSchema.safeParse(snap).success).toBe(true);
    expect(snap.tradeCount).toBeGreaterThan(1000);
    // 21 days: Calmar must be n/a
    expect(snap.calmar).toBeNull();
    expectAgreement(snap, batch(path, 525_600, 1, trials, 0.001));
  });

  it('Coinbase BTC-USD 4h, 2016–2025, with DSR over trials whose variance is accumulated', () => {
    const bars = loadCsv('coinbase_BTC-USD_4h_2016-05_2025-10.csv.gz');
    expect(bars.length).toBeGreaterThan(20_000);
    // Trials: the same rule at lags 1…8. V from the accumulator must equal the two-pass variance.
    const acc = new TrialSharpeAccumulator();
    const trialSharpes: number[] = [];
    for (let lag = 1; lag <= 8; lag++) {
      const s = track(momentumPath(bars, lag), '4h', { trials: 1, sharpeVariance: 0 });
      acc.push(s.perPeriodSharpe!);
      trialSharpes.push(s.perPeriodSharpe!);
    }
    const m = trialSharpes.reduce((a, b) => a + b, 0) / trialSharpes.length;
    const v = trialSharpes.reduce((a, b) => a + (b - m) ** 2, 0) / (trialSharpes.length - 1);
    const trials = acc.stats();
    expect(trials.trials).toBe(8);
    expect(Math.abs(trials.sharpeVariance / v - 1)).toBeLessThan(1e-9);

    const path = momentumPath(bars, 2);
    const snap = track(path, '4h', trials);
    expect(snap.calmar).not.toBeNull(); // years of history
    expectAgreement(snap, batch(path, 2_190, 240, trials));
  });

  it('buy and hold on Coinbase ETH-USD 1d: every bar exposed, Sharpe against batch', () => {
    const bars = loadCsv('coinbase_ETH-USD_1d_2016-05_2026-03.csv.gz');
    const path: Path = {
      initialEquity: 10_000,
      times: bars.map((b) => b.time),
      equity: bars.map((b) => (10_000 * b.close) / bars[0]!.open),
      exposed: bars.map(() => true),
      tradePnls: [(10_000 * bars.at(-1)!.close) / bars[0]!.open - 10_000],
    };
    const snap = track(path, '1d', { trials: 1, sharpeVariance: 0 });
    expect(snap.exposure).toBe(1);
    expect(snap.profitFactorInfinite).toBe(snap.grossLoss === 0 && snap.grossProfit > 0);
    const {
      profitFactor: _pf,
      winRate: _wr,
      ...expected
    } = batch(path, 365, 1440, { trials: 1, sharpeVariance: 0 });
    expectAgreement(snap, expected);
  });
});
