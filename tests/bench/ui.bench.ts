import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import type { Candle } from '../../src/shared/market';
import { makeTempDir } from '../stubs/temp-dir';
import { startHeadlessProcess } from '../support/headless-process';
import { connectHostApi } from '../support/host-api';
import { BTCUSDT_1M, BTCUSDT_1M_SERIES, loadCandles } from '../support/real-candles';
import { PROJECT_ROOT, sharedDataPath } from '../support/shared-data';
import type { BenchReport, BenchRow } from './bench-report';

/**
 * The UI against DESIGN.md's targets, in Debian's Chromium on the real headless host:
 * - loading 500,000 bars into the chart (target ≤ 1 s): a stored series of that length shown in
 *   the raw price mode — host read, WebSocket, parse, and the chart's one `setData` to its first
 *   painted frame, with the draw alone beside it;
 * - frame intervals (requestAnimationFrame) while a replay runs at 100×, in the raw price mode,
 *   then with 1,000 variants deployed (leaderboard updating) and main's strategy chart open.
 * Reported, never asserted.
 */

const CHROMIUM = process.env.PARALLAX_CHROMIUM ?? '/usr/bin/chromium';
const BARS = 500_000;
const LOADS = 3;
const FRAME_SECONDS = 10;
const FIL_MONTHS = ['08', '09', '10', '11'].map(
  (m) => `candles/binance-um_FILUSDT-1m-2023-${m}.csv.gz`,
);

/**
 * 500,000 one-minute bars made of real ones: Binance FIL/USDT August–November 2023 played again
 * and again, each copy shifted in time and scaled to open where the previous one closed.
 */
function longSeries(): Candle[] {
  const months = FIL_MONTHS.flatMap((f) => loadCandles(f));
  const out: Candle[] = [];
  let shift = 0;
  let scale = 1;
  while (out.length < BARS) {
    const last = out.at(-1);
    if (last !== undefined) {
      shift = last.time + 60_000 - (months[0] as Candle).time;
      scale = last.close / (months[0] as Candle).open;
    }
    for (const b of months) {
      if (out.length >= BARS) break;
      out.push({
        time: b.time + shift,
        open: b.open * scale,
        high: b.high * scale,
        low: b.low * scale,
        close: b.close * scale,
        volume: b.volume,
      });
    }
  }
  return out;
}

