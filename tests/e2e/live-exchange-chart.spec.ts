import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Workstation } from '../../src/core/workstation';
import { startHeadlessServer, type RunningHeadlessServer } from '../../src/server/headless-server';
import {
  AcceleratedClock,
  binanceMarket,
  FakeBinanceExchange,
  readBinanceArchive,
} from '../support/fake-exchange';
import { PROJECT_ROOT } from '../support/shared-data';
import { makeTempDir } from '../stubs/temp-dir';

const SHOTS = join(PROJECT_ROOT, 'test-results/screenshots');
const MINUTE = 60_000;
// Exchange time runs 30× real time: a one-minute bar closes every two seconds.
const SPEED = 30;

async function inkedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let inked = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
      '[data-testid=candle-chart] canvas',
    )) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if (
          d[i + 3]! > 0 &&
          Math.abs(d[i]! - 0x0f) + Math.abs(d[i + 1]! - 0x12) + Math.abs(d[i + 2]! - 0x16) > 40
        )
          inked++;
      }
    }
    return inked;
  });
}

test.describe('a live Binance USDⓈ-M chart against a local fake exchange', () => {
  const dir = makeTempDir('parallax-live-e2e-');
  const history = readBinanceArchive('candles/binance-um_FILUSDT-1m-2023-08.csv.gz');
  const startIndex = 3_000;
  let fake: FakeBinanceExchange;
  let workstation: Workstation;
  let server: RunningHeadlessServer;

  test.beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const clock = new AcceleratedClock(history[startIndex]!.time + 20_000, SPEED);
    fake = await FakeBinanceExchange.start({ history, clock, marketId: 'FILUSDT' });
    workstation = new Workstation({
      databasePath: join(dir.path, 'parallax.sqlite'),
      appVersion: 'e2e',
      clock,
      exchangeEndpoints: {
        binanceusdm: { urls: fake.urls(), markets: [binanceMarket('linear', 'FIL', 'USDT')] },
      },
    });
    server = await startHeadlessServer({
      workstation,
      port: 0,
      rendererDir: join(PROJECT_ROOT, 'out/renderer'),
      log: () => undefined,
    });
  });

  test.afterAll(async () => {
    await server?.close();
    workstation?.dispose();
    await fake?.stop();
    dir.remove();
  });

  test('connects from the UI, draws live bars, and survives a dropped connection without a gap', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(server.url);
    await expect(page.getByTestId('feed-kind')).toHaveText('SIMULATED');

    await page.getByTestId('feed-select').selectOption({ label: 'Live exchange…' });
    await page.getByTestId('market-type-select').selectOption({ label: 'Binance USD-M futures' });
    await expect(page.getByTestId('symbol-input')).toHaveValue('BTC/USDT:USDT');
    await page.getByTestId('symbol-input').fill('FIL/USDT:USDT');
    await page.getByTestId('feed-apply').click();

    await expect(page.getByTestId('feed-kind')).toHaveText('LIVE');
    await expect(page.getByTestId('feed-series')).toHaveText('binanceusdm · FIL/USDT:USDT · 1m');
    await expect(page.getByTestId('feed-state')).toHaveText('live', { timeout: 20_000 });
    await expect.poll(() => inkedPixels(page), { timeout: 15_000 }).toBeGreaterThan(2_000);
    await page.screenshot({ path: join(SHOTS, '10-live-exchange.png') });

    const before = workstation.feedCandles(100_000).candles.at(-1)!.time;
    fake.inject('drop');
    await expect(page.getByTestId('feed-reconnects')).not.toHaveText('0', { timeout: 20_000 });
    await expect(page.getByTestId('feed-state')).toHaveText('live', { timeout: 20_000 });
    // Let a few more bars close after the reconnect.
    await expect
      .poll(() => workstation.feedCandles(100_000).candles.at(-1)!.time, { timeout: 20_000 })
      .toBeGreaterThan(before + 5 * MINUTE);
    await page.screenshot({ path: join(SHOTS, '11-live-exchange-after-drop.png') });

    // What the chart loads and is sent: every minute from the backfill to now, each once, equal to the exchange's history.
    const { candles } = workstation.feedCandles(100_000);
    const first = history.findIndex((b) => b.time === candles[0]!.time);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(candles).toEqual(history.slice(first, first + candles.length));
    let gaps = 0;
    for (let i = 1; i < candles.length; i++)
      if (candles[i]!.time - candles[i - 1]!.time !== MINUTE) gaps++;
    expect(gaps).toBe(0);
    console.log(
      `live chart: ${candles.length} bars, 0 gaps, reconnects ${workstation.feedStatus().health?.reconnects}`,
    );
    expect(await inkedPixels(page)).toBeGreaterThan(2_000);
  });
});
