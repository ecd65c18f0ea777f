import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_ACCOUNT_DEFAULTS } from '../../../src/core/execution';
import type { TestClock } from '../../../src/core/time/clock';
import type { Workstation } from '../../../src/core/workstation';
import type {
  LiveTradeRow,
  PositionRow,
  StrategySummary,
  VariantRow,
} from '../../../src/shared/variants';
import { makeTempDir } from '../../stubs/temp-dir';
import { btcUsdtMinutes } from '../../support/real-candles';
import { BTC, DAY, EventLog, MARCH_1, ok, play, workstationWithBtc } from './variant-harness';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';

const SLIP = PAPER_ACCOUNT_DEFAULTS.slippageBps / 10_000;
const bars = btcUsdtMinutes();
const barAt = new Map(bars.map((b) => [b.time, b]));

describe('the variant manager through the workstation API, on replayed real BTC/USDT minutes', () => {
  const dir = makeTempDir('parallax-variants-api-');
  let ws: Workstation;
  let clock: TestClock;
  let log: EventLog;
  let deployed: { strategy: StrategySummary; variants: VariantRow[] };

  beforeAll(async () => {
    ({ ws, clock, log } = workstationWithBtc(dir.path));
    // Two days of stored history before the replay starts: the variants warm up from it.
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 'max',
        from: MARCH_1 + 2 * DAY,
        to: MARCH_1 + 9 * DAY - 1,
      }),
    );
    ws.currentFeed.stop(); // held until the variants are deployed
    // 100 variants lose 25 trades in a row across them within hours: the breaker has its own tests.
    ok(await ws.dispatcher.dispatch('setCircuitBreakerLimits', WIDEST_BREAKER_LIMITS));
    deployed = ok(
      await ws.dispatcher.dispatch('deployStrategy', {
        templateId: 'rsi-mean-reversion',
        variants: 100,
        seed: 7,
      }),
    );
  });

  afterAll(() => {
    ws.dispose();
    dir.remove();
  });

  it('when 100 variants are deployed then main and 100 variants are listed, warm from stored history, each its own parameters', async () => {
    expect(deployed.variants).toHaveLength(101);
    expect(deployed.strategy).toMatchObject({
      name: expect.any(String),
      templateId: 'rsi-mean-reversion',
      version: 1,
      series: BTC,
      timeframe: '5m',
      variantCount: 100,
      trials: 101,
      autoPromote: false,
    });
    const [main, ...variants] = deployed.variants;
    expect(main).toMatchObject({ role: 'main', status: 'running', warmUpBarsLeft: 0 });
    expect(main!.parameters).toEqual({
      period: 14,
      oversold: 30,
      overbought: 70,
      exitLong: 55,
      exitShort: 45,
    });
    expect(variants.every((v) => v.role === 'variant' && v.status === 'running')).toBe(true);
    const distinct = new Set(deployed.variants.map((v) => JSON.stringify(v.parameters)));
    expect(distinct.size).toBe(101);
    const listed = ok<VariantRow[]>(await ws.dispatcher.dispatch('listVariants', {}));
    expect(listed.map((v) => v.variantId)).toEqual(deployed.variants.map((v) => v.variantId));
    expect(ok<StrategySummary[]>(await ws.dispatcher.dispatch('listStrategies', {}))).toEqual([
      deployed.strategy,
    ]);
    expect(log.of('variantStarted')).toHaveLength(101);
  });

  it('when paper mode is not chosen or the template is unknown then deploy refuses with a clear error', async () => {
    const real = await ws.dispatcher.dispatch('deployStrategy', {
      templateId: 'rsi-mean-reversion',
      mode: 'real',
    });
    expect(real).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    expect(JSON.stringify(real)).toContain('real trading is not built yet');
    const unknown = await ws.dispatcher.dispatch('deployStrategy', { templateId: 'nope' });
    expect(JSON.stringify(unknown)).toContain('no strategy template named nope');
    const badParams = await ws.dispatcher.dispatch('deployStrategy', {
      templateId: 'rsi-mean-reversion',
      parameters: { period: 500 },
    });
    expect(JSON.stringify(badParams)).toContain('parameters.period');
  });

  it('when the replay runs then trades are emitted, stored, listed and exported row for row', async () => {
    ws.currentFeed.start();
    // Pause v1 after a day, kill a variant that holds a position later on.
    await play(ws, clock, () => lastTime() >= MARCH_1 + 3 * DAY);
    const paused = ok<VariantRow>(
      await ws.dispatcher.dispatch('controlVariant', { variantId: 's1-v1', action: 'pause' }),
    );
    expect(paused.status).toBe('paused');
    const pausedAt = lastTime();
    await play(ws, clock, () => lastTime() >= MARCH_1 + 4 * DAY);
    const resumed = ok<VariantRow>(
      await ws.dispatcher.dispatch('controlVariant', { variantId: 's1-v1', action: 'resume' }),
    );
    expect(resumed.status).toBe('running');
    const resumedAt = lastTime();
    // While paused, v1 placed no entry order (entry rules were recorded as blocked).
    const v1Entries = ws.db
      .prepare(
        `SELECT time, action FROM signals WHERE run_id = 's1' AND variant_id = 's1-v1'
         AND rule IN ('entryLong', 'entryShort') AND time > ? AND time <= ?`,
      )
      .all(pausedAt, resumedAt) as Array<{ time: number; action: string }>;
    expect(v1Entries.every((s) => s.action === 'blocked')).toBe(true);

    await play(ws, clock);
    const emitted = log.of('tradeExecuted');
    expect(emitted.length).toBeGreaterThan(100);
    const listed = ok<LiveTradeRow[]>(
      await ws.dispatcher.dispatch('listLiveTrades', { limit: 100_000 }),
    );
    expect(listed).toHaveLength(emitted.length);
    const key = (t: LiveTradeRow): string => `${t.variantId}#${t.tradeId}`;
    expect(new Set(listed.map(key)).size).toBe(listed.length);
    expect(new Set(listed.map(key))).toEqual(new Set(emitted.map(key)));
    expect(listed.filter((t) => t.role === 'main').every((t) => t.variantId === 's1-main')).toBe(
      true,
    );

    for (const filter of [
      {},
      { role: 'main' as const },
      { variantId: 's1-v3', side: 'long' as const },
    ]) {
      const rows = ok<LiveTradeRow[]>(
        await ws.dispatcher.dispatch('listLiveTrades', { filter, limit: 100_000 }),
      );
      const csv = ok<{ rows: number; text: string }>(
        await ws.dispatcher.dispatch('exportLiveTrades', { filter, format: 'csv' }),
      );
      const json = ok<{ rows: number; text: string }>(
        await ws.dispatcher.dispatch('exportLiveTrades', { filter, format: 'json' }),
      );
      expect(csv.rows).toBe(rows.length);
      const lines = csv.text.trimEnd().split('\n');
      expect(lines).toHaveLength(rows.length + 1);
      expect(lines[0]).toContain('variant_id,trade_id');
      expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join('#'))).toEqual(rows.map(key));
      expect(JSON.parse(json.text)).toEqual(rows);
    }
  });

  it('when metrics change then they arrive as batched snapshots, never more than 4 per second of clock time', async () => {
    log.clear();
    // One day at 100× (a bar every 600 ms of clock time), then another at 250 bars a second.
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 100,
        from: MARCH_1 + 9 * DAY,
        to: MARCH_1 + 10 * DAY - 1,
      }),
    );
    await play(ws, clock);
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 100,
        from: MARCH_1 + 10 * DAY,
        to: MARCH_1 + 11 * DAY - 1,
      }),
    );
    await play(ws, clock, () => false, { stepMs: 4 });
    const updates = log.of('metricsUpdate');
    // The strategy trades 5-minute bars: 288 a day change its metrics.
    expect(updates.length).toBeGreaterThan(500);
    const span = updates.at(-1)!.time - updates[0]!.time;
    expect(updates.length).toBeLessThanOrEqual(span / 250 + 1);
    for (let i = 1; i < updates.length; i++)
      expect(updates[i]!.time - updates[i - 1]!.time).toBeGreaterThanOrEqual(250);
    for (const u of updates) {
      const ids = u.rows.map((r) => r.variantId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(101);
    }
    const last = updates.at(-1)!.rows.find((r) => r.variantId === 's1-main');
    const mainRow = ws.variants.listVariants('s1')[0]!;
    expect(last?.metrics.bars ?? mainRow.metrics.bars).toBe(mainRow.metrics.bars);
    const mainTrades = ok<LiveTradeRow[]>(
      await ws.dispatcher.dispatch('listLiveTrades', { filter: { role: 'main' } }),
    );
    expect(mainRow.metrics.tradeCount).toBe(mainTrades.length);
    expect(mainRow.metrics.equity).toBeCloseTo(
      10_000 + mainTrades.reduce((sum, t) => sum + t.netPnl, 0) + openPnl('s1-main'),
      6,
    );
  });

  it('when a variant holding a position is killed then it stops at once and its position closes at the next bar open', async () => {
    // A fresh replay of the following days on the same series: the variants continue on it.
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 100,
        from: MARCH_1 + 11 * DAY,
        to: MARCH_1 + 12 * DAY - 1,
      }),
    );
    let holder: PositionRow | undefined;
    await play(ws, clock, () => {
      holder = ws.variants.listPositions().find((p) => p.role === 'variant');
      return holder !== undefined;
    });
    expect(holder).toBeDefined();
    ws.currentFeed.stop();
    const killedAt = lastTime();
    const row = ok<VariantRow>(
      await ws.dispatcher.dispatch('killVariant', { variantId: holder!.variantId }),
    );
    expect(row.status).toBe('stopped');
    expect(row.statusReason).toContain('killed by a person');
    expect(row.position).toBe(holder!.side);
    ws.currentFeed.start();
    await play(ws, clock, () => lastTime() > killedAt);
    await play(ws, clock, () =>
      ws.variants.listPositions().every((p) => p.variantId !== holder!.variantId),
    );
    const trades = ok<LiveTradeRow[]>(
      await ws.dispatcher.dispatch('listLiveTrades', {
        filter: { variantId: holder!.variantId, exitReason: 'kill' },
      }),
    );
    expect(trades).toHaveLength(1);
    const next = barAt.get(killedAt + 60_000)!;
    expect(trades[0]!.exitTime).toBe(next.time);
    const sign = holder!.side === 'long' ? -1 : 1;
    expect(trades[0]!.exitPrice).toBeCloseTo(next.open * (1 + sign * SLIP), 9);
    expect(log.of('variantStopped').map((e) => e.variantId)).toContain(holder!.variantId);
    const after = ws.variants.listVariants('s1').find((v) => v.variantId === holder!.variantId)!;
    expect(after).toMatchObject({ status: 'stopped', position: null });
  });

  it('when one variant throws then only it is in error with the reason; the others keep trading', async () => {
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 'max',
        from: MARCH_1 + 12 * DAY,
        to: MARCH_1 + 13 * DAY - 1,
      }),
    );
    const running = ws.variants.listVariants('s1').filter((v) => v.status === 'running');
    const [victimRow, other] = running.filter((v) => v.role === 'variant');
    const victimId = victimRow!.variantId;
    const victim = ws.variants.instanceOf(victimId)!;
    victim.onBar = () => {
      throw new Error('forced failure in a test');
    };
    const before = ws.variants.instanceOf(other!.variantId)!.metrics.bars;
    await play(ws, clock);
    const rows = ws.variants.listVariants('s1');
    const failed = rows.find((v) => v.variantId === victimId)!;
    expect(failed.status).toBe('error');
    expect(failed.statusReason).toContain('forced failure in a test');
    const errored = rows.filter((v) => v.status === 'error').map((v) => v.variantId);
    expect(errored).toEqual([victimId]);
    expect(ws.variants.instanceOf(other!.variantId)!.metrics.bars).toBeGreaterThan(before);
    expect(
      log.of('alert').some((a) => a.kind === 'variant-error' && a.variantId === victimId),
    ).toBe(true);
  });

  it('when a variant is stopped and restarted then it trades again with its parameters and its trade ids continue', async () => {
    const v2Before = ok<LiveTradeRow[]>(
      await ws.dispatcher.dispatch('listLiveTrades', { filter: { variantId: 's1-v2' } }),
    );
    const stopped = ok<VariantRow>(
      await ws.dispatcher.dispatch('controlVariant', { variantId: 's1-v2', action: 'stop' }),
    );
    expect(stopped.status).toBe('stopped');
    const restarted = ok<VariantRow>(
      await ws.dispatcher.dispatch('controlVariant', { variantId: 's1-v2', action: 'restart' }),
    );
    expect(['running', 'warming']).toContain(restarted.status);
    expect(restarted.metrics.tradeCount).toBe(0);
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 'max',
        from: MARCH_1 + 13 * DAY,
        to: MARCH_1 + 17 * DAY - 1,
      }),
    );
    await play(ws, clock);
    const v2After = ok<LiveTradeRow[]>(
      await ws.dispatcher.dispatch('listLiveTrades', { filter: { variantId: 's1-v2' } }),
    );
    expect(v2After.length).toBeGreaterThan(v2Before.length);
    const ids = v2After.map((t) => t.tradeId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('when backtests of the same template complete then the trial ledger counts each distinct parameter set once', async () => {
    const before = ok<{ count: number }>(
      await ws.dispatcher.dispatch('getTrialLedger', { strategyId: 's1' }),
    );
    expect(before.count).toBe(101);
    const run = async (parameters: Record<string, number>): Promise<void> => {
      const { runId } = ok<{ runId: string }>(
        await ws.dispatcher.dispatch('runBacktest', {
          templateId: 'rsi-mean-reversion',
          parameters,
          series: BTC,
          to: MARCH_1 + 5 * DAY,
        }),
      );
      await ws.backtests.whenDone(runId);
    };
    await run({}); // main's parameters: tried already
    await run({ ...deployed.variants[7]!.parameters } as Record<string, number>); // a variant's
    await run({ period: 6, oversold: 17, overbought: 83, exitLong: 69, exitShort: 31 }); // new
    const ledger = ok<{
      count: number;
      sharpeVariance: number;
      trials: Array<{
        source: string;
        parameters: Record<string, number>;
        perPeriodSharpe: number | null;
      }>;
    }>(await ws.dispatcher.dispatch('getTrialLedger', { strategyId: 's1' }));
    expect(ledger.count).toBe(102);
    expect(ledger.trials).toHaveLength(102);
    const keys = ledger.trials.map((t) => JSON.stringify(Object.entries(t.parameters).sort()));
    expect(new Set(keys).size).toBe(102);
    const backtest = ledger.trials.filter((t) => t.source === 'backtest');
    expect(backtest).toHaveLength(1);
    expect(backtest[0]!.parameters).toMatchObject({ period: 6, oversold: 17 });
    expect(backtest[0]!.perPeriodSharpe).not.toBeNull();
    expect(ledger.sharpeVariance).toBeGreaterThan(0);
    const [strategy] = ok<StrategySummary[]>(await ws.dispatcher.dispatch('listStrategies', {}));
    expect(strategy!.trials).toBe(102);
    // The DSR of every variant is deflated with that N.
    const rows = ok<VariantRow[]>(
      await ws.dispatcher.dispatch('listVariants', { strategyId: 's1' }),
    );
    const judged = rows.filter((r) => r.promotion !== null && r.status === 'running');
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((r) => r.promotion!.dsr.trials === 102)).toBe(true);
  });

  it('when the feed switches to another series then the variants wait, saying so, and catch up from the store when it returns', async () => {
    const before = lastTime();
    ok(await ws.dispatcher.dispatch('selectFeed', { kind: 'simulated', seed: 3 }));
    const waiting = ok<VariantRow[]>(await ws.dispatcher.dispatch('listVariants', {}));
    const running = waiting.filter((v) => v.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    for (const v of running)
      expect(v.statusReason).toBe(
        'waiting for the binanceus BTC/USDT 1m feed: the feed shows simulated SIM/USDT 1m',
      );
    const watched = ws.variants.instanceOf(running[0]!.variantId)!;
    const barsBefore = watched.metrics.bars;
    // Back on BTC two days later: the two days in between are traded from the store first.
    const resumeAt = before + 2 * DAY + 60_000;
    ok(
      await ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 'max',
        from: resumeAt,
        to: resumeAt + DAY - 1,
      }),
    );
    const back = ok<VariantRow[]>(await ws.dispatcher.dispatch('listVariants', {}));
    expect(back.filter((v) => v.status === 'running').every((v) => v.statusReason === null)).toBe(
      true,
    );
    await play(ws, clock);
    expect(lastTime()).toBe(resumeAt + DAY - 60_000);
    // Every 5-minute bar from the one after `before` to the end, none skipped.
    expect(watched.metrics.bars - barsBefore).toBe((resumeAt + DAY - before - 60_000) / 300_000);
  });

  function openPnl(variantId: string): number {
    return ws.variants.listPositions().find((p) => p.variantId === variantId)?.unrealisedPnl ?? 0;
  }

  function lastTime(): number {
    return ws.variants.lastSeenTime(BTC) ?? 0;
  }
});
