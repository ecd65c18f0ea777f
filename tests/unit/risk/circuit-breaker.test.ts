import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitBreakerCheckpoint } from '../../../src/core/risk';
import type { CircuitBreakerLimits, CircuitBreakerState } from '../../../src/shared/variants';
import { TestClock } from '../../../src/core/time/clock';

const DAY = 86_400_000;
const MIN = 60_000;
/** 2026-03-02 00:00 UTC. */
const DAY0 = Date.UTC(2026, 2, 2);
const limits: CircuitBreakerLimits = {
  maxDrawdownPct: 15,
  maxDailyLossPct: 5,
  maxConsecutiveLosses: 3,
  maxOrdersPerMinute: 4,
};

/**
 * Trades of any accounts closing on the bar at `time`, then every account has stepped it. One
 * `-1` per bar is what a single account's losing trade looks like.
 */
function closeBar(breaker: CircuitBreaker, time: number, ...netPnls: number[]): void {
  for (const pnl of netPnls) breaker.onTrade(time, pnl);
  breaker.settleBars(time);
}

function breakerWithTrips(l: CircuitBreakerLimits = limits, clock = new TestClock(DAY0)) {
  const breaker = new CircuitBreaker(l, clock);
  const trips: CircuitBreakerState[] = [];
  breaker.onTrip((s) => trips.push(s));
  return { breaker, trips, clock };
}

describe('CircuitBreaker: drawdown of the summed equity', () => {
  it('trips at 15% below the summed peak, measured from a new peak', () => {
    // Daily loss limit out of the way: this sequence is about drawdown alone.
    const { breaker, trips } = breakerWithTrips({ ...limits, maxDailyLossPct: 100 });
    breaker.onEquity(DAY0, 100_000);
    breaker.onEquity(DAY0 + MIN, 120_000); // new peak
    breaker.onEquity(DAY0 + 2 * MIN, 102_001); // 14.999% below 120,000
    expect(breaker.tripped).toBe(false);
    expect(breaker.state().values.drawdownPct).toBeCloseTo(
      ((120_000 - 102_001) / 120_000) * 100,
      12,
    );
    breaker.onEquity(DAY0 + 3 * MIN, 102_000); // (120,000 − 102,000) / 120,000 = 15%
    expect(breaker.tripped).toBe(true);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.reason).toBe(
      'drawdown 15% of the summed equity (peak 120,000, now 102,000) reached the 15% limit',
    );
    expect(trips[0]!.trippedAt).toBe(DAY0);
    expect(trips[0]!.values.drawdownPct).toBeCloseTo(15, 12);
  });
});

describe('CircuitBreaker: daily loss', () => {
  it('trips at 5% below the first mark of the UTC day', () => {
    const { breaker, trips } = breakerWithTrips();
    breaker.onEquity(DAY0 + 10 * MIN, 100_000); // the day's baseline
    breaker.onEquity(DAY0 + 11 * MIN, 95_001);
    expect(breaker.tripped).toBe(false);
    expect(breaker.state().values.dailyLossPct).toBeCloseTo(4.999, 12);
    breaker.onEquity(DAY0 + 12 * MIN, 95_000);
    expect(breaker.tripped).toBe(true);
    expect(trips.map((t) => t.reason)).toEqual([
      'daily loss 5% since the UTC day began (from 100,000 to 95,000) reached the 5% limit',
    ]);
  });

  it('starts a new baseline at the first mark of the next UTC day', () => {
    const { breaker } = breakerWithTrips({ ...limits, maxDrawdownPct: 100 });
    breaker.onEquity(DAY0, 100_000);
    breaker.onEquity(DAY0 + DAY - MIN, 96_000); // 23:59: 4% down on the day
    expect(breaker.state().values.dailyLossPct).toBeCloseTo(4, 12);
    breaker.onEquity(DAY0 + DAY, 96_000); // 00:00 next day: new baseline 96,000
    expect(breaker.state().values.dailyLossPct).toBe(0);
    breaker.onEquity(DAY0 + DAY + MIN, 92_000); // 4.17% on the new day, 8% over two days
    expect(breaker.state().values.dailyLossPct).toBeCloseTo((4_000 / 96_000) * 100, 12);
    expect(breaker.tripped).toBe(false);
    breaker.onEquity(DAY0 + DAY + 2 * MIN, 91_200); // (96,000 − 91,200) / 96,000 = 5%
    expect(breaker.tripped).toBe(true);
  });

  it('measures a late bar from an earlier day against the current day', () => {
    const { breaker } = breakerWithTrips();
    breaker.onEquity(DAY0 + DAY, 100_000);
    breaker.onEquity(DAY0 + DAY - MIN, 99_000); // yesterday's bar arriving late
    expect(breaker.state().values.dailyLossPct).toBeCloseTo(1, 12);
  });
});

