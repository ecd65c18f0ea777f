import {
  BollingerBands as TiBollingerBands,
  EMA as TiEma,
  MACD as TiMacd,
  RSI as TiRsi,
} from 'technicalindicators';
import {
  BollingerBands as TsBollingerBands,
  EMA as TsEma,
  MACD as TsMacd,
  RSI as TsRsi,
} from 'trading-signals';
import { createIndicator, IndicatorSet, type IndicatorReader } from '../../src/core/indicators';
import { SeededRandom } from '../../src/core/market/seeded-random';
import type { Candle } from '../../src/shared/market';
import { loadCandles as loadSharedCandles } from '../support/real-candles';
import type { BenchReport, BenchRow } from './bench-report';
import { VARIANT_GRID } from './variant-grid';

/**
 * Indicator throughput for the DESIGN.md workload: 100 variants of a 5-indicator strategy
 * (RSI, two EMAs, MACD, Bollinger Bands) drawn from a parameter grid, on real Binance.US
 * BTC/USDT 1-minute bars. One "variant-bar" = one variant's five indicators advanced by one
 * closed bar and its seven outputs read (rsi, both EMAs, MACD line and signal, both bands), the
 * same reads in every mode so nothing can be optimised away. Our kernels are read through their
 * `outputs` arrays, as compiled rules would; one extra row reads through `value` / `output(i)`,
 * whose getters sit on the shared base class and go megamorphic across indicator classes.
 * Indicators alone — not the whole engine the DESIGN targets speak of.
 */

const DATA = 'candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz';
const VARIANTS = 100;
const GRID = VARIANT_GRID;
/** Bars per measured mode: the slow libraries get fewer (their rate, not their patience, is measured). */
const NAIVE_BARS = 20;
const NAIVE_WINDOW = 200;
const STREAMING_BARS = 3_000;

interface VariantParams {
  rsi: number;
  emaFast: number;
  emaSlow: number;
  macd: readonly [number, number, number];
  bb: readonly [number, number];
}

function drawVariants(): VariantParams[] {
  const random = new SeededRandom(20_230_301);
  const pick = <T>(choices: readonly T[]): T =>
    choices[Math.floor(random.next() * choices.length)] as T;
  return Array.from({ length: VARIANTS }, () => ({
    rsi: pick(GRID.rsi),
    emaFast: pick(GRID.emaFast),
    emaSlow: pick(GRID.emaSlow),
    macd: pick(GRID.macd),
    bb: pick(GRID.bb),
  }));
}

const loadCandles = (): Candle[] => loadSharedCandles(DATA);

/** One variant's indicators in our kernels, read through the public reader contract. */
interface KernelVariant {
  readonly all: readonly IndicatorReader[];
  readonly rsi: IndicatorReader;
  readonly emaFast: IndicatorReader;
  readonly emaSlow: IndicatorReader;
  readonly macd: IndicatorReader;
  readonly bb: IndicatorReader;
}

function readKernel(v: KernelVariant): number {
  return (
    v.rsi.value +
    v.emaFast.value +
    v.emaSlow.value +
    v.macd.output(0) +
    v.macd.output(1) +
    v.bb.output(1) +
    v.bb.output(2)
  );
}

/** Sums only finite reads: warm-up NaN/null would otherwise poison the checksum. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function time(run: () => number): { seconds: number; checksum: number } {
  const start = performance.now();
  const checksum = run();
  return { seconds: (performance.now() - start) / 1000, checksum };
}

/** Best of `reps` fresh runs (the least disturbed by the other engineers' work on this machine). */
function best(reps: number, run: () => number): { seconds: number; checksum: number } {
  let result = time(run);
  for (let r = 1; r < reps; r++) {
    const next = time(run);
    if (next.seconds < result.seconds) result = next;
  }
  return result;
}

