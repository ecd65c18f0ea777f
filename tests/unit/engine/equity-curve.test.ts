import { describe, expect, it } from 'vitest';
import { EquityCurve } from '../../../src/core/engine/equity-curve';

describe('EquityCurve', () => {
  it('keeps every point in order across growth and reservation', () => {
    const curve = new EquityCurve(2);
    const expected: Array<{ time: number; equity: number }> = [];
    const add = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const point = { time: expected.length * 60_000, equity: 10_000 + expected.length * 0.5 };
        expected.push(point);
        curve.push(point.time, point.equity);
      }
    };
    add(5); // grows 2 → 4 → 8
    curve.reserve(100); // room for 105 at once
    add(100);
    curve.reserve(1); // already room: nothing moves
    add(40); // past the reservation: grows again by doubling
    expect(curve.length).toBe(145);
    expect(curve.points()).toEqual(expected);
  });
});
