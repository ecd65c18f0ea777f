import {
  CandlestickSeries,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  LineStyle,
  LineType,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import type { TradeRow } from '../../../shared/backtest';
import type { SignalRow, StrategyChart } from '../../../shared/chart';
import {
  parseMarkerId,
  signalMarkers,
  sortedMarkers,
  toCandle,
  toLine,
  toVolume,
  tradeMarkers,
  type MarkerRef,
} from './chart-data';
import {
  CANDLE_DOWN,
  CANDLE_UP,
  createDarkChart,
  LEVEL_COLORS,
  OVERLAY_PALETTE,
} from './chart-theme';

/** One indicator line as the legend names it. */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  /** 0 is the price pane; oscillators get a pane each, from 1. */
  readonly pane: number;
  readonly timeframe: string;
}

/** The marker under the pointer and what it stands for. */
export interface MarkerHover {
  readonly ref: MarkerRef;
  /** Pointer position inside the chart element, in CSS pixels. */
  readonly x: number;
  readonly y: number;
  readonly signal: SignalRow | null;
  readonly trade: TradeRow | null;
  /** Every indicator line's value on the marker's bar, legend order (what the rules could read). */
  readonly indicators: ReadonlyArray<{ readonly name: string; readonly value: number }>;
}

type LineApi = ISeriesApi<'Line'> | ISeriesApi<'Histogram'>;

/** Bars shown at first when a chart has many: the newest, at a readable width. */
const INITIAL_VISIBLE = 1_000;
/** A history this short is shown whole. */
const FIT_ALL = INITIAL_VISIBLE * 3;

/**
 * Draws a strategy chart imperatively, outside React: candles and volume, every indicator line
 * (averages and bands over price, each oscillator in a pane of its own, higher-timeframe ones as
 * steps), signal circles and trade arrows, and the open position's levels as price lines. A full
 * chart is set once per series (`setData`); live windows are merged with `update`, so neither a
 * 500,000-bar load nor a fast feed touches React state per bar. Hovering a marker reports it.
 */
export class StrategyChartView {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private lines = new Map<string, LineApi>();
  /** Each line's points (epoch ms, value), for the values on a hovered marker's own bar. */
  private points = new Map<string, { times: number[]; values: number[] }>();
  private lastTimes = new Map<string, number>();
  private priceLines: IPriceLine[] = [];
  private positionKey = '';
  /** Entry, stop and target of the open position: kept in view by the price scale. */
  private levels: number[] = [];
  private lastCandle = -1;
  private candleCount = 0;
  /** A short history is shown whole; it stays fitted as live bars come, up to FIT_ALL. */
  private fitting = false;
  /** The newest bar whose signals and trades are all drawn (the variant may lag the candles). */
  private recordsThrough: number | null = null;
  private signals: SignalRow[] = [];
  private trades: TradeRow[] = [];
  private hovered: string | null = null;
  private readonly onCrosshair = (param: MouseEventParams<Time>): void => this.crosshair(param);