function kernelsUnshared(variants: readonly VariantParams[], bars: readonly Candle[]): number {
  const built = variants.map((p) => {
    const v = {
      rsi: createIndicator('rsi', { period: p.rsi }),
      emaFast: createIndicator('ema', { period: p.emaFast }),
      emaSlow: createIndicator('ema', { period: p.emaSlow }),
      macd: createIndicator('macd', { fast: p.macd[0], slow: p.macd[1], signal: p.macd[2] }),
      bb: createIndicator('bb', { period: p.bb[0], stdDev: p.bb[1] }),
    };
    return { ...v, all: [v.rsi, v.emaFast, v.emaSlow, v.macd, v.bb] };
  });
  const views = built.map(outputViews);
  let checksum = 0;
  for (let b = 0; b < bars.length; b++) {
    const bar = bars[b] as Candle;
    for (let i = 0; i < built.length; i++) {
      const v = built[i] as (typeof built)[number];
      v.rsi.update(bar);
      v.emaFast.update(bar);
      v.emaSlow.update(bar);
      v.macd.update(bar);
      v.bb.update(bar);
      checksum += finite(readViews(views[i] as OutputViews));
    }
  }
  return checksum;
}

/** A variant's indicators as their `outputs` arrays, as compiled rules hold them. */
interface OutputViews {
  rsi: Float64Array;
  emaFast: Float64Array;
  emaSlow: Float64Array;
  macd: Float64Array;
  bb: Float64Array;
}

function outputViews(v: Omit<KernelVariant, 'all'>): OutputViews {
  return {
    rsi: v.rsi.outputs,
    emaFast: v.emaFast.outputs,
    emaSlow: v.emaSlow.outputs,
    macd: v.macd.outputs,
    bb: v.bb.outputs,
  };
}

/** The same seven reads as `readKernel`, as Float64Array element loads. */
function readViews(v: OutputViews): number {
  return (
    (v.rsi[0] as number) +
    (v.emaFast[0] as number) +
    (v.emaSlow[0] as number) +
    (v.macd[0] as number) +
    (v.macd[1] as number) +
    (v.bb[1] as number) +
    (v.bb[2] as number)
  );
}

function buildShared(variants: readonly VariantParams[]): {
  set: IndicatorSet;
  readers: KernelVariant[];
} {
  const set = new IndicatorSet();
  const readers = variants.map((p) => {
    const get = (request: Parameters<IndicatorSet['acquire']>[0]): IndicatorReader =>
      set.acquire(request).indicator;
    const v = {
      rsi: get({ type: 'rsi', params: { period: p.rsi }, timeframe: '1m' }),
      emaFast: get({ type: 'ema', params: { period: p.emaFast }, timeframe: '1m' }),
      emaSlow: get({ type: 'ema', params: { period: p.emaSlow }, timeframe: '1m' }),
      macd: get({
        type: 'macd',
        params: { fast: p.macd[0], slow: p.macd[1], signal: p.macd[2] },
        timeframe: '1m',
      }),
      bb: get({ type: 'bb', params: { period: p.bb[0], stdDev: p.bb[1] }, timeframe: '1m' }),
    };
    return { ...v, all: [v.rsi, v.emaFast, v.emaSlow, v.macd, v.bb] };
  });
  return { set, readers };
}

function kernelsShared(variants: readonly VariantParams[], bars: readonly Candle[]): number {
  const { set, readers } = buildShared(variants);
  let checksum = 0;
  for (let b = 0; b < bars.length; b++) {
    set.update('1m', bars[b] as Candle);
    for (let i = 0; i < readers.length; i++)
      checksum += finite(readKernel(readers[i] as KernelVariant));
  }
  return checksum;
}

/**
 * Shared, with each variant holding its indicators' `outputs` arrays — what compiled rules do:
 * every read is a Float64Array element load, monomorphic whatever the indicator class.
 */
function kernelsSharedArrays(variants: readonly VariantParams[], bars: readonly Candle[]): number {
  const { set, readers } = buildShared(variants);
  const views = readers.map(outputViews);
  let checksum = 0;
  for (let b = 0; b < bars.length; b++) {
    set.update('1m', bars[b] as Candle);
    for (let i = 0; i < views.length; i++) checksum += finite(readViews(views[i] as OutputViews));
  }
  return checksum;
}

