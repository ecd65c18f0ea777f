import { afterAll, describe, expect, it } from 'vitest';
import type { LiveTradeRow, VariantRow } from '../../../src/shared/variants';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, MACD_RSI_DEPLOY as DEPLOY, ManagerRig } from './variant-fixture';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

const btc = btcUsdtMinutes();
const DAY_BARS = 1_440;

/** Deploys at the start of day 3 (two days of stored history to warm up from). */
function deployed(dir: string, file: string): ManagerRig {
  const rig = new ManagerRig(dir, BTC, {}, file);
  rig.store(btc);
  rig.at(btc[2 * DAY_BARS - 1]!.time);
  rig.manager.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
  rig.manager.deploy(DEPLOY);
  return rig;
}

const comparable = (rows: VariantRow[]) =>
  rows.map((r) => ({
    id: r.variantId,
    status: r.status,
    reason: r.statusReason,
    ...r.metrics,
    position: r.position,
  }));

describe('a variant manager rebuilt from its store after a crash', () => {
  const dir = makeTempDir('parallax-variant-restore-');
  const rigs: ManagerRig[] = [];
  afterAll(() => {
    for (const rig of rigs) rig.dispose();
    dir.remove();
  });

  it('when it crashes between commits then the restored run trades exactly as one that never stopped', () => {
    const end = 9 * DAY_BARS;
    // The run that never stops.
    const whole = deployed(dir.path, 'whole.sqlite');
    rigs.push(whole);
    whole.feed(btc.slice(2 * DAY_BARS, end));
    const expectedTrades = whole.manager.listLiveTrades({});
    expect(expectedTrades.length).toBeGreaterThan(50);

    // The same run, committed at one bar and killed a few hundred bars later (nothing more saved).
    const crashed = deployed(dir.path, 'crash.sqlite');
    const commitAt = 5 * DAY_BARS + 317;
    crashed.feed(btc.slice(2 * DAY_BARS, commitAt));
    crashed.manager.flush();
    const committed = crashed.manager.listLiveTrades({});
    const openAtCommit = crashed.manager.listPositions();
    expect(openAtCommit.length).toBeGreaterThan(0);
    crashed.feed(btc.slice(commitAt, commitAt + 400)); // lost: never committed

    // Restart on the same file: a new manager and connection, the old one simply abandoned.
    const restarted = new ManagerRig(dir.path, BTC, {}, 'crash.sqlite');
    rigs.push(restarted);
    restarted.manager.restore();
    expect(restarted.manager.lastSeenTime(BTC)).toBe(btc[commitAt - 1]!.time);
    expect(restarted.manager.listPositions()).toEqual(openAtCommit);
    expect(restarted.manager.listLiveTrades({})).toEqual(committed);
    restarted.feed(btc.slice(commitAt, end));

    const trades = restarted.manager.listLiveTrades({});
    expect(trades).toEqual(expectedTrades);
    const key = (t: LiveTradeRow): string => `${t.variantId}#${t.tradeId}`;
    expect(new Set(trades.map(key)).size).toBe(trades.length);
    expect(comparable(restarted.manager.listVariants())).toEqual(
      comparable(whole.manager.listVariants()),
    );
    expect(restarted.manager.listPositions()).toEqual(whole.manager.listPositions());
  });

  it('when bars closed while it was down then they are traded from the store before the next live bar', () => {
    const gap = deployed(dir.path, 'gap.sqlite');
    rigs.push(gap);
    gap.feed(btc.slice(2 * DAY_BARS, 3 * DAY_BARS));
    gap.manager.flush();
    const again = new ManagerRig(dir.path, BTC, {}, 'gap.sqlite');
    rigs.push(again);
    again.manager.restore();
    // The feed comes back a day later: the day in between is read from the store first.
    again.feed(btc.slice(4 * DAY_BARS, 6 * DAY_BARS));
    const reference = deployed(dir.path, 'gap-reference.sqlite');
    rigs.push(reference);
    reference.feed(btc.slice(2 * DAY_BARS, 6 * DAY_BARS));
    expect(again.manager.listLiveTrades({})).toEqual(reference.manager.listLiveTrades({}));
  });
});
