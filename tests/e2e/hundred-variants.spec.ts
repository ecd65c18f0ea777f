import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  waitUntilReplayDigested,
  withHostSession,
} from '../support/e2e-session';

// The variant manager's trial as a new user makes it, at the size the product is for: 100
// variants on replayed real BTC/USDT minutes at 100×, the host committing on the store's thread.
test.describe('100 variants on a 100× replay of real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-hundred-');

  test('the table updates, safety limits stop variants, a promotion is audited and the export holds exactly the stored trades', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 900 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await replayBtcUsdtFromMarch8(api);
      await expect(page.getByTestId('feed-speed')).toHaveText('speed 100×');

      await page.keyboard.press('Alt+N');
      const dialog = page.getByTestId('deploy-dialog');
      await dialog.getByTestId('deploy-template').selectOption('rsi-mean-reversion');
      await dialog.getByTestId('deploy-variants').fill('100');
      await dialog.getByTestId('deploy-seed').fill('11');
      await dialog.getByTestId('deploy-submit').click();
      await expect(dialog).toHaveCount(0, { timeout: 60_000 });
      await expect(page.getByTestId('leaderboard-count')).toHaveText('101 rows');

      // Live: trades and metrics arrive while the replay plays at 100×.
      const cells = (): Promise<string> =>
        page
          .locator('[data-testid=leaderboard-row] :is([data-col=roi],[data-col=trades])')
          .evaluateAll((c) => c.map((e) => e.textContent).join('|'));
      const first = await cells();
      await expect.poll(cells, { timeout: 90_000, intervals: [1_000] }).not.toBe(first);
      await expect
        .poll(async () => (await api.listLiveTrades({ filter: {} })).length, { timeout: 90_000 })
        .toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, 'hundred-variants-live.png') });

      // Promote while it trades: a candidate if one is in view, else a non-candidate, confirmed.
      // Sorted by name the rows hold still; only those in view are in the DOM.
      await page.getByTestId('sort-variant').click();
      const inView = await page
        .getByTestId('leaderboard-row')
        .evaluateAll((r) => r.map((e) => e.getAttribute('data-variant-id')));
      const rows = await api.listVariants({});
      const mainBefore = rows.find((r) => r.role === 'main')!;
      const running = rows.filter(
        (r) => r.role === 'variant' && r.status === 'running' && inView.includes(r.variantId),
      );
      const target = running.find((r) => r.promotion?.isCandidate) ?? running[0]!;
      const row = page.locator(
        `[data-testid=leaderboard-row][data-variant-id="${target.variantId}"]`,
      );
      await row.getByTestId('row-promote').click();
      const promote = page.getByTestId('promote-dialog');
      if (target.promotion?.isCandidate !== true)
        await promote.getByTestId('promote-accept-non-candidate').check();
      await promote.getByTestId('promote-confirm').click();
      await expect(promote.getByTestId('promote-done')).toContainText('main is now version 2');
      await promote.getByTestId('promote-close').click();
      const audit = await api.listPromotionAudit({});
      expect(audit).toHaveLength(1);
      expect(audit[0]!.variantId).toBe(target.variantId);
      expect(audit[0]!.before).toEqual(mainBefore.parameters);
      expect(audit[0]!.after).toEqual(target.parameters);

      // The rest of the month as fast as it goes: the store's thread falls behind and catches up.
      await api.setReplaySpeed({ speed: 'max' });
      await expect(page.getByTestId('feed-state')).toHaveText('ended', { timeout: 180_000 });
      await waitUntilReplayDigested(api);
      const final = await api.listVariants({});
      const stopped = final.filter((r) => r.statusReason?.startsWith('safety limit'));
      expect(stopped.length).toBeGreaterThan(0);
      await expect(
        page.locator('[data-testid=toast][data-kind=safety-stop]').first(),
      ).toBeVisible();

      // Every trade the leaderboard counts is stored once, and the export is exactly those rows.
      const trades = await api.listLiveTrades({ filter: {}, limit: 100_000 });
      const counted = final.reduce((n, r) => n + r.metrics.tradeCount, 0);
      expect(trades.length).toBe(counted);
      const keys = new Set(trades.map((t) => `${t.variantId}#${t.tradeId}`));
      expect(keys.size).toBe(trades.length);
      const json = await api.exportLiveTrades({ filter: {}, format: 'json' });
      expect(json.rows).toBe(trades.length);
      expect(JSON.parse(json.text)).toEqual(trades);
      const csv = await api.exportLiveTrades({ filter: {}, format: 'csv' });
      expect(csv.text.trimEnd().split('\n')).toHaveLength(trades.length + 1);
      test.info().annotations.push({
        type: 'trial',
        description: `${final.length} rows, ${trades.length} trades, ${stopped.length} stopped by a safety limit, promoted ${target.variantId} (${target.promotion?.isCandidate === true ? 'candidate' : 'not a candidate'})`,
      });
      await page.screenshot({ path: join(SHOTS, 'hundred-variants-ended.png') });
    });
  });
});
