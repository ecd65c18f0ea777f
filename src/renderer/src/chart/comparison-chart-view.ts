import { LineSeries, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { alignEquityCurves, type EquityPoint } from '../../../shared/equity-thinning';
import { sec } from './chart-data';
import { mirrorVisibleRange } from './visible-range-attributes';
import { comparisonColors, createDarkChart } from './chart-theme';

type EquityPoints = readonly EquityPoint[];

/** Epoch ms of a chart time (the chart is fed UTC seconds). */

/** One curve of the comparison and its colour. */
export interface ComparedCurve {
  readonly label: string;
  readonly color: string;
  readonly points: EquityPoints;
}

/**
 * Slots of the comparison's time grid per bucket: its lowest, highest and deepest-drawdown
 * point and one more (a curve's first or last), over 2 px, so ~2 points per pixel as above.
 */
const COMPARED_PER_BUCKET = 4;
const COMPARED_PIXELS_PER_BUCKET = 2;

/**
 * The comparison mode: equity curves of several variants or runs on one scale.
 *
 * Every curve is in view whole, the earliest first point to the latest last, at any width: the
 * curves are put on one even time grid of ~2 slots per pixel (see alignEquityCurves, which
 * keeps each curve's extremes per bucket), so curves of different lengths and bar times line up
 * in time on a proportional axis; refitted, and thinned again, when the plot resizes.
 *
 * Written on the container for tests and tools: `data-drawn` (points drawn, all curves),
 * `data-slots` (times on the axis) and `data-visible-from` / `data-visible-to` (epoch ms).
 */
export class ComparisonChartView {
  private readonly chart: IChartApi;
  private series: Array<ISeriesApi<'Line'>> = [];
  /** Whitespace at every time of the grid: it puts the grid's empty slots on the time axis. */
  private readonly grid: ISeriesApi<'Line'>;
  /** Keeps `data-visible-from` / `data-visible-to` current (see mirrorVisibleRange). */
  private readonly onVisibleRange: () => void;
  private curves: ReadonlyArray<{ label: string; points: EquityPoints }> = [];
  /** Slots the shown curves were aligned to (0: not laid out yet, drawn on their own times). */
  private slots = 0;

  public constructor(private readonly container: HTMLElement) {
    this.chart = createDarkChart(container);
    // Below the 0.5 px default, so ~2 points per pixel fit; fitContent sets the actual spacing.
    this.chart.applyOptions({ timeScale: { minBarSpacing: 0.1 } });
    this.grid = this.chart.addSeries(LineSeries, {
      lastValueVisible: false,
      priceLineVisible: false,
      crosshairMarkerVisible: false,
    });
    this.chart.timeScale().subscribeSizeChange(this.onResize);
    this.onVisibleRange = mirrorVisibleRange(this.chart, this.container);
  }

  /** Replaces the curves; returns each with the colour it is drawn in, no two alike. */
  public show(curves: ReadonlyArray<{ label: string; points: EquityPoints }>): ComparedCurve[] {
    for (const s of this.series) this.chart.removeSeries(s);
    this.series = [];
    this.curves = curves;
    const colors = comparisonColors(curves.length);
    const shown = curves.map((c, i) => {
      const color = colors[i]!;
      this.series.push(
        this.chart.addSeries(LineSeries, {
          color,
          lineWidth: 2,
          priceLineVisible: false,
          title: '',
        }),
      );
      return { label: c.label, color, points: c.points };
    });
    this.draw(this.slotsFor(this.chart.timeScale().width() || this.container.clientWidth));
    return shown;
  }

  public dispose(): void {
    this.chart.timeScale().unsubscribeSizeChange(this.onResize);
    this.chart.timeScale().unsubscribeVisibleTimeRangeChange(this.onVisibleRange);
    this.chart.remove();
  }

  private slotsFor(width: number): number {
    return Math.floor(width / COMPARED_PIXELS_PER_BUCKET) * COMPARED_PER_BUCKET;
  }

  private draw(slots: number): void {
    this.slots = slots;
    // Not laid out yet: every point (the union of all times), thinned once the plot has a size.
    const aligned = alignEquityCurves(
      this.curves.map((c) => c.points),
      slots > 0
        ? slots
        : Math.max(
            1,
            this.curves.reduce((n, c) => n + c.points.length, 0),
          ),
      COMPARED_PER_BUCKET,
    );
    this.grid.setData(aligned.times.map((t) => ({ time: sec(t) })));
    aligned.curves.forEach((points, i) =>
      this.series[i]?.setData(points.map((p) => ({ time: sec(p.time), value: p.equity }))),
    );
    this.chart.timeScale().fitContent();
    const d = this.container.dataset;
    d['drawn'] = String(aligned.curves.reduce((n, c) => n + c.length, 0));
    d['slots'] = String(aligned.times.length);
  }

  /** A new plot size: align again if the width gives another grid, and fit. */
  private readonly onResize = (width: number): void => {
    const slots = this.slotsFor(width);
    if (slots !== this.slots && this.curves.length > 0) this.draw(slots);
    else this.chart.timeScale().fitContent();
  };
}
