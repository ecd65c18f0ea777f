import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { LiveTradeRow } from '../../src/shared/variants';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  useE2eHost,
  waitUntilReplayDigested,
  withHostSession,
} from '../support/e2e-session';

const countText = (n: number): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? 'trade' : 'trades'}`;
const keyOf = (t: { variantId: string; tradeId: number }): string => `${t.variantId}#${t.tradeId}`;

/** The JSON export's rows, saved by clicking Export JSON. */
async function exportedRows(page: Page): Promise<LiveTradeRow[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json').click(),
  ]);
  return JSON.parse(readFileSync(await download.path(), 'utf8')) as LiveTradeRow[];
}

/** The table's rendered rows (a window over the list) as keys, by rank. */
async function renderedKeys(page: Page): Promise<Array<{ rank: number; key: string }>> {
  return page.getByTestId('trade-row').evaluateAll((rows) =>
    rows.map((r) => ({
      rank: Number(r.getAttribute('aria-rowindex')) - 2,
      key: `${r.getAttribute('data-variant-id')}#${r.getAttribute('data-trade-id')}`,
    })),
  );
}

// A new user's trial: the exit-reason filter applied only on Enter/Tab, so the table and the
// export disagreed at click time. Typed text now applies as typed, and the export is the table.
test.describe('the trades page exit-reason filter', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-trades-filter-typing-');

  test('narrows the table as the reason is typed, and the export holds exactly the rows shown', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 900 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await replayBtcUsdtFromMarch8(api);
      await expect.poll(async () => (await api.getFeedStatus({})).progress ?? 0).toBeGreaterThan(0);
      await api.deployStrategy({ templateId: 'rsi-mean-reversion', variants: 10, seed: 3 });
      await api.setReplaySpeed({ speed: 'max' });
      await expect(page.getByTestId('feed-state')).toHaveText('ended', { timeout: 120_000 });
      await waitUntilReplayDigested(api);
      const all = await api.listLiveTrades({ filter: {}, limit: 100_000 });
      const reasons = [...Map.groupBy(all, (t) => t.exitReason).entries()].sort(
        (a, b) => a[1].length - b[1].length,
      );
      expect(reasons.length, 'trades closed for at least two reasons').toBeGreaterThan(1);

      await page.keyboard.press('Alt+3');
      await expect(page.getByTestId('trades-count')).toHaveText(countText(all.length));

      // Typed, no Enter: the table narrows to the API's rows for that reason.
      const [reason, withReason] = reasons[0]!;
      const input = page.getByTestId('filter-exit-reason');
      await input.pressSequentially(reason);
      await expect(page.getByTestId('trades-count')).toHaveText(countText(withReason.length));
      await expect(input).toBeFocused();
      const exported = await exportedRows(page);
      expect(exported.map(keyOf).sort()).toEqual(withReason.map(keyOf).sort());
      expect(exported.every((t) => t.exitReason === reason)).toBe(true);
      const shown = await renderedKeys(page);
      for (const { rank, key } of shown) expect(key).toBe(keyOf(exported[rank]!));

      // Another reason typed and exported at once, before the pause: the export waits for the
      // table to show it, and both hold that reason's rows.
      const [other, withOther] = reasons.at(-1)!;
      await input.fill('');
      await input.pressSequentially(other);
      const exportedAtOnce = await exportedRows(page);
      await expect(page.getByTestId('trades-count')).toHaveText(countText(withOther.length));
      expect(exportedAtOnce.map(keyOf).sort()).toEqual(withOther.map(keyOf).sort());
    });
  });
});
