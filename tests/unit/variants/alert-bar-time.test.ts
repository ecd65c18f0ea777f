import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertRepository } from '../../../src/core/store/alert-repository';
import { openDatabase } from '../../../src/core/store/database';
import { MIGRATIONS } from '../../../src/core/store/migrations';
import { makeTempDir } from '../../stubs/temp-dir';

describe('alerts keep the market bar time beside the wall-clock time', () => {
  const dir = makeTempDir('parallax-alert-bar-time-');

  it('when a store written before bar times were kept is opened then its alerts read back with a null bar time, and new ones keep theirs', () => {
    const path = join(dir.path, 'alerts.sqlite');
    // The schema as the previous build left it: every migration before the bar time.
    const old = openDatabase({
      path,
      migrations: MIGRATIONS.filter((m) => m.version < 5),
    });
    old
      .prepare(
        `INSERT INTO alerts (time, kind, severity, message, strategy_id, variant_id)
         VALUES (1767225600000, 'safety-stop', 'warning', 's1-v2 stopped: loss 5%', 's1', 's1-v2')`,
      )
      .run();
    old.close();

    const db = openDatabase({ path });
    const repo = new AlertRepository(db);
    const added = repo.insert({
      time: 1_767_225_660_000,
      barTime: Date.UTC(2023, 2, 8, 14, 5),
      kind: 'circuit-breaker',
      severity: 'critical',
      message: 'circuit breaker tripped',
      strategyId: null,
      variantId: null,
    });
    expect(repo.list(10)).toEqual([
      {
        alertId: 1,
        time: 1_767_225_600_000,
        barTime: null,
        kind: 'safety-stop',
        severity: 'warning',
        message: 's1-v2 stopped: loss 5%',
        strategyId: 's1',
        variantId: 's1-v2',
      },
      added,
    ]);
    expect(added.barTime).toBe(Date.UTC(2023, 2, 8, 14, 5));
    db.close();
  });
});
