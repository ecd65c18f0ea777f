import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BTCUSDT_1M_SERIES, btcUsdtMinutes } from '../support/real-candles';
import { useE2eHost, withHostSession, importBtcUsdtMinutes, SHOTS } from '../support/e2e-session';

// A new user's trial: the replay chosen in Market (not yet started), then Deploy, traded the
// simulated market forever. The dialog now names the market and starts the chosen replay first.
test.describe('deploying while a replay is chosen in Market but not started', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-deploy-market-');

  test('the dialog names the chosen replay, starts it, and the strategy trades its bars', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await expect(page.getByTestId('feed-kind')).toHaveText('SIMULATED');
      const simulated = (await api.getFeedStatus({})).series;

      // Chosen in Market, not started: the feed is still the simulated market.
      const replayChoice = `${BTCUSDT_1M_SERIES.exchange}|${BTCUSDT_1M_SERIES.symbol}|${BTCUSDT_1M_SERIES.timeframe}`;
      await page.getByTestId('feed-select').selectOption(replayChoice);
      await page.getByTestId('speed-select').selectOption('100');
      expect((await api.getFeedStatus({})).kind).toBe('simulated');

      await page.getByTestId('deploy-open').click();
      const deploy = page.getByTestId('deploy-dialog');
      await expect(deploy.getByTestId('deploy-market-series')).toHaveText(
        'binanceus BTC/USDT 1m (replay)',
      );
      await expect(deploy.getByTestId('deploy-replay-pending')).toContainText(
        `has not started: the feed running now is ${simulated.exchange} ${simulated.symbol} ${simulated.timeframe}`,
      );
      const submit = deploy.getByTestId('deploy-submit');
      await expect(submit).toHaveText('Start the replay of BTC/USDT 1m and deploy on it');
      await deploy.getByTestId('deploy-template').selectOption('rsi-mean-reversion');
      await deploy.getByTestId('deploy-variants').fill('5');
      await page.screenshot({ path: join(SHOTS, 'deploy-market-pending-replay.png') });
      await submit.click();
      await expect(deploy).toHaveCount(0, { timeout: 60_000 });

      // The feed is the replay at the chosen speed, and the strategy runs on its series.
      const feed = await api.getFeedStatus({});
      expect(feed.kind).toBe('replay');
      expect(feed.series).toEqual(BTCUSDT_1M_SERIES);
      expect(feed.replaySpeed).toBe(100);
      const strategies = await api.listStrategies({});
      expect(strategies).toHaveLength(1);
      expect(strategies[0]!.series).toEqual(BTCUSDT_1M_SERIES);
      await expect(page.getByTestId('leaderboard-count')).toHaveText('6 rows');

      // With the replay playing, the dialog deploys on it without starting anything.
      await page.getByTestId('deploy-open').click();
      await expect(deploy.getByTestId('deploy-market-series')).toHaveText(
        'binanceus BTC/USDT 1m (replay)',
      );
      await expect(deploy.getByTestId('deploy-replay-pending')).toHaveCount(0);
      await expect(submit).toHaveText('Deploy main + 5 variants');
      await deploy.getByRole('button', { name: 'Cancel' }).click();
      await expect(deploy).toHaveCount(0);

      // Every row takes the replay's bars (none waits for another series), and they trade.
      await api.setReplaySpeed({ speed: 'max' });
      const first = btcUsdtMinutes()[0]!.time;
      await expect
        .poll(
          async () => {
            const rows = await api.listVariants({});
            const onReplay = rows.every(
              (r) =>
                r.series.symbol === 'BTC/USDT' &&
                (r.status === 'running' || r.status === 'warming') &&
                (r.metrics.lastTime ?? 0) >= first,
            );
            const trades = rows.reduce((n, r) => n + r.metrics.tradeCount, 0);
            return onReplay && rows.length === 6 && trades > 0;
          },
          { timeout: 120_000, intervals: [500] },
        )
        .toBe(true);
    });
  });
});
