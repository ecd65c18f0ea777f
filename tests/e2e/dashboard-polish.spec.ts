import { expect, test, type Page } from '@playwright/test';
import { useE2eHost, withHostSession } from '../support/e2e-session';

/** Vertical centres and edges of the chart toolbar's items, and the toolbar's own box. */
async function toolbarLayout(page: Page): Promise<{
  bar: { left: number; right: number };
  items: Array<{ middle: number; left: number; right: number }>;
}> {
  return page.locator('.chart-toolbar').evaluate((bar) => {
    const b = bar.getBoundingClientRect();
    return {
      bar: { left: b.left, right: b.right },
      items: [...bar.children].map((c) => {
        const r = c.getBoundingClientRect();
        return { middle: Math.round(r.top + r.height / 2), left: r.left, right: r.right };
      }),
    };
  });
}

// Small things a new user's trial found: the chart toolbar on two rows at 1600, the emergency
// stop's result cut off, and the safety-limit hint naming variants only.
test.describe('dashboard polish', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-dashboard-polish-');

  test('the chart toolbar is one row at 1600 and wraps inside the panel at 1280; the deploy hint names every account; the emergency-stop result wraps', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      await expect(page.getByTestId('chart-mode-price')).toBeVisible();
      const wide = await toolbarLayout(page);
      expect(wide.items.length).toBeGreaterThan(2);
      const middles = wide.items.map((i) => i.middle);
      expect(Math.max(...middles) - Math.min(...middles), 'one row at 1600').toBeLessThanOrEqual(1);

      await page.setViewportSize({ width: 1280, height: 800 });
      await expect
        .poll(async () => {
          const narrow = await toolbarLayout(page);
          return narrow.items.every(
            (i) => i.left >= narrow.bar.left - 0.5 && i.right <= narrow.bar.right + 0.5,
          );
        })
        .toBe(true);
      await page.setViewportSize({ width: 1600, height: 1000 });

      await page.getByTestId('deploy-open').click();
      const deploy = page.getByTestId('deploy-dialog');
      await expect(deploy.getByTestId('deploy-market-series')).toContainText('(simulated)');
      await expect(deploy).toContainText(
        'each account (main and every variant) stops itself, closing its position',
      );
      await deploy.getByTestId('deploy-variants').fill('20');
      await deploy.getByTestId('deploy-submit').click();
      await expect(deploy).toHaveCount(0, { timeout: 60_000 });
      await expect(page.getByTestId('leaderboard-count')).toHaveText('21 rows');

      await page.getByTestId('emergency-open').click();
      const dialog = page.getByTestId('emergency-dialog');
      await dialog.getByTestId('emergency-confirm').click();
      const done = dialog.getByTestId('emergency-done');
      await expect(done).toContainText('variants stopped.');
      // The whole sentence is laid out inside the dialog: nothing overflows or is clipped.
      const fits = await done.evaluate((p) => {
        const d = p.closest('dialog')!.getBoundingClientRect();
        const r = p.getBoundingClientRect();
        return p.scrollWidth <= p.clientWidth && r.right <= d.right && r.left >= d.left;
      });
      expect(fits).toBe(true);
      expect((await api.listVariants({})).every((r) => r.status === 'stopped')).toBe(true);
    });
  });
});