/** trading-signals' five for one variant; the last results kept for reading. */
class TsVariant {
  public rsi = Number.NaN;
  public emaFast = Number.NaN;
  public emaSlow = Number.NaN;
  public macd = Number.NaN;
  public signal = Number.NaN;
  public upper = Number.NaN;
  public lower = Number.NaN;
  private readonly rsiIndicator: TsRsi;
  private readonly fastIndicator: TsEma;
  private readonly slowIndicator: TsEma;
  private readonly macdIndicator: TsMacd;
  private readonly bbIndicator: TsBollingerBands;

  public constructor(p: VariantParams) {
    this.rsiIndicator = new TsRsi(p.rsi);
    this.fastIndicator = new TsEma(p.emaFast);
    this.slowIndicator = new TsEma(p.emaSlow);
    this.macdIndicator = new TsMacd(
      new TsEma(p.macd[0]),
      new TsEma(p.macd[1]),
      new TsEma(p.macd[2]),
    );
    this.bbIndicator = new TsBollingerBands(p.bb[0], p.bb[1]);
  }

  public add(close: number): void {
    this.rsi = this.rsiIndicator.add(close) ?? Number.NaN;
    this.emaFast = this.fastIndicator.add(close) ?? Number.NaN;
    this.emaSlow = this.slowIndicator.add(close) ?? Number.NaN;
    const macd = this.macdIndicator.add(close);
    this.macd = macd?.macd ?? Number.NaN;
    this.signal = macd?.signal ?? Number.NaN;
    const bb = this.bbIndicator.add(close);
    this.upper = bb?.upper ?? Number.NaN;
    this.lower = bb?.lower ?? Number.NaN;
  }

  public read(): number {
    return (
      this.rsi + this.emaFast + this.emaSlow + this.macd + this.signal + this.upper + this.lower
    );
  }
}

function tradingSignalsUnshared(
  variants: readonly VariantParams[],
  bars: readonly Candle[],
): number {
  const built = variants.map((p) => new TsVariant(p));
  let checksum = 0;
  for (const bar of bars) {
    for (const v of built) {
      v.add(bar.close);
      checksum += finite(v.read());
    }
  }
  return checksum;
}

/**
 * trading-signals with identical indicators shared by hand: one instance per distinct
 * (type, params), updated once per bar, every variant reading the kept results.
 */
function tradingSignalsShared(variants: readonly VariantParams[], bars: readonly Candle[]): number {
  const rsi = new Map<number, { i: TsRsi; v: number }>();
  const ema = new Map<number, { i: TsEma; v: number }>();
  const macd = new Map<string, { i: TsMacd; m: number; s: number }>();
  const bb = new Map<string, { i: TsBollingerBands; u: number; l: number }>();
  const readers = variants.map((p) => {
    const r = rsi.get(p.rsi) ?? { i: new TsRsi(p.rsi), v: Number.NaN };
    rsi.set(p.rsi, r);
    const f = ema.get(p.emaFast) ?? { i: new TsEma(p.emaFast), v: Number.NaN };
    ema.set(p.emaFast, f);
    const s = ema.get(p.emaSlow) ?? { i: new TsEma(p.emaSlow), v: Number.NaN };
    ema.set(p.emaSlow, s);
    const mk = p.macd.join(',');
    const m = macd.get(mk) ?? {
      i: new TsMacd(new TsEma(p.macd[0]), new TsEma(p.macd[1]), new TsEma(p.macd[2])),
      m: Number.NaN,
      s: Number.NaN,
    };
    macd.set(mk, m);
    const bk = p.bb.join(',');
    const b = bb.get(bk) ?? {
      i: new TsBollingerBands(p.bb[0], p.bb[1]),
      u: Number.NaN,
      l: Number.NaN,
    };
    bb.set(bk, b);
    return (): number => r.v + f.v + s.v + m.m + m.s + b.u + b.l;
  });
  const rsis = [...rsi.values()];
  const emas = [...ema.values()];
  const macds = [...macd.values()];
  const bbs = [...bb.values()];
  let checksum = 0;
  for (const bar of bars) {
    const close = bar.close;
    for (const x of rsis) x.v = x.i.add(close) ?? Number.NaN;
    for (const x of emas) x.v = x.i.add(close) ?? Number.NaN;
    for (const x of macds) {
      const result = x.i.add(close);
      x.m = result?.macd ?? Number.NaN;
      x.s = result?.signal ?? Number.NaN;
    }
    for (const x of bbs) {
      const result = x.i.add(close);
      x.u = result?.upper ?? Number.NaN;
      x.l = result?.lower ?? Number.NaN;
    }
    for (const read of readers) checksum += finite(read());
  }
  return checksum;
}

