import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Api } from '../../src/shared/api';
import type { VariantRow } from '../../src/shared/variants';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  waitUntilReplayDigested,
  withHostSession,
} from '../support/e2e-session';

type Metric = (r: VariantRow) => number | null;
const ROI: Metric = (r) => r.metrics.roiPct;
const SHARPE: Metric = (r) => r.metrics.sharpe;

/** The leaderboard rows in the DOM (a window over the sorted list), by their 0-based rank. */
async function renderedRanks(page: Page): Promise<Array<{ rank: number; variantId: string }>> {
  return page.getByTestId('leaderboard-row').evaluateAll((rows) =>
    rows.map((r) => ({
      rank: Number(r.getAttribute('aria-rowindex')) - 2,
      variantId: r.getAttribute('data-variant-id') ?? '',
    })),
  );
}

/**
 * Checks the rendered rows against the API: the row at rank k must carry the k-th value of the
 * API's rows sorted by `metric` (nulls last), compared by value so ties may come in any order.
 */
async function expectRankedLike(
  page: Page,
  api: Api,
  metric: Metric,
  direction: 'asc' | 'desc',
): Promise<void> {
  const rows = await api.listVariants({});
  const byId = new Map(rows.map((r) => [r.variantId, metric(r)]));
  const sorted = rows
    .map(metric)
    .sort((a, b) =>
      a === null ? (b === null ? 0 : 1) : b === null ? -1 : direction === 'asc' ? a - b : b - a,
    );
  const rendered = await renderedRanks(page);
  expect(rendered.length).toBeGreaterThan(0);
  for (const { rank, variantId } of rendered) {
    expect(byId.has(variantId), `${variantId} is a variant the API lists`).toBe(true);
    expect(byId.get(variantId), `value at rank ${rank}`).toBe(sorted[rank]);
  }
}

/** The text of the metric cells of every rendered row, to see them change. */
async function metricCells(page: Page): Promise<string> {
  return page
    .locator(
      '[data-testid=leaderboard-row] :is([data-col=roi],[data-col=sharpe],[data-col=trades],[data-col=status],[data-col=maxDrawdown])',
    )
    .evaluateAll((cells) => cells.map((c) => c.textContent).join('|'));
}

