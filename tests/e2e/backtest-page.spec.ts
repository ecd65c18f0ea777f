import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { useE2eHost, withHostSession, importBtcUsdtMinutes, SHOTS } from '../support/e2e-session';

/** Colours of src/renderer/src/chart/chart-theme.ts. */
const EQUITY = [0x4c, 0x9a, 0xff] as const;
const BUY = [0x4f, 0x8c, 0xff] as const;
const SELL = [0xff, 0xb3, 0x00] as const;

/** Pixels near `color` in the canvases under `testId`. */
async function pixelsOf(page: Page, testId: string, color: readonly number[]): Promise<number> {
  return page.evaluate(
    ({ testId, color }) => {
      let n = 0;
      for (const canvas of document.querySelectorAll<HTMLCanvasElement>(
        `[data-testid=${testId}] canvas`,
      )) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] === 0) continue;
          const dist =
            Math.abs(d[i]! - color[0]!) +
            Math.abs(d[i + 1]! - color[1]!) +
            Math.abs(d[i + 2]! - color[2]!);
          if (dist < 24) n++;
        }
      }
      return n;
    },
    { testId, color },
  );
}

/**
 * Where the line of `color` is drawn in the top pane of the chart `testId` (its widest canvases
 * with the smallest top): the rows it spans over the whole plot, and the rows it covers in the
 * plot's leftmost `leftFraction` of columns; in canvas pixels.
 */
async function lineRows(
  page: Page,
  testId: string,
  color: readonly number[],
  leftFraction: number,
): Promise<{ width: number; top: number; bottom: number; left: number[] }> {
  return page.evaluate(
    ({ testId, color, leftFraction }) => {
      const canvases = [
        ...document.querySelectorAll<HTMLCanvasElement>(`[data-testid=${testId}] canvas`),
      ].filter((c) => c.width > 0 && c.height > 0);
      const widest = Math.max(...canvases.map((c) => c.width));
      const plots = canvases.filter((c) => c.width === widest);
      const topEdge = Math.min(...plots.map((c) => c.getBoundingClientRect().top));
      let top = Number.POSITIVE_INFINITY;
      let bottom = Number.NEGATIVE_INFINITY;
      const left = new Set<number>();
      for (const canvas of plots) {
        if (canvas.getBoundingClientRect().top !== topEdge) continue;
        const { width, height } = canvas;
        const d = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            if (d[i + 3] === 0) continue;
            const dist =
              Math.abs(d[i]! - color[0]!) +
              Math.abs(d[i + 1]! - color[1]!) +
              Math.abs(d[i + 2]! - color[2]!);
            if (dist >= 24) continue;
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
            if (x < width * leftFraction) left.add(y);
          }
        }
      }
      return { width: widest, top, bottom, left: [...left].sort((a, b) => a - b) };
    },
    { testId, color, leftFraction },
  );
}

