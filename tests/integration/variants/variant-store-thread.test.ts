import { afterAll, describe, expect, it } from 'vitest';
import { OrderRepository } from '../../../src/core/store/order-repository';
import { SignalRepository } from '../../../src/core/store/signal-repository';
import { makeTempDir } from '../../stubs/temp-dir';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, MACD_RSI_DEPLOY as DEPLOY, ManagerRig } from '../../unit/variants/variant-fixture';

const btc = btcUsdtMinutes();
const DAY_BARS = 1_440;

/** Everything the manager stores, as read back on the rig's own connection. */
function stored(rig: ManagerRig, strategyId: string): unknown {
  const all = (sql: string): unknown[] => rig.db.prepare(sql).all();
  return {
    trades: rig.manager.listLiveTrades({}),
    signals: new SignalRepository(rig.db).list(strategyId),
    orders: new OrderRepository(rig.db).list(strategyId),
    variants: all(
      'SELECT variant_id, status, status_reason, started_at, parameters, checkpoint, updated_at FROM live_variants ORDER BY variant_id',
    ),
    strategies: all(
      'SELECT strategy_id, version, main_parameters, active, origin_time, last_time, state FROM live_strategies',
    ),
    ledger: all('SELECT * FROM trial_ledger ORDER BY parameter_key'),
    settings: all('SELECT * FROM app_settings ORDER BY key'),
    snapshots: all('SELECT * FROM metric_snapshots ORDER BY variant_id, time'),
  };
}

describe("a variant manager committing on the store's own thread", () => {
  const dir = makeTempDir('parallax-store-thread-');
  const rigs: ManagerRig[] = [];
  afterAll(() => {
    for (const rig of rigs) rig.dispose();
    dir.remove();
  });

  it('when it trades, is commanded and committed in the background then the store holds exactly what committing inline gives', () => {
    const run = (storeThread: boolean): { rig: ManagerRig; strategyId: string; jobs: number } => {
      const rig = new ManagerRig(
        dir.path,
        BTC,
        { snapshotIntervalMs: 3_600_000 },
        `${storeThread ? 'thread' : 'inline'}.sqlite`,
        storeThread,
      );
      rigs.push(rig);
      rig.store(btc.slice(0, 6 * DAY_BARS));
      rig.at(btc[2 * DAY_BARS - 1]!.time);
      rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
      const { strategy } = rig.manager.deploy(DEPLOY);
      let jobs = 0;
      // 200 ms of clock per bar: a tick and a background commit every few bars, as live.
      for (let day = 2; day < 6; day++) {
        const bars = btc.slice(day * DAY_BARS, (day + 1) * DAY_BARS);
        rig.feed(bars.slice(0, 700), 200);
        jobs += rig.committer?.pending ?? 0;
        // Commands between background commits: each must land after the commits before it.
        if (day === 3) rig.manager.kill(`${strategy.strategyId}-v3`);
        if (day === 4) rig.manager.control(`${strategy.strategyId}-v5`, 'restart');
        rig.feed(bars.slice(700), 200);
      }
      rig.manager.flush();
      return { rig, strategyId: strategy.strategyId, jobs };
    };
    const inline = run(false);
    const thread = run(true);

    expect(thread.rig.committer?.pending).toBe(0);
    // The thread really was behind at times: commits were in flight while bars went on.
    expect(thread.jobs).toBeGreaterThan(0);
    const expected = stored(inline.rig, inline.strategyId) as { trades: unknown[] };
    expect(expected.trades.length).toBeGreaterThan(50);
    expect(stored(thread.rig, thread.strategyId)).toEqual(expected);
  });
});
