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

/**
 * Bars per page of a stored series: the newest page is drawn first, older pages as the view
 * nears the oldest bar drawn. A 500,000-bar series then opens as fast as a 25,000-bar one.
 */
export const HISTORY_PAGE = 25_000;

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/**
 * The raw price mode: candles and volume of the feed, or of a stored series (`history`). Feed
 * updates bypass React: changes from the bar stream are gathered and applied once per animation
 * frame, however fast the feed runs. A stored series opens on its newest page and pages older
 * bars in as the view goes back; the chart element carries how long the first page took
 * (`data-fetch-ms`, `data-draw-ms`) and how many bars are drawn (`data-bars`).
 */
export function CandleChart({ history = null }: { history?: SeriesKey | null }): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const toStart = useRef<(() => Promise<void>) | null>(null);
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
    for (const key of ['bars', 'complete', 'loaded', 'fetchMs', 'drawMs'])
      delete container.dataset[key];

    if (history !== null) {
      const series = history;
      let disposed = false;
      let loaded: Candle[] = [];
      let exhausted = false;
      let loading: Promise<void> | null = null;
      const show = (): void => {
        candles.setData(loaded.map(toBar));
        volume.setData(loaded.map(toVolume));
        container.dataset['bars'] = String(loaded.length);
        container.dataset['complete'] = String(exhausted);
      };
      // Older pages come when the view nears the oldest bar drawn, kept where the eye was.
      const loadOlder = (pages: number): Promise<void> =>
        (loading ??= (async () => {
          let added = 0;
          for (let i = 0; i < pages && !exhausted && loaded.length > 0; i++) {
            const { candles: older } = await currentApi().getCandles({
              series,
              to: loaded[0]!.time - 1,
              limit: HISTORY_PAGE,
            });
            if (disposed) return;
            exhausted = older.length < HISTORY_PAGE;
            loaded = [...older, ...loaded];
            added += older.length;
          }
          const range = chart.timeScale().getVisibleLogicalRange();
          show();
          if (range !== null)
            chart.timeScale().setVisibleLogicalRange({
              from: range.from + added,
              to: range.to + added,
            });
        })().finally(() => (loading = null)));
      const onRange = (range: { from: number } | null): void => {
        if (range !== null && range.from < HISTORY_PAGE / 10 && !exhausted) void loadOlder(1);
      };
      const started = performance.now();
      currentApi()
        .getCandles({ series, limit: HISTORY_PAGE })
        .then(async ({ candles: bars }) => {
          if (disposed) return;
          const fetched = performance.now();
          loaded = bars;
          exhausted = bars.length < HISTORY_PAGE;
          show();
          chart.timeScale().setVisibleLogicalRange({
            from: Math.max(0, bars.length - 500),
            to: bars.length + 5,
          });
          // The chart paints on its own frame: the second frame after setData has it on screen.
          await nextFrame();
          await nextFrame();
          if (disposed) return;
          container.dataset['fetchMs'] = (fetched - started).toFixed(1);
          container.dataset['drawMs'] = (performance.now() - fetched).toFixed(1);
          container.dataset['loaded'] = 'true';
          chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
        })
        .catch((e: unknown) => {
          if (!disposed) setError(describeError(e));
        });
      // "To the start": every older page, then the first bar in view.
      toStart.current = async () => {
        while (!exhausted && !disposed) await loadOlder(Number.MAX_SAFE_INTEGER);
        if (!disposed) chart.timeScale().setVisibleLogicalRange({ from: 0, to: 500 });
      };
      return () => {
        disposed = true;
        toStart.current = null;
        chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
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
      {history !== null && (
        <button
          type="button"
          className="chart-to-start"
          data-testid="history-start"
          title="Load the whole stored series and show its first bar"
          onClick={() => void toStart.current?.()}
        >
          ⇤ start
        </button>
      )}
      {error !== null && (
        <div className="chart-message error" role="alert" data-testid="chart-error">
          {error}
        </div>
      )}
    </>
  );
}
