import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StrategyChartService } from '../../../src/core/chart';
import { createStrategyInstance } from '../../../src/core/engine';
import { createIndicator, IndicatorSet } from '../../../src/core/indicators';
import { TimeframeAggregator } from '../../../src/core/market/aggregation';
import { BacktestService, strategyTemplates } from '../../../src/core/optimize';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';
import { TestClock } from '../../../src/core/time/clock';
import type { BacktestResult } from '../../../src/shared/backtest';
import type { StrategyChart } from '../../../src/shared/chart';
import { drawdownPercents } from '../../../src/shared/equity-thinning';
import {
  TIMEFRAME_MS,
  type Candle,
  type SeriesKey,
  type Timeframe,
} from '../../../src/shared/market';
import { btcUsdtMinutes } from '../../support/real-candles';
import { makeTempDir } from '../../stubs/temp-dir';

const SERIES: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };
const FROM = Date.UTC(2023, 2, 8);
const TO = Date.UTC(2023, 2, 15) - 1;

function compiled(templateId: string): CompiledStrategy {
  const template = strategyTemplates().find((t) => t.id === templateId)!;
  const result = compileStrategy(template.config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

/**
 * An independent computation of what the rules saw: the catalogue's kernels fed bars rolled up by
 * market/aggregation (not the engine's roller), each higher-timeframe value read at the last of
 * its bars that closed by the strategy bar's close.
 */
function expectedLine(
  minutes: readonly Candle[],
  strategyTimeframe: Timeframe,
  indicator: { type: Parameters<typeof createIndicator>[0]; params: Record<string, number> },
  timeframe: Timeframe,
  output: number,
): Map<number, number> {
  const aggregate = (tf: Timeframe): Candle[] => {
    if (tf === '1m') return [...minutes];
    const agg = new TimeframeAggregator(tf, '1m');
    return minutes.flatMap((m) => agg.pushClosed(m));
  };
  const own = aggregate(strategyTimeframe);
  const kernel = createIndicator(indicator.type, indicator.params);
  const values = new Map<number, number>();
  if (timeframe === strategyTimeframe) {
    for (const bar of own) {
      kernel.update(bar);
      values.set(bar.time, kernel.output(output));
    }
    return values;
  }
  const higher = aggregate(timeframe);
  const ownMs = TIMEFRAME_MS[strategyTimeframe];
  const higherMs = TIMEFRAME_MS[timeframe];
  let h = 0;
  for (const bar of own) {
    while (h < higher.length && higher[h]!.time + higherMs <= bar.time + ownMs) {
      kernel.update(higher[h]!);
      h++;
    }
    values.set(bar.time, kernel.output(output));
  }
  return values;
}

describe('strategy charts of backtest runs on real BTC/USDT minutes', () => {
  const dir = makeTempDir('parallax-chart-');
  let db: Db;
  let candles: CandleRepository;
  let backtests: BacktestService;
  let charts: StrategyChartService;
  let ranged: BacktestResult;
  let whole: BacktestResult;
  const minutes = btcUsdtMinutes();

  const run = async (
    templateId: string,
    range: { from?: number; to?: number } = {},
  ): Promise<BacktestResult> => {
    const { runId } = backtests.start({ templateId, parameters: {}, series: SERIES, ...range });
    await backtests.whenDone(runId);
    return backtests.result(runId);
  };

  beforeAll(async () => {
    db = openDatabase({ path: join(dir.path, 'parallax.sqlite') });
    candles = new CandleRepository(db);
    candles.insert(SERIES, minutes);
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    backtests = new BacktestService({ db, candles, clock, onProgress: () => {} });
    charts = new StrategyChartService({ db, candles, backtests });
    ranged = await run('ema-crossover-trend', { from: FROM, to: TO });
    whole = await run('macd-rsi-confirmation');
  });

  afterAll(() => {
    backtests.dispose();
    db.close();
    dir.remove();
  });

  it('when a ranged run is charted then its candles are the range rolled up to 5m, and every indicator line equals an independent computation with the warm-up before the range', () => {
    const chart = charts.strategyChart({ kind: 'backtest', runId: ranged.runId }, 1_000_000);
    expect(chart.timeframe).toBe('5m');
    const inRange = minutes.filter((m) => m.time >= FROM && m.time <= TO);
    const agg = new TimeframeAggregator('5m', '1m');
    expect(chart.candles).toEqual(inRange.flatMap((m) => agg.pushClosed(m)));
    expect(chart.candles).toHaveLength(7 * 288);

    // The engine warmed up on exactly this span before FROM (its own figure, as the runner uses).
    const strategy = compiled('ema-crossover-trend');
    const probe = createStrategyInstance({ id: 'p', strategy, indicators: new IndicatorSet() });
    const span = probe.warmUpSpanMs;
    probe.dispose();
    const fed = minutes.filter((m) => m.time >= FROM - span && m.time <= TO);

    expect(chart.indicators.map((i) => [i.id, i.type, i.placement, i.timeframe])).toEqual([
      ['ma_fast', 'ema', 'price', '5m'],
      ['ma_slow', 'ema', 'price', '5m'],
      ['trend', 'ema', 'price', '1h'],
    ]);
    const periods: Record<string, number> = { ma_fast: 9, ma_slow: 21, trend: 50 };
    for (const overlay of chart.indicators) {
      const expected = expectedLine(
        fed,
        '5m',
        { type: 'ema', params: { period: periods[overlay.id]! } },
        overlay.timeframe as Timeframe,
        0,
      );
      const line = overlay.lines[0]!;
      expect(line.name).toBe(overlay.id);
      // Warmed up before the range: every bar of the range has a value.
      expect(line.points).toHaveLength(chart.candles.length);
      for (const p of line.points) expect(p.value).toBeCloseTo(expected.get(p.time)!, 9);
    }
    // The 1h trend is a step line: constant within each hour, as the rules read it.
    const trend = chart.indicators[2]!.lines[0]!.points;
    const hourOf = (t: number): number => Math.floor((t + 5 * 60_000) / 3_600_000);
    for (let i = 1; i < trend.length; i++) {
      if (hourOf(trend[i]!.time) === hourOf(trend[i - 1]!.time))
        expect(trend[i]!.value).toBe(trend[i - 1]!.value);
    }
  });

  it('when a signal is charted then its terms are the stored ones and equal the charted lines at that bar, and its expression is the rule as written', () => {
    const chart = charts.strategyChart({ kind: 'backtest', runId: ranged.runId }, 1_000_000);
    const template = strategyTemplates().find((t) => t.id === 'ema-crossover-trend')!;
    expect(chart.signals.length).toBe(ranged.signalCount);
    expect(chart.signals.length).toBeGreaterThan(5);
    const stored = db
      .prepare('SELECT time, rule, terms FROM signals WHERE run_id = ? ORDER BY seq')
      .all(ranged.runId) as Array<{ time: number; rule: string; terms: string }>;
    const lineAt = new Map(
      chart.indicators.map((i) => [
        i.id,
        new Map(i.lines[0]!.points.map((p) => [p.time, p.value])),
      ]),
    );
    chart.signals.forEach((s, k) => {
      expect(s.time).toBe(stored[k]!.time);
      expect(s.rule).toBe(stored[k]!.rule);
      expect(s.terms).toEqual(JSON.parse(stored[k]!.terms));
      expect(s.expression).toBe(template.config.rules[s.rule]);
      const close = s.terms.find((t) => t.text === 'close');
      if (close) expect(close.value).toBe(chart.candles.find((c) => c.time === s.time)!.close);
      for (const term of s.terms) {
        const line = lineAt.get(term.text);
        if (line) expect(line.get(s.time)).toBe(term.value);
      }
    });
    expect(chart.signals.some((s) => s.terms.some((t) => t.text === 'trend'))).toBe(true);
    expect(chart.trades).toEqual(ranged.trades);
    expect(chart.equity).toEqual(ranged.equity);
    expect(chart.position).toBeNull();
  });

  it('when a whole-series run is charted then each line starts where its indicator is ready, oscillators go to panes, and no point is NaN', () => {
    const chart = charts.strategyChart({ kind: 'backtest', runId: whole.runId }, 1_000_000);
    expect(chart.timeframe).toBe('15m');
    expect(chart.candles).toHaveLength(30_240 / 15);
    const byName = new Map(
      chart.indicators.flatMap((i) => i.lines.map((l) => [l.name, { line: l, overlay: i }])),
    );
    expect([...byName.keys()].sort()).toEqual([
      'macd.histogram',
      'macd.macd',
      'macd.signal',
      'rsi',
    ]);
    for (const { overlay } of byName.values()) expect(overlay.placement).toBe('pane');
    for (const { line } of byName.values())
      for (const p of line.points) expect(Number.isFinite(p.value)).toBe(true);
    const quarterHours = chart.candles.map((c) => c.time);
    // RSI(14) (Wilder) has its first value on the 15th bar; MACD's line on the 26th, its signal
    // (EMA 9 of it) 8 bars later — the catalogue's warm-ups, independently of the chart code.
    const rsiKernel = createIndicator('rsi', { period: 14 });
    const macdKernel = createIndicator('macd', { fast: 12, slow: 26, signal: 9 });
    const firstReady = (k: typeof rsiKernel, output: number): number => {
      const agg = new TimeframeAggregator('15m', '1m');
      for (const bar of minutes.flatMap((m) => agg.pushClosed(m))) {
        k.update(bar);
        if (Number.isFinite(k.output(output))) return bar.time;
      }
      return -1;
    };
    expect(byName.get('rsi')!.line.points[0]!.time).toBe(firstReady(rsiKernel, 0));
    expect(byName.get('rsi')!.line.points[0]!.time).toBe(quarterHours[14]);
    expect(byName.get('macd.signal')!.line.points[0]!.time).toBe(firstReady(macdKernel, 1));
    expect(byName.get('rsi')!.line.points).toHaveLength(chart.candles.length - 14);
  });

  it('when a limit is given then the newest bars come, with the signals, trades and equity over them', () => {
    const full = charts.strategyChart({ kind: 'backtest', runId: whole.runId }, 1_000_000);
    const chart = charts.strategyChart({ kind: 'backtest', runId: whole.runId }, 500);
    expect(chart.candles).toEqual(full.candles.slice(-500));
    const since = chart.candles[0]!.time;
    expect(chart.signals).toEqual(full.signals.filter((s) => s.time >= since));
    expect(chart.trades).toEqual(full.trades.filter((t) => t.exitTime >= since));
    expect(chart.equity).toEqual(full.equity.slice(-500));
    const rsi = (c: StrategyChart) => c.indicators.find((i) => i.id === 'rsi')!.lines[0]!.points;
    expect(rsi(chart)).toEqual(rsi(full).slice(-500));
  });

  it('when a run is read back from the store then its chart replays the same equity the run produced', () => {
    const fresh = new BacktestService({
      db,
      candles,
      clock: new TestClock(0),
      onProgress: () => {},
    });
    expect(fresh.result(ranged.runId).equity).toEqual([]);
    const service = new StrategyChartService({ db, candles, backtests: fresh });
    const chart = service.strategyChart({ kind: 'backtest', runId: ranged.runId }, 1_000_000);
    expect(chart.equity).toHaveLength(ranged.equity.length);
    chart.equity.forEach((p, i) => {
      expect(p.time).toBe(ranged.equity[i]!.time);
      expect(p.equity).toBeCloseTo(ranged.equity[i]!.equity, 6);
    });
    const [curve] = service.equityCurves([{ kind: 'backtest', runId: ranged.runId }], 100_000);
    expect(curve!.points).toEqual(chart.equity);
    fresh.dispose();
  });

  it('when equity curves are thinned then they keep the first and the last, the lowest and highest equity and the maximum drawdown of the metrics', () => {
    const [curve] = charts.equityCurves([{ kind: 'backtest', runId: whole.runId }], 10);
    expect(curve!.label).toBe(`MACD + RSI confirmation · ${whole.runId}`);
    expect(curve!.points.length).toBeLessThanOrEqual(10);
    expect(curve!.points[0]).toEqual(whole.equity[0]);
    expect(curve!.points.at(-1)).toEqual(whole.equity.at(-1));
    const values = (points: ReadonlyArray<{ equity: number }>): number[] =>
      points.map((p) => p.equity);
    expect(Math.min(...values(curve!.points))).toBe(Math.min(...values(whole.equity)));
    expect(Math.max(...values(curve!.points))).toBe(Math.max(...values(whole.equity)));
    const deepest = Math.min(...drawdownPercents(curve!.points));
    expect(deepest).toBeLessThan(0);
    expect(deepest).toBe(Math.min(...drawdownPercents(whole.equity)));
    expect(deepest).toBeCloseTo(-whole.metrics!.maxDrawdown * 100, 9);
  });

  it('when a source is unknown then the error names it', () => {
    expect(() => charts.strategyChart({ kind: 'backtest', runId: 'backtest-99' }, 10)).toThrow(
      'no backtest run backtest-99',
    );
    expect(() => charts.strategyChart({ kind: 'variant', variantId: 'v-7' }, 10)).toThrow(
      'no variant v-7',
    );
    expect(() => charts.equityCurves([{ kind: 'variant', variantId: 'v-7' }], 10)).toThrow(
      'no variant v-7',
    );
  });
});
