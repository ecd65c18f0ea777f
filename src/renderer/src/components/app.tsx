import { AlertToasts } from '../alerts/alert-toasts';
import { AlertsPage } from '../alerts/alerts-page';
import { BacktestPage } from '../backtest/backtest-page';
import { ChartWorkspace } from '../chart/chart-workspace';
import { DashboardPage } from '../layout/dashboard-page';
import { PageNav } from '../layout/page-nav';
import { PaperBadge } from '../layout/paper-badge';
import { useAppStore } from '../store/app-store';
import { TradesPage } from '../trades/trades-page';
import { CircuitBreakerIndicator } from './circuit-breaker-indicator';
import { EmergencyStopButton } from './emergency-stop';
import { FeedPicker } from './feed-picker';
import { ImportPanel } from './import-panel';
import { StatusBar } from './status-bar';

function CurrentPage(): React.JSX.Element {
  const page = useAppStore((s) => s.page);
  switch (page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'backtest':
      return (
        <div className="workspace" data-testid="backtest-page">
          <main className="chart-area">
            <ChartWorkspace />
          </main>
          <BacktestPage />
        </div>
      );
    case 'trades':
      return <TradesPage />;
    case 'alerts':
      return <AlertsPage />;
  }
}

/** The shell: header (feed, import, breaker, emergency stop), page tabs, the page, status bar. */
export function App(): React.JSX.Element {
  const kind = useAppStore((s) => s.feed?.kind);
  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Parallax</span>
        <PaperBadge testId="header-paper" />
        <FeedPicker />
        <ImportPanel />
        <span className="spacer" />
        <CircuitBreakerIndicator />
        <EmergencyStopButton />
      </header>
      <PageNav />
      {kind === 'simulated' && (
        <div className="sim-banner" data-testid="sim-banner">
          Simulated market — generated prices, not a real exchange.
        </div>
      )}
      <div className="page-host">
        <CurrentPage />
      </div>
      <StatusBar />
      <AlertToasts />
    </div>
  );
}
