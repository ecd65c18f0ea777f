import { CandleChart } from '../components/candle-chart';

/** The chart area of the dashboard: mode switch, strategy selector and the chart itself. */
export function ChartWorkspace(): React.JSX.Element {
  return <CandleChart />;
}
