import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Api } from '../../src/shared/api';
import type { StrategyChart } from '../../src/shared/chart';
import { WIDEST_BREAKER_LIMITS } from '../support/breaker-limits';
import { BTCUSDT_1M_SERIES } from '../support/real-candles';
import { useE2eHost, withHostSession, importBtcUsdtMinutes, SHOTS } from '../support/e2e-session';

/** Colours of src/renderer/src/chart/chart-theme.ts. */
const COLORS = {
  entryLong: '#00e676',
  entryShort: '#ff4081',
  exit: '#e0e0e0',
  buy: '#4f8cff',
  sell: '#ffb300',
  equity: '#4c9aff',
  drawdown: '#ff5252',
  stop: '#ff1744',
  target: '#00c853',
} as const;

/**
 * Rows of the price pane drawn across most of its width in `color`: where a horizontal price
 * line of that colour is, as fractions of the pane's height from its top.
 */
async function horizontalLines(page: Page, color: string): Promise<number[]> {
  return page.evaluate((color) => {
    const c = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const canvases = [
      ...document.querySelectorAll<HTMLCanvasElement>('[data-testid=strategy-chart] canvas'),
    ].filter((cv) => cv.getBoundingClientRect().width > 300 && cv.width > 0);
    const top = Math.min(...canvases.map((cv) => cv.getBoundingClientRect().top));
    const rows: number[] = [];
    for (const canvas of canvases) {
      if (Math.round(canvas.getBoundingClientRect().top) !== Math.round(top)) continue;
      const { width, height } = canvas;
      const d = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      for (let y = 0; y < height; y++) {
        let n = 0;
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          if (
            d[i + 3] !== 0 &&
            Math.abs(d[i]! - c[0]!) + Math.abs(d[i + 1]! - c[1]!) + Math.abs(d[i + 2]! - c[2]!) < 24
          )
            n++;
        }
        if (n > width * 0.5) rows.push(y / height);
      }
    }
    return rows;
  }, color);
}

interface PanePixels {
  /** Plot areas of the chart's panes, top to bottom. */
  panes: number;
  /** Pixels within a small distance of each colour, per pane. */
  counts: Record<string, number[]>;
}

/**
 * Reads the canvases of the chart `testId` and counts, in each pane's plot area (the wide
 * canvases, grouped by their top edge), the pixels close to each of `colors`.
 */
async function panePixels(
  page: Page,
  testId: string,
  colors: Record<string, string>,
): Promise<PanePixels> {
  return page.evaluate(
    ({ testId, colors }) => {
      const rgb = (hex: string): number[] =>
        [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const wanted = Object.entries(colors).map(([name, hex]) => ({ name, c: rgb(hex) }));
      const canvases = [
        ...document.querySelectorAll<HTMLCanvasElement>(`[data-testid=${testId}] canvas`),
      ].filter((c) => {
        const r = c.getBoundingClientRect();
        // Pane plot areas: wide and tall (the time axis below them is wide but short).
        return r.width > 300 && r.height > 40 && c.width > 0 && c.height > 0;
      });
      const tops = [
        ...new Set(canvases.map((c) => Math.round(c.getBoundingClientRect().top))),
      ].sort((a, b) => a - b);
      const counts: Record<string, number[]> = {};
      for (const w of wanted) counts[w.name] = tops.map(() => 0);
      for (const canvas of canvases) {
        const pane = tops.indexOf(Math.round(canvas.getBoundingClientRect().top));
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] === 0) continue;
          for (const w of wanted) {
            const dist =
              Math.abs(d[i]! - w.c[0]!) +
              Math.abs(d[i + 1]! - w.c[1]!) +
              Math.abs(d[i + 2]! - w.c[2]!);
            if (dist < 24) counts[w.name]![pane]!++;
          }
        }
      }
      return { panes: tops.length, counts };
    },
    { testId, colors },
  );
}

/**
 * Centres of signal circles of `color` in the price pane, as page coordinates: pixels whose 3×3
 * neighbourhood is all that colour, at most one per 12-pixel cell.
 */