const STREAK_REASON =
  '3 losing bars in a row (the trades closed on each, all accounts together, lost money) reached the limit of 3';

describe('CircuitBreaker: losing bars in a row', () => {
  it('one account: trips at the third losing trade in a row; a win or break-even ends the run', () => {
    const { breaker, trips } = breakerWithTrips();
    closeBar(breaker, DAY0, -10);
    closeBar(breaker, DAY0 + MIN, -5);
    closeBar(breaker, DAY0 + 2 * MIN, +1); // a win resets
    closeBar(breaker, DAY0 + 3 * MIN, -10);
    closeBar(breaker, DAY0 + 4 * MIN, -10);
    closeBar(breaker, DAY0 + 5 * MIN, 0); // break-even is not a loss
    closeBar(breaker, DAY0 + 6 * MIN, -1);
    closeBar(breaker, DAY0 + 7 * MIN); // no trade closed: the run stays
    closeBar(breaker, DAY0 + 8 * MIN, -1);
    expect(breaker.tripped).toBe(false);
    expect(breaker.state().values.consecutiveLosses).toBe(2);
    closeBar(breaker, DAY0 + 9 * MIN, -1);
    expect(breaker.tripped).toBe(true);
    expect(trips.map((t) => t.reason)).toEqual([STREAK_REASON]);
  });

  it('a hundred accounts losing on one bar count one losing bar, not a hundred losses', () => {
    // The trial's case: 100 variants exiting on the same bar. Counted per trade, this was 100
    // losses in a row at once and tripped any limit up to 100.
    const { breaker, trips } = breakerWithTrips();
    closeBar(breaker, DAY0, ...Array.from({ length: 100 }, () => -2));
    expect(breaker.state().values.consecutiveLosses).toBe(1);
    // A bar of 60 losers and 40 winners whose sum is a gain ends the run:
    // 60 × −1 + 40 × 1.6 = +4.
    closeBar(breaker, DAY0 + MIN, ...Array<number>(60).fill(-1), ...Array<number>(40).fill(1.6));
    expect(breaker.state().values.consecutiveLosses).toBe(0);
    // 60 × −1 + 40 × 1.4 = −4: a losing bar although most trades... are still losers.
    closeBar(
      breaker,
      DAY0 + 2 * MIN,
      ...Array<number>(60).fill(-1),
      ...Array<number>(40).fill(1.4),
    );
    // One account's big win outweighs 99 small losses: +100 − 99 × 0.5 > 0.
    closeBar(breaker, DAY0 + 3 * MIN, 100, ...Array<number>(99).fill(-0.5));
    expect(breaker.state().values.consecutiveLosses).toBe(0);
    closeBar(breaker, DAY0 + 4 * MIN, -1, -1);
    closeBar(breaker, DAY0 + 5 * MIN, -3, 2);
    expect(breaker.tripped).toBe(false);
    closeBar(breaker, DAY0 + 6 * MIN, -1, -1, -1);
    expect(breaker.state().values.consecutiveLosses).toBe(3);
    expect(trips.map((t) => t.reason)).toEqual([STREAK_REASON]);
  });

  it('counts a bar only when every account has stepped it, oldest bar first', () => {
    const { breaker } = breakerWithTrips();
    // Trades arrive by account, not by bar (one account catches up over several bars first).
    breaker.onTrade(DAY0 + MIN, -1);
    breaker.onTrade(DAY0 + 2 * MIN, -1);
    breaker.onTrade(DAY0, +5);
    breaker.onTrade(DAY0 + MIN, +0.5);
    expect(breaker.state().values.consecutiveLosses).toBe(0); // nothing settled yet
    breaker.onEquity(DAY0 + MIN, 10_000); // settles DAY0 (+5) then DAY0+1m (−0.5)
    expect(breaker.state().values.consecutiveLosses).toBe(1);
    breaker.onEquity(DAY0 + 2 * MIN, 10_000);
    expect(breaker.state().values.consecutiveLosses).toBe(2);
    expect(() => breaker.onTrade(Number.NaN, -1)).toThrow(/bar time/);
    expect(() => breaker.onTrade(DAY0, Number.POSITIVE_INFINITY)).toThrow(/trade P&L/);
  });
});

