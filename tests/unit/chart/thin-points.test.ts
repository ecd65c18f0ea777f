import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thinPoints } from '../../../src/core/chart/thin-points';
import { drawdownPercents, type EquityPoint } from '../../../src/shared/equity-thinning';

const curve = (equities: readonly number[]): EquityPoint[] =>
  equities.map((equity, i) => ({ time: 60_000 * i, equity }));
const minutes = (points: readonly EquityPoint[]): number[] => points.map((p) => p.time / 60_000);
const deepest = (points: readonly EquityPoint[]): number => Math.min(...drawdownPercents(points));

describe('thinPoints', () => {
  it('when the points fit then they come back untouched', () => {
    const ten = curve([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(thinPoints(ten, 10)).toBe(ten);
    expect(thinPoints([], 10)).toEqual([]);
  });

  it('when evenly spaced points would miss the trough then it is kept, and the maximum drawdown with it', () => {
    // 30 points of 100 but a peak of 120 at 5, the trough 60 at 8 (−50%), 90 at 20, 110 at 25
    // and 105 last. Evenly spaced, 10 points are indices round(i·29/9) = 0 3 6 10 13 16 19 23 26
    // 29: neither the peak nor the trough, so no drawdown at all.
    const equities = Array.from({ length: 30 }, () => 100);
    Object.assign(equities, { 5: 120, 8: 60, 20: 90, 25: 110, 29: 105 });
    const points = curve(equities);
    expect(deepest([0, 3, 6, 10, 13, 16, 19, 23, 26, 29].map((i) => points[i]!))).toBe(0);
    // ⌊(10 − 2) / 4⌋ = 2 runs of 14 between first and last: 1–14 and 15–28. Run 1: high 5 (120),
    // low and deepest 8 (60, from the peak at 5), then its first index 1 and last 14. Run 2: low
    // and deepest 20 (90, −25% from 120), high 25 (110), then 15 and 28.
    const thinned = thinPoints(points, 10);
    expect(minutes(thinned)).toEqual([0, 1, 5, 8, 14, 15, 20, 25, 28, 29]);
    expect(thinned.map((p) => p.equity)).toEqual([100, 100, 120, 60, 100, 100, 90, 110, 100, 105]);
    expect(deepest(thinned)).toBe(-50);
    expect(deepest(points)).toBe(-50);
  });

  it('when the deepest drawdown is measured from a peak that is not its run highest then the peak is kept too', () => {
    // Run 1 (1–6): 85 100 50 200 190 195 — the drawdown at 50 is −50% from the peak 100 before
    // it, which is neither the run's lowest (50) nor highest (200): lowest, highest and deepest
    // alone would leave 50 measured from 85 (−41%). Run 2 (7–12): high 199 at 10, low and deepest
    // 185 at 11 (from 200 in run 1), then 7 and 12.
    const points = curve([80, 85, 100, 50, 200, 190, 195, 198, 197, 196, 199, 185, 190, 192]);
    const thinned = thinPoints(points, 10);
    expect(minutes(thinned)).toEqual([0, 1, 2, 3, 4, 7, 10, 11, 12, 13]);
    expect(deepest(thinned)).toBe(-50);
    expect(deepest(points)).toBe(-50);
  });

  it('for any curve: at most maxPoints, its own points in time order, first and last, lowest and highest equity and the maximum drawdown kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 10, max: 120 }),
        (equities, maxPoints) => {
          const points = curve(equities);
          const thinned = thinPoints(points, maxPoints);
          expect(thinned.length).toBeLessThanOrEqual(maxPoints);
          expect(thinned[0]).toBe(points[0]);
          expect(thinned.at(-1)).toBe(points.at(-1));
          for (let i = 1; i < thinned.length; i++)
            expect(thinned[i]!.time).toBeGreaterThan(thinned[i - 1]!.time);
          for (const p of thinned) expect(points[p.time / 60_000]).toBe(p);
          const values = thinned.map((p) => p.equity);
          expect(Math.min(...values)).toBe(Math.min(...equities));
          expect(Math.max(...values)).toBe(Math.max(...equities));
          expect(deepest(thinned)).toBe(deepest(points));
        },
      ),
    );
  });
});
