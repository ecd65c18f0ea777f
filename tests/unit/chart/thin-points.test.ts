import { describe, expect, it } from 'vitest';
import { thinPoints } from '../../../src/core/chart';

describe('thinPoints', () => {
  const ten = Array.from({ length: 10 }, (_, i) => i * 10);

  it('when the points fit then they come back untouched', () => {
    expect(thinPoints(ten, 10)).toBe(ten);
    expect(thinPoints([], 3)).toEqual([]);
  });

  it('when there are too many then evenly spaced ones come, the first and the last kept', () => {
    // Indices round(i·9/3) for i = 0..3: 0, 3, 6, 9.
    expect(thinPoints(ten, 4)).toEqual([0, 30, 60, 90]);
    // Indices round(i·9/4): 0, 2.25→2, 4.5→5, 6.75→7, 9.
    expect(thinPoints(ten, 5)).toEqual([0, 20, 50, 70, 90]);
    expect(thinPoints(ten, 1)).toEqual([90]);
  });
});