async function markerCentres(page: Page, color: string): Promise<Array<{ x: number; y: number }>> {
  return page.evaluate((color) => {
    const c = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const canvases = [
      ...document.querySelectorAll<HTMLCanvasElement>('[data-testid=strategy-chart] canvas'),
    ].filter((cv) => cv.getBoundingClientRect().width > 300 && cv.width > 0);
    const top = Math.min(...canvases.map((cv) => cv.getBoundingClientRect().top));
    const found: Array<{ x: number; y: number }> = [];
    const cells = new Set<string>();
    for (const canvas of canvases) {
      const rect = canvas.getBoundingClientRect();
      if (Math.round(rect.top) !== Math.round(top)) continue;
      const { width, height } = canvas;
      const d = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const is = (x: number, y: number): boolean => {
        const i = (y * width + x) * 4;
        return (
          d[i + 3] !== 0 &&
          Math.abs(d[i]! - c[0]!) + Math.abs(d[i + 1]! - c[1]!) + Math.abs(d[i + 2]! - c[2]!) < 24
        );
      };
      const scale = width / rect.width;
      for (let y = 2; y < height - 2; y++) {
        for (let x = 2; x < width - 2; x++) {
          if (!is(x, y)) continue;
          let all = true;
          for (let dy = -1; dy <= 1 && all; dy++)
            for (let dx = -1; dx <= 1 && all; dx++) all = is(x + dx, y + dy);
          if (!all) continue;
          const cell = `${Math.floor(x / 12)}:${Math.floor(y / 12)}`;
          if (cells.has(cell)) continue;
          cells.add(cell);
          found.push({ x: rect.left + x / scale, y: rect.top + y / scale });
        }
      }
    }
    return found;
  }, color);
}

/**
 * Zooms in on the newest bars of the strategy chart so markers stand apart, hovers signal
 * circles until one shows its "why it fired" tooltip, and checks it against `chart` (the API's):
 * the rule as written, each term's value, and every indicator line's value on that bar.
 */
async function hoverSignal(
  page: Page,
  chart: StrategyChart,
): Promise<{ terms: Array<{ text: string; value: number }>; indicators: number }> {
  const box = (await page.getByTestId('strategy-chart').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.3);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -300);
  await page.waitForTimeout(300);
  const tooltip = page.getByTestId('signal-tooltip');
  const centres = [
    ...(await markerCentres(page, COLORS.entryLong)),
    ...(await markerCentres(page, COLORS.entryShort)),
    ...(await markerCentres(page, COLORS.exit)),
  ];
  expect(centres.length, 'signal circles on screen').toBeGreaterThan(0);
  let found = false;
  for (const c of centres.slice(0, 30)) {
    await page.mouse.move(c.x, c.y);
    found = await tooltip.waitFor({ state: 'visible', timeout: 700 }).then(
      () => true,
      () => false,
    );
    if (found) break;
  }
  expect(found, 'a signal marker answered the hover').toBe(true);
  const time = Number(await tooltip.getAttribute('data-time'));
  const rule = await tooltip.getAttribute('data-rule');
  const row = chart.signals.find((s) => s.time === time && s.rule === rule);
  expect(row, `the API has a ${rule} signal at ${time}`).toBeDefined();
  await expect(tooltip.getByTestId('signal-expression')).toHaveText(row!.expression);
  const terms = await tooltip.getByTestId('signal-term').evaluateAll((els) =>
    els.map((e) => ({
      text: e.getAttribute('data-term') ?? '',
      value: Number(e.getAttribute('data-value')),
    })),
  );
  expect(terms).toEqual(row!.terms);
  const shown = await tooltip
    .getByTestId('signal-indicator')
    .evaluateAll((els) =>
      els.map(
        (e) => [e.getAttribute('data-name') ?? '', Number(e.getAttribute('data-value'))] as const,
      ),
    );
  const expected = chart.indicators.flatMap((i) =>
    i.lines.flatMap((l) => {
      const p = l.points.find((x) => x.time === time);
      return p === undefined ? [] : [[l.name, p.value] as const];
    }),
  );
  expect(new Map(shown)).toEqual(new Map(expected));
  // A term naming an indicator line holds that line's value on the bar.
  for (const t of terms) {
    const line = expected.find(([name]) => name === t.text);
    if (line) expect(t.value).toBe(line[1]);
  }
  return { terms, indicators: shown.length };
}

