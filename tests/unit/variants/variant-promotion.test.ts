import { afterEach, describe, expect, it } from 'vitest';
import type { SeriesKey } from '../../../src/shared/market';
import { makeTempDir } from '../../stubs/temp-dir';
import { barsFrom, ManagerRig, templateOf } from './variant-fixture';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

/**
 * Long (bias 1) or never in the market (bias 0), one round trip every two bars, `size` percent of
 * equity: on a rising market the long variants earn and main (bias 0) stays flat.
 */
const biased = templateOf('biased', {
  meta: { name: 'Biased', timeframe: '1m', version: 1 },
  parameters: [
    { name: 'bias', type: 'int', default: 0, min: 0, max: 1 },
    { name: 'size', type: 'int', default: 100, min: 10, max: 100 },
  ],
  rules: { entryLong: '$bias > 0', exitLong: 'true' },
  risk: { positionSize: { kind: 'percentOfEquity', percent: '$size' } },
});

const SERIES: SeriesKey = { exchange: 'test', symbol: 'UP/USDT', timeframe: '1m' };
const START = Date.UTC(2024, 0, 1);

/** A rising market with seeded noise: each bar opens at the last close and moves drift ± noise. */
function risingBars(count: number, drift: number, noise: number, seed: number) {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
  const prices: Array<[number, number]> = [];
  let p = 100;
  for (let i = 0; i < count; i++) {
    const close = p * (1 + drift + noise * uniform());
    prices.push([p, close]);
    p = close;
  }
  return barsFrom(START, prices);
}

// ─── Hand computations, independent of src/core/metrics ──────────────────────────────────────

/** Φ by Simpson's rule on the normal density (error far below 1e-12 for |z| ≤ 10). */
function phi(z: number): number {
  if (z < 0) return 1 - phi(-z);
  const n = 20_000;
  const h = Math.min(z, 10) / n;
  const f = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(0) + f(n * h);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return 0.5 + (sum * h) / 3;
}

