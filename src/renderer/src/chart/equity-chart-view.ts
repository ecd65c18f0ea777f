import {
  AreaSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { drawdownPercent, sec } from './chart-data';
import { comparisonColors, createDarkChart, DRAWDOWN_COLOR, EQUITY_COLOR } from './chart-theme';

type EquityPoints = ReadonlyArray<{ time: number; equity: number }>;

/**
 * The performance mode: equity at each bar's close in the top pane, drawdown below its running
 * peak (percent, the maximum drawdown is the pane's lowest point) in the pane under it.
 */
export class PerformanceChartView {
  private readonly chart: IChartApi;
  private readonly equity: ISeriesApi<'Area'>;
  private readonly drawdown: ISeriesApi<'Area'>;

  public constructor(container: HTMLElement) {
    this.chart = createDarkChart(container);
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
  }

  /** Draws `points` (the whole curve: set once, not per point). */
  public show(points: EquityPoints): void {
    this.equity.setData(points.map((p) => ({ time: sec(p.time), value: p.equity })));
    this.drawdown.setData(drawdownPercent(points));
    this.chart.timeScale().fitContent();
  }

  public dispose(): void {
    this.chart.remove();
  }
}

/** One curve of the comparison and its colour. */
export interface ComparedCurve {
  readonly label: string;
  readonly color: string;
  readonly points: EquityPoints;
}

/** The comparison mode: equity curves of several variants or runs on one scale. */
export class ComparisonChartView {
  private readonly chart: IChartApi;
  private series: Array<ISeriesApi<'Line'>> = [];

  public constructor(container: HTMLElement) {
    this.chart = createDarkChart(container);
  }

  /** Replaces the curves; returns each with the colour it is drawn in, no two alike. */
  public show(curves: ReadonlyArray<{ label: string; points: EquityPoints }>): ComparedCurve[] {
    for (const s of this.series) this.chart.removeSeries(s);
    this.series = [];
    const colors = comparisonColors(curves.length);
    const shown = curves.map((c, i) => {
      const color = colors[i]!;
      const line = this.chart.addSeries(LineSeries, {
        color,
        lineWidth: 2,
        priceLineVisible: false,
        title: '',
      });
      line.setData(c.points.map((p) => ({ time: sec(p.time) as UTCTimestamp, value: p.equity })));
      this.series.push(line);
      return { label: c.label, color, points: c.points };
    });
    this.chart.timeScale().fitContent();
    return shown;
  }

  public dispose(): void {
    this.chart.remove();
  }
}
