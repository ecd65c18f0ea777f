import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineRecordCollector } from '../../../src/core/engine';
import { openDatabase } from '../../../src/core/store/database';
import { EngineRecordWriter } from '../../../src/core/store/engine-record-writer';
import { OrderRepository } from '../../../src/core/store/order-repository';
import { SignalRepository } from '../../../src/core/store/signal-repository';
import { MetricSnapshotRepository } from '../../../src/core/store/metric-snapshot-repository';
import { TradeRepository } from '../../../src/core/store/trade-repository';
import { btcUsdtMinutes, crossoverVariantRecordedTwice } from '../../unit/engine/engine-fixtures';
import { makeTempDir } from '../../stubs/temp-dir';

describe('EngineRecordWriter on a real SQLite file', () => {
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('when a variant trades live then orders, trades, signals and snapshots are stored in batches and read back equal', () => {
    const dir = makeTempDir('parallax-writer-');
    dirs.push(dir);
    const path = join(dir.path, 'parallax.sqlite');
    const db = openDatabase({ path });
    const writer = new EngineRecordWriter(db, 'live-1', { maxBuffered: 64 });
    const collector = new EngineRecordCollector();
    const { loop, instance } = crossoverVariantRecordedTwice(collector, writer);
    const bars = btcUsdtMinutes().slice(0, 10_000);
    bars.forEach((bar, i) => {
      loop.onClosedBar(bar);
      if (i % 1_440 === 1_439) writer.onSnapshot('variant-a', bar.time, instance.snapshot());
    });
    writer.flush();
    db.close();

    const records =
      collector.orders.length + collector.trades.length + collector.signals.length + 6;
    expect(collector.trades.length).toBeGreaterThan(50);
    // Batched: one transaction per 64 records, not one per row.
    expect(writer.transactions).toBe(Math.ceil(records / 64));

    const reopened = openDatabase({ path });
    expect(new TradeRepository(reopened).list({ runId: 'live-1' })).toEqual(
      collector.trades.map((t) => ({ ...t, runId: 'live-1' })),
    );
    expect(new OrderRepository(reopened).list('live-1')).toEqual(collector.orders);
    expect(new SignalRepository(reopened).list('live-1')).toEqual(collector.signals);
    expect(new MetricSnapshotRepository(reopened).latest('live-1', 'variant-a')?.time).toBe(
      bars[1_440 * 6 - 1]!.time,
    );
    reopened.close();
  });
});
