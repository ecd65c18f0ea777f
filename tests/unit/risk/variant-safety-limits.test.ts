import { describe, expect, it } from 'vitest';
import { VariantSafetyLimits } from '../../../src/core/risk';

const defaults = { maxLossPct: 5, maxDrawdownPct: 10 };

describe('VariantSafetyLimits: loss from the starting equity', () => {
  it('holds at a 4.99% loss and breaches at exactly 5.0%', () => {
    const limits = new VariantSafetyLimits(defaults, 10_000);
    expect(limits.onEquity(9_501)).toBeNull(); // 4.99%
    expect(limits.breach).toBeNull();
    const breach = limits.onEquity(9_500); // (10,000 − 9,500) / 10,000 = 5.0%
    expect(breach).toEqual({
      limit: 'maxLoss',
      valuePct: 5,
      limitPct: 5,
      message: 'loss 5% reached the 5% limit',
    });
    expect(limits.breach).toBe(breach);
  });

  it('breaches at 5% for amounts whose percentage lands a hair below 5 in binary', () => {
    // (1,234.56 − 1,172.832) / 1,234.56 × 100 = 4.999999999999995 in doubles; it is 5%.
    const limits = new VariantSafetyLimits(defaults, 1_234.56);
    expect(((1_234.56 - 1_172.832) / 1_234.56) * 100).toBeLessThan(5);
    expect(limits.onEquity(1_172.832)?.limit).toBe('maxLoss');
  });

  it('words the breach with the measured value', () => {
    const limits = new VariantSafetyLimits(defaults, 10_000);
    expect(limits.onEquity(9_480)?.message).toBe('loss 5.2% reached the 5% limit');
  });

  it('stays breached: later marks, even recoveries, return the same first breach', () => {
    const limits = new VariantSafetyLimits(defaults, 10_000);
    const first = limits.onEquity(9_400);
    expect(first?.valuePct).toBeCloseTo(6, 12);
    expect(limits.onEquity(12_000)).toBe(first);
    expect(limits.onEquity(5_000)).toBe(first);
    expect(limits.peak).toBe(10_000);
  });
});

describe('VariantSafetyLimits: drawdown from the running peak', () => {
  it('measures from a new peak, not from the start', () => {
    const limits = new VariantSafetyLimits(defaults, 10_000);
    expect(limits.onEquity(11_000)).toBeNull(); // new peak
    expect(limits.onEquity(10_000)).toBeNull(); // 9.09% below 11,000; no loss
    expect(limits.onEquity(9_901)).toBeNull(); // 9.99% below the peak
    const breach = limits.onEquity(9_900); // (11,000 − 9,900) / 11,000 = 10%
    expect(breach?.limit).toBe('maxDrawdown');
    expect(breach?.valuePct).toBeCloseTo(10, 12);
    expect(breach?.message).toBe('drawdown 10% from the peak of 11,000 reached the 10% limit');
  });

  it('counts the starting equity as the first peak', () => {
    const limits = new VariantSafetyLimits({ maxLossPct: 50, maxDrawdownPct: 3 }, 10_000);
    expect(limits.onEquity(9_701)).toBeNull();
    expect(limits.onEquity(9_700)?.limit).toBe('maxDrawdown');
  });

  it('reports the loss when one mark reaches both limits', () => {
    const limits = new VariantSafetyLimits({ maxLossPct: 5, maxDrawdownPct: 5 }, 10_000);
    expect(limits.onEquity(9_000)?.limit).toBe('maxLoss');
  });
});

describe('VariantSafetyLimits: checkpoint, restore and bad input', () => {
  it('resumes from a checkpoint with the same peak and breach', () => {
    const a = new VariantSafetyLimits(defaults, 10_000);
    a.onEquity(12_000);
    const b = new VariantSafetyLimits(defaults, 10_000);
    b.restore(a.checkpoint());
    expect(b.peak).toBe(12_000);
    expect(b.onEquity(10_801)).toBeNull(); // 9.99% below 12,000
    expect(b.onEquity(10_800)?.limit).toBe('maxDrawdown');
    const c = new VariantSafetyLimits(defaults, 10_000);
    c.restore(b.checkpoint());
    expect(c.breach?.limit).toBe('maxDrawdown');
    expect(c.onEquity(20_000)?.limit).toBe('maxDrawdown');
  });

  it('refuses bad limits, equity and checkpoints with the field named', () => {
    expect(() => new VariantSafetyLimits({ maxLossPct: 0, maxDrawdownPct: 10 }, 1)).toThrow(
      /maxLossPct/,
    );
    expect(() => new VariantSafetyLimits({ maxLossPct: 5, maxDrawdownPct: 101 }, 1)).toThrow(
      /maxDrawdownPct/,
    );
    expect(() => new VariantSafetyLimits(defaults, 0)).toThrow(/initial equity/);
    const limits = new VariantSafetyLimits(defaults, 10_000);
    expect(() => limits.onEquity(Number.NaN)).toThrow(/equity must be a finite number/);
    expect(() => limits.restore({ peak: 9_000, breach: null })).toThrow(/peak/);
    const garbled = JSON.parse('{"peak":10000,"breach":{"limit":"maxLoss"}}') as never;
    expect(() => limits.restore(garbled)).toThrow(/checkpoint breach/);
  });
});
