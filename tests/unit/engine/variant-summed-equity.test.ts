import { describe, expect, it } from 'vitest';
import { SummedEquity } from '../../../src/core/engine/variant-summed-equity';

describe('SummedEquity: the circuit breaker’s counted equities', () => {
  it('sums only counted slots, and none counted is null (not 0)', () => {
    const sum = new SummedEquity();
    const a = sum.add();
    const b = sum.add();
    const c = sum.add();
    expect(sum.total()).toBeNull();
    sum.set(a, 10_000);
    sum.set(c, 9_500.5);
    expect(sum.get(b)).toBeNull();
    expect(sum.total()).toBe(19_500.5); // 10,000 + 9,500.5; b not counted
    sum.set(a, null);
    expect(sum.get(a)).toBeNull();
    expect(sum.total()).toBe(9_500.5);
    sum.set(c, null);
    expect(sum.total()).toBeNull();
  });

  it('a bar’s mark replaces a counted equity and leaves an uncounted slot uncounted', () => {
    const sum = new SummedEquity();
    const a = sum.add();
    const b = sum.add();
    sum.set(a, 10_000);
    sum.mark(a, 10_250);
    sum.mark(b, 7_777);
    expect(sum.get(a)).toBe(10_250);
    expect(sum.get(b)).toBeNull();
    expect(sum.total()).toBe(10_250);
  });

  it('adds in slot order past its first capacity, as a left-to-right loop does', () => {
    const sum = new SummedEquity();
    // Values whose floating-point sum depends on the order: only the same order gives the same bits.
    const values = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1e16 : 1) * (1 + i / 7));
    const slots = values.map(() => sum.add());
    slots.forEach((slot, i) => {
      if (i % 5 !== 4) sum.set(slot, values[i] as number);
    });
    let expected = 0;
    values.forEach((v, i) => {
      if (i % 5 !== 4) expected += v;
    });
    expect(sum.total()).toBe(expected);
    expect(slots).toEqual(values.map((_, i) => i));
  });
});