function technicalIndicatorsStreaming(
  variants: readonly VariantParams[],
  bars: readonly Candle[],
): number {
  const built = variants.map((p) => ({
    rsi: new TiRsi({ period: p.rsi, values: [] }),
    emaFast: new TiEma({ period: p.emaFast, values: [] }),
    emaSlow: new TiEma({ period: p.emaSlow, values: [] }),
    macd: new TiMacd({
      values: [],
      fastPeriod: p.macd[0],
      slowPeriod: p.macd[1],
      signalPeriod: p.macd[2],
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    }),
    bb: new TiBollingerBands({ period: p.bb[0], stdDev: p.bb[1], values: [] }),
  }));
  let checksum = 0;
  for (const bar of bars) {
    const close = bar.close;
    for (const v of built) {
      const rsi = v.rsi.nextValue(close) ?? Number.NaN;
      const fast = v.emaFast.nextValue(close) ?? Number.NaN;
      const slow = v.emaSlow.nextValue(close) ?? Number.NaN;
      const macd = v.macd.nextValue(close);
      const bb = v.bb.nextValue(close);
      checksum += streamedSum(rsi, fast, slow, macd, bb);
    }
  }
  return checksum;
}

/** The checksum term of one variant-bar for the technicalindicators rows (NaN while warming up counts as 0). */
function streamedSum(
  rsi: number,
  fast: number,
  slow: number,
  macd: { MACD?: number; signal?: number } | undefined,
  bb: { upper: number; lower: number } | undefined,
): number {
  return finite(
    rsi +
      fast +
      slow +
      (macd?.MACD ?? Number.NaN) +
      (macd?.signal ?? Number.NaN) +
      (bb?.upper ?? Number.NaN) +
      (bb?.lower ?? Number.NaN),
  );
}

/** The naive way: every bar, recompute each indicator with the batch functions over the trailing window. */
function naiveRecompute(variants: readonly VariantParams[], bars: readonly Candle[]): number {
  const closes = bars.map((b) => b.close);
  let checksum = 0;
  for (let t = NAIVE_WINDOW; t < closes.length; t++) {
    const values = closes.slice(t - NAIVE_WINDOW + 1, t + 1);
    for (const p of variants) {
      const rsi = TiRsi.calculate({ period: p.rsi, values }).at(-1) ?? Number.NaN;
      const fast = TiEma.calculate({ period: p.emaFast, values }).at(-1) ?? Number.NaN;
      const slow = TiEma.calculate({ period: p.emaSlow, values }).at(-1) ?? Number.NaN;
      const macd = TiMacd.calculate({
        values,
        fastPeriod: p.macd[0],
        slowPeriod: p.macd[1],
        signalPeriod: p.macd[2],
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }).at(-1);
      const bb = TiBollingerBands.calculate({ period: p.bb[0], stdDev: p.bb[1], values }).at(-1);
      checksum += streamedSum(rsi, fast, slow, macd, bb);
    }
  }
  return checksum;
}

/**
 * Sanity: our kernels and trading-signals, fed the same bars, agree. RSI and Bollinger Bands
 * share the definition (Wilder seeded with simple means; population σ): 1e-9 / 1e-8. EMAs and
 * MACD do not share the seed (trading-signals starts from the first price, we from an SMA;
 * trading-signals' signal line starts from the first MACD value), so they are compared from bar
 * 5,000 on, when a seed's weight is below (199/201)^4800 ≈ 1e-21 for the slowest EMA.
 */
