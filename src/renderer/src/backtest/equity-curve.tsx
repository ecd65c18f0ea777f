import { useEffect, useRef } from 'react';
import { PerformanceChartView } from '../chart/equity-chart-view';

/** A run's equity curve and drawdown, small, under its metrics. */
export function EquityCurve({
  points,
}: {
  points: ReadonlyArray<{ time: number; equity: number }>;
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const view = new PerformanceChartView(container);
    view.show(points);
    container.dataset['points'] = String(points.length);
    return () => view.dispose();
  }, [points]);
  return (
    <div className="bt-equity">
      <div className="chart" ref={ref} data-testid="backtest-equity" />
    </div>
  );
}
