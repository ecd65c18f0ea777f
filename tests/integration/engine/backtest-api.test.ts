import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/core/time/clock';
import { Workstation } from '../../../src/core/workstation';
import type { BacktestProgress, BacktestResult } from '../../../src/shared/backtest';
import type { SeriesKey } from '../../../src/shared/market';
import type { CallOutcome } from '../../../src/shared/wire';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

const FILE = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
const SERIES: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };

function ok<T>(outcome: CallOutcome): T {
  if (!outcome.ok) throw new Error(`call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

describe('backtests through the typed API on a real SQLite file', () => {
  const dir = makeTempDir('parallax-backtest-api-');
  let ws: Workstation;
  const progress: BacktestProgress[] = [];

  beforeAll(async () => {
    ws = new Workstation({
      databasePath: join(dir.path, 'parallax.sqlite'),
      appVersion: 'test',
      clock: new TestClock(Date.UTC(2026, 0, 1)),
    });
    ws.events.subscribe((m) => {
      if (m.event === 'backtestProgress') progress.push(m.payload as BacktestProgress);
    });
    const path = sharedDataPath(FILE);
    ok(
      await ws.dispatcher.dispatch('importHistory', {
        fileName: basename(path),
        contentBase64: readFileSync(path).toString('base64'),
      }),
    );
  });

  afterAll(() => {
    ws.dispose();
    dir.remove();
  });

  it('when templates are listed then the six shipped ones come with their parameters', async () => {
    const templates = ok<Array<{ id: string; timeframe: string; parameters: unknown[] }>>(
      await ws.dispatcher.dispatch('listStrategyTemplates', {}),
    );
    expect(templates.map((t) => t.id)).toContain('ema-crossover-trend');
    expect(templates).toHaveLength(6);
    expect(templates.find((t) => t.id === 'ema-crossover-trend')).toMatchObject({
      timeframe: '5m',
      parameters: expect.arrayContaining([
        expect.objectContaining({ name: 'fast', type: 'int', default: 9 }),
      ]),
    });
  });

  it('when the EMA crossover runs over the month then progress ends completed, and trades, signals, orders and metrics are stored', async () => {
    const { runId } = ok<{ runId: string }>(
      await ws.dispatcher.dispatch('runBacktest', {
        templateId: 'ema-crossover-trend',
        series: SERIES,
      }),
    );
    await ws.backtests.whenDone(runId);
    const result = ok<BacktestResult>(await ws.dispatcher.dispatch('getBacktestResult', { runId }));
    expect(result.status).toBe('completed');
    expect(result.bars).toBe(30_240);
    expect(result.trades.length).toBeGreaterThan(0);
    expect(result.metrics?.tradeCount).toBe(result.trades.length);
    expect(result.equity).toHaveLength(30_240 / 5);
    const mine = progress.filter((p) => p.runId === runId);
    expect(mine.at(-1)).toMatchObject({ status: 'completed', done: 30_240, total: 30_240 });
    expect(mine.filter((p) => p.status === 'running').length).toBeGreaterThanOrEqual(5);
    const done = mine.map((p) => p.done);
    expect([...done].sort((a, b) => a - b)).toEqual(done);

    const count = (sql: string): number => (ws.db.prepare(sql).get(runId) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM trades WHERE run_id = ?')).toBe(result.trades.length);
    expect(count('SELECT COUNT(*) AS n FROM signals WHERE run_id = ?')).toBe(result.signalCount);
    expect(count('SELECT COUNT(*) AS n FROM orders WHERE run_id = ?')).toBeGreaterThanOrEqual(
      result.trades.length,
    );
    expect(count('SELECT COUNT(*) AS n FROM metric_snapshots WHERE run_id = ?')).toBe(1);
    const terms = ws.db
      .prepare('SELECT terms FROM signals WHERE run_id = ? LIMIT 1')
      .pluck()
      .get(runId);
    expect(JSON.parse(String(terms))).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'ma_fast' })]),
    );

    // Exports hold exactly the rows of the filter, every digit kept.
    const longs = result.trades.filter((t) => t.side === 'long');
    const csv = ok<{ rows: number; text: string }>(
      await ws.dispatcher.dispatch('exportTrades', {
        filter: { runId, side: 'long' },
        format: 'csv',
      }),
    );
    expect(csv.rows).toBe(longs.length);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(longs.length + 1);
    expect(lines[0]).toContain('gross_pnl,fee,net_pnl');
    const header = lines[0]!.split(',');
    const firstRow = lines[1]!.split(',');
    expect(Number(firstRow[header.indexOf('net_pnl')])).toBe(longs[0]!.netPnl);
    expect(firstRow[header.indexOf('exit_reason')]).toBe(longs[0]!.exitReason);

    const json = ok<{ rows: number; text: string }>(
      await ws.dispatcher.dispatch('exportTrades', { filter: { runId }, format: 'json' }),
    );
    const parsed = JSON.parse(json.text) as Array<Record<string, unknown>>;
    expect(parsed).toEqual(result.trades.map((t) => ({ ...t, runId })));

    const lastWeek = Date.UTC(2023, 2, 14);
    const ranged = ok<{ rows: number; text: string }>(
      await ws.dispatcher.dispatch('exportTrades', {
        filter: { runId, from: lastWeek },
        format: 'json',
      }),
    );
    expect(ranged.rows).toBe(result.trades.filter((t) => t.exitTime >= lastWeek).length);
    expect(ranged.rows).toBeLessThan(result.trades.length);
  });

  it('when a run is cancelled then it stops at its next yield and is stored as cancelled', async () => {
    const { runId } = ok<{ runId: string }>(
      await ws.dispatcher.dispatch('runBacktest', {
        templateId: 'macd-rsi-confirmation',
        series: SERIES,
      }),
    );
    expect(
      ok<{ cancelled: boolean }>(await ws.dispatcher.dispatch('cancelBacktest', { runId })),
    ).toEqual({ cancelled: true });
    await ws.backtests.whenDone(runId);
    const result = ok<BacktestResult>(await ws.dispatcher.dispatch('getBacktestResult', { runId }));
    expect(result.status).toBe('cancelled');
    expect(result.bars).toBeLessThan(30_240);
    const status = ws.db
      .prepare('SELECT status FROM backtest_runs WHERE run_id = ?')
      .pluck()
      .get(runId);
    expect(status).toBe('cancelled');
    expect(
      ok<{ cancelled: boolean }>(await ws.dispatcher.dispatch('cancelBacktest', { runId })),
    ).toEqual({ cancelled: false });
  });

  it('when a template, parameter or range is wrong then the call fails with a message for the user', async () => {
    const unknown = await ws.dispatcher.dispatch('runBacktest', {
      templateId: 'nope',
      series: SERIES,
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    const badParam = await ws.dispatcher.dispatch('runBacktest', {
      templateId: 'ema-crossover-trend',
      parameters: { fast: 1_000 },
      series: SERIES,
    });
    expect(badParam).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    const empty = await ws.dispatcher.dispatch('runBacktest', {
      templateId: 'ema-crossover-trend',
      series: SERIES,
      from: Date.UTC(2030, 0, 1),
    });
    expect(empty).toMatchObject({ ok: false, error: { code: 'FAILED' } });
  });
});
