import { BacktestPage } from '../backtest/backtest-page';
import { ChartWorkspace } from '../chart/chart-workspace';
import { useAppStore } from '../store/app-store';
import { FeedPicker } from './feed-picker';
import { ImportPanel } from './import-panel';
import { StatusBar } from './status-bar';

export function App(): React.JSX.Element {
  const kind = useAppStore((s) => s.feed?.kind);
  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Parallax</span>
        <span className="paper-badge" title="No real orders are ever placed unless you opt in">
          PAPER
        </span>
        <FeedPicker />
        <ImportPanel />
      </header>
      {kind === 'simulated' && (
        <div className="sim-banner" data-testid="sim-banner">
          Simulated market — generated prices, not a real exchange.
        </div>
      )}
      <div className="workspace">
        <main className="chart-area">
          <ChartWorkspace />
        </main>
        <BacktestPage />
      </div>
      <StatusBar />
    </div>
  );
}
