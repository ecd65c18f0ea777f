import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignEquityCurves,
  drawdownPercents,
  thinEquityCurve,
  type EquityPoint,
} from '../../../src/shared/equity-thinning';

const curve = (equities: readonly number[]): EquityPoint[] =>
  equities.map((equity, i) => ({ time: 1_000 * 60 * i, equity }));

describe('thinEquityCurve', () => {
  it('when the curve is short enough then every point comes back, with its drawdown', () => {
    // Peaks 100, 110, 110, 110, 120: drawdowns 0, 0, −10/110, −22/110, 0 (percent).
    const points = curve([100, 110, 99, 88, 120]);
    const drawn = thinEquityCurve(points, 1);
    expect(drawn.map((p) => p.equity)).toEqual([100, 110, 99, 88, 120]);
    expect(drawn.map((p) => p.time)).toEqual(points.map((p) => p.time));
    const dd = drawn.map((p) => p.drawdownPct);
    expect(dd[0]).toBe(0);
    expect(dd[1]).toBe(0);
    expect(dd[2]).toBeCloseTo(-10, 12);
    expect(dd[3]).toBeCloseTo(-20, 12);
    expect(dd[4]).toBe(0);
  });

  it('when it is thinned then each bucket keeps its lowest, highest and deepest-drawdown point in time order, and the first and last', () => {
    // 2 + 2 buckets × 4 points: first 100 | 104 97 102 101 | 130 125 118 126 | last 111.
    // Bucket 1 (indices 1–4): high 104 at 1, low 97 at 2 (also its deepest drawdown, −6.7%):
    // one short, so its first index (1, already in) then its last (4, 101) make up three.
    // Bucket 2 (indices 5–8): high 130 at 5, low 118 at 7 (deepest too, −9.2%), then 8 (126).
    const points = curve([100, 104, 97, 102, 101, 130, 125, 118, 126, 111]);
    const drawn = thinEquityCurve(points, 2);
    expect(drawn.map((p) => p.equity)).toEqual([100, 104, 97, 101, 130, 118, 126, 111]);
    expect(drawn.map((p) => p.time / 60_000)).toEqual([0, 1, 2, 4, 5, 7, 8, 9]);
  });

  it('when the deepest drawdown is not at the lowest equity then it is kept as well', () => {
    // Bucket 1 (1–4): 90 low at 1 (drawdown −10%), 150 high at 2 (a new peak), 120 at 3 is
    // the deepest drawdown (−20%) though not the lowest equity; 140 at 4 is left out.
    // Bucket 2 (5–8): 149 148 147 146 — high 149 at 5, low 146 at 8 (deepest too), then 6.
    const points = curve([100, 90, 150, 120, 140, 149, 148, 147, 146, 145]);
    const drawn = thinEquityCurve(points, 2);
    expect(drawn.map((p) => p.equity)).toEqual([100, 90, 150, 120, 149, 148, 146, 145]);
    const lowest = Math.min(...drawn.map((p) => p.drawdownPct));
    expect(lowest).toBeCloseTo(-20, 12);
  });

  it('when a stretch is flat then its buckets still keep three points each, so the time axis stays even', () => {
    const points = curve(Array.from({ length: 62 }, () => 1_000));
    const drawn = thinEquityCurve(points, 10);
    expect(drawn).toHaveLength(32);
    expect(drawn[0]).toEqual({ ...points[0], drawdownPct: 0 });
    expect(drawn.at(-1)).toEqual({ ...points.at(-1), drawdownPct: 0 });
  });

  it('when buckets is not a positive integer then it refuses, naming the value', () => {
    expect(() => thinEquityCurve(curve([1, 2]), 0)).toThrow(
      /buckets must be a positive integer, got 0/,
    );
    expect(() => thinEquityCurve(curve([1, 2]), 1.5)).toThrow(/got 1\.5/);
  });

  it('for any curve: the first and last points kept, 3 per bucket, times rising, every bucket extreme and the maximum drawdown of the whole curve kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 60 }),
        (equities, buckets) => {
          const points = curve(equities);
          const drawn = thinEquityCurve(points, buckets);
          const n = points.length;
          const full = drawdownPercents(points);
          expect(drawn[0]!.time).toBe(points[0]!.time);
          expect(drawn.at(-1)!.time).toBe(points.at(-1)!.time);
          expect(drawn).toHaveLength(n <= 3 * buckets + 2 ? n : 3 * buckets + 2);
          for (let i = 1; i < drawn.length; i++)
            expect(drawn[i]!.time).toBeGreaterThan(drawn[i - 1]!.time);
          // Each drawn point is a point of the curve, with the whole curve's drawdown there.
          for (const p of drawn) {
            const i = p.time / 60_000;
            expect(p.equity).toBe(points[i]!.equity);
            expect(p.drawdownPct).toBe(full[i]);
          }
          // The drawn line spans the curve's whole range and its deepest drawdown.
          const values = drawn.map((p) => p.equity);
          expect(Math.min(...values)).toBe(Math.min(...equities));
          expect(Math.max(...values)).toBe(Math.max(...equities));
          expect(Math.min(...drawn.map((p) => p.drawdownPct))).toBe(Math.min(...full));
        },
      ),
    );
  });
});

describe('drawdownPercents', () => {
  it('is the fall below the running peak in percent, a peak of 0 meaning none', () => {
    expect(drawdownPercents(curve([50, 100, 75, 100, 25]))).toEqual([0, 0, -25, 0, -75]);
    expect(drawdownPercents(curve([0, 0]))).toEqual([0, 0]);
  });
});

