import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import type { LiveTradeFilter, LiveTradeRow } from '../../src/shared/variants';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  waitUntilReplayDigested,
  withHostSession,
} from '../support/e2e-session';

const DAY_MS = 86_400_000;

/** RFC 4180 CSV to rows of fields (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The CSV's rows as objects by header name. */
function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  expect(header).toBeDefined();
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

async function downloadedText(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

const tradeKey = (t: { variantId: string; tradeId: number }): string =>
  `${t.variantId}#${t.tradeId}`;

/** The table's rendered rows (a window over the list), by rank. */
async function renderedTrades(page: Page): Promise<Array<{ rank: number; key: string }>> {
  return page.getByTestId('trade-row').evaluateAll((rows) =>
    rows.map((r) => ({
      rank: Number(r.getAttribute('aria-rowindex')) - 2,
      key: `${r.getAttribute('data-variant-id')}#${r.getAttribute('data-trade-id')}`,
    })),
  );
}

async function expectTableShows(page: Page, expected: readonly LiveTradeRow[]): Promise<void> {
  await expect(page.getByTestId('trades-count')).toHaveText(
    `${expected.length.toLocaleString('en-US')} ${expected.length === 1 ? 'trade' : 'trades'}`,
  );
  const rendered = await renderedTrades(page);
  expect(rendered.length).toBe(Math.min(expected.length, rendered.length));
  for (const { rank, key } of rendered) expect(key).toBe(tradeKey(expected[rank]!));
}

test.describe('the trades page on replayed real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-trades-export-');

  test('a filtered trades table exports CSV and JSON files with exactly the rows the API lists for that filter', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 900 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await page.keyboard.press('Alt+3');
      await expect(page.getByTestId('trades-empty')).toContainText(
        'No trades yet — deploy a strategy',
      );

      // Twenty variants on the replay from March 8th; then the rest of the month as fast as
      // possible, so the trades are many and, once the replay ends, final.
      await replayBtcUsdtFromMarch8(api);
      await expect.poll(async () => (await api.getFeedStatus({})).progress ?? 0).toBeGreaterThan(0);
      const { strategy } = await api.deployStrategy({
        templateId: 'rsi-mean-reversion',
        variants: 20,
        seed: 3,
      });
      await api.setReplaySpeed({ speed: 'max' });
      await expect(page.getByTestId('feed-state')).toHaveText('ended', { timeout: 120_000 });
      await waitUntilReplayDigested(api);
      const all = await api.listLiveTrades({ filter: {}, limit: 100_000 });
      expect(all.length).toBeGreaterThan(20);
      expect(all.length).toBeLessThanOrEqual(5_000);
      // New trades reload the table shortly after they happen.
      await expect(async () => expectTableShows(page, all)).toPass({ timeout: 10_000 });
      await expect(page.getByTestId('trades-totals')).toContainText('net');

      // Filter as a trader would: this strategy's variants, long trades, closed March 10–16,
      // with the exit reason most of them have.
      const filter: LiveTradeFilter = {
        strategyId: strategy.strategyId,
        role: 'variant',
        side: 'long',
        from: Date.UTC(2023, 2, 10),
        to: Date.UTC(2023, 2, 16) + DAY_MS - 1,
      };
      const candidates = await api.listLiveTrades({ filter });
      const reasons = Map.groupBy(candidates, (t) => t.exitReason);
      const [reason] = [...reasons.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
      filter.exitReason = reason;

      await page.getByTestId('filter-strategy').selectOption(strategy.strategyId);
      await page.getByTestId('filter-role').selectOption('variant');
      await page.getByTestId('filter-side').selectOption('long');
      await page.getByTestId('filter-from').fill('2023-03-10');
      await page.getByTestId('filter-to').fill('2023-03-16');
      await page.getByTestId('filter-exit-reason').fill(reason);
      await page.getByTestId('filter-exit-reason').press('Enter');

      const expected = await api.listLiveTrades({ filter });
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      for (const t of expected) {
        expect(t.side).toBe('long');
        expect(t.role).toBe('variant');
        expect(t.exitReason).toBe(reason);
        expect(t.exitTime).toBeGreaterThanOrEqual(filter.from!);
        expect(t.exitTime).toBeLessThanOrEqual(filter.to!);
      }
      await expect(async () => expectTableShows(page, expected)).toPass({ timeout: 10_000 });
      // Gross, fee and net of the first row as the API gives them.
      const firstRow = page.getByTestId('trade-row').first();
      // The table's money format: sign, thousands separators, two decimals, no sign on zero.
      const money = (v: number): string => {
        const text = Math.abs(v).toLocaleString('en-US', {
          minimumFractionDigits: 2,
          maximumFractionDigits: 2,
        });
        return Number(text.replaceAll(',', '')) === 0 ? text : `${v < 0 ? '−' : '+'}${text}`;
      };
      await expect(firstRow.locator('[data-col=net]')).toHaveText(money(expected[0]!.netPnl));
      await expect(firstRow.locator('[data-col=gross]')).toHaveText(money(expected[0]!.grossPnl));
      // Fees are a cost: a positive amount, as in the exports, and gross − fee = net.
      const amount = (v: number): string =>
        v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      await expect(firstRow.locator('[data-col=fee]')).toHaveText(amount(expected[0]!.fee));
      for (const t of expected) {
        expect(t.fee).toBeGreaterThan(0);
        expect(t.grossPnl - t.fee).toBeCloseTo(t.netPnl, 8);
      }
      const sum = (f: (t: LiveTradeRow) => number): number =>
        expected.reduce((s, t) => s + f(t), 0);
      await expect(page.getByTestId('trades-totals')).toHaveText(
        `gross ${money(sum((t) => t.grossPnl))} · fees ${amount(sum((t) => t.fee))} · net ${money(sum((t) => t.netPnl))}`,
      );
      await page.screenshot({ path: join(SHOTS, 'trades-filtered.png') });

      // CSV: the file's rows are the API's rows for the filter, in order, with every number.
      const csv = await downloadedText(page, () => page.getByTestId('export-csv').click());
      expect(csv.name).toMatch(/^parallax-trades-.*\.csv$/);
      const records = csvRecords(csv.text);
      expect(records).toHaveLength(expected.length);
      records.forEach((r, i) => {
        const t = expected[i]!;
        expect(r.strategy_id).toBe(t.strategyId);
        expect(`${r.variant_id}#${r.trade_id}`).toBe(tradeKey(t));
        expect(r.side).toBe(t.side);
        expect(r.exit_reason).toBe(t.exitReason);
        expect(Number(r.exit_time)).toBe(t.exitTime);
        expect(Number(r.gross_pnl)).toBe(t.grossPnl);
        expect(Number(r.fee)).toBe(t.fee);
        expect(Number(r.net_pnl)).toBe(t.netPnl);
      });
      await expect(page.getByTestId('export-notice')).toContainText(
        `Saved ${expected.length.toLocaleString('en-US')} trades`,
      );

      // JSON: the same rows, field for field.
      const json = await downloadedText(page, () => page.getByTestId('export-json').click());
      expect(json.name).toMatch(/^parallax-trades-.*\.json$/);
      expect(JSON.parse(json.text)).toEqual(expected);
      await page.screenshot({ path: join(SHOTS, 'trades-exported.png') });

      // Clearing the filter shows every trade again.
      await page.getByTestId('filter-clear').click();
      await expect(async () => expectTableShows(page, all)).toPass({ timeout: 10_000 });
    });
  });
});
