import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineRecordCollector } from '../../../src/core/engine';
import { AppSettingRepository } from '../../../src/core/store/app-setting-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { EngineRecordWriter } from '../../../src/core/store/engine-record-writer';
import { MetricSnapshotRepository } from '../../../src/core/store/metric-snapshot-repository';
import { OrderRepository } from '../../../src/core/store/order-repository';
import { SignalRepository } from '../../../src/core/store/signal-repository';
import { InlineStoreCommitter } from '../../../src/core/store/store-commit';
import {
  openStoreCommitter,
  StoreThreadUnavailableError,
  ThreadStoreCommitter,
} from '../../../src/core/store/store-commit-thread';
import { TradeRepository } from '../../../src/core/store/trade-repository';
import { btcUsdtMinutes, crossoverVariantRecordedTwice } from '../../unit/engine/engine-fixtures';
import { makeTempDir } from '../../stubs/temp-dir';

function tempPath(dirs: Array<{ remove: () => void }>): string {
  const dir = makeTempDir('parallax-commit-');
  dirs.push(dir);
  return join(dir.path, 'parallax.sqlite');
}

describe('ThreadStoreCommitter on a real SQLite file', () => {
  const dirs: Array<{ remove: () => void }> = [];
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    cleanup.splice(0).forEach((c) => c());
    dirs.splice(0).forEach((d) => d.remove());
  });

  /**
   * A committer on a fresh file whose thread runs tests/stubs/`stub`, waiting at most
   * `answerTimeoutMs`; `takeOver`: the caller's connection takes over if the thread ends.
   */
  function onStubThread(
    stub: string,
    options: { answerTimeoutMs?: number; takeOver?: boolean } = {},
  ): {
    db: Db;
    committer: ThreadStoreCommitter;
    logs: string[];
    settings: AppSettingRepository;
  } {
    const path = tempPath(dirs);
    const db = openDatabase({ path });
    cleanup.push(() => db.close());
    const logs: string[] = [];
    const committer = new ThreadStoreCommitter({
      path,
      log: (m) => logs.push(m),
      workerUrl: new URL(`../../stubs/${stub}`, import.meta.url),
      ...(options.answerTimeoutMs !== undefined
        ? { answerTimeoutMs: options.answerTimeoutMs }
        : {}),
      ...(options.takeOver === true ? { takeOver: db } : {}),
    });
    return { db, committer, logs, settings: new AppSettingRepository(db) };
  }

  it('when a variant trades and its batches are committed on the thread then every record reads back equal, in order, from the calling thread', () => {
    const path = tempPath(dirs);
    const db = openDatabase({ path });
    const logs: string[] = [];
    const committer = new ThreadStoreCommitter({ path, log: (m) => logs.push(m) });
    cleanup.push(() => (committer.dispose(), db.close()));
    const writer = new EngineRecordWriter(db, 'live-1', { maxBuffered: Number.POSITIVE_INFINITY });
    const collector = new EngineRecordCollector();
    const { loop, instance } = crossoverVariantRecordedTwice(collector, writer);
    const settings = new AppSettingRepository(db);
    const bars = btcUsdtMinutes().slice(0, 10_000);
    let jobs = 0;
    bars.forEach((bar, i) => {
      loop.onClosedBar(bar);
      if (i % 1_000 === 999) {
        writer.onSnapshot('variant-a', bar.time, instance.snapshot());
        const batch = writer.takeBatch();
        committer.submit({
          batches: batch === null ? [] : [batch],
          statements: [settings.setLater('progress', { bar: i })],
        });
        jobs++;
      }
    });
    committer.drain();

    expect(jobs).toBe(10);
    expect(committer.pending).toBe(0);
    expect(collector.trades.length).toBeGreaterThan(50);
    expect(collector.signals.some((s) => s.termValues.length > 0)).toBe(true);
    // Read on the calling thread's own connection: everything the thread committed is there.
    expect(new TradeRepository(db).list({ runId: 'live-1' })).toEqual(
      collector.trades.map((t) => ({ ...t, runId: 'live-1' })),
    );
    expect(new OrderRepository(db).list('live-1')).toEqual(collector.orders);
    expect(new SignalRepository(db).list('live-1')).toEqual(collector.signals);
    expect(new MetricSnapshotRepository(db).latest('live-1', 'variant-a')?.time).toBe(
      bars[9_999]!.time,
    );
    // Statements run in submission order: the last job's value is the one kept.
    expect(settings.get('progress')).toEqual({ bar: 9_999 });
    expect(logs).toEqual([]);
  });

  it('when a commit fails then it stays queued ahead of later ones, drain says why, and it commits once the cause is gone', () => {
    const path = tempPath(dirs);
    const db = openDatabase({ path });
    const logs: string[] = [];
    const committer = new ThreadStoreCommitter({ path, log: (m) => logs.push(m) });
    cleanup.push(() => (committer.dispose(), db.close()));
    const settings = new AppSettingRepository(db);
    const late = { sql: 'INSERT INTO late_table (v) VALUES (?)', args: [1] };

    committer.submit({ batches: [], statements: [settings.setLater('a', 1)] });
    committer.submit({ batches: [], statements: [late, settings.setLater('b', 2)] });
    committer.submit({ batches: [], statements: [settings.setLater('c', 3)] });
    expect(() => committer.drain()).toThrow(/no such table: late_table/);
    // The first job committed; the failed one (and its 'b') did not, nor the one after it.
    expect(settings.get('a')).toBe(1);
    expect(settings.get('b')).toBeUndefined();
    expect(settings.get('c')).toBeUndefined();
    expect(committer.pending).toBe(2);
    // A commit handed over in the background meanwhile does not wait; the failure is logged once.
    committer.submit({ batches: [], statements: [settings.setLater('d', 4)] });
    committer.submit({ batches: [], statements: [settings.setLater('e', 5)] });
    expect(committer.pending).toBe(4);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /commit failed \(kept, tried again with the next one\): no such table: late_table/,
    );

    db.exec('CREATE TABLE late_table (v INTEGER)');
    committer.drain();
    expect(committer.pending).toBe(0);
    expect(settings.get('b')).toBe(2);
    expect(settings.get('c')).toBe(3);
    expect(settings.get('e')).toBe(5);
    expect(db.prepare('SELECT COUNT(*) AS n FROM late_table').get()).toEqual({ n: 1 });
  });

  it('when the thread ends on its own then the next commit says so at once instead of waiting for it', async () => {
    const { committer, settings } = onStubThread('store-worker-that-exits.mjs');
    // The thread's end is seen between calls, as the event loop delivers it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(() =>
      committer.submit({ batches: [], statements: [settings.setLater('a', 1)] }),
    ).toThrow(/the store thread has stopped \(it exited with code 3\)/);
    expect(settings.get('a')).toBeUndefined();
  });

  it('when the thread dies in the middle of a commit then a drain blocked on it says why at once instead of waiting out its timeout', () => {
    const { committer, settings } = onStubThread('store-worker-that-throws-on-a-job.mjs', {
      // Without the thread's own word the wait ends only here, with "no answer" (and this fails).
      answerTimeoutMs: 20_000,
    });
    committer.submit({ batches: [], statements: [settings.setLater('a', 1)] });
    expect(() => committer.drain()).toThrow(
      /the store thread has stopped \(disk on fire while committing job 1\); 1 commits handed to it were not written/,
    );
    expect(settings.get('a')).toBeUndefined();
  }, 30_000);

  it("when the thread dies with commits it has not written and the caller's connection can take over then nothing handed over is lost and later commits go on", () => {
    const { db, committer, logs, settings } = onStubThread(
      'store-worker-that-throws-on-a-job.mjs',
      { answerTimeoutMs: 20_000, takeOver: true },
    );
    cleanup.unshift(() => committer.dispose());
    const writer = new EngineRecordWriter(db, 'live-1', { maxBuffered: Number.POSITIVE_INFINITY });
    const collector = new EngineRecordCollector();
    const { loop } = crossoverVariantRecordedTwice(collector, writer);
    const bars = btcUsdtMinutes().slice(0, 3_000);
    bars.forEach((bar, i) => {
      loop.onClosedBar(bar);
      if (i % 1_000 === 999) {
        const batch = writer.takeBatch();
        // The first job kills the thread; the later ones come while it dies or after.
        committer.submit({
          batches: batch === null ? [] : [batch],
          statements: [settings.setLater('progress', { bar: i })],
        });
      }
    });
    committer.drain();
    expect(committer.pending).toBe(0);
    expect(settings.get('progress')).toEqual({ bar: 2_999 });
    expect(collector.trades.length).toBeGreaterThan(10);
    expect(new TradeRepository(db).list({ runId: 'live-1' })).toEqual(
      collector.trades.map((t) => ({ ...t, runId: 'live-1' })),
    );
    expect(new OrderRepository(db).list('live-1')).toEqual(collector.orders);
    expect(new SignalRepository(db).list('live-1')).toEqual(collector.signals);
    expect(logs.join('\n')).toMatch(
      /the store thread stopped \(disk on fire while committing job 1\): committing on the main thread from now on, starting with the [1-3] commits it had not written/,
    );
  }, 30_000);

  it("when the thread's script cannot load then the committer says why at once, and the workstation would fall back", () => {
    const path = tempPath(dirs);
    for (const [stub, reason] of [
      [
        'store-worker-that-fails-to-load.mjs',
        /its script did not load: the native module did not load/,
      ],
      [
        'no-such-store-worker.mjs',
        /its script did not load: Cannot find module .*no-such-store-worker\.mjs/,
      ],
    ] as const) {
      const open = (): ThreadStoreCommitter =>
        new ThreadStoreCommitter({
          path,
          answerTimeoutMs: 20_000,
          workerUrl: new URL(`../../stubs/${stub}`, import.meta.url),
        });
      expect(open).toThrow(StoreThreadUnavailableError);
      expect(open).toThrow(reason);
    }
  }, 30_000);

  it('when the thread cannot open the database then the committer says so and the workstation falls back to committing on its own thread', () => {
    const dir = makeTempDir('parallax-commit-');
    dirs.push(dir);
    // A directory where the database file should be: SQLite cannot open it.
    const path = join(dir.path, 'not-a-file');
    mkdirSync(path);
    const db = openDatabase({ path: join(dir.path, 'real.sqlite') });
    cleanup.push(() => db.close());
    expect(() => new ThreadStoreCommitter({ path })).toThrow(StoreThreadUnavailableError);
    const logs: string[] = [];
    const fallback = openStoreCommitter(db, path, (m) => logs.push(m));
    expect(fallback).toBeInstanceOf(InlineStoreCommitter);
    expect(logs.join('\n')).toMatch(
      /committing on the main thread: the store thread could not open/,
    );
    expect(openStoreCommitter(db, ':memory:')).toBeInstanceOf(InlineStoreCommitter);
  });
});