test.describe('chart modes on backtests of real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-chart-modes-');

  test('strategy mode draws the indicators in their panes and the markers; hovering a signal says why it fired; performance and comparison draw the curves, every compared run whole', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await page.getByTestId('nav-backtest').click();
      const panel = page.getByTestId('backtest-panel');
      const workspace = page.getByTestId('chart-workspace');
      await expect(panel.getByTestId('backtest-series')).toHaveValue('binanceus|BTC/USDT|1m');

      // Two runs: MACD + RSI (for the comparison), then the weighted score (drawn in detail).
      const run = async (templateId: string): Promise<string> => {
        await panel.getByTestId('backtest-template').selectOption(templateId);
        await panel.getByTestId('backtest-run').click();
        await expect(panel.getByTestId('backtest-status')).toContainText('completed', {
          timeout: 60_000,
        });
        await expect(workspace).toHaveAttribute('data-mode', 'strategy');
        const key = await page.getByTestId('chart-source').inputValue();
        expect(key).toMatch(/^backtest:/);
        return key.slice('backtest:'.length);
      };
      const macdRun = await run('macd-rsi-confirmation');
      const scoreRun = await run('weighted-signal-score');
      expect(scoreRun).not.toBe(macdRun);

      // Strategy mode: what the API says the chart holds…
      const chart = await api.getStrategyChart({
        source: { kind: 'backtest', runId: scoreRun },
        limit: 100_000,
      });
      expect(chart.candles).toHaveLength(30_240 / 15);
      expect(chart.signals.length).toBeGreaterThan(10);
      const strategyChart = page.getByTestId('strategy-chart');
      await expect(strategyChart).toHaveAttribute('data-bars', String(chart.candles.length));
      // MACD, RSI, volume z-score and ATR in panes of their own; the two EMAs over price.
      await expect(strategyChart).toHaveAttribute('data-panes', '5');
      const legend = page.getByTestId('legend-entry');
      await expect(legend).toHaveCount(8);
      const entries = await legend.evaluateAll((els) =>
        els.map((e) => ({
          name: e.textContent?.replace(' (pane)', '') ?? '',
          pane: Number(e.getAttribute('data-pane')),
          color: e.getAttribute('data-color') ?? '',
        })),
      );
      expect(entries.map((e) => [e.name, e.pane])).toEqual([
        ['macd.macd', 1],
        ['macd.signal', 1],
        ['macd.histogram', 1],
        ['rsi', 2],
        ['volz', 3],
        ['ema_fast', 0],
        ['ema_slow', 0],
        ['atr', 4],
      ]);

      // …and what its pixels show: five pane plot areas, each line's colour in its own pane.
      const colorOf = Object.fromEntries(entries.map((e) => [e.name, e.color]));
      const drawn = await panePixels(page, 'strategy-chart', {
        ...colorOf,
        entryLong: COLORS.entryLong,
        entryShort: COLORS.entryShort,
        exit: COLORS.exit,
        buy: COLORS.buy,
        sell: COLORS.sell,
      });
      await page.screenshot({ path: join(SHOTS, 'chart-modes-strategy.png') });
      expect(drawn.panes).toBe(5);
      for (const e of entries) {
        const counts = drawn.counts[e.name]!;
        expect(counts[e.pane], `${e.name} drawn in pane ${e.pane}`).toBeGreaterThan(40);
        const elsewhere = counts.reduce((s, n, i) => (i === e.pane ? s : s + n), 0);
        expect(elsewhere, `${e.name} only in its pane`).toBeLessThan(counts[e.pane]! / 4);
      }
      for (const marker of ['entryLong', 'entryShort', 'exit', 'buy', 'sell'])
        expect(drawn.counts[marker]![0], `${marker} markers on the price pane`).toBeGreaterThan(20);

      // Hovering a signal circle says why it fired: the API's signal row, digit for digit.
      const why = await hoverSignal(page, chart);
      expect(why.terms.length).toBeGreaterThanOrEqual(2);
      expect(why.indicators).toBe(8);
      await page.screenshot({ path: join(SHOTS, 'chart-modes-why-it-fired.png') });

      // Performance: the equity curve over price's pane, its drawdown in the pane below.
      await page.getByTestId('chart-mode-performance').click();
      const performance = page.getByTestId('performance-chart');
      await expect(performance).toHaveAttribute('data-points', String(chart.equity.length));
      const [curve] = await api.getEquityCurves({
        sources: [{ kind: 'backtest', runId: scoreRun }],
        maxPoints: 20_000,
      });
      const roi = (curve!.points.at(-1)!.equity / curve!.points[0]!.equity - 1) * 100;
      await expect(page.getByTestId('performance-roi')).toHaveText(`ROI ${roi.toFixed(2)}%`);
      // Read once the chart has painted both panes (the canvas fills on the next frames).
      const readPerformance = () =>
        panePixels(page, 'performance-chart', {
          equity: COLORS.equity,
          drawdown: COLORS.drawdown,
        });
      let perf = await readPerformance();
      await expect
        .poll(
          async () => {
            perf = await readPerformance();
            return Math.min(perf.counts['equity']?.[0] ?? 0, perf.counts['drawdown']?.[1] ?? 0);
          },
          { timeout: 10_000 },
        )
        .toBeGreaterThan(100);
      expect(perf.panes).toBe(2);
      await page.screenshot({ path: join(SHOTS, 'chart-modes-performance.png') });

      // Comparison: both runs (this session's backtests by default), each in its own colour.
      await page.getByTestId('chart-mode-comparison').click();
      const comparisonEntries = page.getByTestId('comparison-entry');
      await expect(comparisonEntries).toHaveCount(2);
      await expect(comparisonEntries.nth(0)).toContainText(macdRun);
      await expect(comparisonEntries.nth(1)).toContainText(scoreRun);
      const compareColors = await comparisonEntries.evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-color') ?? ''),
      );
      await expect
        .poll(
          async () => {
            const compared = await panePixels(page, 'comparison-chart', {
              first: compareColors[0]!,
              second: compareColors[1]!,
            });
            return Math.min(
              compared.counts['first']?.[0] ?? 0,
              compared.counts['second']?.[0] ?? 0,
            );
          },
          { timeout: 10_000 },
        )
        .toBeGreaterThan(100);
      await page.screenshot({ path: join(SHOTS, 'chart-modes-comparison.png') });

      // Both whole, from the earliest first equity point to the latest last.
      const comparisonChart = page.getByTestId('comparison-chart');
      const expectWholeRange = async (runIds: readonly string[]): Promise<string> => {
        const curves = await api.getEquityCurves({
          sources: runIds.map((runId) => ({ kind: 'backtest', runId })),
          maxPoints: 20_000,
        });
        const from = Math.min(...curves.map((c) => c.points[0]!.time));
        const to = Math.max(...curves.map((c) => c.points.at(-1)!.time));
        await expect(comparisonChart).toHaveAttribute('data-visible-from', String(from));
        await expect(comparisonChart).toHaveAttribute('data-visible-to', String(to));
        const width = await comparisonChart.evaluate((el) => el.clientWidth);
        const slots = Number(await comparisonChart.getAttribute('data-slots'));
        const sizes = curves.map((c) => c.points.length).join(' + ');
        return `${sizes} points, ${slots} times on the axis, ${await comparisonChart.getAttribute(
          'data-drawn',
        )} drawn on ${width} px, visible ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`;
      };
      console.log(`comparison of two 15m runs: ${await expectWholeRange([macdRun, scoreRun])}`);

      // Unticking one leaves the other alone on the chart.
      await page.getByTestId(`compare-backtest:${macdRun}`).uncheck();
      await expect(comparisonEntries).toHaveCount(1);
      await expect(comparisonEntries.nth(0)).toContainText(scoreRun);

      // A 5m run beside the two 15m ones: 6,048 equity points on another grid, far more than
      // the plot's pixels at the default half-pixel bar spacing. All three in view whole, on one
      // time axis of about two points per pixel, each curve's highs and lows kept.
      const fiveMinuteRun = await run('rsi-mean-reversion');
      await page.getByTestId('chart-mode-comparison').click();
      await page.getByTestId(`compare-backtest:${macdRun}`).check();
      await page.getByTestId(`compare-backtest:${fiveMinuteRun}`).check();
      await expect(comparisonEntries).toHaveCount(3);
      const [fiveMinutes] = await api.getEquityCurves({
        sources: [{ kind: 'backtest', runId: fiveMinuteRun }],
        maxPoints: 20_000,
      });
      expect(fiveMinutes!.points[1]!.time - fiveMinutes!.points[0]!.time).toBe(5 * 60_000);
      const wideWidth = await comparisonChart.evaluate((el) => el.clientWidth);
      expect(fiveMinutes!.points.length * 0.5).toBeGreaterThan(wideWidth);
      console.log(
        `comparison with a 5m run: ${await expectWholeRange([macdRun, scoreRun, fiveMinuteRun])}`,
      );
      const slots = Number(await comparisonChart.getAttribute('data-slots'));
      expect(slots).toBeLessThanOrEqual(2 * wideWidth);
      expect(slots).toBeGreaterThan(wideWidth);
      const fiveColor = await comparisonEntries.evaluateAll(
        (els, key) =>
          els.find((e) => e.getAttribute('data-key') === key)?.getAttribute('data-color'),
        `backtest:${fiveMinuteRun}`,
      );
      await expect
        .poll(async () => {
          const compared = await panePixels(page, 'comparison-chart', { five: fiveColor! });
          return compared.counts['five']?.[0] ?? 0;
        })
        .toBeGreaterThan(100);
      await page.screenshot({ path: join(SHOTS, 'chart-modes-comparison-whole-runs.png') });
      // Narrower (the plot's box resized, as a layout change would): aligned again for the
      // new width, still every curve whole.
      const setBoxWidth = (width: string): Promise<void> =>
        comparisonChart.evaluate((el, width) => {
          el.parentElement!.style.flex = width === '' ? '' : `0 0 ${width}`;
        }, width);
      await setBoxWidth('300px');
      await expect
        .poll(async () => Number(await comparisonChart.getAttribute('data-slots')))
        .toBeLessThan(slots);
      console.log(`narrower: ${await expectWholeRange([macdRun, scoreRun, fiveMinuteRun])}`);
      const narrowWidth = await comparisonChart.evaluate((el) => el.clientWidth);
      expect(Number(await comparisonChart.getAttribute('data-slots'))).toBeLessThanOrEqual(
        2 * narrowWidth,
      );
      await comparisonChart.screenshot({
        path: join(SHOTS, 'chart-modes-comparison-whole-runs-narrow.png'),
      });
      await setBoxWidth('');
      await expect(comparisonChart).toHaveAttribute('data-slots', String(slots));

      // Raw price again: the feed's candles, no strategy chart.
      await page.getByTestId('chart-mode-price').click();
      await expect(page.getByTestId('candle-chart')).toBeVisible();
      await expect(page.getByTestId('strategy-chart')).toHaveCount(0);
    });
  });
});

