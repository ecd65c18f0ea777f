import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Api } from '../../src/shared/api';
import { startHeadlessProcess, type HeadlessProcess } from '../support/headless-process';
import { connectHostApi } from '../support/host-api';
import { importBtcUsdtMinutes, SHOTS } from '../support/e2e-session';
import { makeTempDir } from '../stubs/temp-dir';

/**
 * What the backtest page must show for `runId` once reopened: the host's own result (metrics,
 * every trade), the same equity curve the chart service gives, and the run on the chart.
 */
async function expectRunShown(page: Page, api: Api, runId: string): Promise<void> {
  const panel = page.getByTestId('backtest-panel');
  const result = await api.getBacktestResult({ runId });
  expect(result.status).toBe('completed');
  await expect(
    panel.locator('[data-testid=backtest-recent-run][aria-current=true]'),
  ).toHaveAttribute('data-run-id', runId);
  await expect(panel.getByTestId('metric-trades')).toHaveText(String(result.trades.length));
  await expect(panel.getByTestId('metric-roi')).toHaveText(`${result.metrics!.roiPct.toFixed(2)}%`);
  await expect(panel.getByTestId('backtest-trades').locator('tbody tr')).toHaveCount(
    result.trades.length,
  );
  const [curve] = await api.getEquityCurves({
    sources: [{ kind: 'backtest', runId }],
    maxPoints: 20_000,
  });
  expect(curve!.points.length).toBeGreaterThan(100);
  await expect(panel.getByTestId('backtest-equity')).toHaveAttribute(
    'data-points',
    String(Math.max(result.equity.length, curve!.points.length)),
  );
  await expect(page.getByTestId('chart-source')).toHaveValue(`backtest:${runId}`);
  await expect(page.getByTestId('chart-workspace')).toHaveAttribute('data-mode', 'strategy');
  await expect(page.getByTestId('strategy-chart-counts')).toContainText(
    `${result.trades.length} trades`,
  );
}

/** The recent runs the page lists, top to bottom. */
const listedRuns = (page: Page): Promise<string[]> =>
  page
    .getByTestId('backtest-recent-run')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''));

test.describe('backtest runs outlive a reload of the page and a restart of the host', () => {
  const dataDir = makeTempDir('parallax-e2e-backtest-reload-');
  let host: HeadlessProcess | undefined;
  test.afterAll(async () => {
    await host?.stop();
    dataDir.remove();
  });

  test('after a reload, and after the host restarts on the same data, the page lists the runs and reopens the last one whole', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1600, height: 1000 });
    const open = async (): Promise<{ api: Api; close: () => void }> => {
      await page.goto(host!.url);
      await expect(page.getByTestId('status-bar')).toContainText('connected (headless)');
      return connectHostApi(host!.url);
    };

    host = await startHeadlessProcess(dataDir.path);
    let session = await open();
    await importBtcUsdtMinutes(page);
    await page.getByTestId('nav-backtest').click();
    const panel = page.getByTestId('backtest-panel');
    const run = async (templateId: string): Promise<string> => {
      await panel.getByTestId('backtest-template').selectOption(templateId);
      await panel.getByTestId('backtest-run').click();
      await expect(panel.getByTestId('backtest-status')).toContainText('completed', {
        timeout: 60_000,
      });
      await expect(page.getByTestId('chart-source')).toHaveValue(/^backtest:/);
      return (await page.getByTestId('chart-source').inputValue()).slice('backtest:'.length);
    };
    const first = await run('ema-crossover-trend');
    const second = await run('macd-rsi-confirmation');
    expect(second).not.toBe(first);
    // The host lists them newest first, and so does the page.
    const listed = await session.api.listBacktests({});
    expect(listed.map((r) => r.runId)).toEqual([second, first]);
    await expect.poll(() => listedRuns(page)).toEqual([second, first]);
    await expectRunShown(page, session.api, second);

    // A reload: the page starts empty and reads the runs back from the host.
    await page.reload();
    await expect(page.getByTestId('status-bar')).toContainText('connected (headless)');
    // The dashboard's chart offers both runs before the backtest page was opened.
    await expect(page.locator('[data-testid=chart-source] option[value^="backtest:"]')).toHaveCount(
      2,
    );
    await page.getByTestId('nav-backtest').click();
    await expect.poll(() => listedRuns(page)).toEqual([second, first]);
    await expectRunShown(page, session.api, second);
    // The older one opens from the list.
    await panel.locator(`[data-testid=backtest-recent-run][data-run-id="${first}"]`).click();
    await expectRunShown(page, session.api, first);
    session.close();

    // A restart of the host on the same data folder (real SQLite file): equity curves are no
    // longer in memory, the host replays the run for them.
    expect(await host.stop()).toBe(0);
    host = await startHeadlessProcess(dataDir.path);
    session = await open();
    await page.getByTestId('nav-backtest').click();
    await expect.poll(() => listedRuns(page)).toEqual([second, first]);
    const reread = await session.api.getBacktestResult({ runId: second });
    expect(reread.equity).toEqual([]);
    await expectRunShown(page, session.api, second);
    await expect(
      panel.locator(`[data-testid=backtest-recent-run][data-run-id="${second}"]`),
    ).toContainText(`${reread.metrics!.roiPct.toFixed(2)}%`);
    await page.screenshot({ path: join(SHOTS, 'backtest-reopened-after-restart.png') });
    session.close();
    expect(pageErrors).toEqual([]);
  });
});
