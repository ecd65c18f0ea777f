import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestService } from '../../../src/core/optimize';
import { BacktestRunRepository } from '../../../src/core/store/backtest-run-repository';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { TestClock } from '../../../src/core/time/clock';
import type { BacktestResult } from '../../../src/shared/backtest';
import type { SeriesKey } from '../../../src/shared/market';
import { btcUsdtMinutes } from '../../support/real-candles';
import { makeTempDir } from '../../stubs/temp-dir';

const SERIES: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };

describe('the stored list of backtest runs (what the backtest page reopens after a reload)', () => {
  const dir = makeTempDir('parallax-backtest-list-');
  const path = join(dir.path, 'parallax.sqlite');
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  let db: Db;
  let backtests: BacktestService;
  const results: BacktestResult[] = [];

  const open = (): void => {
    db = openDatabase({ path });
    backtests = new BacktestService({
      db,
      candles: new CandleRepository(db),
      clock,
      onProgress: () => {},
    });
  };
  const close = (): void => {
    backtests.dispose();
    db.close();
  };

  beforeAll(async () => {
    open();
    new CandleRepository(db).insert(SERIES, btcUsdtMinutes());
    for (const [templateId, from, to] of [
      ['ema-crossover-trend', Date.UTC(2023, 2, 2), Date.UTC(2023, 2, 9) - 1],
      ['macd-rsi-confirmation', Date.UTC(2023, 2, 8), Date.UTC(2023, 2, 15) - 1],
    ] as const) {
      const { runId } = backtests.start({ templateId, parameters: {}, series: SERIES, from, to });
      await backtests.whenDone(runId);
      results.push(backtests.result(runId));
      clock.advance(60_000);
    }
  });

  afterAll(() => {
    close();
    dir.remove();
  });

  const expectedSummary = (r: BacktestResult, startedAt: number): Record<string, unknown> => ({
    runId: r.runId,
    status: 'completed',
    strategyName: r.strategyName,
    templateId: r.templateId,
    parameters: r.parameters,
    series: SERIES,
    from: r.from,
    to: r.to,
    bars: r.bars,
    startedAt,
    finishedAt: startedAt,
    roiPct: r.metrics!.roiPct,
    tradeCount: r.trades.length,
    error: null,
  });

  it('when two runs completed then the list has both, newest first, with their stored ROI and trade count', () => {
    const [first, second] = results as [BacktestResult, BacktestResult];
    expect(first.trades.length).toBeGreaterThan(0);
    expect(second.trades.length).toBeGreaterThan(0);
    // Bars in range: 7 days of minutes each.
    expect(first.bars).toBe(7 * 1440);
    expect(backtests.list(20)).toEqual([
      expectedSummary(second, Date.UTC(2026, 0, 1) + 60_000),
      expectedSummary(first, Date.UTC(2026, 0, 1)),
    ]);
    expect(backtests.list(1).map((r) => r.runId)).toEqual([second.runId]);
  });

  it('when the host restarts on the same file then the list is the same, and the runs read back whole', () => {
    const before = backtests.list(20);
    close();
    open();
    expect(backtests.list(20)).toEqual(before);
    const [, second] = results as [BacktestResult, BacktestResult];
    const reread = backtests.result(second.runId);
    expect(reread.trades).toEqual(second.trades);
    expect(reread.metrics).toEqual(second.metrics);
  });

  it('when a run was still running as the host died then it is listed as cancelled, saying why', () => {
    new BacktestRunRepository(db).start({
      runId: 'backtest-99',
      strategyName: 'EMA crossover',
      templateId: 'ema-crossover-trend',
      parameters: {},
      series: SERIES,
      from: null,
      to: null,
      startedAt: Date.UTC(2026, 0, 2),
    });
    const [newest] = backtests.list(20);
    expect(newest).toMatchObject({
      runId: 'backtest-99',
      status: 'cancelled',
      roiPct: null,
      tradeCount: null,
      error: 'the host stopped before the run ended',
    });
  });
});