function checkAgainstTradingSignals(
  variants: readonly VariantParams[],
  bars: readonly Candle[],
): string {
  const { set, readers } = buildShared(variants);
  const ts = variants.map((p) => new TsVariant(p));
  const worst = { rsi: 0, ema: 0, macd: 0, bb: 0 };
  for (let b = 0; b < bars.length; b++) {
    const bar = bars[b] as Candle;
    set.update('1m', bar);
    for (const v of ts) v.add(bar.close);
    if (b < 5_000) continue;
    readers.forEach((k, i) => {
      const t = ts[i] as TsVariant;
      worst.rsi = Math.max(worst.rsi, Math.abs(k.rsi.value - t.rsi));
      worst.ema = Math.max(
        worst.ema,
        Math.abs(k.emaFast.value - t.emaFast),
        Math.abs(k.emaSlow.value - t.emaSlow),
      );
      worst.macd = Math.max(
        worst.macd,
        Math.abs(k.macd.output(0) - t.macd),
        Math.abs(k.macd.output(1) - t.signal),
      );
      worst.bb = Math.max(
        worst.bb,
        Math.abs(k.bb.output(1) - t.upper),
        Math.abs(k.bb.output(2) - t.lower),
      );
    });
  }
  const limits = { rsi: 1e-9, ema: 1e-8, macd: 1e-8, bb: 1e-8 };
  for (const name of Object.keys(limits) as (keyof typeof limits)[]) {
    // `!(a <= b)` also catches NaN.
    if (!(worst[name] <= limits[name])) {
      throw new Error(
        `kernels and trading-signals disagree on ${name}: max |Δ| ${worst[name]} > ${limits[name]}`,
      );
    }
  }
  return (
    `Sanity: kernels vs trading-signals over bars 5,000–${bars.length.toLocaleString('en-US')}, all 100 variants: ` +
    `max |Δ| RSI ${worst.rsi.toExponential(1)}, EMA ${worst.ema.toExponential(1)}, MACD/signal ${worst.macd.toExponential(1)}, ` +
    `bands ${worst.bb.toExponential(1)} (limits 1e-9 / 1e-8 / 1e-8 / 1e-8).`
  );
}

