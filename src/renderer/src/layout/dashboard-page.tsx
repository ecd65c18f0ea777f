import { useEffect, useState } from 'react';
import { ChartWorkspace } from '../chart/chart-workspace';
import { DeployDialog } from '../variants/deploy-dialog';
import { Leaderboard } from '../variants/leaderboard';
import { PositionsPanel } from '../variants/positions-panel';
import { StrategyCards } from '../variants/strategy-cards';

/** The chart, the leaderboard, the strategy cards and the open positions on one screen. */
export function DashboardPage(): React.JSX.Element {
  const [deploying, setDeploying] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyN') {
        e.preventDefault();
        setDeploying(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="dashboard" data-testid="dashboard-page">
      <main className="chart-area dash-chart">
        <ChartWorkspace />
      </main>
      <div className="dash-board">
        <Leaderboard onDeploy={() => setDeploying(true)} />
      </div>
      <aside className="dash-side">
        <StrategyCards />
        <PositionsPanel />
      </aside>
      {deploying && <DeployDialog onClose={() => setDeploying(false)} />}
    </div>
  );
}