  public constructor(
    private readonly container: HTMLElement,
    private readonly onHover: (hover: MarkerHover | null) => void,
  ) {
    this.chart = createDarkChart(container);
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CANDLE_UP,
      downColor: CANDLE_DOWN,
      borderVisible: false,
      wickUpColor: CANDLE_UP,
      wickDownColor: CANDLE_DOWN,
      // The open position's stop and target stay on screen (a liquidation far away does not
      // squash the candles: it is left out).
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (info?.priceRange == null || this.levels.length === 0) return info;
        return {
          ...info,
          priceRange: {
            minValue: Math.min(info.priceRange.minValue, ...this.levels),
            maxValue: Math.max(info.priceRange.maxValue, ...this.levels),
          },
        };
      },
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.85, bottom: 0 } });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.2 } });
    this.markers = createSeriesMarkers(this.candles, []);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  /** Replaces everything drawn with `chart`; returns the legend of its indicator lines. */
  public show(chart: StrategyChart): LegendEntry[] {
    for (const line of this.lines.values()) this.chart.removeSeries(line);
    this.lines = new Map();
    this.points = new Map();
    this.lastTimes = new Map();
    this.candles.setData(chart.candles.map(toCandle));
    this.volume.setData(chart.candles.map(toVolume));
    this.lastCandle = chart.candles.at(-1)?.time ?? -1;
    this.recordsThrough = chart.recordsThrough;
    const legend: LegendEntry[] = [];
    let pane = 0;
    let colour = 0;
    for (const overlay of chart.indicators) {
      const paneIndex = overlay.placement === 'price' ? 0 : ++pane;
      const stepped = overlay.timeframe !== chart.timeframe;
      for (const line of overlay.lines) {
        const color = OVERLAY_PALETTE[colour++ % OVERLAY_PALETTE.length] as string;
        const common = { color, lastValueVisible: false, priceLineVisible: false, title: '' };
        const series: LineApi = line.name.endsWith('.histogram')
          ? this.chart.addSeries(HistogramSeries, { ...common }, paneIndex)
          : this.chart.addSeries(
              LineSeries,
              {
                ...common,
                lineWidth: 2,
                lineType: stepped ? LineType.WithSteps : LineType.Simple,
                crosshairMarkerVisible: false,
              },
              paneIndex,
            );
        series.setData(line.points.map(toLine));
        this.lines.set(line.name, series);
        this.points.set(line.name, {
          times: line.points.map((p) => p.time),
          values: line.points.map((p) => p.value),
        });
        this.lastTimes.set(line.name, line.points.at(-1)?.time ?? -1);
        legend.push({ name: line.name, color, pane: paneIndex, timeframe: overlay.timeframe });
      }
    }
    const panes = this.chart.panes();
    panes[0]?.setStretchFactor(Math.max(2, panes.length));
    for (let i = 1; i < panes.length; i++) panes[i]?.setStretchFactor(1);
    this.signals = [...chart.signals];
    this.trades = [...chart.trades];
    this.markers.setMarkers(sortedMarkers(signalMarkers(this.signals), tradeMarkers(this.trades)));
    this.setPosition(chart.position);
    this.describe();
    this.candleCount = chart.candles.length;
    this.fitting = this.candleCount <= FIT_ALL;
    this.frame();
    return legend;
  }

  /**
   * Whether `window` joins what is drawn without a hole: it starts at or before the newest bar
   * drawn and the newest bar whose records are drawn (a variant lagging a fast replay has
   * signals still to come on bars already drawn), or it is the whole chart (fewer bars than
   * were asked for).
   */
  public covers(window: StrategyChart, asked: number): boolean {
    const first = window.candles[0];
    if (first === undefined || window.candles.length < asked) return true;
    return (
      this.lastCandle >= 0 &&
      first.time <= this.lastCandle &&
      this.recordsThrough !== null &&
      first.time <= this.recordsThrough
    );
  }

  /**
   * Merges the newest window of a live chart: bars and line points newer than what is drawn are
   * appended (`update`), signals and trades of the window replace those it covers, and the
   * position's levels follow. Call at most once per animation frame.
   */
  public merge(window: StrategyChart): void {
    for (const c of window.candles) {
      if (c.time < this.lastCandle) continue;
      this.candles.update(toCandle(c));
      this.volume.update(toVolume(c));
      if (c.time > this.lastCandle) this.candleCount++;
      this.lastCandle = c.time;
    }
    if (this.fitting) this.frame();
    for (const overlay of window.indicators) {
      for (const line of overlay.lines) {
        const series = this.lines.get(line.name);
        if (series === undefined) continue;
        let last = this.lastTimes.get(line.name) ?? -1;
        const kept = this.points.get(line.name);
        for (const p of line.points) {
          if (p.time < last) continue;
          series.update(toLine(p));
          if (kept !== undefined) {
            if (kept.times.at(-1) === p.time) kept.values[kept.values.length - 1] = p.value;
            else {
              kept.times.push(p.time);
              kept.values.push(p.value);
            }
          }
          last = p.time;
        }
        this.lastTimes.set(line.name, last);
      }
    }
    const since = window.candles[0]?.time;
    if (since !== undefined) {
      const signals = [...this.signals.filter((s) => s.time < since), ...window.signals];
      const trades = [...this.trades.filter((t) => t.exitTime < since), ...window.trades];
      if (!sameSignals(signals, this.signals) || trades.length !== this.trades.length) {
        this.signals = signals;
        this.trades = trades;
        this.markers.setMarkers(sortedMarkers(signalMarkers(signals), tradeMarkers(trades)));
      }
    }
    if (since !== undefined) this.recordsThrough = window.recordsThrough;
    this.setPosition(window.position);
    this.describe();
  }

  /** What is drawn: bars, signals and trades (the legend counts). */
  public counts(): { bars: number; signals: number; trades: number } {
    return { bars: this.candleCount, signals: this.signals.length, trades: this.trades.length };
  }

  /**
   * Frames the time axis: a short history whole, a long one by its newest INITIAL_VISIBLE bars.
   * A chart opened on a variant's first bars keeps fitting as they come, until there are that
   * many; then it stops, so the trader's own scrolling is never undone.
   */
  private frame(): void {
    const n = this.candleCount;
    if (n <= FIT_ALL) {
      this.chart.timeScale().fitContent();
      return;
    }
    this.chart.timeScale().setVisibleLogicalRange({ from: n - INITIAL_VISIBLE, to: n + 5 });
    this.fitting = false;
  }

  public dispose(): void {
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.markers.detach();
    this.chart.remove();
  }

  /** What is drawn, on the element (for tests and tools): newest bar, signals, trades, position. */
  private describe(): void {
    const d = this.container.dataset;
    d['lastTime'] = String(this.lastCandle);
    d['signals'] = String(this.signals.length);
    d['trades'] = String(this.trades.length);
    d['position'] = this.positionKey === 'null' || this.positionKey === '' ? 'flat' : 'open';
  }

  /** Every line's value on the bar at `time` (lines still warming up there are left out). */
  private valuesAt(time: number): Array<{ name: string; value: number }> {
    const out: Array<{ name: string; value: number }> = [];
    for (const [name, { times, values }] of this.points) {
      const i = indexOf(times, time);
      if (i >= 0) out.push({ name, value: values[i] as number });
    }
    return out;
  }

  private setPosition(position: StrategyChart['position']): void {
    const key = JSON.stringify(position);
    if (key === this.positionKey) return;
    this.positionKey = key;
    for (const line of this.priceLines) this.candles.removePriceLine(line);
    this.priceLines = [];
    this.levels =
      position === null
        ? []
        : [position.entryPrice, position.stopPrice, position.targetPrice].filter(
            (p): p is number => p !== null,
          );
    if (position === null) return;
    const level = (price: number | null, color: string, title: string, dashed: boolean): void => {
      if (price === null) return;
      this.priceLines.push(
        this.candles.createPriceLine({
          price,
          color,
          title,
          lineWidth: 2,
          lineStyle: dashed ? LineStyle.Dashed : LineStyle.Solid,
          axisLabelVisible: true,
        }),
      );
    };
    level(position.entryPrice, LEVEL_COLORS.entry, `${position.side} entry`, true);
    level(position.stopPrice, LEVEL_COLORS.stop, 'stop', false);
    level(position.targetPrice, LEVEL_COLORS.target, 'target', false);
    level(position.liquidationPrice, LEVEL_COLORS.liquidation, 'liquidation', true);
  }

  private crosshair(param: MouseEventParams<Time>): void {
    const info = param.hoveredInfo;
    const id =
      info?.objectKind === 'series-marker' && typeof info.objectId === 'string'
        ? info.objectId
        : null;
    const ref = parseMarkerId(id);
    if (ref === null || param.point === undefined) {
      if (this.hovered !== null) {
        this.hovered = null;
        this.onHover(null);
      }
      return;
    }
    if (id === this.hovered) return;
    this.hovered = id;
    const signal = ref.kind === 'signal' ? (this.signals[ref.index] ?? null) : null;
    const trade = ref.kind === 'signal' ? null : (this.trades[ref.index] ?? null);
    // The marker's own bar, not the crosshair's: a marker can be wider than its bar.
    const time =
      signal?.time ??
      (trade === null ? null : ref.kind === 'entry' ? trade.entryTime : trade.exitTime);
    this.onHover({
      ref,
      x: param.point.x,
      y: param.point.y,
      signal,
      trade,
      indicators: time === null ? [] : this.valuesAt(time),
    });
  }
}

/** Index of `time` in ascending `times`, or -1. */
function indexOf(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = times[mid] as number;
    if (t === time) return mid;
    if (t < time) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function sameSignals(a: readonly SignalRow[], b: readonly SignalRow[]): boolean {
  if (a.length !== b.length) return false;
  const x = a.at(-1);
  const y = b.at(-1);
  return x === y || (x !== undefined && y !== undefined && x.time === y.time && x.rule === y.rule);
}