export async function run(): Promise<BenchReport> {
  const candles = loadCandles();
  const variants = drawVariants();
  const distinct = new IndicatorSet();
  for (const p of variants) {
    distinct.acquire({ type: 'rsi', params: { period: p.rsi }, timeframe: '1m' });
    distinct.acquire({ type: 'ema', params: { period: p.emaFast }, timeframe: '1m' });
    distinct.acquire({ type: 'ema', params: { period: p.emaSlow }, timeframe: '1m' });
    distinct.acquire({
      type: 'macd',
      params: { fast: p.macd[0], slow: p.macd[1], signal: p.macd[2] },
      timeframe: '1m',
    });
    distinct.acquire({ type: 'bb', params: { period: p.bb[0], stdDev: p.bb[1] }, timeframe: '1m' });
  }

  // Warm the JIT on a slice first, so every mode is measured compiled.
  const warm = candles.slice(0, 2_000);
  kernelsUnshared(variants, warm);
  kernelsShared(variants, warm);
  kernelsSharedArrays(variants, warm);
  tradingSignalsUnshared(variants, warm);
  tradingSignalsShared(variants, warm);
  technicalIndicatorsStreaming(variants, warm.slice(0, 500));
  naiveRecompute(variants, warm.slice(0, NAIVE_WINDOW + 2));

  const rate = (bars: number, seconds: number): number => (bars * VARIANTS) / seconds;
  const unshared = best(3, () => kernelsUnshared(variants, candles));
  const shared = best(3, () => kernelsShared(variants, candles));
  const sharedArrays = best(3, () => kernelsSharedArrays(variants, candles));
  for (const other of [shared, sharedArrays]) {
    if (Math.abs(unshared.checksum - other.checksum) > 1e-9 * Math.abs(unshared.checksum)) {
      throw new Error(
        `shared and unshared kernels disagree: ${other.checksum} vs ${unshared.checksum}`,
      );
    }
  }
  const tsUnshared = best(1, () => tradingSignalsUnshared(variants, candles));
  const tsShared = best(2, () => tradingSignalsShared(variants, candles));
  const streamingBars = candles.slice(0, STREAMING_BARS);
  const streaming = best(1, () => technicalIndicatorsStreaming(variants, streamingBars));
  const naiveBars = candles.slice(0, NAIVE_WINDOW + NAIVE_BARS);
  const naive = best(1, () => naiveRecompute(variants, naiveBars));
  const sanity = checkAgainstTradingSignals(variants, candles);

  const NAIVE = 'naive: technicalindicators batch over a 200-bar window, every bar';
  const unit = 'variant-bar updates/s';
  const rows: BenchRow[] = [
    { label: NAIVE, value: rate(NAIVE_BARS, naive.seconds), unit },
    {
      label: 'technicalindicators streaming (nextValue)',
      value: rate(STREAMING_BARS, streaming.seconds),
      unit,
      baseline: NAIVE,
    },
    {
      label: 'trading-signals incremental, unshared',
      value: rate(candles.length, tsUnshared.seconds),
      unit,
      baseline: NAIVE,
    },
    {
      label: `trading-signals incremental, shared by hand (${distinct.size} distinct)`,
      value: rate(candles.length, tsShared.seconds),
      unit,
      baseline: NAIVE,
    },
    {
      label: 'Parallax kernels, unshared (500 instances)',
      value: rate(candles.length, unshared.seconds),
      unit,
      baseline: NAIVE,
      target: '≥ 5 M/s per core with the whole engine',
    },
    {
      label: `Parallax kernels, shared via IndicatorSet (${distinct.size} distinct)`,
      value: rate(candles.length, sharedArrays.seconds),
      unit,
      baseline: NAIVE,
      target: '≥ 20 M/s on 2 cores with the whole engine',
    },
    {
      label: 'Parallax kernels, shared, read through value / output(i)',
      value: rate(candles.length, shared.seconds),
      unit,
      baseline: NAIVE,
    },
  ];
  const perUpdate = (seconds: number, updates: number): string =>
    `${((seconds / updates) * 1e9).toFixed(1)} ns`;
  return {
    name: 'indicators',
    title: 'Indicators: 100 variants × (RSI, 2 EMAs, MACD, Bollinger) on Binance.US BTC/USDT 1m',
    rows,
    notes: [
      `${candles.length.toLocaleString('en-US')} real 1-minute bars (${DATA}); technicalindicators streaming on the first ${STREAMING_BARS.toLocaleString('en-US')}, ` +
        `the naive recompute on ${NAIVE_BARS} bars after a ${NAIVE_WINDOW}-bar window. Best of 3 runs for our kernels, 2 for trading-signals shared, 1 for the rest, after a JIT warm-up pass.`,
      `Variants drawn (seed 20230301) from a 3×3×3×3×3 grid: RSI ${GRID.rsi.join('/')}, EMA fast ${GRID.emaFast.join('/')}, EMA slow ${GRID.emaSlow.join('/')}, ` +
        `MACD ${GRID.macd.map((m) => m.join(',')).join(' / ')}, BB ${GRID.bb.map((b) => b.join(',')).join(' / ')} — ${distinct.size} distinct indicators among the 500.`,
      `A variant-bar is one variant's 5 indicators advanced by one bar plus 7 outputs read. Unshared kernels: ${perUpdate(unshared.seconds, candles.length * VARIANTS * 5)} per indicator update; ` +
        `shared: ${distinct.size} updates per bar for all 100 variants.`,
      `Kernels vs trading-signals, same work: ${(tsUnshared.seconds / unshared.seconds).toFixed(1)}× unshared, ${(tsShared.seconds / sharedArrays.seconds).toFixed(1)}× shared.`,
      sanity,
      'Targets are DESIGN.md’s for the whole engine (fills, metrics, signal records in the loop), shown for scale: these rows measure indicators alone.',
    ],
  };
}
