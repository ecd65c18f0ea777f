import { describe, expect, it } from 'vitest';
import type { EntryOrderRequest, OrderRequest } from '../../../src/core/execution';
import { flat, FRICTIONLESS, venue } from './paper-exchange-harness';

const long10: EntryOrderRequest = {
  type: 'entry',
  side: 'long',
  size: { kind: 'quantity', quantity: 10 },
};

describe('PaperExchange reduce-only exits', () => {
  it('clips an exit larger than the position to the position, so it cannot flip it', () => {
    const { ex, rec } = venue(FRICTIONLESS);
    ex.onBar(flat(0, 100));
    ex.submit(long10);
    ex.onBar(flat(1, 100));
    const result = ex.submit({ type: 'exit', reason: 'signal', quantity: 15 });
    expect(result).toMatchObject({ accepted: true, clippedTo: 10 });
    ex.onBar(flat(2, 101));
    expect(rec.fills[1]).toMatchObject({ side: 'sell', quantity: 10, opensPosition: false });
    expect(ex.positionSide).toBeNull(); // flat, not short 5
    expect(ex.cash).toBeCloseTo(10_000 + 10, 9);
  });

  it('rejects an exit with no position with a reason, without throwing', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    const result = ex.submit({ type: 'exit', reason: 'signal' });
    expect(result.accepted).toBe(false);
    if (!result.accepted) expect(result.rejection).toMatchObject({ reason: 'noPosition', time: 0 });
    expect(rec.rejections).toHaveLength(1);
    ex.onBar(flat(1, 100));
    expect(rec.fills).toHaveLength(0);
  });

  it('reduces part of a position, charging that share of the entry fee and releasing that share of the margin', () => {
    const { ex, rec } = venue({ slippageBps: 0, leverage: 5 }); // fee 0.05%
    ex.onBar(flat(0, 100));
    ex.submit(long10); // notional 1000, margin 200, entry fee 0.5
    ex.onBar(flat(1, 100));
    ex.submit({ type: 'exit', reason: 'signal', quantity: 4 });
    ex.onBar(flat(2, 110));
    const part = rec.trades[0]!;
    // 4 of 10: gross 4 × 10 = 40, fees 0.5 × 0.4 + 4 × 110 × 0.0005 = 0.2 + 0.22, margin 200 × 0.4 = 80
    expect(part.quantity).toBe(4);
    expect(part.grossPnl).toBeCloseTo(40, 9);
    expect(part.fee).toBeCloseTo(0.42, 9);
    expect(part.margin).toBeCloseTo(80, 9);
    expect(ex.position()).toMatchObject({ side: 'long', quantity: 6 });
    expect(ex.position()!.margin).toBeCloseTo(120, 9);
    ex.submit({ type: 'exit', reason: 'signal' });
    ex.onBar(flat(3, 110));
    // the rest: gross 60, fees 0.3 + 6 × 110 × 0.0005 = 0.3 + 0.33
    expect(rec.trades[1]!.fee).toBeCloseTo(0.63, 9);
    expect(ex.cash).toBeCloseTo(10_000 + 100 - 0.5 - 0.22 - 0.33, 9);
  });

  it('refuses a second exit while one is waiting', () => {
    const { ex } = venue();
    ex.onBar(flat(0, 100));
    ex.submit(long10);
    ex.onBar(flat(1, 100));
    ex.submit({ type: 'exit', reason: 'signal', quantity: 1 });
    expect(ex.submit({ type: 'exit', reason: 'signal', quantity: 1 })).toMatchObject({
      accepted: false,
      rejection: { reason: 'exitPending' },
    });
  });
});

describe('PaperExchange: one position, no pyramiding', () => {
  it('rejects an entry while a position is open', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit(long10);
    ex.onBar(flat(1, 100));
    expect(ex.submit(long10)).toMatchObject({
      accepted: false,
      rejection: { reason: 'positionOpen' },
    });
    // nor can the opposite side reverse it in one go
    expect(ex.submit({ ...long10, side: 'short' })).toMatchObject({
      accepted: false,
      rejection: { reason: 'positionOpen' },
    });
    ex.onBar(flat(2, 100));
    expect(ex.position()!.quantity).toBe(10);
    expect(rec.fills).toHaveLength(1);
  });

  it('rejects a second entry while the first waits for its fill', () => {
    const { ex } = venue();
    ex.onBar(flat(0, 100));
    expect(ex.submit(long10).accepted).toBe(true);
    expect(ex.submit(long10)).toMatchObject({
      accepted: false,
      rejection: { reason: 'entryPending' },
    });
  });

  it('rejects an entry on the bar an exit was submitted (a reversal takes two bars)', () => {
    const { ex } = venue();
    ex.onBar(flat(0, 100));
    ex.submit(long10);
    ex.onBar(flat(1, 100));
    ex.submit({ type: 'exit', reason: 'signal' });
    expect(ex.submit({ ...long10, side: 'short' })).toMatchObject({
      accepted: false,
      rejection: { reason: 'positionOpen' },
    });
    ex.onBar(flat(2, 100));
    expect(ex.submit({ ...long10, side: 'short' }).accepted).toBe(true);
  });
});

describe('PaperExchange order validation', () => {
  const bad: Array<[string, OrderRequest]> = [
    [
      'NaN quantity',
      { type: 'entry', side: 'long', size: { kind: 'quantity', quantity: Number.NaN } },
    ],
    ['zero quantity', { type: 'entry', side: 'long', size: { kind: 'quantity', quantity: 0 } }],
    [
      'cash fraction above 1',
      { type: 'entry', side: 'long', size: { kind: 'cashFraction', fraction: 1.5 } },
    ],
    ['positive stop-loss ROI', { ...long10, stopLoss: { kind: 'roi', roiPct: 5 } }],
    ['negative take-profit ROI', { ...long10, takeProfit: { kind: 'roi', roiPct: -5 } }],
    [
      'infinite stop price',
      { ...long10, stopLoss: { kind: 'price', price: Number.POSITIVE_INFINITY } },
    ],
    ['zero trailing distance', { ...long10, trailingStop: { kind: 'percent', percent: 0 } }],
    [
      'short target at price 0',
      { ...long10, side: 'short', takeProfit: { kind: 'roi', roiPct: 100 } },
    ],
    ['NaN exit quantity', { type: 'exit', reason: 'signal', quantity: Number.NaN }],
  ];
  it.each(bad)('rejects %s as invalidOrder', (_name, request) => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    if (request.type === 'exit') {
      ex.submit(long10);
      ex.onBar(flat(1, 100));
    }
    const result = ex.submit(request);
    expect(result).toMatchObject({ accepted: false, rejection: { reason: 'invalidOrder' } });
    expect(rec.rejections.at(-1)!.reason).toBe('invalidOrder');
  });
});