describe('CircuitBreaker: order rate over a sliding minute of wall-clock time', () => {
  it('allows 4 orders a minute and trips at the 5th inside 60 s', () => {
    const { breaker, trips, clock } = breakerWithTrips();
    for (let i = 0; i < 4; i++) {
      breaker.onOrder();
      clock.advance(10_000);
    }
    // t = 40 s: 4 orders in the window (0, 10, 20, 30 s)
    expect(breaker.state().values.ordersLastMinute).toBe(4);
    clock.advance(20_000); // t = 60 s: the order at 0 s has left the window
    expect(breaker.state().values.ordersLastMinute).toBe(3);
    breaker.onOrder(); // 10, 20, 30, 60 s: 4
    expect(breaker.tripped).toBe(false);
    clock.advance(9_999); // t = 69.999 s: the order at 10 s is still inside
    breaker.onOrder(); // 5 in the window
    expect(breaker.tripped).toBe(true);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.reason).toBe('5 orders in the last minute exceeded the limit of 4 per minute');
    expect(trips[0]!.trippedAt).toBe(DAY0 + 69_999);
  });

  it('keeps an exact count past its initial buffer', () => {
    const { breaker, clock } = breakerWithTrips({ ...limits, maxOrdersPerMinute: 1_000 });
    for (let i = 0; i < 1_000; i++) {
      breaker.onOrder();
      clock.advance(30); // 1,000 orders over 30 s
    }
    expect(breaker.state().values.ordersLastMinute).toBe(1_000);
    expect(breaker.tripped).toBe(false);
    // t = 75 s: the orders at 0, 0.03, …, 15 s (501, the one exactly 60 s old included) have
    // left; 15.03 … 29.97 s remain.
    clock.advance(45_000);
    expect(breaker.state().values.ordersLastMinute).toBe(499);
  });
});

describe('CircuitBreaker: tripped until a person resets it', () => {
  it('stays tripped through recoveries, announces once per trip, and re-arms on reset', () => {
    const { breaker, trips } = breakerWithTrips();
    closeBar(breaker, DAY0 - 3 * MIN, -1);
    closeBar(breaker, DAY0 - 2 * MIN, -1);
    closeBar(breaker, DAY0 - MIN, -1);
    expect(trips).toHaveLength(1);
    breaker.onTrade(DAY0, -1); // a 4th losing bar: still the same trip
    breaker.onEquity(DAY0, 100_000);
    breaker.onEquity(DAY0 + MIN, 50_000); // would trip drawdown and daily loss
    closeBar(breaker, DAY0 + MIN, +50); // a win does not un-trip
    expect(breaker.tripped).toBe(true);
    expect(trips).toHaveLength(1);
    expect(breaker.state().reason).toBe(STREAK_REASON);

    const after = breaker.reset();
    expect(after.tripped).toBe(false);
    expect(after.reason).toBeNull();
    expect(after.trippedAt).toBeNull();
    // Measurements restart from now: the peak and day baseline are 50,000, the run is 0.
    expect(after.values).toEqual({
      drawdownPct: 0,
      dailyLossPct: 0,
      consecutiveLosses: 0,
      ordersLastMinute: 0,
    });
    breaker.onEquity(DAY0 + 2 * MIN, 47_501); // 4.998% below 50,000
    expect(breaker.tripped).toBe(false);
    breaker.onEquity(DAY0 + 3 * MIN, 47_500); // 5% daily loss from the new baseline
    expect(breaker.tripped).toBe(true);
    expect(trips).toHaveLength(2);
    expect(trips[1]!.reason).toMatch(/^daily loss 5% /);
  });

  it('trips at once when new limits are already reached, and validates them', () => {
    const { breaker, trips } = breakerWithTrips();
    closeBar(breaker, DAY0, -1);
    closeBar(breaker, DAY0 + MIN, -1);
    expect(breaker.tripped).toBe(false);
    const state = breaker.setLimits({ ...limits, maxConsecutiveLosses: 2 });
    expect(state.tripped).toBe(true);
    expect(state.limits.maxConsecutiveLosses).toBe(2);
    expect(trips).toHaveLength(1);
    expect(() => breaker.setLimits({ ...limits, maxDailyLossPct: 0 })).toThrow(/maxDailyLossPct/);
    expect(
      () => new CircuitBreaker({ ...limits, maxOrdersPerMinute: 1.5 }, new TestClock()),
    ).toThrow(/maxOrdersPerMinute/);
    expect(() => breaker.onEquity(DAY0, Number.NaN)).toThrow(/total equity/);
  });
});

