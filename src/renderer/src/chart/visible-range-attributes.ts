import type { IChartApi, Time } from 'lightweight-charts';

/**
 * Mirrors the chart's visible time range into `data-visible-from` / `data-visible-to` (epoch ms)
 * on its container, so end-to-end tests can check what a trader sees without reading pixels.
 * @returns the listener to pass to `unsubscribeVisibleTimeRangeChange`.
 */
export function mirrorVisibleRange(chart: IChartApi, container: HTMLElement): () => void {
  const ms = (time: Time): number => (time as number) * 1000;
  const listener = (): void => {
    const range = chart.timeScale().getVisibleRange();
    const d = container.dataset;
    d['visibleFrom'] = range === null ? '' : String(ms(range.from));
    d['visibleTo'] = range === null ? '' : String(ms(range.to));
  };
  chart.timeScale().subscribeVisibleTimeRangeChange(listener);
  return listener;
}
