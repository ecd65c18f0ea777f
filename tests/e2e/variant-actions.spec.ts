import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { PositionRow } from '../../src/shared/variants';
import {
  importBtcUsdtMinutes,
  replayBtcUsdtFromMarch8,
  SHOTS,
  useE2eHost,
  withHostSession,
} from '../support/e2e-session';

/** The sentence the kill confirmation must show, built here from the API's position. */
function expectedKillSentence(variantId: string, p: PositionRow): string {
  const qty = p.quantity.toLocaleString('en-US', { maximumFractionDigits: 6 });
  const digits = Math.abs(p.entryPrice) >= 100 ? 2 : Math.abs(p.entryPrice) >= 1 ? 4 : 6;
  const price = p.entryPrice.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return (
    `Stop variant ${variantId} now and close its ${p.side} position ` +
    `(qty ${qty}, entered at ${price}) at the next bar's open.`
  );
}

const rowOf = (page: Page, variantId: string) =>
  page.locator(`[data-testid=leaderboard-row][data-variant-id="${variantId}"]`);

test.describe('kill, promote and emergency stop on replayed real BTC/USDT minutes', () => {
  const currentHost = useE2eHost(test, 'parallax-e2e-variant-actions-');

  test('a killed variant stops and goes flat, a promotion changes main and is audited, the emergency stop flattens everything', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    // Tall enough that all 11 leaderboard rows are in the DOM at once.
    await withHostSession(page, currentHost().url, { width: 1600, height: 1200 }, async (api) => {
      await importBtcUsdtMinutes(page);
      await replayBtcUsdtFromMarch8(api);
      await expect(page.getByTestId('feed-kind')).toHaveText('REPLAY');
      // This template loses in this rally; the breaker's default 25 losses in a row would halt
      // new entries before a position is there to kill. It has its own tests.
      await api.setCircuitBreakerLimits({ maxConsecutiveLosses: 100_000 });
      await expect.poll(async () => (await api.getFeedStatus({})).progress ?? 0).toBeGreaterThan(0);

      await page.getByTestId('deploy-open').click();
      const deploy = page.getByTestId('deploy-dialog');
      await deploy.getByTestId('deploy-template').selectOption('rsi-mean-reversion');
      await deploy.getByTestId('deploy-variants').fill('10');
      await deploy.getByTestId('deploy-seed').fill('11');
      await deploy.getByTestId('deploy-submit').click();
      await expect(deploy).toHaveCount(0, { timeout: 60_000 });
      await expect(page.getByTestId('leaderboard-count')).toHaveText('11 rows');

      // ---- Kill a variant that holds a position ----
      let killed: string | null = null;
      for (let attempt = 0; attempt < 10 && killed === null; attempt++) {
        let held: PositionRow | undefined;
        await expect
          .poll(
            async () => {
              held = (await api.listPositions({})).find((p) => p.role === 'variant');
              return held !== undefined;
            },
            { timeout: 120_000 },
          )
          .toBe(true);
        if (!held) continue;
        await rowOf(page, held.variantId).getByTestId('row-kill').click();
        const dialog = page.getByTestId('kill-dialog');
        const summary = dialog.getByTestId('kill-summary');
        await expect(summary).not.toHaveText(/Reading its position/);
        if ((await summary.textContent())?.includes('holds no open position')) {
          // It closed on its own in between: try the next one.
          await dialog.getByTestId('kill-cancel').click();
          continue;
        }
        await expect(summary).toHaveText(expectedKillSentence(held.variantId, held));
        await page.screenshot({ path: join(SHOTS, 'variant-kill-confirm.png') });
        await dialog.getByTestId('kill-confirm').click();
        await expect(dialog).toHaveCount(0);
        killed = held.variantId;
      }
      expect(killed, 'a variant with an open position was killed').not.toBeNull();
      const killedId = killed!;
      await expect(rowOf(page, killedId)).toHaveAttribute('data-status', 'stopped');
      await expect(rowOf(page, killedId).locator('[data-col=status]')).toHaveAttribute(
        'title',
        /killed by a person/,
      );
      // Its position closes at the next bar's open.
      await expect
        .poll(async () => (await api.listPositions({})).some((p) => p.variantId === killedId), {
          timeout: 30_000,
        })
        .toBe(false);
      await expect(
        page.locator(`[data-testid=position-row][data-variant-id="${killedId}"]`),
      ).toHaveCount(0);
      const killedRow = (await api.listVariants({})).find((r) => r.variantId === killedId)!;
      expect(killedRow.status).toBe('stopped');
      expect(killedRow.position).toBeNull();
      const killedTrades = await api.listLiveTrades({ filter: { variantId: killedId } });
      expect(killedTrades.length).toBeGreaterThan(0);
      expect(killedTrades.at(-1)!.exitReason).toMatch(/kill/);

      // ---- Promote: a candidate if there is one, otherwise a non-candidate, confirmed as such ----
      const rows = await api.listVariants({});
      const mainBefore = rows.find((r) => r.role === 'main')!;
      const running = rows.filter((r) => r.role === 'variant' && r.status === 'running');
      expect(running.length).toBeGreaterThan(0);
      const target = running.find((r) => r.promotion?.isCandidate) ?? running[0]!;
      const isCandidate = target.promotion?.isCandidate === true;
      const preview = await api.previewPromotion({ variantId: target.variantId });
      await rowOf(page, target.variantId).getByTestId('row-promote').click();
      const promote = page.getByTestId('promote-dialog');
      // The host's own words, up to its verdict (the gate's numbers may move on meanwhile).
      const firstSentence = preview.summary.split(' This variant')[0]!;
      expect(firstSentence).toContain(`switches to ${target.variantId}'s parameters`);
      await expect(promote.getByTestId('promote-summary')).toContainText(firstSentence);
      for (const [name, value] of Object.entries(target.parameters)) {
        await expect(
          promote.locator(`[data-testid=parameter-diff] tr[data-param="${name}"] td`).nth(1),
        ).toContainText(String(value));
      }
      const confirm = promote.getByTestId('promote-confirm');
      if (isCandidate) {
        await expect(promote.getByTestId('promote-not-candidate')).toHaveCount(0);
      } else {
        await expect(promote.getByTestId('promote-not-candidate')).toContainText(
          'This variant is not a promotion candidate.',
        );
        await expect(confirm).toBeDisabled();
        await promote.getByTestId('promote-accept-non-candidate').check();
      }
      await expect(confirm).toBeEnabled();
      await page.screenshot({ path: join(SHOTS, 'variant-promote-confirm.png') });
      await confirm.click();
      await expect(promote.getByTestId('promote-done')).toContainText('main is now version 2');
      await promote.getByTestId('promote-close').click();

      const mainAfter = (await api.listVariants({})).find((r) => r.role === 'main')!;
      expect(mainAfter.parameters).toEqual(target.parameters);
      expect(mainAfter.parameters).not.toEqual(mainBefore.parameters);
      const audit = await api.listPromotionAudit({});
      expect(audit).toHaveLength(1);
      expect(audit[0]!.variantId).toBe(target.variantId);
      expect(audit[0]!.wasCandidate).toBe(isCandidate);
      expect(audit[0]!.before).toEqual(mainBefore.parameters);
      expect(audit[0]!.after).toEqual(target.parameters);

      await page.keyboard.press('Alt+4');
      const auditRow = page.locator(
        `[data-testid=audit-row][data-variant-id="${target.variantId}"]`,
      );
      await expect(auditRow).toHaveCount(1);
      await expect(auditRow).toContainText(isCandidate ? 'yes' : 'no — promoted anyway');
      await expect(auditRow).toContainText('v1 → v2');
      await page.screenshot({ path: join(SHOTS, 'variant-promotion-audit.png') });

      // ---- Emergency stop: everything stopped and flat ----
      await page.keyboard.press('Alt+1');
      const live = (await api.listVariants({})).filter(
        (r) => r.status !== 'stopped' && r.status !== 'error',
      ).length;
      // Main and the variants still running: one was killed (a safety limit may have stopped more).
      expect(live).toBeGreaterThan(1);
      expect(live).toBeLessThanOrEqual(10);
      await page.keyboard.press('Control+Shift+E');
      const emergency = page.getByTestId('emergency-dialog');
      const sentence = emergency.getByTestId('emergency-summary');
      await expect(sentence).toHaveText(
        new RegExp(
          `^(Close all \\d+ open positions? at the next bar's open and|No position is open;) stop all 1 strategy \\(${live} running variants, main included\\)\\.$`,
        ),
      );
      await page.screenshot({ path: join(SHOTS, 'emergency-stop-confirm.png') });
      await emergency.getByTestId('emergency-confirm').click();
      await expect(emergency.getByTestId('emergency-done')).toContainText(
        `${live} variants stopped`,
      );
      await emergency.getByTestId('emergency-close').click();
      await expect(page.locator('[data-testid=toast][data-kind=emergency-stop]')).toBeVisible();

      await expect
        .poll(
          async () => {
            const [v, p] = await Promise.all([api.listVariants({}), api.listPositions({})]);
            return v.filter((r) => r.status !== 'stopped').length + p.length;
          },
          { timeout: 30_000 },
        )
        .toBe(0);
      await expect(
        page.locator('[data-testid=leaderboard-row]:not([data-status=stopped])'),
      ).toHaveCount(0);
      await expect(page.getByTestId('positions-empty')).toBeVisible();
      await page.screenshot({ path: join(SHOTS, 'emergency-stop-flat.png') });
      await page.keyboard.press('Alt+4');
      await expect(
        page.locator('[data-testid=alert-row][data-kind=emergency-stop]').first(),
      ).toContainText(`${live} variants stopped`);
    });
  });
});
