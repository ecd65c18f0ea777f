import { afterAll, describe, expect, it } from 'vitest';
import type { SeriesKey } from '../../../src/shared/market';
import type { VariantRow } from '../../../src/shared/variants';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';
import { ManagerRig } from './variant-fixture';

const BTC: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };
const btc = btcUsdtMinutes();
const DAY_BARS = 1_440;

/** The trial's set-up: 100 RSI variants, tight loss limits so several stop along the way. */
function deployed(dir: string, file: string): ManagerRig {
  const rig = new ManagerRig(dir, BTC, {}, file);
  rig.store(btc);
  rig.at(btc[2 * DAY_BARS - 1]!.time);
  rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
  rig.manager.deploy({
    templateId: 'rsi-mean-reversion',
    parameters: {},
    variants: 100,
    sampler: 'latin-hypercube',
    seed: 3,
    safety: { maxLossPct: 1, maxDrawdownPct: 2 },
    initialCash: 10_000,
    mode: 'paper',
  });
  return rig;
}

/** What the promotion gate reads of each row: DSR with its N and V, PSR, Sharpe, trades. */
const gateInputs = (rows: VariantRow[]) =>
  rows.map((r) => ({
    id: r.variantId,
    status: r.status,
    sharpe: r.metrics.sharpe,
    trades: r.metrics.tradeCount,
    psr: r.metrics.psr,
    dsr: r.metrics.dsr,
    gate: r.promotion?.dsr ?? null,
  }));

describe('the DSR of a variant manager restarted from its store', () => {
  const dir = makeTempDir('parallax-dsr-restart-');
  const rigs: ManagerRig[] = [];
  afterAll(() => {
    for (const rig of rigs) rig.dispose();
    dir.remove();
  });

  it('when the host restarts then every variant, stopped or trading, shows the DSR, PSR, N and V it showed before, and later the same as a run that never stopped', () => {
    const stopAt = 4 * DAY_BARS;
    const end = 5 * DAY_BARS;
    // 50 ms of clock per bar: the manager's ticks run and the ledger's Sharpes (V) move.
    const whole = deployed(dir.path, 'whole.sqlite');
    rigs.push(whole);
    whole.feed(btc.slice(2 * DAY_BARS, stopAt), 50);

    const first = deployed(dir.path, 'restarted.sqlite');
    first.feed(btc.slice(2 * DAY_BARS, stopAt), 50);
    first.clock.advance(1_000);
    const before = gateInputs(first.manager.listVariants());
    // Several variants were stopped by their limits with trades behind them, and V is not 0.
    const stopped = before.filter((r) => r.status === 'stopped' && r.trades > 0);
    expect(stopped.length).toBeGreaterThan(5);
    expect(before[1]!.gate!.trials).toBe(101);
    expect(before[1]!.gate!.sharpeVariance).toBeGreaterThan(0);
    for (const r of stopped) expect(r.dsr).not.toBe(r.psr);
    first.dispose();

    const again = new ManagerRig(dir.path, BTC, {}, 'restarted.sqlite');
    rigs.push(again);
    again.manager.restore();
    expect(gateInputs(again.manager.listVariants())).toEqual(before);

    again.feed(btc.slice(stopAt, end), 50);
    whole.feed(btc.slice(stopAt, end), 50);
    again.clock.advance(1_000);
    whole.clock.advance(1_000);
    expect(gateInputs(again.manager.listVariants())).toEqual(
      gateInputs(whole.manager.listVariants()),
    );
  });
});
