import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { BTCUSDT_1M_SERIES, btcUsdtMinutes } from '../support/real-candles';
import { useE2eHost, withHostSession, importBtcUsdtMinutes, SHOTS } from '../support/e2e-session';

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;
const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

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
            // Each took the replay's bars (some may since have hit their 5% loss limit).
            const onReplay = rows.every(
              (r) =>
                r.series.exchange === BTCUSDT_1M_SERIES.exchange &&
                r.series.symbol === BTCUSDT_1M_SERIES.symbol &&
                r.status !== 'error' &&
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

  test('the leaderboard keeps each name and its actions in view at 1600 and 1280 wide; a stopped row offers Restart only', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      // A fresh strategy on the simulated market, its rows live (warming or running).
      await api.selectFeed({ kind: 'simulated' });
      const { strategy } = await api.deployStrategy({
        templateId: 'rsi-mean-reversion',
        variants: 5,
      });
      await page.getByLabel('Strategy shown in the leaderboard').selectOption(strategy.strategyId);
      await expect(page.getByTestId('leaderboard-count')).toHaveText('6 rows');
      const scroll = page.locator('.lb-scroll');
      const first = page.getByTestId('leaderboard-row').first();
      for (const viewport of [
        { width: 1600, height: 1000 },
        { width: 1280, height: 800 },
      ]) {
        await page.setViewportSize(viewport);
        await expect(first.getByTestId('row-kill')).toBeVisible();
        // At the left and scrolled fully right (where the trial lost the names).
        for (const scrollLeft of [0, 100_000]) {
          await scroll.evaluate((e, x) => (e.scrollLeft = x), scrollLeft);
          await expect
            .poll(
              async () => {
                const visible = await box(scroll);
                return [
                  inside(await box(first.getByTestId('row-kill')), visible),
                  inside(await box(first.locator('.lb-name')), visible),
                ];
              },
              { message: `${viewport.width} wide, scrolled to ${scrollLeft}` },
            )
            .toEqual([true, true]);
          // Nothing scrolls over them: the name and Kill are the topmost element at their centre.
          for (const target of [first.getByTestId('row-kill'), first.locator('.lb-name')]) {
            const b = await box(target);
            const hit = await page.evaluate(
              ([x, y]) => document.elementFromPoint(x!, y!)?.closest('td')?.dataset['col'] ?? '',
              [b.x + b.width / 2, b.y + b.height / 2],
            );
            expect(['variant', 'actions']).toContain(hit);
          }
        }
        await page.screenshot({
          path: join(SHOTS, `leaderboard-sticky-${viewport.width}.png`),
        });
      }

      // The promote dialog says why it is not a candidate in its checklist's own words: a
      // Sharpe or DSR withheld (—) there is not quoted as a number above it.
      const variant = (await api.listVariants({ strategyId: strategy.strategyId })).find(
        (r) => r.role === 'variant' && r.status !== 'stopped',
      )!;
      await page
        .locator(`[data-testid=leaderboard-row][data-variant-id="${variant.variantId}"]`)
        .getByTestId('row-promote')
        .click();
      const promote = page.getByTestId('promote-dialog');
      const gate = promote.getByTestId('promote-gate').locator('li');
      await expect(gate).toHaveCount(3);
      const lines = (await gate.allInnerTexts()).map((t) => t.trim());
      const failed = lines.filter((t) => t.startsWith('✗')).map((t) => t.slice(2));
      if (failed.length > 0) {
        const why = (
          await promote.getByTestId('promote-not-candidate').locator('li').allInnerTexts()
        ).map((t) => t.trim());
        expect(why).toEqual(failed);
      }
      for (const ratio of ['Sharpe', 'DSR']) {
        const line = lines.find((t) => t.slice(2).startsWith(`${ratio} `))!;
        if (line.includes(`${ratio} —`)) {
          expect(line).toMatch(
            new RegExp(`${ratio} — \\(needs 2 closed trades; (none has|only 1 has) closed yet\\)`),
          );
          await expect(promote).not.toContainText(new RegExp(`${ratio} −?\\d`));
        }
      }
      await promote.getByTestId('promote-cancel').click();
      await expect(promote).toHaveCount(0);

      // A stopped variant: Restart only, no Kill or Promote.
      await api.controlVariant({ variantId: variant.variantId, action: 'stop' });
      const row = page.locator(
        `[data-testid=leaderboard-row][data-variant-id="${variant.variantId}"]`,
      );
      await expect(row).toHaveAttribute('data-status', 'stopped');
      await expect(row.getByTestId('row-restart')).toBeVisible();
      await expect(row.getByTestId('row-kill')).toHaveCount(0);
      await expect(row.getByTestId('row-promote')).toHaveCount(0);
      await expect(row.getByTestId('row-pause')).toHaveCount(0);
    });
  });
});
