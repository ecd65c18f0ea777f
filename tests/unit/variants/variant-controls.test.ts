import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, ManagerRig, flipTemplate } from './variant-fixture';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

const btc = btcUsdtMinutes();

describe('strategy-wide controls', () => {
  const dir = makeTempDir('parallax-variant-controls-');
  const rig = new ManagerRig(dir.path, BTC, { templates: [flipTemplate] });
  afterAll(() => {
    rig.dispose();
    dir.remove();
  });

  it('when a strategy is paused, resumed, stopped and restarted then every variant follows, and only while paused are entries blocked', () => {
    rig.store(btc.slice(0, 2_000));
    rig.at(btc[0]!.time);
    const m = rig.manager;
    m.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
    m.deploy({
      templateId: 'flip',
      parameters: {},
      variants: 3,
      sampler: 'grid',
      seed: 1,
      safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      initialCash: 10_000,
      mode: 'paper',
    });
    rig.feed(btc.slice(1, 10));
    const statuses = (): string[] => m.listVariants('s1').map((v) => v.status);

    expect(m.controlStrategy('s1', 'pause').map((v) => v.status)).toEqual(Array(4).fill('paused'));
    rig.feed(btc.slice(10, 20));
    m.flush();
    const entries = (from: number, to: number): string[] =>
      (
        rig.db
          .prepare(
            `SELECT DISTINCT action FROM signals WHERE rule = 'entryLong' AND time >= ? AND time < ?`,
          )
          .all(btc[from]!.time, btc[to]!.time) as Array<{ action: string }>
      ).map((r) => r.action);
    expect(entries(11, 20)).toEqual(['blocked']);

    m.controlStrategy('s1', 'resume');
    expect(statuses()).toEqual(Array(4).fill('running'));
    rig.feed(btc.slice(20, 30));
    m.flush();
    expect(entries(20, 30)).toEqual(['entry']);

    m.controlStrategy('s1', 'stop');
    expect(statuses()).toEqual(Array(4).fill('stopped'));
    rig.feed(btc.slice(30, 32));
    expect(m.listPositions()).toEqual([]);
    expect(() => m.control('s1-v1', 'resume')).toThrow(/s1-v1 is stopped: restart it instead/);
    const tradesBefore = m.listLiveTrades({}).length;

    const started = rig.of('variantStarted').length;
    expect(m.controlStrategy('s1', 'restart').map((v) => v.status)).toEqual(
      Array(4).fill('running'),
    );
    expect(rig.of('variantStarted')).toHaveLength(started + 4);
    rig.feed(btc.slice(32, 50));
    const trades = m.listLiveTrades({});
    expect(trades.length).toBeGreaterThan(tradesBefore);
    const keys = trades.map((t) => `${t.variantId}#${t.tradeId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(() => m.control('nope', 'pause')).toThrow('no variant nope');
  });
});
