import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BTCUSDT_1M_SERIES } from '../support/real-candles';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  withHostSession,
} from '../support/e2e-session';

/** `2023-03-08 14:05`, as the UI writes UTC times. */
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

// What a new user's trial found: breaker limits not editable, "Start replay" on a running replay,
// Sharpe/DSR shown on 0–1 trades, alert times only on the wall clock.
test.describe('the variant manager as a new user tried it, on replayed real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-variant-trial-');

  test('breaker limits are edited in its dialog with errors beside the field; Start replay on a running replay asks first and the waiting strategies say why; ratios on under 2 trades show —; alerts show their bar time', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await withHostSession(page, currentHost().url, { width: 1600, height: 1100 }, async (api) => {
      await importBtcUsdtMinutes(page);

      // ---- Circuit-breaker limits, edited in the dialog ----
      await page.getByTestId('circuit-breaker').click();
      const breaker = page.getByTestId('circuit-breaker-dialog');
      const drawdown = breaker.getByTestId('cb-limit-maxDrawdownPct');
      await expect(drawdown).toHaveValue('15');
      await expect(breaker.getByTestId('cb-limit-maxConsecutiveLosses')).toHaveValue('20');
      await drawdown.fill('0');
      await breaker.getByTestId('cb-limit-maxConsecutiveLosses').fill('2.5');
      await breaker.getByTestId('cb-limits-save').click();
      await expect(breaker.getByTestId('cb-error-maxDrawdownPct')).toHaveText('more than 0');
      await expect(breaker.getByTestId('cb-error-maxConsecutiveLosses')).toHaveText(
        'a whole number is needed here',
      );
      await expect(drawdown).toHaveAttribute('aria-invalid', 'true');
      // Nothing was sent: the host still has the defaults.
      expect((await api.getCircuitBreaker({})).limits.maxDrawdownPct).toBe(15);
      await page.screenshot({ path: join(SHOTS, 'variant-trial-breaker-errors.png') });
      await drawdown.fill('12.5');
      await breaker.getByTestId('cb-limit-maxConsecutiveLosses').fill('100000');
      await breaker.getByTestId('cb-limits-save').click();
      await expect(breaker.getByTestId('cb-limits-saved')).toBeVisible();
      await expect(breaker.getByTestId('cb-error-maxDrawdownPct')).toHaveCount(0);
      expect((await api.getCircuitBreaker({})).limits).toMatchObject({
        maxDrawdownPct: 12.5,
        maxConsecutiveLosses: 100_000,
      });
      await breaker.getByRole('button', { name: 'Close' }).click();
      await expect(breaker).toHaveCount(0);

      // ---- A replay with main + 5 variants ----
      await replayBtcUsdtFromMarch8(api);
      await expect(page.getByTestId('feed-kind')).toHaveText('REPLAY');
      await expect.poll(async () => (await api.getFeedStatus({})).progress ?? 0).toBeGreaterThan(0);
      await page.getByTestId('deploy-open').click();
      const deploy = page.getByTestId('deploy-dialog');
      await deploy.getByTestId('deploy-template').selectOption('rsi-mean-reversion');
      await deploy.getByTestId('deploy-variants').fill('5');
      await deploy.getByTestId('deploy-submit').click();
      await expect(deploy).toHaveCount(0, { timeout: 60_000 });
      await expect(page.getByTestId('leaderboard-count')).toHaveText('6 rows');

      // ---- Sharpe and DSR on fewer than 2 closed trades: — with the reason ----
      const rows = await api.listVariants({});
      const early = rows.find((r) => r.metrics.tradeCount < 2);
      expect(early, 'a row with under 2 closed trades right after deploying').toBeDefined();
      const earlyRow = page.locator(
        `[data-testid=leaderboard-row][data-variant-id="${early!.variantId}"]`,
      );
      await expect(earlyRow.locator('[data-col=sharpe]')).toHaveText('—');
      await expect(earlyRow.locator('[data-col=dsr]')).toHaveText('—');
      await expect(earlyRow.locator('[data-col=sharpe]')).toHaveAttribute(
        'title',
        /^Sharpe needs 2 closed trades; (none has|only 1 has) closed yet$/,
      );

      // ---- "Start replay" while this replay plays: asked first ----
      await page
        .getByTestId('feed-select')
        .selectOption(
          `${BTCUSDT_1M_SERIES.exchange}|${BTCUSDT_1M_SERIES.symbol}|${BTCUSDT_1M_SERIES.timeframe}`,
        );
      await page.getByTestId('feed-apply').click();
      const restart = page.getByTestId('replay-restart-dialog');
      await expect(restart.getByTestId('replay-restart-summary')).toContainText(
        'Restarting plays it again from its first bar.',
      );
      await expect(restart.getByTestId('replay-restart-summary')).toContainText('(s1)');
      await page.screenshot({ path: join(SHOTS, 'variant-trial-restart-confirm.png') });
      const progressBefore = (await api.getFeedStatus({})).progress ?? 0;
      await restart.getByTestId('replay-restart-cancel').click();
      await expect(restart).toHaveCount(0);
      // Kept running: the replay goes on from where it was.
      await expect
        .poll(async () => (await api.getFeedStatus({})).progress ?? 0)
        .toBeGreaterThan(progressBefore);

      // Confirmed: the replay starts over; the rows and an alert say the strategies wait.
      await page.getByTestId('feed-apply').click();
      await restart.getByTestId('replay-restart-confirm').click();
      await expect(restart).toHaveCount(0);
      await expect
        .poll(async () => (await api.listAlerts({})).some((a) => a.kind === 'replay-behind'))
        .toBe(true);
      const behind = (await api.listAlerts({})).find((a) => a.kind === 'replay-behind')!;
      expect(behind.barTime).not.toBeNull();
      const mainRow = page.locator('[data-testid=leaderboard-row][data-variant-id="s1-main"]');
      await expect(mainRow.locator('[data-col=status]')).toHaveAttribute(
        'title',
        `waiting for the replay to pass ${utc(behind.barTime!)} UTC, the last bar it traded: the replay was restarted from an earlier bar`,
      );
      await expect(
        page.locator('[data-testid=toast][data-kind=replay-behind] [data-testid=alert-bar-time]'),
      ).toHaveText(`bar ${utc(behind.barTime!)} UTC · `);

      // ---- The alert log: the bar time beside the wall-clock time ----
      await page.keyboard.press('Alt+4');
      const logRow = page.locator('[data-testid=alert-row][data-kind=replay-behind]').first();
      await expect(logRow.getByTestId('alert-bar-time')).toHaveText(utc(behind.barTime!));
      await expect(logRow.getByTestId('alert-wall-time')).toHaveText(utc(behind.time));
      await page.screenshot({ path: join(SHOTS, 'variant-trial-alert-log.png') });
    });
  });
});
