import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, ManagerRig, flipTemplate } from './variant-fixture';

const btc = btcUsdtMinutes();

/** The connection's page cache in KB (SQLite keeps a negative cache_size as KB). */
function cacheKb(rig: ManagerRig): number {
  return -(rig.db.pragma('cache_size', { simple: true }) as number);
}

describe('the variant manager sizes the SQLite page cache to its variants', () => {
  const dir = makeTempDir('parallax-variant-page-cache-');
  let rig: ManagerRig | undefined;

  afterEach(() => {
    rig?.dispose();
    rig = undefined;
  });

  function deploy(r: ManagerRig, variants: number, seed: number): void {
    r.manager.deploy({
      templateId: 'flip',
      parameters: {},
      variants,
      sampler: 'random',
      seed,
      safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      initialCash: 10_000,
      mode: 'paper',
    });
  }

  it('when strategies are deployed then the cache grows to 64 KB a variant, and is never shrunk', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [flipTemplate] }, 'page-cache.sqlite');
    rig.store(btc.slice(0, 1));
    rig.at(btc[0]!.time);
    // better-sqlite3's default (16 MB) holds ~250 variants: start below it to see the growth.
    rig.db.pragma('cache_size = -100');
    deploy(rig, 9, 1); // main + 9
    expect(cacheKb(rig)).toBe(64 * 10);
    deploy(rig, 19, 2); // 10 + main + 19 = 30
    expect(cacheKb(rig)).toBe(64 * 30);
    rig.db.pragma('cache_size = -100000');
    deploy(rig, 0, 3); // 31 variants want 1,984 KB: the larger setting stays
    expect(cacheKb(rig)).toBe(100_000);
  });

  it('when a manager restores its strategies after a restart then the cache is sized for them again', () => {
    rig = new ManagerRig(dir.path, BTC, { templates: [flipTemplate] }, 'page-cache-restart.sqlite');
    rig.store(btc.slice(0, 1));
    rig.at(btc[0]!.time);
    deploy(rig, 24, 4);
    rig.manager.flush();
    rig.manager.dispose();
    rig.db.pragma('cache_size = -100');
    rig.reopen();
    expect(cacheKb(rig)).toBe(64 * 25);
  });
});
