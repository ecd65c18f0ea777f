import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Api } from '../../src/shared/api';
import { useHeadlessHost, type HeadlessProcess, type SuiteHooks } from './headless-process';
import { connectHostApi } from './host-api';
import { BTCUSDT_1M, BTCUSDT_1M_SERIES, btcUsdtMinutes } from './real-candles';
import { PROJECT_ROOT, sharedDataPath } from './shared-data';

/** Where the e2e specs save their screenshots. */
export const SHOTS = join(PROJECT_ROOT, 'test-results/screenshots');

/**
 * For a Playwright describe block: the real headless host on a fresh data folder (see
 * `useHeadlessHost`), and the screenshot folder made before the tests.
 */
export function useE2eHost(hooks: SuiteHooks, dataDirPrefix: string): () => HeadlessProcess {
  const currentHost = useHeadlessHost(hooks, dataDirPrefix);
  hooks.beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
  });
  return currentHost;
}

/**
 * Opens the host's UI in `page` at `viewport`, waits until it is connected, and runs `body`
 * with a second API client beside the page; the page must have thrown no error by its end.
 */
export async function withHostSession(
  page: Page,
  hostUrl: string,
  viewport: { width: number; height: number },
  body: (api: Api) => Promise<void>,
): Promise<void> {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize(viewport);
  await page.goto(hostUrl);
  await expect(page.getByTestId('status-bar')).toContainText('connected (headless)');
  const { api, close } = await connectHostApi(hostUrl);
  try {
    await body(api);
    expect(pageErrors).toEqual([]);
  } finally {
    close();
  }
}

/** Imports the shared BTC/USDT minutes file through the page's import input. */
export async function importBtcUsdtMinutes(page: Page): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(sharedDataPath(BTCUSDT_1M));
  await expect(page.getByTestId('import-report')).toContainText('30,240 bars of BTC/USDT 1m', {
    timeout: 60_000,
  });
}

/**
 * Replays the imported BTC/USDT minutes from 8 March at 100×: the week before is stored history
 * that deployed variants warm up on.
 */
export async function replayBtcUsdtFromMarch8(api: Api): Promise<void> {
  await api.selectFeed({
    kind: 'replay',
    series: BTCUSDT_1M_SERIES,
    speed: 100,
    from: Date.UTC(2023, 2, 8),
  });
}

/**
 * The replay has ended and the engine has read every bar: each variant has stopped or marked its
 * last bar (its timeframe's last closed bar is at most 10 minutes before the file's last minute),
 * and the trade count holds between two reads. Only then are the numbers final.
 */
export async function waitUntilReplayDigested(api: Api): Promise<void> {
  const lastMinute = btcUsdtMinutes().at(-1)!.time;
  let previousTrades = -1;
  await expect
    .poll(
      async () => {
        const behind = (await api.listVariants({})).filter(
          (r) =>
            r.status !== 'stopped' &&
            r.status !== 'error' &&
            (r.metrics.lastTime ?? 0) < lastMinute - 10 * 60_000,
        ).length;
        const trades = (await api.listLiveTrades({ filter: {}, limit: 100_000 })).length;
        const settled = behind === 0 && trades === previousTrades;
        previousTrades = trades;
        return settled;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
}
