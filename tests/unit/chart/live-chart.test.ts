import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  storedThenFeedBars,
  StrategyChartService,
  type ChartFeedView,
  type LiveChartView,
  type LiveChartViews,
} from '../../../src/core/chart';
import {
  EngineBarLoop,
  EngineRecordCollector,
  EquityCurve,
  StrategyInstance,
  paperAccountFor,
} from '../../../src/core/engine';
import { PaperExchange } from '../../../src/core/execution';
import { MetricsTracker } from '../../../src/core/metrics';
import { loadWarmUpBars, strategyTemplates } from '../../../src/core/optimize';
import { CandleRepository } from '../../../src/core/store/candle-repository';
import { openDatabase, type Db } from '../../../src/core/store/database';
import { signalTerms } from '../../../src/core/engine';
import { EngineRecordWriter } from '../../../src/core/store/engine-record-writer';
import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';
import type { Candle, SeriesKey } from '../../../src/shared/market';
import { btcUsdtMinutes } from '../../support/real-candles';
import { makeTempDir } from '../../stubs/temp-dir';

const SERIES: SeriesKey = { exchange: 'binanceus', symbol: 'BTC/USDT', timeframe: '1m' };
const START = Date.UTC(2023, 2, 6);

function template(id: string): CompiledStrategy {
  const t = strategyTemplates().find((x) => x.id === id)!;
  const result = compileStrategy(t.config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

let runs = 0;

/**
 * A live variant as the variant manager runs one: warmed up from stored history, then fed bar by
 * bar on its own bar loop and paper account, writing its records to SQLite.
 */
class LiveVariant implements LiveChartViews {
  public readonly loop = new EngineBarLoop({ baseTimeframe: '1m' });
  public readonly strategy = template('macd-rsi-confirmation');
  public readonly exchange = new PaperExchange(paperAccountFor(this.strategy.risk));
  public readonly curve = new EquityCurve();
  public readonly collector = new EngineRecordCollector();
  public readonly instance: StrategyInstance;
  public readonly played: Candle[] = [];
  public readonly firstBarTime: number;
  public readonly runId = `live-${++runs}`;
  private readonly writer: EngineRecordWriter;

  public constructor(
    db: Db,
    candles: CandleRepository,
    private readonly knowsFirstBar: boolean,
  ) {
    this.writer = new EngineRecordWriter(db, this.runId);
    const sink = {
      onSignal: (s: Parameters<EngineRecordWriter['onSignal']>[0]) => {
        this.writer.onSignal(s);
        this.collector.onSignal(s);
      },
      onOrder: (o: Parameters<EngineRecordWriter['onOrder']>[0]) => this.writer.onOrder(o),
      onTrade: (t: Parameters<EngineRecordWriter['onTrade']>[0]) => this.writer.onTrade(t),
    };
    this.instance = new StrategyInstance({
      id: 'main-1',
      strategy: this.strategy,
      indicators: this.loop.indicators,
      execution: this.exchange,
      metrics: new MetricsTracker({
        timeframe: this.strategy.timeframe,
        initialEquity: this.exchange.config.initialCash,
      }),
      sink,
      equityCurve: this.curve,
    });
    this.loop.add(this.instance);
    const warm = loadWarmUpBars(candles, SERIES, START, this.instance.warmUpSpanMs);
    this.firstBarTime = warm[0]!.time;
    this.loop.warmUp(warm);
  }

  public push(bar: Candle): void {
    this.loop.onClosedBar(bar);
    this.played.push(bar);
  }

  public flush(): void {
    this.writer.flush();
  }

  public chartView(variantId: string): LiveChartView | undefined {
    if (variantId !== 'main-1') return undefined;
    const p = this.exchange.position();
    return {
      strategyName: this.strategy.config.meta.name,
      strategy: this.strategy,
      series: SERIES,
      runId: this.runId,
      variantId,
      equity: this.curve.points(),
      recordsThrough: this.instance.metrics.lastTime,
      position:
        p === null
          ? null
          : {
              side: p.side,
              entryPrice: p.entryPrice,
              stopPrice: p.stopLoss,
              targetPrice: p.takeProfit,
              liquidationPrice: p.liquidationPrice,
            },
      ...(this.knowsFirstBar ? { firstBarTime: this.firstBarTime } : {}),
    };
  }
}

describe('strategy charts of a live variant on real BTC/USDT minutes', () => {
  const dir = makeTempDir('parallax-live-chart-');
  const minutes = btcUsdtMinutes();
  let db: Db;
  let candles: CandleRepository;

  beforeAll(() => {
    db = openDatabase({ path: join(dir.path, 'parallax.sqlite') });
    candles = new CandleRepository(db);
    // Like a replay: the whole month is stored ahead of what the feed has played.
    candles.insert(SERIES, minutes);
  });

  afterAll(() => {
    db.close();
    dir.remove();
  });

  /** Plays minutes from START until the variant holds a position after at least `atLeast` bars. */
  function playUntilInPosition(variant: LiveVariant, atLeast: number): void {
    const bars = minutes.filter((m) => m.time >= START);
    let i = 0;
    while (i < atLeast || variant.exchange.positionSide === null) variant.push(bars[i++]!);
    variant.flush();
  }

  /** The chart service over `variant`, its feed on SERIES (by default: the bars it played). */
  const serviceFor = (
    variant: LiveVariant,
    feed: Omit<ChartFeedView, 'series'> = {
      recent: (limit) => ({ candles: variant.played.slice(-limit) }),
    },
  ): StrategyChartService =>
    new StrategyChartService({
      db,
      candles,
      backtests: {
        result: (runId) => {
          throw new Error(`no backtest run ${runId}`);
        },
      },
      live: variant,
      liveBars: storedThenFeedBars(candles, () => ({ series: SERIES, ...feed })),
    });

  it('when a live variant holding a position is charted then the chart shows what it saw: its bars so far, its indicator values at every signal, its equity and its position levels', () => {
    const variant = new LiveVariant(db, candles, true);
    playUntilInPosition(variant, 3_000);
    const chart = serviceFor(variant).strategyChart(
      { kind: 'variant', variantId: 'main-1' },
      1_000_000,
    );
    const lastPlayed = variant.played.at(-1)!;
    // Never a bar the feed has not played, though the store holds the rest of the month.
    expect(chart.candles.at(-1)!.time + 15 * 60_000).toBe(lastPlayed.time + 60_000);
    expect(chart.candles[0]!.time).toBe(variant.firstBarTime);
    expect(chart.timeframe).toBe('15m');

    const position = variant.exchange.position()!;
    expect(chart.position).toEqual({
      side: position.side,
      entryPrice: position.entryPrice,
      stopPrice: position.stopLoss,
      targetPrice: position.takeProfit,
      liquidationPrice: position.liquidationPrice,
    });
    // Stop 2% and target 4% of price from the entry (the template's risk section).
    const sign = position.side === 'long' ? 1 : -1;
    expect(chart.position!.stopPrice).toBeCloseTo(position.entryPrice * (1 - sign * 0.02), 6);
    expect(chart.position!.targetPrice).toBeCloseTo(position.entryPrice * (1 + sign * 0.04), 6);

    expect(chart.equity).toEqual(variant.curve.points());
    const recorded = variant.collector.signals;
    expect(recorded.length).toBeGreaterThan(3);
    expect(chart.signals).toHaveLength(recorded.length);
    const lines = new Map(
      chart.indicators.flatMap((i) =>
        i.lines.map((l) => [l.name, new Map(l.points.map((p) => [p.time, p.value]))] as const),
      ),
    );
    let compared = 0;
    chart.signals.forEach((s, k) => {
      expect(s.time).toBe(recorded[k]!.time);
      expect(s.terms).toEqual(signalTerms(recorded[k]!));
      expect(s.expression).toBe(variant.strategy.config.rules[s.rule]);
      for (const term of s.terms) {
        const line = lines.get(term.text);
        if (line === undefined) continue;
        expect(line.get(s.time)).toBe(term.value);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(recorded.length);
  });

  it('when the variant does not say where it started then the chart warms up the engine span before its first traded bar, and the values are the same', () => {
    const told = new LiveVariant(db, candles, true);
    const untold = new LiveVariant(db, candles, false);
    for (const bar of minutes.filter((m) => m.time >= START).slice(0, 3_000)) {
      told.push(bar);
      untold.push(bar);
    }
    told.flush();
    untold.flush();
    const source = { kind: 'variant', variantId: 'main-1' } as const;
    const a = serviceFor(told).strategyChart(source, 150);
    const b = serviceFor(untold).strategyChart(source, 150);
    expect(b.candles).toHaveLength(150);
    expect(b.candles).toEqual(a.candles);
    expect(b.indicators).toEqual(a.indicators);
    expect(b.signals).toEqual(a.signals);
    expect(b.signals.length).toBeGreaterThan(0);
    expect(b.signals.every((s) => s.time >= b.candles[0]!.time)).toBe(true);
  });

  it('when a live variant is charted mid-run then its own trading carries on exactly as if it had not been', () => {
    const charted = new LiveVariant(db, candles, true);
    const reference = new LiveVariant(db, candles, true);
    const bars = minutes.filter((m) => m.time >= START).slice(0, 4_000);
    bars.slice(0, 2_000).forEach((b) => {
      charted.push(b);
      reference.push(b);
    });
    charted.flush();
    serviceFor(charted).strategyChart({ kind: 'variant', variantId: 'main-1' }, 1_000);
    serviceFor(charted).equityCurves([{ kind: 'variant', variantId: 'main-1' }], 50);
    bars.slice(2_000).forEach((b) => {
      charted.push(b);
      reference.push(b);
    });
    expect(charted.collector.signals).toEqual(reference.collector.signals);
    expect(charted.curve.points()).toEqual(reference.curve.points());
  });

  it('when a replay has played nothing yet then the chart holds no bar of the stored future, only history up to the replay start', () => {
    const variant = new LiveVariant(db, candles, true);
    const service = serviceFor(variant, {
      recent: () => ({ candles: [] }),
      upTo: START - 60_000,
    });
    const chart = service.strategyChart({ kind: 'variant', variantId: 'main-1' }, 1_000_000);
    expect(chart.candles.length).toBeGreaterThan(0);
    expect(chart.candles[0]!.time).toBe(variant.firstBarTime);
    expect(chart.candles.at(-1)!.time).toBe(START - 15 * 60_000);
    expect(chart.equity).toEqual([]);

    // A replay that does not say where it stands charts nothing stored until it plays a bar.
    const blind = serviceFor(variant, { kind: 'replay', recent: () => ({ candles: [] }) });
    expect(blind.strategyChart({ kind: 'variant', variantId: 'main-1' }, 100).candles).toEqual([]);
  });

  it('when equity curves of a live variant are asked for then they are its own, labelled with its strategy', () => {
    const variant = new LiveVariant(db, candles, true);
    playUntilInPosition(variant, 1_000);
    const [curve] = serviceFor(variant).equityCurves(
      [{ kind: 'variant', variantId: 'main-1' }],
      100_000,
    );
    expect(curve!.label).toBe('MACD + RSI confirmation · main-1');
    expect(curve!.points).toEqual(variant.curve.points());
    expect(() =>
      serviceFor(variant).strategyChart({ kind: 'variant', variantId: 'v-404' }, 10),
    ).toThrow('no variant v-404');
  });
});