test.describe('the strategy chart of a live main on a replay of real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-chart-live-');

  test('main trades the replay; its chart shows its signals with why they fired and its open position as stop and target lines', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1000 }, async (api) => {
      await importBtcUsdtMinutes(page);
      // Main of the MACD + RSI template on a replay of the month; it ends the month long, with
      // a stop and a target (a backtest of the same bars says so). Wide safety limits: the
      // template loses more than 5% on the way, which would stop it (tested elsewhere). The
      // breaker's daily loss counts the wall-clock day, in which a replayed month is one day.
      await api.selectFeed({ kind: 'replay', series: BTCUSDT_1M_SERIES, speed: 1 });
      await api.setCircuitBreakerLimits(WIDEST_BREAKER_LIMITS);
      const deployed = await api.deployStrategy({
        templateId: 'macd-rsi-confirmation',
        variants: 0,
        safety: { maxLossPct: 50, maxDrawdownPct: 50 },
      });
      const mainId = deployed.strategy.mainVariantId;

      // Its strategy chart is open while the month replays: the chart follows it live (merged
      // windows, no reload) up to the last bar, and the position levels come with it.
      await page.getByTestId('chart-source').focus();
      await page.getByTestId('chart-source').selectOption(`variant:${mainId}`);
      await page.getByTestId('chart-mode-strategy').click();
      const strategyChart = page.getByTestId('strategy-chart');
      await expect(strategyChart).toHaveAttribute('data-last-time', /\d+/);
      const loadedBars = Number(await strategyChart.getAttribute('data-bars'));
      expect(loadedBars).toBeLessThan(100);
      await api.setReplaySpeed({ speed: 'max' });
      await expect
        .poll(async () => (await api.getFeedStatus({})).state, { timeout: 120_000 })
        .toBe('ended');
      // Main has read every bar: its last 15-minute bar is the month's last (21 March, 23:45 UTC).
      const last = Date.UTC(2023, 2, 21, 23, 45);
      await expect
        .poll(
          async () =>
            (await api.listVariants({})).find((v) => v.variantId === mainId)?.metrics.lastTime,
          { timeout: 60_000 },
        )
        .toBe(last);
      await expect
        .poll(async () => (await api.listPositions({})).find((p) => p.variantId === mainId), {
          timeout: 30_000,
        })
        .toBeDefined();
      const position = (await api.listPositions({})).find((p) => p.variantId === mainId)!;
      expect(position.stopPrice).not.toBeNull();
      expect(position.targetPrice).not.toBeNull();

      // Signal records reach the store in batches: wait until the chart (merging live) and the
      // API agree on the count twice in a row, a poll interval apart.
      const variantChart = (): ReturnType<Api['getStrategyChart']> =>
        api.getStrategyChart({ source: { kind: 'variant', variantId: mainId }, limit: 100_000 });
      let chart = await variantChart();
      let agreed = 0;
      await expect
        .poll(
          async () => {
            chart = await variantChart();
            const drawn = Number(await strategyChart.getAttribute('data-signals'));
            agreed = drawn === chart.signals.length ? agreed + 1 : 0;
            return agreed;
          },
          { intervals: [1_000], timeout: 30_000 },
        )
        .toBeGreaterThanOrEqual(2);
      expect(chart.position).toMatchObject({
        side: position.side,
        entryPrice: position.entryPrice,
        stopPrice: position.stopPrice,
        targetPrice: position.targetPrice,
      });
      expect(chart.signals.length).toBeGreaterThan(10);
      // Everything the API has now was merged into the chart opened before the replay ran.
      await expect(strategyChart).toHaveAttribute('data-last-time', String(last), {
        timeout: 10_000,
      });
      await expect(strategyChart).toHaveAttribute('data-signals', String(chart.signals.length));
      await expect(strategyChart).toHaveAttribute('data-trades', String(chart.trades.length));
      // The legend counts what is drawn now, not what the chart opened with.
      await expect(page.getByTestId('strategy-chart-counts')).toHaveText(
        `${chart.candles.length.toLocaleString('en-US')} bars · ${chart.signals.length} signals · ${chart.trades.length} trades`,
      );
      await expect(strategyChart).toHaveAttribute('data-position', 'open');
      await expect(strategyChart).toHaveAttribute('data-bars', String(loadedBars));
      await expect(strategyChart).toHaveAttribute('data-panes', '3');

      // The stop below and the target above, as lines across the price pane.
      const stops = await horizontalLines(page, COLORS.stop);
      const targets = await horizontalLines(page, COLORS.target);
      expect(stops.length, 'a stop line').toBeGreaterThan(0);
      expect(targets.length, 'a target line').toBeGreaterThan(0);
      if (position.side === 'long') expect(Math.min(...targets)).toBeLessThan(Math.min(...stops));
      await page.screenshot({ path: join(SHOTS, 'chart-modes-live-position.png') });

      // Why a live signal fired: the stored record, as the API gives it.
      const why = await hoverSignal(page, chart);
      expect(why.indicators).toBe(4);
      await page.screenshot({ path: join(SHOTS, 'chart-modes-live-why.png') });

      // Its performance: equity marked at every bar it traded.
      await page.getByTestId('chart-mode-performance').click();
      await expect(page.getByTestId('performance-chart')).toHaveAttribute(
        'data-points',
        String(chart.equity.length),
      );
    });
  });
});
