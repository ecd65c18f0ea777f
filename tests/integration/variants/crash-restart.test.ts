import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveTradeRow, PositionRow } from '../../../src/shared/variants';
import { ServerFrameSchema, type CallOutcome } from '../../../src/shared/wire';
import { startHeadlessProcess, type HeadlessProcess } from '../../support/headless-process';
import { BTCUSDT_1M } from '../../support/real-candles';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';
import { BTC, DAY, MARCH_1, ok, play, workstationWithBtc } from './variant-harness';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

const FROM = MARCH_1 + 2 * DAY;
const TO = MARCH_1 + 21 * DAY - 1;
const LAST_BAR = MARCH_1 + 21 * DAY - 60_000;
// Wide safety limits: the variants trade through the whole range (the limits have their own tests).
const DEPLOY = {
  templateId: 'rsi-mean-reversion',
  variants: 20,
  seed: 9,
  safety: { maxLossPct: 60, maxDrawdownPct: 60 },
};

/** Calls over the host's WebSocket; events (a flood at max speed) are dropped unread. */
class ApiSocket {
  private readonly pending = new Map<number, (outcome: CallOutcome) => void>();
  private nextId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = ServerFrameSchema.parse(JSON.parse(String(data)));
      if (frame.type !== 'result' || frame.id === null) return;
      this.pending.get(frame.id)?.(frame.outcome);
      this.pending.delete(frame.id);
    });
  }

  public static open(pageUrl: string): Promise<ApiSocket> {
    const url = new URL(pageUrl);
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ApiSocket(ws)));
      ws.once('error', reject);
    });
  }

  public call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 60 s`)), 60_000);
      this.pending.set(id, (outcome) => {
        clearTimeout(timer);
        try {
          resolve(ok<T>(outcome));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.ws.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  public close(): void {
    this.ws.terminate();
  }
}

interface StoredTrade {
  variant_id: string;
  trade_id: number;
  [column: string]: unknown;
}

/** What the database file holds right now: committed trades and the checkpointed positions. */
function committedState(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const trades = db
      .prepare(`SELECT * FROM trades WHERE run_id = 's1' ORDER BY variant_id, trade_id`)
      .all() as StoredTrade[];
    const positions = (
      db.prepare('SELECT variant_id, checkpoint FROM live_variants').all() as Array<{
        variant_id: string;
        checkpoint: string | null;
      }>
    ).flatMap((r) => {
      const cp = r.checkpoint === null ? null : (JSON.parse(r.checkpoint) as CheckpointJson);
      const p = cp?.instance.exchange.position;
      return p ? [{ variantId: r.variant_id, ...p }] : [];
    });
    const seen = db.prepare(`SELECT value FROM app_settings WHERE key = 'feed.lastSeen'`).get() as
      { value: string } | undefined;
    const lastTime =
      seen === undefined
        ? null
        : ((JSON.parse(seen.value) as Record<string, number>)['binanceus|BTC/USDT|1m'] ?? null);
    return { trades, positions, lastTime };
  } finally {
    db.close();
  }
}

interface CheckpointJson {
  instance: {
    exchange: {
      position: { side: string; quantity: number; entryPrice: number; entryTime: number } | null;
    };
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGKILLs the host process (node itself, see startHeadlessProcess) and waits until it is gone. */
async function killHard(host: HeadlessProcess): Promise<void> {
  if (host.child.exitCode !== null || host.child.pid === undefined) return;
  const pid = host.child.pid;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill('SIGKILL');
  await exited;
  while (childAlive(pid)) await sleep(10);
}

function childAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a hard kill of the headless host while variants trade, then a restart on the same data', () => {
  const dataDir = makeTempDir('parallax-crash-');
  const refDir = makeTempDir('parallax-crash-reference-');
  const dbPath = join(dataDir.path, 'parallax.sqlite');
  let host: HeadlessProcess | undefined;
  let api: ApiSocket | undefined;

  afterAll(async () => {
    api?.close();
    if (host) await killHard(host);
    dataDir.remove();
    refDir.remove();
  });

  it('when killed with SIGKILL at random moments then no committed trade is lost or changed, positions come back, no trade is duplicated, and the result equals an uninterrupted run', async () => {
    // The uninterrupted run: the same calls in-process, on a TestClock.
    const ref = workstationWithBtc(refDir.path);
    ok(await ref.ws.dispatcher.dispatch('setCircuitBreakerLimits', WIDEST_BREAKER_LIMITS));
    ok(
      await ref.ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 1,
        from: FROM,
        to: TO,
      }),
    );
    ok(await ref.ws.dispatcher.dispatch('deployStrategy', DEPLOY));
    ok(await ref.ws.dispatcher.dispatch('setReplaySpeed', { speed: 'max' }));
    await play(ref.ws, ref.clock);
    const expected = ok<LiveTradeRow[]>(
      await ref.ws.dispatcher.dispatch('listLiveTrades', { limit: 100_000 }),
    );
    const expectedPositions = ref.ws.variants.listPositions();
    ref.ws.dispose();
    expect(expected.length).toBeGreaterThan(200);

    // The real host: import, deploy at 1× (nothing played yet), then replay as fast as it can.
    host = await startHeadlessProcess(dataDir.path);
    api = await ApiSocket.open(host.url);
    const file = sharedDataPath(BTCUSDT_1M);
    await api.call('importHistory', {
      fileName: basename(file),
      contentBase64: readFileSync(file).toString('base64'),
    });
    await api.call('setCircuitBreakerLimits', WIDEST_BREAKER_LIMITS);
    await api.call('selectFeed', { kind: 'replay', series: BTC, speed: 1, from: FROM, to: TO });
    await api.call('deployStrategy', DEPLOY);
    await api.call('setReplaySpeed', { speed: 'max' });
    while ((await api.call<LiveTradeRow[]>('listLiveTrades', { limit: 1 })).length === 0)
      await sleep(10);

    // Kills at random moments: two while the replay runs at 100× (a bar every 600 ms, commits
    // every 250 ms), then one right after switching back to max speed (heavy processing).
    const plan: Array<{ speed: 100 | 'max'; withinMs: number }> = [
      { speed: 100, withinMs: 1_500 },
      { speed: 100, withinMs: 1_500 },
      { speed: 'max', withinMs: 30 },
    ];
    const kills: Array<ReturnType<typeof committedState>> = [];
    for (const { speed, withinMs } of plan) {
      await api.call('setReplaySpeed', { speed });
      await sleep(Math.floor(Math.random() * withinMs));
      api.close();
      await killHard(host);
      const before = committedState(dbPath);
      kills.push(before);
      host = await startHeadlessProcess(dataDir.path);
      api = await ApiSocket.open(host.url);
      // Every trade committed before the kill is still there, unchanged.
      const after = committedState(dbPath);
      const now = new Map(after.trades.map((t) => [`${t.variant_id}#${t.trade_id}`, t]));
      for (const t of before.trades) expect(now.get(`${t.variant_id}#${t.trade_id}`)).toEqual(t);
    }
    await api.call('setReplaySpeed', { speed: 'max' });

    // Let the restarted host play to the end of the range.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = committedState(dbPath);
      if (state.lastTime === LAST_BAR) break;
      if (host.child.exitCode !== null) throw new Error(`host died:\n${host.output()}`);
      if (Date.now() > deadline)
        throw new Error(
          `the replay stopped at ${state.lastTime} (kills at ${kills.map((k) => k.lastTime).join(', ')}):\n${host.output()}`,
        );
      await sleep(100);
    }
    const final = await api.call<LiveTradeRow[]>('listLiveTrades', { limit: 100_000 });
    const open = await api.call<PositionRow[]>('listPositions');
    // Each position open at a kill was carried on: closed by a later trade with the same entry,
    // or still open with it.
    for (const { positions } of kills) {
      for (const p of positions) {
        const same = (x: { entryTime: number; entryPrice: number; quantity: number }): boolean =>
          x.entryTime === p.entryTime && x.entryPrice === p.entryPrice && x.quantity === p.quantity;
        const carried =
          final.some((t) => t.variantId === p.variantId && same(t)) ||
          open.some((o) => o.variantId === p.variantId && same(o));
        expect(carried, `position of ${p.variantId} entered at ${p.entryTime}`).toBe(true);
      }
    }
    const keys = final.map((t) => `${t.variantId}#${t.tradeId}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Variants traded on after every kill that came before the end of the range.
    const midRun = kills.map((k) => k.lastTime ?? 0).filter((t) => t < LAST_BAR);
    expect(midRun.length).toBeGreaterThanOrEqual(2);
    for (const t of midRun) expect(final.some((x) => x.exitTime > t)).toBe(true);
    expect(final).toEqual(expected);
    expect(open).toEqual(expectedPositions);
    const code = await host.stop();
    expect(code).toBe(0);
  }, 240_000);
});
