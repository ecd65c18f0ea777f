import { afterEach, describe, expect, it } from 'vitest';
import type { TestClock } from '../../../src/core/time/clock';
import type { Workstation } from '../../../src/core/workstation';
import type { Alert, PromotionAuditRow, VariantRow } from '../../../src/shared/variants';
import { makeTempDir } from '../../stubs/temp-dir';
import { WIDEST_BREAKER_LIMITS } from '../../support/breaker-limits';
import { BTC, DAY, MARCH_1, ok, play, workstationWithBtc, type EventLog } from './variant-harness';

const HOUR = 3_600_000;
/** `2023-03-03 05:00`, as the rows and alerts write bar times. */
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

describe('a replay restarted under running strategies, and a promotion after the replay ended', () => {
  const dir = makeTempDir('parallax-replay-restart-');
  let ws: Workstation | undefined;

  afterEach(() => {
    ws?.dispose();
    ws = undefined;
  });

  /** Replays day 3 at max speed (held), deploys main + 5 variants warmed from days 1–2. */
  async function deployed(
    file: string,
  ): Promise<{ ws: Workstation; clock: TestClock; log: EventLog }> {
    const rig = workstationWithBtc(dir.path, file);
    ws = rig.ws;
    ok(
      await rig.ws.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 'max',
        from: MARCH_1 + 2 * DAY,
        to: MARCH_1 + 3 * DAY - 1,
      }),
    );
    rig.ws.currentFeed.stop();
    ok(await rig.ws.dispatcher.dispatch('setCircuitBreakerLimits', WIDEST_BREAKER_LIMITS));
    ok(
      await rig.ws.dispatcher.dispatch('deployStrategy', {
        templateId: 'rsi-mean-reversion',
        variants: 5,
        seed: 3,
      }),
    );
    rig.ws.currentFeed.start();
    return rig;
  }

  const rows = async (w: Workstation): Promise<VariantRow[]> =>
    ok<VariantRow[]>(await w.dispatcher.dispatch('listVariants', {}));

  it('when "Start replay" is pressed while the replay runs then the strategies say they wait for it to pass their last bar, an alert says why, and they trade again once it has', async () => {
    const { ws: w, clock, log } = await deployed('restart.sqlite');
    await play(w, clock);
    const tradedUpTo = (await rows(w))[0]!.metrics.lastTime!;
    const lastBase = w.variants.lastSeenTime(BTC)!;
    expect(lastBase).toBe(MARCH_1 + 3 * DAY - 60_000);
    log.clear();

    // The button sends the selection again, and the replay starts over from an earlier bar (the
    // series' first one; here three hours back, to keep the test short).
    ok(
      await w.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 100,
        from: lastBase - 3 * HOUR,
        to: MARCH_1 + 3 * DAY + 6 * HOUR - 1,
      }),
    );
    const reason = `waiting for the replay to pass ${utc(lastBase)} UTC, the last bar it traded: the replay was restarted from an earlier bar`;
    const waiting = await rows(w);
    expect(waiting.map((r) => r.statusReason)).toEqual(waiting.map(() => reason));
    const [alert] = log.of('alert').filter((a) => a.kind === 'replay-behind');
    expect(alert).toMatchObject({
      severity: 'warning',
      barTime: lastBase,
      strategyId: 's1',
      message: `the binanceus BTC/USDT 1m replay starts before bars already traded: s1 takes no bar until it passes ${utc(lastBase)} UTC, the last bar it traded`,
    });

    // An hour of the replay later the rows still say so, in the batched metric events too.
    log.clear();
    await play(w, clock, () => feedNewest(w) >= lastBase - 2 * HOUR);
    clock.advance(1_000);
    const batched = log.of('metricsUpdate').flatMap((u) => u.rows);
    expect(batched.length).toBeGreaterThan(0);
    expect(batched.every((r) => r.statusReason === reason)).toBe(true);
    expect((await rows(w)).every((r) => r.metrics.lastTime === tradedUpTo)).toBe(true);

    // Past the last bar they traded, they trade the new bars and the reason is gone.
    await play(w, clock, () => (w.variants.lastSeenTime(BTC) ?? 0) >= lastBase + 3 * HOUR);
    clock.advance(1_000);
    const after = await rows(w);
    expect(after.every((r) => r.statusReason === null)).toBe(true);
    // Main and the variants trade 5-minute bars: the last one closed is 3 h − 5 min on.
    expect(after.every((r) => r.metrics.lastTime! >= lastBase + 3 * HOUR - 5 * 60_000)).toBe(true);
    expect(
      log
        .of('metricsUpdate')
        .at(-1)!
        .rows.every((r) => r.statusReason === null),
    ).toBe(true);
  });

  it('when a variant is promoted after the replay ended then main warms from stored history at once and says the replay has ended, and the promotion alert carries its bar time', async () => {
    const { ws: w, clock } = await deployed('promote-after-end.sqlite');
    await play(w, clock);
    expect(w.currentFeed.status().state).toBe('ended');
    const lastBase = w.variants.lastSeenTime(BTC)!;
    const target = (await rows(w)).find((r) => r.role === 'variant')!;
    const audit = ok<PromotionAuditRow>(
      await w.dispatcher.dispatch('promoteVariant', {
        variantId: target.variantId,
        acceptNonCandidate: true,
      }),
    );
    expect(audit.after).toEqual(target.parameters);
    clock.advance(1_000);

    const main = (await rows(w)).find((r) => r.role === 'main')!;
    expect(main).toMatchObject({
      status: 'running',
      warmUpBarsLeft: 0,
      parameters: target.parameters,
      statusReason: 'the replay has ended: waiting for the next bar of binanceus BTC/USDT 1m',
    });
    expect(w.variants.instanceOf(main.variantId)!.warm).toBe(true);
    const promoted = ok<Alert[]>(await w.dispatcher.dispatch('listAlerts', {})).find(
      (a) => a.kind === 'promoted',
    )!;
    expect(promoted.barTime).toBe(lastBase);

    // The next bars come (the replay resumed after the last one): main trades them with its
    // new parameters and the "ended" words go.
    ok(
      await w.dispatcher.dispatch('selectFeed', {
        kind: 'replay',
        series: BTC,
        speed: 100,
        from: lastBase + 60_000,
        to: lastBase + 2 * HOUR,
      }),
    );
    await play(w, clock, () => (w.variants.lastSeenTime(BTC) ?? 0) >= lastBase + HOUR);
    clock.advance(1_000);
    const later = (await rows(w)).find((r) => r.role === 'main')!;
    expect(later).toMatchObject({ status: 'running', statusReason: null });
    expect(later.metrics.lastTime!).toBeGreaterThan(main.metrics.lastTime!);
  });
});

function feedNewest(w: Workstation): number {
  return w.currentFeed.recent(1).candles.at(-1)?.time ?? -1;
}