function csvGz(bars: readonly Candle[]): Buffer {
  const lines = ['time,open,high,low,close,volume'];
  for (const b of bars) lines.push(`${b.time},${b.open},${b.high},${b.low},${b.close},${b.volume}`);
  return gzipSync(lines.join('\n'));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/**
 * Frame intervals over `seconds`, measured in the page with requestAnimationFrame. The page code
 * is a string: tsx would wrap named functions in a helper the page does not have.
 */
async function frameIntervals(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const intervals = [];
    let last = -1;
    const end = performance.now() + ${seconds * 1000};
    const tick = (t) => {
      if (last >= 0) intervals.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else resolve(intervals);
    };
    requestAnimationFrame(tick);
  })`);
}

function frameRows(label: string, intervals: number[], notes: string[]): BenchRow[] {
  const s = [...intervals].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const janky = s.filter((x) => x > 1000 / 30).length;
  notes.push(
    `${label}: ${s.length} frames in ${FRAME_SECONDS} s, ${janky} longer than 33 ms, longest ${q(1).toFixed(1)} ms.`,
  );
  return [
    { label: `${label}: frame interval p50`, value: q(0.5), unit: 'ms', target: '≈ 16.7 (60 fps)' },
    { label: `${label}: frame interval p95`, value: q(0.95), unit: 'ms' },
    { label: `${label}: frame interval p99`, value: q(0.99), unit: 'ms' },
  ];
}

export async function run(): Promise<BenchReport> {
  if (!existsSync(join(PROJECT_ROOT, 'out/renderer/index.html'))) {
    execFileSync(join(PROJECT_ROOT, 'node_modules/.bin/electron-vite'), ['build'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
  }
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const dir = makeTempDir('parallax-bench-ui-');
  const host = await startHeadlessProcess(dir.path);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  // Half a million bars come back in one answer: above ws's default frame limit.
  const { api, close } = await connectHostApi(host.url, { maxPayload: 512 * 1024 * 1024 });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(host.url);
    await page.getByTestId('status-bar').getByText('connected (headless)').waitFor();

    // 1. Half a million stored bars into the raw price chart.
    const bars = longSeries();
    const report = await api.importHistory({
      fileName: 'fil-usdt-tiled-1m.csv.gz',
      contentBase64: csvGz(bars).toString('base64'),
      exchange: 'bench',
      symbol: 'FIL/USDT',
    });
    await api.importHistory({
      fileName: 'binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz',
      contentBase64: readFileSync(sharedDataPath(BTCUSDT_1M)).toString('base64'),
    });
    await page.reload();
    await page.getByTestId('status-bar').getByText('connected (headless)').waitFor();
    const key = `bench|FIL/USDT|${report.series.timeframe}`;
    const totals: number[] = [];
    const fetches: number[] = [];
    const draws: number[] = [];
    const chart = page.locator('[data-testid=candle-chart][data-loaded=true]');
    for (let i = 0; i < LOADS; i++) {
      await page.getByTestId('price-history').selectOption('');
      await page.locator('[data-testid=candle-chart]:not([data-loaded])').waitFor();
      await page.waitForTimeout(300);
      const start = Date.now();
      await page.getByTestId('price-history').selectOption(key);
      await chart.waitFor({ timeout: 60_000 });
      totals.push(Date.now() - start);
      fetches.push(Number(await chart.getAttribute('data-fetch-ms')));
      draws.push(Number(await chart.getAttribute('data-draw-ms')));
    }
    const start = Date.now();
    await page.getByTestId('history-start').click();
    await page
      .locator(`[data-testid=candle-chart][data-complete=true][data-bars="${BARS}"]`)
      .waitFor({ timeout: 120_000 });
    const whole = Date.now() - start;
    rows.push(
      {
        label: '500,000-bar series: select → first page painted (newest 25,000 bars)',
        value: median(totals),
        unit: 'ms',
        target: '≤ 1,000 ms',
      },
      {
        label: '500,000-bar series: first page getCandles round trip',
        value: median(fetches),
        unit: 'ms',
      },
      {
        label: '500,000-bar series: first page setData → painted',
        value: median(draws),
        unit: 'ms',
      },
      {
        label:
          '500,000-bar series: ⇤ start, every older page fetched and drawn (one setData of 500,000)',
        value: whole,
        unit: 'ms',
      },
    );
    notes.push(
      `${BARS.toLocaleString('en-US')} one-minute bars: Binance FIL/USDT Aug–Nov 2023 (real) tiled, each copy scaled to continue the last; median of ${LOADS} opens (${totals.join(', ')} ms). The chart opens a stored series on its newest 25,000 bars and pages older ones in as the view goes back; ⇤ start pages in all of them at once.`,
    );
    await page.getByTestId('price-history').selectOption('');

    // 2. Frames while a replay runs at 100× (one 1m bar every 0.6 s), raw price mode.
    await api.selectFeed({ kind: 'replay', series: BTCUSDT_1M_SERIES, speed: 100 });
    await page.waitForTimeout(2_000);
    rows.push(
      ...frameRows('100× replay, price chart', await frameIntervals(page, FRAME_SECONDS), notes),
    );

    // 3. The same with 1,000 variants deployed (the leaderboard updating) and main's strategy chart.
    try {
      const deployed = await api.deployStrategy({
        templateId: 'weighted-signal-score',
        variants: 1_000,
        safety: { maxLossPct: 100, maxDrawdownPct: 100 },
      });
      await page.getByTestId('nav-dashboard').click();
      await page.waitForTimeout(3_000);
      rows.push(
        ...frameRows(
          '100× replay, 1,000 variants, price chart + leaderboard',
          await frameIntervals(page, FRAME_SECONDS),
          notes,
        ),
      );
      await page.getByTestId('chart-source').focus();
      await page
        .getByTestId('chart-source')
        .selectOption(`variant:${deployed.strategy.mainVariantId}`);
      await page.getByTestId('chart-mode-strategy').click();
      await page.locator('[data-testid=strategy-chart][data-bars]').waitFor({ timeout: 30_000 });
      rows.push(
        ...frameRows(
          '100× replay, 1,000 variants, main strategy chart + leaderboard',
          await frameIntervals(page, FRAME_SECONDS),
          notes,
        ),
      );
    } catch (error) {
      const shown = await page
        .getByTestId('chart-error')
        .first()
        .textContent({ timeout: 1_000 })
        .catch(() => null);
      notes.push(
        `1,000-variant scenarios not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${shown ? ` (the chart says: ${shown})` : ''}`,
      );
    }
    notes.push(
      'Headless Chromium on this machine (no GPU): frames are paced by its compositor; the page shares 2 cores with the host.',
    );
  } finally {
    close();
    await browser.close();
    await host.stop();
    dir.remove();
  }
  return { name: 'ui', title: 'UI: chart load and frame times in Chromium', rows, notes };
}
