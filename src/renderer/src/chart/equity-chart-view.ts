import { AreaSeries, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { thinEquityCurve, type EquityPoint } from '../../../shared/equity-thinning';
import { sec } from './chart-data';
import { mirrorVisibleRange } from './visible-range-attributes';
import { createDarkChart, DRAWDOWN_COLOR, EQUITY_COLOR } from './chart-theme';

type EquityPoints = readonly EquityPoint[];

/**
 * Thinned curves keep about two points per pixel of the plot (three per bucket of 1.5 px): the
 * line still reaches every bucket's extremes, at a spacing of ~0.5 px.
 */
const PIXELS_PER_BUCKET = 1.5;

/** Epoch ms of a chart time (the chart is fed UTC seconds). */

/**
 * The performance mode: equity at each bar's close in the top pane, drawdown below its running
 * peak (percent, the maximum drawdown is the pane's lowest point) in the pane under it.
 *
 * The whole curve is always in view, first point to last, at any width: it is thinned to the
 * plot's width (see thinEquityCurve; drawdown is taken on the whole curve first, so its deepest
 * point is the run's) and refitted whenever the plot resizes.
 *
 * What is drawn is written on the container for tests and tools: `data-drawn` (points drawn),
 * `data-visible-from` / `data-visible-to` (the time axis's visible range, epoch ms) and
 * `data-max-drawdown` (the drawdown pane's lowest value, percent).
 */
export class PerformanceChartView {
  private readonly chart: IChartApi;
  private readonly equity: ISeriesApi<'Area'>;
  private readonly drawdown: ISeriesApi<'Area'>;
  /** Keeps `data-visible-from` / `data-visible-to` current (see mirrorVisibleRange). */
  private readonly onVisibleRange: () => void;
  private points: EquityPoints = [];
  /** Buckets the shown points were thinned to (0: the plot had no width yet, drawn whole). */
  private buckets = 0;

  public constructor(private readonly container: HTMLElement) {
    this.chart = createDarkChart(container);
    // Below the 0.5 px default, so ~2 points per pixel fit; fitContent sets the actual spacing.
    this.chart.applyOptions({ timeScale: { minBarSpacing: 0.1 } });
    this.equity = this.chart.addSeries(AreaSeries, {
      lineColor: EQUITY_COLOR,
      topColor: 'rgba(76,154,255,0.35)',
      bottomColor: 'rgba(76,154,255,0.02)',
      lineWidth: 2,
      priceLineVisible: false,
    });
    this.drawdown = this.chart.addSeries(
      AreaSeries,
      {
        lineColor: DRAWDOWN_COLOR,
        topColor: 'rgba(255,82,82,0.05)',
        bottomColor: 'rgba(255,82,82,0.45)',
        invertFilledArea: true,
        lineWidth: 1,
        priceLineVisible: false,
        priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%` },
      },
      1,
    );
    this.chart.panes()[0]?.setStretchFactor(2);
    this.chart.timeScale().subscribeSizeChange(this.onResize);
    this.onVisibleRange = mirrorVisibleRange(this.chart, this.container);
  }

  /** Draws `points` (the whole curve: set once, not per point), all of it in view. */
  public show(points: EquityPoints): void {
    this.points = points;
    this.draw(this.bucketsFor(this.chart.timeScale().width() || this.container.clientWidth));
  }

  public dispose(): void {
    this.chart.timeScale().unsubscribeSizeChange(this.onResize);
    this.chart.timeScale().unsubscribeVisibleTimeRangeChange(this.onVisibleRange);
    this.chart.remove();
  }

  private bucketsFor(width: number): number {
    return Math.floor(width / PIXELS_PER_BUCKET);
  }

  private draw(buckets: number): void {
    this.buckets = buckets;
    // No width yet (not laid out): the whole curve, thinned once the plot has a size.
    const drawn = thinEquityCurve(
      this.points,
      buckets > 0 ? buckets : Math.max(1, this.points.length),
    );
    this.equity.setData(drawn.map((p) => ({ time: sec(p.time), value: p.equity })));
    this.drawdown.setData(drawn.map((p) => ({ time: sec(p.time), value: p.drawdownPct })));
    this.chart.timeScale().fitContent();
    const d = this.container.dataset;
    d['drawn'] = String(drawn.length);
    d['maxDrawdown'] = String(drawn.reduce((low, p) => Math.min(low, p.drawdownPct), 0));
  }

  /** A new plot size: thin again if the width gives other buckets, and fit. */
  private readonly onResize = (width: number): void => {
    const buckets = this.bucketsFor(width);
    if (buckets !== this.buckets && this.points.length > 0) this.draw(buckets);
    else this.chart.timeScale().fitContent();
  };
}