test.describe('the leaderboard on replayed real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-leaderboard-');

  test('20 variants of a template appear, update live, and sort by ROI and Sharpe as the API ranks them', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 900 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await expect(page.getByTestId('leaderboard-empty')).toContainText(
        'No strategies yet — deploy a template',
      );

      // Replay from March 8th at 100×: the week before is stored history the variants warm up on.
      await replayBtcUsdtFromMarch8(api);
      await expect(page.getByTestId('feed-kind')).toHaveText('REPLAY');
      await expect(page.getByTestId('feed-speed')).toHaveText('speed 100×');
      await expect.poll(async () => (await api.getFeedStatus({})).progress ?? 0).toBeGreaterThan(0);

      // Deploy from the dialog its shortcut opens.
      await page.keyboard.press('Alt+N');
      const dialog = page.getByTestId('deploy-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByTestId('deploy-template').selectOption('rsi-mean-reversion');
      await dialog.getByTestId('deploy-variants').fill('20');
      await dialog.getByTestId('deploy-seed').fill('7');
      await dialog.getByTestId('deploy-submit').click();
      await expect(dialog).toHaveCount(0, { timeout: 60_000 });

      await expect(page.getByTestId('leaderboard-count')).toHaveText('21 rows');
      const deployed = await api.listVariants({});
      expect(deployed).toHaveLength(21);
      const main = deployed.filter((r) => r.role === 'main');
      expect(main).toHaveLength(1);
      await expect(page.getByTestId('leaderboard-table')).toHaveAttribute('aria-rowcount', '22');
      const strategyCard = page.getByTestId('strategy-card');
      await expect(strategyCard).toHaveCount(1);
      await expect(strategyCard.getByTestId('card-symbol')).toHaveText('BTC/USDT');

      // Live: the rendered metrics change while the replay runs.
      const first = await metricCells(page);
      await expect
        .poll(() => metricCells(page), { timeout: 90_000, intervals: [1_000] })
        .not.toBe(first);
      await page.screenshot({ path: join(SHOTS, 'leaderboard-live.png') });

      // Main is marked in its row (sorted by name it is first).
      await page.getByTestId('sort-variant').click();
      const mainRow = page.locator(
        `[data-testid=leaderboard-row][data-variant-id="${main[0]!.variantId}"]`,
      );
      await expect(mainRow.locator('.main-chip')).toHaveText('MAIN');
      await expect(mainRow).toHaveAttribute('aria-rowindex', '2');

      // The strategy card pauses and starts main and every variant together.
      await strategyCard.getByTestId('card-pause').click();
      await expect(page.locator('[data-testid=leaderboard-row][data-status=paused]')).toHaveCount(
        await page.getByTestId('leaderboard-row').count(),
      );
      expect((await api.listVariants({})).every((r) => r.status === 'paused')).toBe(true);
      await strategyCard.getByTestId('card-start').click();
      await expect(page.locator('[data-testid=leaderboard-row][data-status=paused]')).toHaveCount(
        0,
      );
      expect((await api.listVariants({})).some((r) => r.status === 'paused')).toBe(false);

      // The rest of the month as fast as possible: many trades and safety stops, then the
      // replay ends and the numbers hold still for the ranking checks.
      await page.getByTestId('speed-select').selectOption('max');
      await expect(page.getByTestId('feed-state')).toHaveText('ended', { timeout: 120_000 });
      await waitUntilReplayDigested(api);
      const final = await api.listVariants({});
      expect(final.reduce((n, r) => n + r.metrics.tradeCount, 0)).toBeGreaterThan(50);
      // RSI mean reversion loses in this rally: safety limits stop variants, and each says why
      // in its status tooltip and in a notification.
      const safetyStopped = final.filter((r) => r.statusReason?.startsWith('safety limit'));
      expect(safetyStopped.length).toBeGreaterThan(0);
      await expect(
        page.locator('[data-testid=toast][data-kind=safety-stop]').first(),
      ).toBeVisible();
      const rendered = new Set((await renderedRanks(page)).map((r) => r.variantId));
      const shown = safetyStopped.find((r) => rendered.has(r.variantId));
      expect(shown).toBeDefined();
      await expect(
        page
          .locator(`[data-testid=leaderboard-row][data-variant-id="${shown!.variantId}"]`)
          .locator('[data-col=status]'),
      ).toHaveAttribute('title', shown!.statusReason!);

      const roiHeader = page.locator('th[data-col=roi]');
      const sharpeHeader = page.locator('th[data-col=sharpe]');
      await page.getByTestId('sort-roi').click();
      await expect(roiHeader).toHaveAttribute('aria-sort', 'descending');
      await expect(sharpeHeader).toHaveAttribute('aria-sort', 'none');
      await expect(async () => expectRankedLike(page, api, ROI, 'desc')).toPass({
        timeout: 10_000,
      });
      await page.screenshot({ path: join(SHOTS, 'leaderboard-sorted-roi.png') });
      await page.getByTestId('sort-roi').click();
      await expect(roiHeader).toHaveAttribute('aria-sort', 'ascending');
      await expectRankedLike(page, api, ROI, 'asc');

      await page.getByTestId('sort-sharpe').click();
      await expect(sharpeHeader).toHaveAttribute('aria-sort', 'descending');
      await expect(roiHeader).toHaveAttribute('aria-sort', 'none');
      await expectRankedLike(page, api, SHARPE, 'desc');
      await page.getByTestId('sort-sharpe').click();
      await expect(sharpeHeader).toHaveAttribute('aria-sort', 'ascending');
      await expectRankedLike(page, api, SHARPE, 'asc');

      // The window follows the scroll: the last rank comes into the DOM at the bottom.
      await page.locator('.lb-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect(page.locator('[data-testid=leaderboard-row][aria-rowindex="22"]')).toBeVisible();
      await expectRankedLike(page, api, SHARPE, 'asc');
      await page.screenshot({ path: join(SHOTS, 'leaderboard-sorted-sharpe.png') });
    });
  });
});
