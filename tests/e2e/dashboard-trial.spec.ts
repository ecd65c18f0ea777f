import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { VariantRow } from '../../src/shared/variants';
import { WIDEST_BREAKER_LIMITS } from '../support/breaker-limits';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  withHostSession,
} from '../support/e2e-session';

// Issue 7: what a trader found trying the dashboard with main + 40 variants on a replay.

const VARIANTS = 40;

/** A variant id's number: `s1-v12` → 12, main → 0 (an independent reading of "natural order"). */
const idNumber = (id: string): number => (id.endsWith('-main') ? 0 : Number(id.split('-v')[1]));
const byIdNumber = (a: string, b: string): number => idNumber(a) - idNumber(b);

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;

/** The price format of the tables (two decimals with separators for prices of 100 and more). */
const price = (v: number): string =>
  v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedPct = (v: number): string =>
  Number(Math.abs(v).toFixed(2)) === 0
    ? `${Math.abs(v).toFixed(2)}%`
    : `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}%`;

/** Pixels of the comparison plot close to each colour. */
async function colourCounts(page: Page, colours: string[]): Promise<number[]> {
  return page.evaluate((colours) => {
    const wanted = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const counts = colours.map(() => 0);
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
      '[data-testid=comparison-chart] canvas',
    )) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        wanted.forEach((c, k) => {
          if (
            Math.abs(d[i]! - c[0]!) + Math.abs(d[i + 1]! - c[1]!) + Math.abs(d[i + 2]! - c[2]!) <
            12
          )
            counts[k]!++;
        });
      }
    }
    return counts;
  }, colours);
}

/** The smallest RGB (Manhattan) distance between any two of `colours`. */
function closestPair(colours: string[]): number {
  const rgb = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  let min = Infinity;
  for (let i = 0; i < rgb.length; i++)
    for (let j = i + 1; j < rgb.length; j++)
      min = Math.min(
        min,
        rgb[i]!.reduce((s, v, k) => s + Math.abs(v - rgb[j]![k]!), 0),
      );
  return min;
}

/** The header is one line: every item sits inside it, beside the others, within the window. */
async function expectHeaderOneLine(page: Page, height: number, width: number): Promise<void> {
  const bar = page.locator('.top-bar');
  const barBox = await box(bar);
  expect(barBox.height).toBe(height);
  const items = await bar.locator(':scope > *, :scope > .import-panel > *').evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, right: r.right, name: e.className };
      }),
  );
  for (const item of items) {
    expect(item.top, `${item.name} inside the header`).toBeGreaterThanOrEqual(barBox.y);
    expect(item.bottom, `${item.name} inside the header`).toBeLessThanOrEqual(
      barBox.y + barBox.height,
    );
    expect(item.right, `${item.name} within the window`).toBeLessThanOrEqual(width);
  }
}