/** Φ⁻¹ by bisection on {@link phi}. */
function phiInverse(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Per-period Sharpe (sample sd), skewness and kurtosis (population moments, not excess). */
function moments(equity: readonly number[], initial: number) {
  const r: number[] = [];
  let prev = initial;
  for (const e of equity) {
    r.push(e / prev - 1);
    prev = e;
  }
  const t = r.length;
  const mean = r.reduce((s, x) => s + x, 0) / t;
  const m = (k: number): number => r.reduce((s, x) => s + (x - mean) ** k, 0) / t;
  const sd = Math.sqrt((m(2) * t) / (t - 1));
  return { t, sharpe: mean / sd, skew: m(3) / m(2) ** 1.5, kurt: m(4) / m(2) ** 2 };
}

function dsrByHand(
  mo: ReturnType<typeof moments>,
  n: number,
  v: number,
): { sr0: number; dsr: number } {
  const g = 0.5772156649015329;
  const sr0 =
    n === 1
      ? 0
      : Math.sqrt(v) * ((1 - g) * phiInverse(1 - 1 / n) + g * phiInverse(1 - 1 / (n * Math.E)));
  const sr = mo.sharpe;
  const z =
    ((sr - sr0) * Math.sqrt(mo.t - 1)) /
    Math.sqrt(1 - mo.skew * sr + ((mo.kurt - 1) / 4) * sr * sr);
  return { sr0, dsr: phi(z) };
}

function sampleVariance(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

describe('promotion candidates, promotion and its audit', () => {
  const dir = makeTempDir('parallax-variant-promotion-');
  let rig: ManagerRig | undefined;

  afterEach(() => {
    rig?.dispose();
    rig = undefined;
  });

  function deploy(file: string, seed: number) {
    rig = new ManagerRig(dir.path, SERIES, { templates: [biased] }, file);
    const bars = risingBars(400, 0.003, 0.009, seed);
    rig.store(bars.slice(0, 1));
    rig.at(bars[0]!.time);
    rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
    const deployed = rig.manager.deploy({
      templateId: 'biased',
      parameters: {},
      variants: 6,
      sampler: 'random',
      seed,
      safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      initialCash: 10_000,
      mode: 'paper',
    });
    return { bars, deployed };
  }

  it('when variants trade a constructed market then their DSR and candidacy equal the hand-computed ones, with N and V from the ledger', () => {
    const { bars } = deploy('candidates.sqlite', 11);
    const sizes = new Set(rig!.manager.listVariants().map((v) => v.parameters.size));
    // Backtests of four other parameter sets, with the per-period Sharpes they measured.
    const backtests = [0.1, 0.2, 0.15, 0.18];
    let size = 10;
    for (const sharpe of backtests) {
      while (sizes.has(size)) size++;
      rig!.manager.recordBacktestTrial('biased', { bias: 1, size: size++ }, sharpe);
    }
    rig!.feed(bars.slice(1), 300);
    rig!.clock.advance(1_000);

    const rows = rig!.manager.listVariants();
    const ledger = rig!.manager.trialLedger('s1');
    expect(ledger.count).toBe(11);
    expect(ledger.trials.filter((t) => t.source === 'backtest')).toHaveLength(4);
    const long = rows.filter((v) => v.role === 'variant' && v.parameters.bias === 1);
    expect(long.length).toBeGreaterThanOrEqual(2);
    const liveSharpes = long.map((v) => {
      const curve = rig!.manager.chartView(v.variantId)!.equity.map((p) => p.equity);
      return moments(curve, 10_000);
    });
    const v = sampleVariance([...liveSharpes.map((m) => m.sharpe), ...backtests]);
    expect(ledger.sharpeVariance).toBeCloseTo(v, 12);

    const candidates = new Set(rig!.of('promotionCandidate').map((c) => c.variantId));
    long.forEach((row, i) => {
      const mo = liveSharpes[i]!;
      const hand = dsrByHand(mo, 11, v);
      const { decision } = rig!.manager.previewPromotion(row.variantId);
      expect(decision.dsr.trials).toBe(11);
      expect(decision.dsr.benchmarkSharpe).toBeCloseTo(hand.sr0, 9);
      expect(decision.dsr.value).toBeCloseTo(hand.dsr, 8);
      expect(decision.closedTrades.value).toBe(row.metrics.tradeCount);
      expect(decision.sharpe).toMatchObject({ main: 0, sameWindow: true });
      const expected = row.metrics.tradeCount >= 50 && hand.dsr >= 0.95 && mo.sharpe > 0;
      expect(decision.isCandidate).toBe(expected);
      expect(candidates.has(row.variantId)).toBe(expected);
    });
    expect(candidates.size).toBeGreaterThan(0);
    for (const flat of rows.filter((r) => r.role === 'variant' && r.parameters.bias === 0)) {
      const { decision, summary } = rig!.manager.previewPromotion(flat.variantId);
      expect(decision.isCandidate).toBe(false);
      expect(decision.reasons[0]).toBe('0 closed trades, 50 required');
      expect(summary).toContain('This variant is not a candidate: 0 closed trades, 50 required');
    }
    // Each candidate was announced once, with an alert.
    expect(rig!.of('promotionCandidate')).toHaveLength(candidates.size);
    expect(rig!.of('alert').filter((a) => a.kind === 'promotion-candidate')).toHaveLength(
      candidates.size,
    );
  });

  it('when a candidate and then a non-candidate are promoted then main switches parameters without stopping, keeps its open position, and each promotion has its audit row', () => {
    const { bars } = deploy('promote.sqlite', 11);
    rig!.feed(bars.slice(1, 200), 300);
    rig!.clock.advance(1_000);
    const m = rig!.manager;
    const candidate = m.listVariants().find((v) => v.promotion?.isCandidate)!;
    const flat = m.listVariants().find((v) => v.role === 'variant' && v.parameters.bias === 0)!;
    expect(candidate).toBeDefined();
    expect(flat).toBeDefined();

    const first = m.promote(candidate.variantId, false);
    expect(first).toMatchObject({
      strategyId: 's1',
      variantId: candidate.variantId,
      by: 'person',
      wasCandidate: true,
      before: { bias: 0, size: 100 },
      after: candidate.parameters,
      versionBefore: 1,
      versionAfter: 2,
    });
    expect(m.listStrategies()[0]!.version).toBe(2);
    expect(m.listVariants()[0]!.parameters).toEqual(candidate.parameters);

    // Main now trades long: wait for a bar after which it holds a position.
    let i = 200;
    const mainHolds = (): boolean => m.listPositions().some((p) => p.role === 'main');
    while (!mainHolds() || m.listLiveTrades({ role: 'main' }).length === 0)
      rig!.feed([bars[i++]!], 300);
    const held = m.listPositions().find((p) => p.role === 'main')!;
    const tradesBefore = m.listLiveTrades({ role: 'main' });
    expect(tradesBefore.length).toBeGreaterThan(0);

    expect(() => m.promote(flat.variantId, false)).toThrow(
      /is not a promotion candidate \(0 closed trades, 50 required.*acceptNonCandidate/,
    );
    const preview = m.previewPromotion(flat.variantId);
    expect(preview.summary).toContain('This variant is not a candidate');
    expect(preview.before).toEqual(candidate.parameters);
    expect(preview.after).toEqual(flat.parameters);
    const second = m.promote(flat.variantId, true);
    expect(second).toMatchObject({
      by: 'person',
      wasCandidate: false,
      before: candidate.parameters,
      after: flat.parameters,
      versionBefore: 2,
      versionAfter: 3,
    });
    expect(second.decision.reasons).toContain('0 closed trades, 50 required');
    // The open position went through the promotion untouched.
    expect(m.listPositions().find((p) => p.role === 'main')).toEqual(held);
    expect(m.listVariants()[0]).toMatchObject({ parameters: flat.parameters, status: 'running' });

    rig!.feed(bars.slice(i, i + 10), 300);
    const tradesAfter = m.listLiveTrades({ role: 'main' });
    // Its exit (signalled before the promotion) filled at the next open; then bias 0: no entries.
    expect(tradesAfter).toHaveLength(tradesBefore.length + 1);
    const last = tradesAfter.at(-1)!;
    expect(last).toMatchObject({
      entryPrice: held.entryPrice,
      quantity: held.quantity,
      exitTime: bars[i]!.time,
      tradeId: tradesBefore.at(-1)!.tradeId + 1,
    });
    expect(m.listPositions().filter((p) => p.role === 'main')).toEqual([]);
    expect(m.listPromotionAudit('s1')).toEqual([first, second]);
    expect(rig!.of('promoted')).toEqual([first, second]);
    expect(rig!.of('alert').filter((a) => a.kind === 'promoted')).toHaveLength(2);
  });

  it('when a candidate is killed then it no longer shows as a candidate: its reason says it was one when it stopped, also after a restart', () => {
    const { bars } = deploy('stopped-candidate.sqlite', 11);
    const m = rig!.manager;
    rig!.feed(bars.slice(1, 200), 300);
    rig!.clock.advance(1_000);
    const candidate = m.listVariants().find((v) => v.promotion?.isCandidate)!;
    expect(candidate).toBeDefined();
    const other = m
      .listVariants()
      .find(
        (v) =>
          v.role === 'variant' && v.variantId !== candidate.variantId && !v.promotion?.isCandidate,
      )!;
    expect(other).toBeDefined();

    m.kill(candidate.variantId);
    m.control(other.variantId, 'stop');
    rig!.feed(bars.slice(200, 203), 300);
    rig!.clock.advance(1_000);
    const killed = m.listVariants().find((v) => v.variantId === candidate.variantId)!;
    expect(killed.status).toBe('stopped');
    expect(killed.promotion?.isCandidate).toBe(false);
    expect(killed.promotion?.wasCandidate).toBe(true);
    expect(killed.promotion?.reasons[0]).toBe(
      'stopped (killed by a person): it was a candidate when it stopped',
    );
    // Its numbers stay, for comparison: the gate's own checks still pass on them.
    expect(killed.promotion?.closedTrades.pass).toBe(true);
    const stopped = m.listVariants().find((v) => v.variantId === other.variantId)!;
    expect(stopped.promotion?.wasCandidate).toBe(false);
    expect(stopped.promotion?.reasons[0]).toBe(
      'stopped (stopped by a person): a variant that no longer trades is not a candidate',
    );
    // The batched metric events the leaderboard patches from say the same.
    const lastEvent = rig!
      .of('metricsUpdate')
      .flatMap((u) => u.rows)
      .filter((r) => r.variantId === candidate.variantId)
      .at(-1)!;
    expect(lastEvent.status).toBe('stopped');
    expect(lastEvent.promotion?.isCandidate).toBe(false);
    expect(m.previewPromotion(candidate.variantId).summary).toContain(
      'This variant is not a candidate: stopped (killed by a person): it was a candidate when it stopped',
    );
    expect(() => m.promote(candidate.variantId, false)).toThrow(/is not a promotion candidate/);

    m.flush();
    rig!.reopen();
    const restored = rig!.manager.listVariants().find((v) => v.variantId === candidate.variantId)!;
    expect(restored.promotion?.isCandidate).toBe(false);
    expect(restored.promotion?.reasons[0]).toMatch(/^stopped \(killed by a person\): /);
  });

  it('when auto-promote is on then the first candidate is promoted by itself, recorded as auto', () => {
    const { bars } = deploy('auto.sqlite', 11);
    const m = rig!.manager;
    expect(m.listStrategies()[0]!.autoPromote).toBe(false);
    expect(m.setAutoPromote('s1', true).autoPromote).toBe(true);
    rig!.feed(bars.slice(1, 200), 300);
    rig!.clock.advance(1_000);
    const audit = m.listPromotionAudit('s1');
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0]).toMatchObject({ by: 'auto', wasCandidate: true, versionAfter: 2 });
    expect(audit[0]!.variantId).toBe(rig!.of('promotionCandidate')[0]!.variantId);
    expect(m.listVariants()[0]!.parameters).toEqual(audit.at(-1)!.after);
  });
});
