import { BacktestPanel } from './backtest-panel';

/** The backtest page: pick a strategy and a range of stored history, run, inspect, deploy. */
export function BacktestPage(): React.JSX.Element {
  return <BacktestPanel />;
}
