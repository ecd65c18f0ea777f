import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../stubs/temp-dir';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, ManagerRig, flipTemplate } from './variant-fixture';

const btc = btcUsdtMinutes();

describe('the circuit breaker over 100 variants counts losing bars of the book', () => {
  const dir = makeTempDir('parallax-variant-breaker-');
  let rig: ManagerRig | undefined;

  afterEach(() => {
    rig?.dispose();
    rig = undefined;
  });

  it('when 100 variants close losing trades on one bar then that is one losing bar; it trips at the 20th losing bar in a row, computed from the stored trades', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [flipTemplate] }, 'breaker-book.sqlite');
    rig.store(btc.slice(0, 1));
    rig.at(btc[0]!.time);
    rig.manager.setCircuitBreakerLimits({ ...WIDEST_BREAKER_LIMITS, maxConsecutiveLosses: 20 });
    rig.manager.deploy({
      templateId: 'flip',
      parameters: {},
      variants: 99,
      sampler: 'random',
      seed: 5,
      safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      initialCash: 10_000,
      mode: 'paper',
    });
    // Bar by bar on real BTC/USDT minutes, noting the bar at which the breaker first trips.
    let tripBar: number | null = null;
    for (const bar of btc.slice(1, 400)) {
      rig.feed([bar]);
      if (tripBar === null && rig.manager.circuitBreakerState().tripped) tripBar = bar.time;
    }
    rig.manager.flush();

    // Independently, from the stored trades: the sum of each closing bar, in bar order.
    const trades = rig.manager.listLiveTrades({}, 100_000);
    const byBar = new Map<number, { net: number; losers: number }>();
    for (const t of trades) {
      const b = byBar.get(t.exitTime) ?? { net: 0, losers: 0 };
      b.net += t.netPnl;
      if (t.netPnl < 0) b.losers++;
      byBar.set(t.exitTime, b);
    }
    const bars = [...byBar].sort((a, b) => a[0] - b[0]);
    // The old rule counted trades: the first closing bar alone already had ≥ 50 losing trades
    // (100 variants, same entry and exit prices, fees on every trade), so a limit of 50 tripped
    // on the first minute of trading.
    expect(bars[0]![1].losers).toBeGreaterThanOrEqual(50);
    let run = 0;
    let expectedTrip: number | null = null;
    for (const [time, b] of bars) {
      run = b.net < 0 ? run + 1 : 0;
      if (run === 20) {
        expectedTrip = time;
        break;
      }
    }
    expect(expectedTrip).not.toBeNull();
    // The exit fills at the open of the bar that is being processed: the breaker counts the bar
    // once every account has stepped it, so it trips at that very bar.
    expect(tripBar).toBe(expectedTrip);
    expect(rig.manager.circuitBreakerState().reason).toBe(
      '20 losing bars in a row (the trades closed on each, all accounts together, lost money) reached the limit of 20',
    );
    // The alert says at which market bar it tripped, beside the wall-clock time.
    const [alert] = rig.manager.listAlerts(10).filter((a) => a.kind === 'circuit-breaker');
    expect(alert).toMatchObject({ barTime: expectedTrip, time: rig.clock.nowMs() });
    expect(rig.of('alert').find((a) => a.kind === 'circuit-breaker')).toEqual(alert);
    // Entries signalled on the trip bar itself (before every account had closed it) fill at
    // the next open; from the bar after it every entry is blocked.
    expect(Math.max(...trades.map((t) => t.entryTime))).toBe(expectedTrip! + 60_000);
    const late = rig.db
      .prepare(`SELECT DISTINCT action FROM signals WHERE rule = 'entryLong' AND time > ?`)
      .all(expectedTrip) as Array<{ action: string }>;
    expect(late).toEqual([{ action: 'blocked' }]);
  });

  it('when the breaker state is stored mid-bar-run then a restarted manager goes on counting from it', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [flipTemplate] }, 'breaker-restart.sqlite');
    rig.store(btc.slice(0, 1));
    rig.at(btc[0]!.time);
    rig.manager.setCircuitBreakerLimits({ ...WIDEST_BREAKER_LIMITS, maxConsecutiveLosses: 1_000 });
    rig.manager.deploy({
      templateId: 'flip',
      parameters: {},
      variants: 9,
      sampler: 'random',
      seed: 5,
      safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      initialCash: 10_000,
      mode: 'paper',
    });
    rig.store(btc.slice(1, 120));
    rig.feed(btc.slice(1, 60));
    rig.manager.flush();
    const before = rig.manager.circuitBreakerState().values.consecutiveLosses;
    rig.reopen();
    expect(rig.manager.circuitBreakerState().values.consecutiveLosses).toBe(before);
    rig.feed(btc.slice(60, 120));
    rig.manager.flush();
    // The run at the end equals the one computed from every stored trade of both sessions.
    const byBar = new Map<number, number>();
    for (const t of rig.manager.listLiveTrades({}, 100_000))
      byBar.set(t.exitTime, (byBar.get(t.exitTime) ?? 0) + t.netPnl);
    let run = 0;
    for (const [, net] of [...byBar].sort((a, b) => a[0] - b[0])) run = net < 0 ? run + 1 : 0;
    expect(run).toBeGreaterThan(0);
    expect(rig.manager.circuitBreakerState().values.consecutiveLosses).toBe(run);
  });
});
