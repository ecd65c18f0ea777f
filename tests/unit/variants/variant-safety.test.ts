import { afterEach, describe, expect, it } from 'vitest';
import { PAPER_ACCOUNT_DEFAULTS } from '../../../src/core/execution';
import { LIMIT_TOLERANCE_PCT } from '../../../src/core/risk';
import type { SeriesKey } from '../../../src/shared/market';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, barsFrom, flipTemplate, ManagerRig, templateOf } from './variant-fixture';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

const SLIP = PAPER_ACCOUNT_DEFAULTS.slippageBps / 10_000;
const FEE = PAPER_ACCOUNT_DEFAULTS.takerFeeRate;
const btc = btcUsdtMinutes();

/** Long from the first bar on and never out by its own rules; leverage is the parameter. */
const alwaysLong = templateOf('always-long', {
  meta: { name: 'Always long', timeframe: '1m', version: 1 },
  parameters: [{ name: 'leverage', type: 'int', default: 5, min: 2, max: 10 }],
  rules: { entryLong: 'true', exitLong: 'false' },
  risk: { positionSize: { kind: 'percentOfEquity', percent: 100 }, leverage: '$leverage' },
});

describe('per-variant safety limits, the circuit breaker and the emergency stop', () => {
  const dir = makeTempDir('parallax-variant-safety-');
  let rig: ManagerRig | undefined;

  afterEach(() => {
    rig?.dispose();
    rig = undefined;
  });

  it('when a variant loses 5% then it is stopped with the reason and its position closes at the next bar open', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [alwaysLong] }, 'safety.sqlite');
    rig.store(btc);
    rig.at(btc[0]!.time);
    rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
    rig.manager.deploy(deployParams('always-long', 3));
    rig.feed(btc.slice(1, 15_000));
    rig.manager.flush();

    const rows = rig.manager.listVariants();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const leverage = row.parameters.leverage as number;
      const [trade, ...more] = rig.manager.listLiveTrades({ variantId: row.variantId });
      expect(more).toEqual([]);
      // Independently: equity at each close after the fill, the first bar reaching a limit.
      const fillBar = btc[2]!; // signal on bar 1, filled at bar 2's open
      expect(trade!.entryPrice).toBeCloseTo(fillBar.open * (1 + SLIP), 9);
      const qty = 10_000 / (trade!.entryPrice * (1 / leverage + FEE));
      expect(trade!.quantity).toBeCloseTo(qty, 9);
      const entryFee = qty * trade!.entryPrice * FEE;
      let peak = 10_000;
      let breach = -1;
      let kind = '';
      for (let i = 2; i < btc.length; i++) {
        const equity = 10_000 - entryFee + qty * (btc[i]!.close - trade!.entryPrice);
        peak = Math.max(peak, equity);
        if ((10_000 - equity) / 100 >= 5 - LIMIT_TOLERANCE_PCT) kind = 'loss';
        else if (((peak - equity) / peak) * 100 >= 10 - LIMIT_TOLERANCE_PCT) kind = 'drawdown';
        if (kind !== '') {
          breach = i;
          break;
        }
      }
      expect(breach).toBeGreaterThan(2);
      const exitBar = btc[breach + 1]!;
      expect(trade).toMatchObject({ exitReason: 'safetyLimit', exitTime: exitBar.time });
      expect(trade!.exitPrice).toBeCloseTo(exitBar.open * (1 - SLIP), 9);
      expect(row.status).toBe('stopped');
      expect(row.statusReason).toMatch(new RegExp(`^safety limit: ${kind} `));
      expect(row.position).toBeNull();
    }
    expect(rig.manager.listPositions()).toEqual([]);
    expect(
      rig
        .of('variantStopped')
        .map((e) => e.variantId)
        .sort(),
    ).toEqual(rows.map((r) => r.variantId).sort());
    expect(rig.of('alert').filter((a) => a.kind === 'safety-stop')).toHaveLength(4);
    expect(rig.manager.listAlerts(10).filter((a) => a.kind === 'safety-stop')).toHaveLength(4);
  });

  it('when the summed equity draws down 2% then the breaker trips, entries are blocked until a reset, then they resume', () => {
    const series: SeriesKey = { exchange: 'test', symbol: 'DOWN/USDT', timeframe: '1m' };
    rig = new ManagerRig(dir.path, series, { templates: [flipTemplate] }, 'breaker.sqlite');
    // A market that falls 0.1% every bar: every long round trip loses.
    const prices: Array<[number, number]> = [];
    let p = 100;
    for (let i = 0; i < 400; i++) {
      prices.push([p, p * 0.999]);
      p *= 0.999;
    }
    const bars = barsFrom(Date.UTC(2024, 0, 1), prices);
    rig.store(bars.slice(0, 1));
    rig.at(bars[0]!.time);
    rig.manager.setCircuitBreakerLimits({ ...WIDEST_BREAKER_LIMITS, maxDrawdownPct: 2 });
    rig.manager.deploy(deployParams('flip', 2));
    rig.feed(bars.slice(1, 300), 100);
    rig.manager.flush();

    // The trip bar, from the variants' own equity marks: summed, against the first sum as peak.
    const curves = rig.manager
      .listVariants()
      .map((v) => rig!.manager.chartView(v.variantId)!.equity);
    const sums = curves[0]!.map((pt, i) => ({
      time: pt.time,
      equity: curves.reduce((s, c) => s + c[i]!.equity, 0),
    }));
    let peak = -Infinity;
    const trip = sums.find((s) => {
      peak = Math.max(peak, s.equity);
      return ((peak - s.equity) / peak) * 100 >= 2 - LIMIT_TOLERANCE_PCT;
    })!;
    expect(trip).toBeDefined();
    const tripped = rig.of('circuitBreaker').find((s) => s.tripped)!;
    expect(tripped.reason).toMatch(/^drawdown 2(\.\d+)?% of the summed equity/);
    expect(rig.manager.circuitBreakerState().tripped).toBe(true);
    expect(rig.of('alert').some((a) => a.kind === 'circuit-breaker')).toBe(true);

    const entries = rig.db
      .prepare(`SELECT time, action FROM signals WHERE rule = 'entryLong' ORDER BY time`)
      .all() as Array<{ time: number; action: string }>;
    expect(entries.filter((s) => s.time <= trip.time).every((s) => s.action === 'entry')).toBe(
      true,
    );
    const after = entries.filter((s) => s.time > trip.time);
    expect(after.length).toBeGreaterThan(10);
    expect(after.every((s) => s.action === 'blocked')).toBe(true);
    expect(rig.manager.listPositions()).toEqual([]);

    rig.manager.resetCircuitBreaker();
    expect(rig.manager.circuitBreakerState()).toMatchObject({ tripped: false, reason: null });
    rig.feed(bars.slice(300, 304), 100);
    rig.manager.flush();
    const resumed = rig.db
      .prepare(`SELECT action FROM signals WHERE rule = 'entryLong' AND time >= ? ORDER BY time`)
      .all(bars[300]!.time) as Array<{ action: string }>;
    expect(resumed[0]?.action).toBe('entry');
  });

  it('when the emergency stop is pressed then every position closes at the next bar open and everything stops', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [alwaysLong] }, 'emergency.sqlite');
    rig.store(btc.slice(0, 100));
    rig.at(btc[0]!.time);
    rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
    rig.manager.deploy({ ...deployParams('always-long', 3), parameters: { leverage: 2 } });
    rig.feed(btc.slice(1, 10));
    expect(rig.manager.listPositions()).toHaveLength(4);
    const result = rig.manager.emergencyStop();
    expect(result).toMatchObject({ flattened: 4, stopped: 4 });
    expect(rig.manager.listVariants().every((v) => v.status === 'stopped')).toBe(true);
    rig.feed(btc.slice(10, 20));
    const trades = rig.manager.listLiveTrades({});
    expect(trades).toHaveLength(4);
    for (const t of trades) {
      expect(t).toMatchObject({ exitReason: 'emergencyStop', exitTime: btc[10]!.time });
      expect(t.exitPrice).toBeCloseTo(btc[10]!.open * (1 - SLIP), 9);
    }
    expect(rig.manager.listPositions()).toEqual([]);
    const orders = rig.db
      .prepare(`SELECT COUNT(*) AS n FROM orders WHERE kind = 'entry' AND time >= ?`)
      .get(btc[10]!.time) as { n: number };
    expect(orders.n).toBe(0);
    expect(rig.manager.listVariants().every((v) => v.statusReason === 'emergency stop')).toBe(true);
    expect(rig.manager.listAlerts(10).map((a) => [a.kind, a.severity])).toContainEqual([
      'emergency-stop',
      'critical',
    ]);
  });
});

function deployParams(templateId: string, variants: number) {
  return {
    templateId,
    parameters: {},
    variants,
    sampler: 'random' as const,
    seed: 3,
    safety: { maxLossPct: 5, maxDrawdownPct: 10 },
    initialCash: 10_000,
    mode: 'paper' as const,
  };
}
