import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
} from 'lightweight-charts';
import type { Candle, SeriesKey } from '../../../shared/market';
import { toCandle as toBar, toVolume } from '../chart/chart-data';
import { CANDLE_DOWN as DOWN, CANDLE_UP as UP, createDarkChart } from '../chart/chart-theme';
import { barStream, type BarChange } from '../market/bar-stream';
import { currentApi, describeError } from '../store/actions';

/** Stored bars loaded when a stored series is shown: the newest, up to the API's maximum. */
export const HISTORY_BARS = 1_000_000;

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/**
 * The raw price mode: candles and volume of the feed, or of a stored series (`history`). Feed
 * updates bypass React: changes from the bar stream are gathered and applied once per animation
 * frame, however fast the feed runs. A stored series is set once (`setData`), however long; the
 * chart element then carries how long that took (`data-fetch-ms`, `data-draw-ms`).
 */
export function CandleChart({ history = null }: { history?: SeriesKey | null }): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const historyKey = history && `${history.exchange}|${history.symbol}|${history.timeframe}`;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart: IChartApi = createDarkChart(container);
    const candles: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    const volume: ISeriesApi<'Histogram'> = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
    setError(null);

    if (history !== null) {
      let disposed = false;
      const started = performance.now();
      currentApi()
        .getCandles({ series: history, limit: HISTORY_BARS })
        .then(async ({ candles: bars }) => {
          if (disposed) return;
          const fetched = performance.now();
          candles.setData(bars.map(toBar));
          volume.setData(bars.map(toVolume));
          chart.timeScale().setVisibleLogicalRange({
            from: Math.max(0, bars.length - 500),
            to: bars.length + 5,
          });
          // The chart paints on its own frame: the second frame after setData has it on screen.
          await nextFrame();
          await nextFrame();
          if (disposed) return;
          container.dataset['bars'] = String(bars.length);
          container.dataset['fetchMs'] = (fetched - started).toFixed(1);
          container.dataset['drawMs'] = (performance.now() - fetched).toFixed(1);
        })
        .catch((e: unknown) => {
          if (!disposed) setError(describeError(e));
        });
      return () => {
        disposed = true;
        chart.remove();
      };
    }

    let needsReset = true;
    let queued: Candle[] = [];
    let forming: Candle | null = null;
    let frame = 0;
    let lastTime = -1;

    const resetAll = (): void => {
      const { closed, forming: f } = barStream.all();
      const bars = f ? [...closed, f] : closed;
      candles.setData(bars.map(toBar));
      volume.setData(bars.map(toVolume));
      lastTime = bars.length > 0 ? bars[bars.length - 1]!.time : -1;
      chart.timeScale().scrollToRealTime();
    };

    const flush = (): void => {
      frame = 0;
      if (needsReset || queued.length > 2_000) {
        needsReset = false;
        queued = [];
        forming = null;
        resetAll();
        return;
      }
      const updates = forming ? [...queued, forming] : queued;
      queued = [];
      forming = null;
      for (const c of updates) {
        if (c.time < lastTime) continue; // never rewrite history
        candles.update(toBar(c));
        volume.update(toVolume(c));
        lastTime = c.time;
      }
    };

    const onChange = (change: BarChange): void => {
      if (change.reset) needsReset = true;
      else {
        for (const c of change.closed) queued.push(c);
        forming = change.forming;
      }
      if (frame === 0) frame = requestAnimationFrame(flush);
    };
    const unsubscribe = barStream.subscribe(onChange);
    if (barStream.current) onChange({ reset: true, closed: [], forming: null });

    return () => {
      unsubscribe();
      if (frame !== 0) cancelAnimationFrame(frame);
      chart.remove();
    };
    // `historyKey` names `history`: a new object for the same series must not reload.
  }, [historyKey]);

  return (
    <>
      <div className="chart" ref={containerRef} data-testid="candle-chart" />
      {error !== null && (
        <div className="chart-message error" role="alert" data-testid="chart-error">
          {error}
        </div>
      )}
    </>
  );
}
