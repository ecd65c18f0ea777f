import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { useHeadlessHost } from '../support/headless-process';
import { PROJECT_ROOT, sharedDataPath } from '../support/shared-data';

const SHOTS = join(PROJECT_ROOT, 'test-results/screenshots');
/** The trade marker colours of src/renderer/src/chart/chart-theme.ts (buy blue, sell amber). */
const BUY = [0x4f, 0x8c, 0xff] as const;
const SELL = [0xff, 0xb3, 0x00] as const;

/** Chart pixels within a small distance of the buy and the sell marker colour. */
async function markerPixels(page: Page): Promise<{ buy: number; sell: number }> {
  return page.evaluate(
    ({ buy, sell }) => {
      const near = (d: Uint8ClampedArray, i: number, c: readonly number[]): boolean =>
        Math.abs(d[i]! - c[0]!) + Math.abs(d[i + 1]! - c[1]!) + Math.abs(d[i + 2]! - c[2]!) < 30;
      let b = 0;
      let s = 0;
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
        '[data-testid=strategy-chart] canvas',
      )) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] === 0) continue;
          if (near(d, i, buy)) b++;
          else if (near(d, i, sell)) s++;
        }
      }
      return { buy: b, sell: s };
    },
    { buy: BUY, sell: SELL },
  );
}

test.describe('a backtest from the UI on real BTC/USDT history', () => {
  const currentHost = useHeadlessHost(test, 'parallax-e2e-backtest-');
  test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  test('the EMA crossover template over the Binance.US month puts its trades on the strategy chart and its metrics in the table', async ({
    page,
  }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto(currentHost().url);
    await expect(page.getByTestId('status-bar')).toContainText('connected (headless)');

    await page
      .getByTestId('import-input')
      .setInputFiles(sharedDataPath('candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz'));
    await expect(page.getByTestId('import-report')).toContainText('30,240 bars of BTC/USDT 1m', {
      timeout: 30_000,
    });

    await page.getByTestId('nav-backtest').click();
    const panel = page.getByTestId('backtest-panel');
    await expect(panel.getByTestId('backtest-series')).toHaveValue('binanceus|BTC/USDT|1m');
    await expect(panel.getByTestId('backtest-from')).toHaveValue('2023-03-01');
    await expect(panel.getByTestId('backtest-to')).toHaveValue('2023-03-21');
    await panel.getByTestId('backtest-template').selectOption('ema-crossover-trend');
    const before = await markerPixels(page);
    expect(before.buy + before.sell).toBeLessThan(20);

    await panel.getByTestId('backtest-run').click();
    await expect(panel.getByTestId('backtest-progress')).toBeVisible();
    await expect(panel.getByTestId('backtest-status')).toContainText('completed', {
      timeout: 60_000,
    });
    const trades = Number(await panel.getByTestId('metric-trades').textContent());
    expect(trades).toBeGreaterThan(0);
    await expect(panel.getByTestId('backtest-trades').locator('tbody tr')).toHaveCount(trades);

    // The chart beside shows the run in its strategy mode: its bars, and its entry and exit markers.
    await expect(page.getByTestId('chart-workspace')).toHaveAttribute('data-mode', 'strategy');
    await expect(page.getByTestId('strategy-chart-counts')).toContainText(`${trades} trades`);
    await expect
      .poll(
        async () => {
          const p = await markerPixels(page);
          return Math.min(p.buy, p.sell);
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(20);
    await page.screenshot({ path: join(SHOTS, 'backtest-ema-crossover.png') });
    expect(pageErrors).toEqual([]);
  });
});