test.describe('the backtest page on real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-backtest-page-');

  test('a template with edited parameters runs over a chosen range with a progress bar; trades, equity and metrics are the API result; the tested parameters deploy as main with variants', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await page.getByTestId('nav-backtest').click();
      const panel = page.getByTestId('backtest-panel');
      await panel.getByTestId('backtest-template').selectOption('ema-crossover-trend');
      // The template's parameters, at their defaults; two edited, one choice changed.
      await expect(panel.getByTestId('param-fast')).toHaveValue('9');
      await panel.getByTestId('param-fast').fill('20');
      await panel.getByTestId('param-slow').fill('50');
      await panel.getByTestId('param-trendTimeframe').selectOption({ label: '4h' });
      await panel.getByTestId('backtest-from').fill('2023-03-02');
      await panel.getByTestId('backtest-to').fill('2023-03-20');

      // Every text the status shows while it runs, to see the bar move.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { statusSeen: string[] }).statusSeen = seen;
        new MutationObserver(() => {
          const el = document.querySelector('[data-testid=backtest-status]');
          const bar = document.querySelector<HTMLProgressElement>(
            '[data-testid=backtest-progress]',
          );
          if (el?.textContent) seen.push(`${el.textContent}|${bar?.value ?? ''}`);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await panel.getByTestId('backtest-run').click();
      await expect(panel.getByTestId('backtest-progress')).toBeVisible();
      await expect(panel.getByTestId('backtest-status')).toContainText('completed · 100%', {
        timeout: 60_000,
      });
      await expect(panel.getByTestId('backtest-progress')).toHaveJSProperty('value', 1);
      const seen = await page.evaluate(
        () => (window as unknown as { statusSeen: string[] }).statusSeen,
      );
      const partial = seen.filter(
        (s) => /^running · (\d+)%/.exec(s) && !s.startsWith('running · 0%'),
      );
      expect(partial.length, `progress shown while running: ${seen.join(', ')}`).toBeGreaterThan(0);

      // What the page shows is the host's result of exactly these inputs.
      const runId = (await page.getByTestId('chart-source').inputValue()).replace('backtest:', '');
      const result = await api.getBacktestResult({ runId });
      expect(result.parameters).toEqual({
        maType: 'ema',
        fast: 20,
        slow: 50,
        trendPeriod: 50,
        trendTimeframe: '4h',
      });
      expect(result.from).toBe(Date.UTC(2023, 2, 2));
      expect(result.to).toBe(Date.UTC(2023, 2, 21) - 1);
      expect(result.bars).toBe(19 * 1440);
      const trades = result.trades.length;
      expect(trades).toBeGreaterThan(5);
      await expect(panel.getByTestId('metric-trades')).toHaveText(String(trades));
      await expect(panel.getByTestId('metric-roi')).toHaveText(
        `${result.metrics!.roiPct.toFixed(2)}%`,
      );
      await expect(panel.getByTestId('backtest-trades').locator('tbody tr')).toHaveCount(trades);
      const last = result.trades.at(-1)!;
      await expect(panel.getByTestId('backtest-trades').locator('tbody tr').last()).toContainText(
        last.netPnl.toFixed(2),
      );

      // Its equity curve beside the metrics, point for point, drawn.
      const equity = panel.getByTestId('backtest-equity');
      await expect(equity).toHaveAttribute('data-points', String(result.equity.length));
      expect(result.equity).toHaveLength((19 * 1440) / 5);
      expect(await pixelsOf(page, 'backtest-equity', EQUITY)).toBeGreaterThan(100);

      // The whole run in view, first equity point to last, though 5,472 points are far more
      // than the chart's few hundred pixels hold: it draws about two per pixel.
      const firstPoint = result.equity[0]!;
      const lastPoint = result.equity.at(-1)!;
      await expect(equity).toHaveAttribute('data-visible-from', String(firstPoint.time));
      await expect(equity).toHaveAttribute('data-visible-to', String(lastPoint.time));
      const plotWidth = await equity.evaluate((el) => el.clientWidth);
      const drawnPoints = Number(await equity.getAttribute('data-drawn'));
      expect(plotWidth).toBeLessThan(result.equity.length / 4);
      expect(drawnPoints).toBeGreaterThan(plotWidth);
      expect(drawnPoints).toBeLessThanOrEqual(2 * plotWidth + 2);
      // The drawdown pane's deepest point is the run's maximum drawdown (worked out here from
      // the whole curve, and as the metrics have it).
      let peak = 0;
      let deepest = 0;
      for (const p of result.equity) {
        peak = Math.max(peak, p.equity);
        deepest = Math.min(deepest, ((p.equity - peak) / peak) * 100);
      }
      expect(deepest).toBeLessThan(0);
      const drawnDeepest = Number(await equity.getAttribute('data-max-drawdown'));
      expect(drawnDeepest).toBeCloseTo(deepest, 9);
      expect(drawnDeepest).toBeCloseTo(-result.metrics!.maxDrawdown * 100, 9);
      // Its pixels: the line is drawn at the plot's left edge, at the height of the first
      // equity on the scale its lowest and highest points span.
      const values = result.equity.map((p) => p.equity);
      const [low, high] = [Math.min(...values), Math.max(...values)];
      let line = await lineRows(page, 'backtest-equity', EQUITY, 0.02);
      await expect
        .poll(async () => {
          line = await lineRows(page, 'backtest-equity', EQUITY, 0.02);
          return line.left.length;
        })
        .toBeGreaterThan(0);
      const expectedRow =
        line.top + ((high - firstPoint.equity) / (high - low)) * (line.bottom - line.top);
      const leftRow = line.left.reduce((s, y) => s + y, 0) / line.left.length;
      expect(Math.abs(leftRow - expectedRow)).toBeLessThan(0.06 * (line.bottom - line.top) + 3);
      console.log(
        `equity chart: ${result.equity.length} points, ${drawnPoints} drawn on ${plotWidth} px; ` +
          `visible from ${new Date(firstPoint.time).toISOString()} (first equity point) to ` +
          `${new Date(lastPoint.time).toISOString()}; left-edge line rows ${line.left.join(',')} ` +
          `(expected ~${expectedRow.toFixed(1)} of ${line.top}–${line.bottom}); deepest drawdown ` +
          `${drawnDeepest.toFixed(4)}%`,
      );
      await equity.screenshot({ path: join(SHOTS, 'backtest-page-equity-whole-run.png') });
      // A narrower chart (its box resized, as a layout change would): thinned again for the
      // new width, and still the whole run.
      const setBoxWidth = (width: string): Promise<void> =>
        equity.evaluate((el, width) => {
          el.parentElement!.style.width = width;
        }, width);
      await setBoxWidth('240px');
      await expect
        .poll(async () => Number(await equity.getAttribute('data-drawn')))
        .toBeLessThan(drawnPoints);
      await expect(equity).toHaveAttribute('data-visible-from', String(firstPoint.time));
      await expect(equity).toHaveAttribute('data-visible-to', String(lastPoint.time));
      const narrowWidth = await equity.evaluate((el) => el.clientWidth);
      const narrowDrawn = Number(await equity.getAttribute('data-drawn'));
      expect(narrowDrawn).toBeLessThanOrEqual(2 * narrowWidth + 2);
      console.log(`narrower: ${narrowDrawn} drawn on ${narrowWidth} px, the whole run in view`);
      await setBoxWidth('');
      await expect(equity).toHaveAttribute('data-drawn', String(drawnPoints));
      await expect(equity).toHaveAttribute('data-visible-from', String(firstPoint.time));

      // Its trades on the chart: the strategy mode of the run, over the tested range.
      await expect(page.getByTestId('chart-workspace')).toHaveAttribute('data-mode', 'strategy');
      await expect(page.getByTestId('strategy-chart')).toHaveAttribute(
        'data-bars',
        String((19 * 1440) / 5),
      );
      await expect(page.getByTestId('strategy-chart-counts')).toContainText(`${trades} trades`);
      await expect
        .poll(async () =>
          Math.min(
            await pixelsOf(page, 'strategy-chart', BUY),
            await pixelsOf(page, 'strategy-chart', SELL),
          ),
        )
        .toBeGreaterThan(20);
      await page.screenshot({ path: join(SHOTS, 'backtest-page-result.png') });

      // The workspace's performance mode of the run: the same whole-run view, at its width.
      await page.getByTestId('chart-mode-performance').click();
      const performance = page.getByTestId('performance-chart');
      await expect(performance).toHaveAttribute('data-points', String(result.equity.length));
      await expect(performance).toHaveAttribute('data-visible-from', String(firstPoint.time));
      await expect(performance).toHaveAttribute('data-visible-to', String(lastPoint.time));
      const performanceWidth = await performance.evaluate((el) => el.clientWidth);
      const performanceDrawn = Number(await performance.getAttribute('data-drawn'));
      expect(performanceDrawn).toBeLessThan(result.equity.length);
      expect(performanceDrawn).toBeLessThanOrEqual(2 * performanceWidth + 2);
      expect(Number(await performance.getAttribute('data-max-drawdown'))).toBeCloseTo(deepest, 9);
      await expect(page.getByTestId('performance-max-drawdown')).toHaveText(
        `max drawdown ${(-deepest).toFixed(2)}%`,
      );
      console.log(
        `performance mode: ${result.equity.length} points, ${performanceDrawn} drawn on ${performanceWidth} px`,
      );
      await page.screenshot({ path: join(SHOTS, 'backtest-page-performance-whole-run.png') });

      // Deploy the tested parameters: main plus three variants, paper trading on the feed.
      await panel.getByTestId('deploy-count').fill('3');
      await panel.getByTestId('deploy-variants').click();
      await expect(panel.getByTestId('deploy-result')).toContainText('main + 3 variants', {
        timeout: 30_000,
      });
      const [deployed] = await api.listStrategies({});
      expect(deployed).toMatchObject({ templateId: 'ema-crossover-trend', variantCount: 3 });
      const rows = await api.listVariants({ strategyId: deployed!.strategyId });
      expect(rows).toHaveLength(4);
      expect(rows.find((r) => r.role === 'main')!.parameters).toEqual(result.parameters);

      // …or as main alone.
      await panel.getByTestId('deploy-main').click();
      await expect(panel.getByTestId('deploy-result')).toContainText('main alone', {
        timeout: 30_000,
      });
      const strategies = await api.listStrategies({});
      expect(strategies).toHaveLength(2);
      const alone = strategies.find((s) => s.strategyId !== deployed!.strategyId)!;
      expect(alone.variantCount).toBe(0);
      const [aloneMain] = await api.listVariants({ strategyId: alone.strategyId });
      expect(aloneMain!.parameters).toEqual(result.parameters);
      await page.screenshot({ path: join(SHOTS, 'backtest-page-deployed.png') });
    });
  });
});
