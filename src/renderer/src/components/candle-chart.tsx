import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Candle } from '../../../shared/market';
import { markerStream } from '../backtest/trade-markers';
import { barStream, type BarChange } from '../market/bar-stream';

const UP = '#26a69a';
const DOWN = '#ef5350';

const toBar = (c: Candle): CandlestickData<UTCTimestamp> => ({
  time: (c.time / 1000) as UTCTimestamp,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
});
const toVolume = (c: Candle): HistogramData<UTCTimestamp> => ({
  time: (c.time / 1000) as UTCTimestamp,
  value: c.volume,
  color: c.close >= c.open ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)',
});

/**
 * Live candles and volume. Updates bypass React: changes from the bar stream are gathered and
 * applied once per animation frame, however fast the feed runs.
 */
export function CandleChart(): React.JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart: IChartApi = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: '#0f1216' },
        textColor: '#c7ccd4',
        attributionLogo: false,
      },
      grid: { vertLines: { color: '#1b2027' }, horzLines: { color: '#1b2027' } },
      rightPriceScale: { borderColor: '#2a313b' },
      timeScale: { borderColor: '#2a313b', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    });
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
    // A backtest's entries and exits, pushed like the bars (never through a render).
    const markers = createSeriesMarkers(candles, [...markerStream.current]);
    const unsubscribeMarkers = markerStream.subscribe((list) => {
      markers.setMarkers([...list]);
      if (list.length > 0) chart.timeScale().fitContent();
    });

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
      unsubscribeMarkers();
      if (frame !== 0) cancelAnimationFrame(frame);
      chart.remove();
    };
  }, []);

  return <div className="chart" ref={containerRef} data-testid="candle-chart" />;
}
