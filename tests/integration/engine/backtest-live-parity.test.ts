import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  EquityCurve,
} from '../../../src/core/engine';
import { HistoryImporter } from '../../../src/core/history/history-importer';
import { ReplayFeed } from '../../../src/core/market/replay-feed';
import { BacktestRunner, loadWarmUpBars } from '../../../src/core/optimize/backtest-runner';
import { strategyTemplates } from '../../../src/core/optimize/strategy-template-catalog';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';
import { TestClock } from '../../../src/core/time/clock';
import type { SeriesKey } from '../../../src/shared/market';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

const FILE = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
const SERIES: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };
/** Trade from 2023-03-03 on: the two days before are stored history to warm up on. */
const FROM = Date.UTC(2023, 2, 3);
const TO = Date.UTC(2023, 2, 21, 23, 59);

function compiled(templateId: string): CompiledStrategy {
  const template = strategyTemplates().find((t) => t.id === templateId);
  if (template === undefined) throw new Error(`no template ${templateId}`);
  const result = compileStrategy(template.config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

describe('backtest and live trade the same real candles identically', () => {
  const dir = makeTempDir('parallax-parity-');
  let db: Db;
  let candles: CandleRepository;

  beforeAll(() => {
    db = openDatabase({ path: join(dir.path, 'parallax.sqlite') });
    candles = new CandleRepository(db);
    const path = sharedDataPath(FILE);
    new HistoryImporter(db, candles, new TestClock()).importFile({
      fileName: basename(path),
      bytes: readFileSync(path),
    });
  });

  afterAll(() => {
    db.close();
    dir.remove();
  });

  /** The live path: stored history warms the loop up, then a ReplayFeed drives it bar by bar. */
  function runLive(strategy: CompiledStrategy) {
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const loop = new EngineBarLoop({ baseTimeframe: '1m' });
    const records = new EngineRecordCollector();
    const curve = new EquityCurve();
    const instance = createStrategyInstance({
      id: 'parity',
      strategy,
      indicators: loop.indicators,
      sink: records,
      equityCurve: curve,
    });
    loop.add(instance);
    loop.warmUp(loadWarmUpBars(candles, SERIES, FROM, instance.warmUpSpanMs));
    const feed = new ReplayFeed(clock, candles, {
      series: SERIES,
      speed: 'max',
      from: FROM,
      to: TO,
      maxSpeedBatch: 997,
    });
    const attached = loop.attach(feed);
    feed.start();
    clock.runAll();
    attached.dispose();
    feed.dispose();
    return { records, equity: curve.points(), metrics: instance.snapshot(), instance };
  }

  it.each(strategyTemplates().map((t) => t.id))(
    'when %s runs on Binance.US BTC/USDT 1m through the backtest runner and through a replay feed then trades, signals, equity and metrics are identical',
    async (templateId) => {
      const backtest = await new BacktestRunner(candles).run(
        { strategy: compiled(templateId), series: SERIES, from: FROM, to: TO, variantId: 'parity' },
        { yieldEvery: 5_000 },
      );
      const live = runLive(compiled(templateId));

      expect(backtest.status).toBe('completed');
      expect(backtest.warmUpBars).toBeGreaterThan(0);
      expect(backtest.trades.length).toBeGreaterThan(0);
      expect(live.instance.warm).toBe(true);
      // Full objects, to the last digit.
      expect(live.records.trades).toEqual(backtest.trades);
      expect(live.records.signals).toEqual(backtest.signals);
      expect(live.records.orders).toEqual(backtest.orders);
      expect(live.records.fills).toEqual(backtest.fills);
      expect(live.equity).toEqual(backtest.equity);
      expect(live.metrics).toEqual(backtest.metrics);
      expect(backtest.metrics.tradeCount).toBe(backtest.trades.length);
      // Nothing traded before the range: the warm-up only warmed.
      expect(Math.min(...backtest.trades.map((t) => t.entryTime))).toBeGreaterThanOrEqual(FROM);
    },
  );
});