const at = (seconds: readonly number[], equities: readonly number[]): EquityPoint[] =>
  seconds.map((s, i) => ({ time: s * 1000, equity: equities[i]! }));
const seconds = (points: readonly EquityPoint[]): number[] => points.map((p) => p.time / 1000);

describe('alignEquityCurves', () => {
  it('when the curves share one even grid that fits then they come back whole', () => {
    const a = at([0, 60, 120, 180], [100, 101, 99, 102]);
    const b = at([120, 180, 240], [50, 49, 51]);
    const aligned = alignEquityCurves([a, b], 8, 4);
    expect(seconds(aligned.times.map((time) => ({ time, equity: 0 })))).toEqual([
      0, 60, 120, 180, 240,
    ]);
    expect(aligned.curves[0]).toBe(a);
    expect(aligned.curves[1]).toBe(b);
  });

  it('when they are too many for the slots then both go onto one even grid from the first time to the last, each keeping its extremes per bucket', () => {
    // A: 9 points a minute apart over 0–480 s; B: 3 points over 240–480 s. 8 slots over 480 s:
    // round(j·480/7) = 0 69 137 206 274 343 411 480 s, buckets of 4: slots 0–3 and 4–7.
    // A's slots round(t/480·7): 0 1 2 3 | 4 4 5 6 7. Bucket 1 keeps all 4 of its points; bucket
    // 2 (5 points) keeps its last (115), low and deepest 80 (−33% from 120), high 130, then its
    // first (105): slots 4 4 5 7 pushed apart to 4 5 6 7. 125 at 420 s is left out.
    const a = at(
      [0, 60, 120, 180, 240, 300, 360, 420, 480],
      [100, 90, 120, 110, 105, 80, 130, 125, 115],
    );
    // B's slots: 4 5 7, all in bucket 2, which has room for them all.
    const b = at([240, 360, 480], [50, 60, 55]);
    const aligned = alignEquityCurves([a, b], 8, 4);
    expect(aligned.times.map((t) => t / 1000)).toEqual([0, 69, 137, 206, 274, 343, 411, 480]);
    expect(seconds(aligned.curves[0]!)).toEqual([0, 69, 137, 206, 274, 343, 411, 480]);
    expect(aligned.curves[0]!.map((p) => p.equity)).toEqual([100, 90, 120, 110, 105, 80, 130, 115]);
    expect(seconds(aligned.curves[1]!)).toEqual([274, 343, 480]);
    expect(aligned.curves[1]!.map((p) => p.equity)).toEqual([50, 60, 55]);
  });

  it('when slots or perBucket are not usable then it refuses, naming the value', () => {
    expect(() => alignEquityCurves([], 0, 4)).toThrow(/slots must be a positive integer, got 0/);
    expect(() => alignEquityCurves([], 8, 1)).toThrow(
      /perBucket must be an integer of at least 2, got 1/,
    );
  });

  it('for any curves on any minute grids: one rising axis from the earliest time to the latest, every curve on it in time order with its first, last, lowest and highest equity, and no point moved by more than a bucket', () => {
    const grid = fc.record({
      start: fc.integer({ min: 0, max: 5_000 }),
      step: fc.integer({ min: 1, max: 15 }),
      equities: fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), {
        minLength: 1,
        maxLength: 300,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(grid, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: 60 }),
        (grids, buckets) => {
          const curves = grids.map((g) =>
            g.equities.map((equity, i) => ({ time: (g.start + i * g.step) * 60_000, equity })),
          );
          const aligned = alignEquityCurves(curves, buckets * 4, 4);
          const { times } = aligned;
          expect(times[0]).toBe(Math.min(...curves.map((c) => c[0]!.time)));
          expect(times.at(-1)).toBe(Math.max(...curves.map((c) => c.at(-1)!.time)));
          for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
          const slotWidth = (times.at(-1)! - times[0]!) / Math.max(1, times.length - 1);
          const onAxis = new Set(times);
          curves.forEach((points, c) => {
            const drawn = aligned.curves[c]!;
            for (let i = 1; i < drawn.length; i++)
              expect(drawn[i]!.time).toBeGreaterThan(drawn[i - 1]!.time);
            for (const p of drawn) expect(onAxis.has(p.time)).toBe(true);
            expect(drawn[0]!.equity).toBe(points[0]!.equity);
            expect(drawn.at(-1)!.equity).toBe(points.at(-1)!.equity);
            const values = drawn.map((p) => p.equity);
            expect(Math.min(...values)).toBe(Math.min(...points.map((p) => p.equity)));
            expect(Math.max(...values)).toBe(Math.max(...points.map((p) => p.equity)));
            // First and last moved by less than a bucket (4 slots) from their own times.
            expect(Math.abs(drawn[0]!.time - points[0]!.time)).toBeLessThan(4 * slotWidth + 1000);
            expect(Math.abs(drawn.at(-1)!.time - points.at(-1)!.time)).toBeLessThan(
              4 * slotWidth + 1000,
            );
          });
          // Never more than the slots asked for (or the union, when drawn whole).
          expect(times.length).toBeLessThanOrEqual(
            Math.max(buckets * 4, new Set(curves.flat().map((p) => p.time)).size),
          );
        },
      ),
    );
  });
});
