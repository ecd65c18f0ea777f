import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { useHeadlessHost } from '../support/headless-process';
import { PROJECT_ROOT, sharedDataPath } from '../support/shared-data';

const SHOTS = join(PROJECT_ROOT, 'test-results/screenshots');

/** Counts chart pixels that differ from the background and hashes them, across every canvas of the chart. */
async function chartPixels(page: Page): Promise<{ inked: number; hash: number; canvases: number }> {
  return page.evaluate(() => {
    const canvases = [
      ...document.querySelectorAll<HTMLCanvasElement>('[data-testid=candle-chart] canvas'),
    ];
    let inked = 0;
    let hash = 0;
    for (const canvas of canvases) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const a = data[i + 3]!;
        if (a === 0) continue;
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        // The chart background is #0f1216; grid lines are close to it.
        if (Math.abs(r - 0x0f) + Math.abs(g - 0x12) + Math.abs(b - 0x16) > 40) {
          inked++;
          hash = (hash * 31 + r * 7 + g * 3 + b + i) >>> 0;
        }
      }
    }
    return { inked, hash, canvases: canvases.length };
  });
}

test.describe('the headless UI with real BTC/USDT history', () => {
  const currentHost = useHeadlessHost(test, 'parallax-e2e-');
  test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  test('opens on a labelled simulated market, imports history, and the chart draws and moves during a replay', async ({
    page,
  }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(currentHost().url);

    await expect(page.getByTestId('status-bar')).toContainText('connected (headless)');
    await expect(page.getByTestId('feed-kind')).toHaveText('SIMULATED');
    await expect(page.getByTestId('sim-banner')).toBeVisible();
    await expect
      .poll(async () => (await chartPixels(page)).inked, { timeout: 10_000 })
      .toBeGreaterThan(2_000);
    await page.screenshot({ path: join(SHOTS, '01-simulated-market.png') });

    await page
      .getByTestId('import-input')
      .setInputFiles(sharedDataPath('candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz'));
    await expect(page.getByTestId('import-report')).toContainText(
      '30,240 bars of BTC/USDT 1m, 30,240 new',
      { timeout: 30_000 },
    );

    await page
      .getByTestId('feed-select')
      .selectOption({ label: 'Replay binanceus BTC/USDT 1m · 30,240 bars' });
    await page.getByTestId('speed-select').selectOption('100');
    await page.getByTestId('feed-apply').click();
    await expect(page.getByTestId('feed-kind')).toHaveText('REPLAY');
    await expect(page.getByTestId('feed-speed')).toHaveText('speed 100×');
    await expect(page.getByTestId('sim-banner')).toHaveCount(0);

    // At 100× a one-minute bar arrives every 0.6 s: wait for a few, then for a few more.
    await expect
      .poll(async () => (await chartPixels(page)).inked, { timeout: 10_000 })
      .toBeGreaterThan(300);
    const first = await chartPixels(page);
    await page.screenshot({ path: join(SHOTS, '02-replay-early.png') });
    await page.waitForTimeout(3_000);
    const later = await chartPixels(page);
    await page.screenshot({ path: join(SHOTS, '03-replay-later.png') });
    expect(later.canvases).toBeGreaterThan(0);
    expect(later.hash).not.toBe(first.hash);
    expect(later.inked).toBeGreaterThan(300);
    const progress = Number(
      (await page.getByTestId('feed-progress').textContent())?.replace('%', ''),
    );
    expect(progress).toBeGreaterThan(0);

    // A bad file is reported with its line and the page keeps working.
    await page.getByTestId('import-input').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'time,open,high,low,close,volume\n1678730400000,1,2,0.5,1.5,3\n1678730700000,1,0.2,0.5,1.5,3\n',
      ),
    });
    await expect(page.getByTestId('import-error')).toContainText('broken.csv:3: inconsistent bar');
    await page.screenshot({ path: join(SHOTS, '04-import-error.png') });
    expect(pageErrors).toEqual([]);
  });
});