describe('CircuitBreaker: accounts joining and leaving the sum (adjustBaseline)', () => {
  it('scales the baselines so drawdown and daily loss are unchanged', () => {
    const { breaker } = breakerWithTrips({ ...limits, maxDailyLossPct: 50 });
    breaker.onEquity(DAY0, 20_000); // two accounts of 10,000
    breaker.onEquity(DAY0 + MIN, 19_000); // 5% drawdown, 5% daily loss
    breaker.adjustBaseline(+10_000); // a third variant joins with 10,000
    breaker.onEquity(DAY0 + 2 * MIN, 29_000); // nothing moved
    let values = breaker.state().values;
    expect(values.drawdownPct).toBeCloseTo(5, 12); // peak scaled to 20,000 × 29/19
    expect(values.dailyLossPct).toBeCloseTo(5, 12);
    breaker.adjustBaseline(-9_000); // the losing account leaves at its last mark
    breaker.onEquity(DAY0 + 3 * MIN, 20_000);
    values = breaker.state().values;
    expect(values.drawdownPct).toBeCloseTo(5, 12);
    expect(values.dailyLossPct).toBeCloseTo(5, 12);
    breaker.onEquity(DAY0 + 4 * MIN, 21_052.631578947367); // back to the scaled peak
    expect(breaker.state().values.drawdownPct).toBeCloseTo(0, 9);
    expect(breaker.tripped).toBe(false);
  });

  it('starts afresh when every account has left', () => {
    const { breaker } = breakerWithTrips();
    breaker.onEquity(DAY0, 10_000);
    breaker.onEquity(DAY0 + MIN, 9_800);
    breaker.adjustBaseline(-9_800);
    breaker.adjustBaseline(+10_000);
    breaker.onEquity(DAY0 + 2 * MIN, 10_000);
    expect(breaker.state().values.drawdownPct).toBe(0);
    expect(breaker.state().values.dailyLossPct).toBe(0);
  });
});

describe('CircuitBreaker: checkpoint and restore', () => {
  it('resumes peak, day baseline, losing run and trip without announcing it again', () => {
    const { breaker } = breakerWithTrips();
    breaker.onEquity(DAY0, 100_000);
    breaker.onEquity(DAY0 + MIN, 97_000);
    closeBar(breaker, DAY0 + MIN, -1);
    closeBar(breaker, DAY0 + 2 * MIN, -1);
    // A bar counted but not yet settled travels with the checkpoint.
    breaker.onTrade(DAY0 + 3 * MIN, -4);
    breaker.onTrade(DAY0 + 3 * MIN, +1);
    const { breaker: restored, trips } = breakerWithTrips();
    restored.restore(JSON.parse(JSON.stringify(breaker.checkpoint())) as CircuitBreakerCheckpoint);
    expect(restored.state().values).toEqual(breaker.state().values);
    expect(restored.state().values.consecutiveLosses).toBe(2);
    restored.onTrade(DAY0 + 3 * MIN, +2); // −4 + 1 + 2 = −1: still a losing bar
    restored.settleBars(DAY0 + 3 * MIN);
    expect(trips).toHaveLength(1);
    restored.onEquity(DAY0 + 2 * MIN, 94_000); // 6% on the day; tripped already
    expect(trips).toHaveLength(1);

    const { breaker: again, trips: noTrips } = breakerWithTrips();
    again.restore(restored.checkpoint());
    expect(again.tripped).toBe(true);
    expect(again.state().reason).toBe(STREAK_REASON);
    expect(noTrips).toHaveLength(0);
    expect(() => again.restore({ ...again.checkpoint(), consecutiveLosses: -1 })).toThrow(
      /consecutiveLosses/,
    );
    const garbled = JSON.parse('{"tripped":"yes","reason":null}') as never;
    expect(() => again.restore(garbled)).toThrow(/checkpoint tripped/);
    expect(again.tripped).toBe(true); // a refused checkpoint changes nothing
    expect(() =>
      again.restore({ ...again.checkpoint(), pendingBars: [[DAY0, Number.NaN]] }),
    ).toThrow(/pendingBars/);
  });

  it('loads a checkpoint written before losses were counted per bar (no pendingBars)', () => {
    // Exactly what the previous build stored in app_settings.
    const old = JSON.parse(
      '{"tripped":false,"reason":null,"trippedAt":null,"lastEquity":99000,"peak":100000,' +
        '"dayStartEquity":100000,"day":20514,"consecutiveLosses":2}',
    ) as CircuitBreakerCheckpoint;
    const { breaker, trips } = breakerWithTrips();
    breaker.restore(old);
    expect(breaker.state().values).toEqual({
      drawdownPct: 1,
      dailyLossPct: 1,
      consecutiveLosses: 2,
      ordersLastMinute: 0,
    });
    closeBar(breaker, DAY0, -1);
    expect(trips.map((t) => t.reason)).toEqual([STREAK_REASON]);
  });
});