test.describe('a trader tries the dashboard with main and 40 variants on a replay', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-dashboard-trial-');

  test('the header stays on one line, positions show every column, the card separates main from its variants, lists are in natural order, the leaderboard sorts from the whole header cell, and the comparison sits beside the plot with distinct colours', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1280, height: 800 }, async (api) => {
      // 5. The header before and after importing history: the same single line at 1280 wide.
      await expect(page.getByTestId('emergency-open')).toBeVisible();
      const headerHeight = (await box(page.locator('.top-bar'))).height;
      await importBtcUsdtMinutes(page);
      const report = page.getByTestId('import-report');
      await expect(report).toHaveAttribute(
        'title',
        '30,240 bars of BTC/USDT 1m, 30,240 new · binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz',
      );
      await expectHeaderOneLine(page, headerHeight, 1280);

      // Main + 40 variants of MACD + RSI on the replay from March 8th, to the end of the month.
      await replayBtcUsdtFromMarch8(api);
      await api.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
      const { strategy } = await api.deployStrategy({
        templateId: 'macd-rsi-confirmation',
        variants: VARIANTS,
        seed: 5,
        safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      });
      await api.setReplaySpeed({ speed: 'max' });
      await expect(page.getByTestId('feed-state')).toHaveText('ended', { timeout: 120_000 });
      const lastBar = Date.UTC(2023, 2, 21, 23, 45);
      await expect
        .poll(
          async () =>
            (await api.listVariants({})).filter(
              (r) =>
                r.status !== 'stopped' && r.status !== 'error' && r.metrics.lastTime !== lastBar,
            ).length,
          { timeout: 60_000 },
        )
        .toBe(0);
      const rows = await api.listVariants({});
      expect(rows).toHaveLength(VARIANTS + 1);
      const main = rows.find((r) => r.role === 'main')!;
      const variants = rows.filter((r) => r.role === 'variant');
      const positions = await api.listPositions({});
      expect(positions.length).toBeGreaterThan(3);
      await expectHeaderOneLine(page, headerHeight, 1280);

      // 7. Natural order: the chart's selector (main, v1, v2 … v40) and the open positions.
      const naturalIds = rows.map((r) => r.variantId).sort(byIdNumber);
      await page.getByTestId('chart-source').focus();
      const group = page.locator(
        `[data-testid=chart-source] optgroup[label$="(${strategy.strategyId})"] option`,
      );
      await expect(group).toHaveCount(VARIANTS + 1);
      expect(
        await group.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(naturalIds.map((id) => `variant:${id}`));
      const positionIds = positions.map((p) => p.variantId).sort(byIdNumber);
      await expect(page.getByTestId('positions-count')).toHaveText(`${positions.length} open`);
      expect(
        await page
          .getByTestId('position-row')
          .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-variant-id'))),
      ).toEqual(positionIds);

      // 3. Positions at 1280 wide: narrower than its columns, it says so and scrolls sideways
      // to the stop and target, which are the API's.
      const scroller = page.getByTestId('positions-scroll');
      await expect(page.getByTestId('positions-more-right')).toBeVisible();
      await page.screenshot({ path: join(SHOTS, 'dashboard-trial-1280.png') });
      await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
      await expect(page.getByTestId('positions-more-right')).toHaveCount(0);
      const first = positions.find((p) => p.variantId === positionIds[0])!;
      const firstRow = page.getByTestId('position-row').first();
      const scrollBox = await box(scroller);
      for (const col of ['stop', 'target'] as const) {
        const cell = firstRow.locator(`[data-col=${col}]`);
        const value = col === 'stop' ? first.stopPrice : first.targetPrice;
        await expect(cell).toHaveText(value === null ? '—' : price(value));
        const b = await box(cell);
        expect(b.x + b.width).toBeLessThanOrEqual(scrollBox.x + scrollBox.width + 0.5);
      }

      // 6. The strategy card: main's own P&L and trades; the variants' figures apart.
      const card = page.getByTestId('strategy-card');
      await expect(card.getByTestId('card-trades')).toHaveText(`${main.metrics.tradeCount} trades`);
      await expect(card.getByTestId('card-pnl')).toContainText(
        `(${signedPct(main.metrics.roiPct)})`,
      );
      const variantTrades = variants.reduce((n, r) => n + r.metrics.tradeCount, 0);
      expect(variantTrades).toBeGreaterThan(main.metrics.tradeCount);
      await expect(card.getByTestId('card-variants')).toContainText(`${VARIANTS} variants`);
      await expect(card.getByTestId('card-variants-trades')).toHaveText(`${variantTrades} trades`);
      const best = variants.reduce((a, b) => (b.metrics.roiPct > a.metrics.roiPct ? b : a));
      await expect(card.getByTestId('card-variants-best')).toHaveText(
        `best ${signedPct(best.metrics.roiPct)} (${best.variantId})`,
      );

      // 2. The leaderboard sorts from anywhere in a header cell, and from the keyboard.
      const th = (key: string): Locator =>
        page.locator(`[data-testid=leaderboard-table] th[data-col=${key}]`);
      const sharpe = await box(th('sharpe'));
      // Far from the right-aligned label: the cell's left edge.
      await page.mouse.click(sharpe.x + 3, sharpe.y + sharpe.height / 2);
      await expect(th('sharpe')).toHaveAttribute('aria-sort', 'descending');
      const topSharpe = Math.max(...rows.map((r) => r.metrics.sharpe ?? -Infinity));
      const topRow = page.locator('[data-testid=leaderboard-row][aria-rowindex="2"]');
      const topId = await topRow.getAttribute('data-variant-id');
      expect(rows.find((r) => r.variantId === topId)!.metrics.sharpe).toBe(topSharpe);
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('sort-dsr')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(th('dsr')).toHaveAttribute('aria-sort', 'descending');
      await expect(th('sharpe')).toHaveAttribute('aria-sort', 'none');
      await page.keyboard.press('Space');
      await expect(th('dsr')).toHaveAttribute('aria-sort', 'ascending');

      // 7. The trade filter's variant list, natural order too.
      await page.keyboard.press('Alt+3');
      const filterIds = await page
        .locator('[data-testid=filter-variant] option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
      expect(filterIds).toEqual(naturalIds);
      await page.keyboard.press('Alt+1');

      // 3. At 1600 × 1000 every column of the positions fits: nothing hidden, nothing to scroll.
      await page.setViewportSize({ width: 1600, height: 1000 });
      await expectHeaderOneLine(page, headerHeight, 1600);
      await expect(page.getByTestId('positions-more-right')).toHaveCount(0);
      await expect
        .poll(() => scroller.evaluate((el) => el.scrollWidth - el.clientWidth))
        .toBeLessThanOrEqual(0);
      const wideBox = await box(scroller);
      for (const cell of await page
        .locator('[data-testid=positions-table] tr:first-child > *')
        .all()) {
        const b = await box(cell);
        expect(b.x + b.width).toBeLessThanOrEqual(wideBox.x + wideBox.width + 0.5);
      }
      await page.screenshot({ path: join(SHOTS, 'dashboard-trial-1600.png') });

      // 1. Comparison by default: main and the 9 best variants by ROI, said so, each curve in a
      // colour of its own, the list beside the plot.
      await page.getByTestId('chart-source').selectOption('');
      await page.getByTestId('chart-mode-comparison').click();
      const ranked = [...variants].sort(
        (a, b) => b.metrics.roiPct - a.metrics.roiPct || byIdNumber(a.variantId, b.variantId),
      );
      const expectedKeys = [main, ...ranked.slice(0, 9)]
        .map((r: VariantRow) => r.variantId)
        .sort(byIdNumber)
        .map((id) => `variant:${id}`);
      const entries = page.getByTestId('comparison-entry');
      await expect(entries).toHaveCount(10);
      expect(await entries.evaluateAll((es) => es.map((e) => e.getAttribute('data-key')))).toEqual(
        expectedKeys,
      );
      await expect(page.getByTestId('comparison-default-note')).toHaveText(
        'Default: main + the 9 best variants by ROI.',
      );
      const colours = await entries.evaluateAll((es) =>
        es.map((e) => e.getAttribute('data-color')!),
      );
      expect(new Set(colours).size).toBe(10);
      expect(closestPair(colours)).toBeGreaterThan(40);
      await expect
        .poll(async () => Math.min(...(await colourCounts(page, colours))), { timeout: 10_000 })
        .toBeGreaterThan(10);
      const plot = await box(page.getByTestId('comparison-chart'));
      const side = await box(page.getByTestId('comparison-side'));
      const body = await box(page.locator('.chart-body'));
      expect(side.x).toBeGreaterThanOrEqual(plot.x + plot.width - 0.5);
      expect(plot.width).toBeGreaterThan(body.width * 0.7);
      // The picker lists every source in natural order.
      expect(
        await page
          .locator('[data-testid=comparison-picker] input[type=checkbox]')
          .evaluateAll((is) => is.map((i) => i.getAttribute('data-testid'))),
      ).toEqual(naturalIds.map((id) => `compare-variant:${id}`));
      await page.screenshot({ path: join(SHOTS, 'dashboard-trial-comparison.png') });

      // Collapsed, the list leaves the plot nearly the whole width.
      await page.getByTestId('comparison-toggle').click();
      await expect(page.getByTestId('comparison-toggle')).toHaveAttribute('aria-expanded', 'false');
      await expect(page.getByTestId('comparison-legend')).toHaveCount(0);
      await expect
        .poll(async () => (await box(page.getByTestId('comparison-chart'))).width)
        .toBeGreaterThan(body.width - 40);
      await page.getByTestId('comparison-toggle').click();

      // Ticked up to the most it shows (20): 20 curves, 20 different colours, the rest disabled.
      const unticked = naturalIds.filter((id) => !expectedKeys.includes(`variant:${id}`));
      for (const id of unticked.slice(0, 10))
        await page.getByTestId(`compare-variant:${id}`).check();
      await expect(entries).toHaveCount(20);
      await expect(page.getByTestId('comparison-default-note')).toContainText('Your choice');
      await expect(page.getByTestId(`compare-variant:${unticked[10]!}`)).toBeDisabled();
      const twenty = await entries.evaluateAll((es) =>
        es.map((e) => e.getAttribute('data-color')!),
      );
      expect(new Set(twenty).size).toBe(20);
      expect(closestPair(twenty)).toBeGreaterThan(40);
      await expect
        .poll(async () => Math.min(...(await colourCounts(page, twenty))), { timeout: 10_000 })
        .toBeGreaterThan(5);
      await page.screenshot({ path: join(SHOTS, 'dashboard-trial-comparison-20.png') });
    });
  });
});
