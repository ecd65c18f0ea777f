import { describe, expect, it } from 'vitest';
import { PaperAccountConfigError, PaperExchange } from '../../../src/core/execution';
import { bar, flat, MINUTE, venue } from './paper-exchange-harness';

// Defaults throughout unless said: cash 10,000 USDT, taker fee 0.05% = 0.0005, slippage 2 bps = 0.0002.

describe('PaperExchange entries and rule exits', () => {
  it('fills an entry signalled on bar t at bar t+1 open plus slippage, charging the fee on notional', () => {
    const { ex, rec } = venue();
    expect(ex.onBar(flat(0, 99))).toBe(10_000);
    const submitted = ex.submit({
      type: 'entry',
      side: 'long',
      size: { kind: 'quantity', quantity: 1 },
    });
    expect(submitted.accepted).toBe(true);
    expect(rec.fills).toHaveLength(0); // nothing fills on the signal bar

    const equity1 = ex.onBar(bar(1, 100, 101.5, 99.5, 101));
    // buy pays up: 100 × (1 + 0.0002) = 100.02; fee = 100.02 × 1 × 0.0005 = 0.05001
    expect(rec.fills).toHaveLength(1);
    const entry = rec.fills[0]!;
    expect(entry).toMatchObject({
      side: 'buy',
      opensPosition: true,
      time: 1 * MINUTE,
      quantity: 1,
      reason: 'signal',
    });
    expect(entry.price).toBeCloseTo(100.02, 10);
    expect(entry.fee).toBeCloseTo(0.05001, 10);
    expect(ex.cash).toBeCloseTo(10_000 - 0.05001, 9);
    // marked at the close 101: cash + 1 × (101 − 100.02)
    expect(equity1).toBeCloseTo(10_000 - 0.05001 + 0.98, 9);

    ex.submit({ type: 'exit', reason: 'signal' });
    ex.onBar(bar(2, 102, 102.5, 101, 102));
    // sell receives less: 102 × (1 − 0.0002) = 101.9796; fee = 101.9796 × 0.0005 = 0.0509898
    const exit = rec.fills[1]!;
    expect(exit).toMatchObject({
      side: 'sell',
      opensPosition: false,
      time: 2 * MINUTE,
      reason: 'signal',
    });
    expect(exit.price).toBeCloseTo(101.9796, 10);
    expect(exit.fee).toBeCloseTo(0.0509898, 10);

    const trade = rec.trades[0]!;
    const gross = 101.9796 - 100.02; // 1.9596
    const fees = 0.05001 + 0.0509898;
    expect(trade).toMatchObject({
      side: 'long',
      quantity: 1,
      leverage: 1,
      entryTime: 1 * MINUTE,
      exitTime: 2 * MINUTE,
      entryReason: 'signal',
      exitReason: 'signal',
    });
    expect(trade.entryPrice).toBeCloseTo(100.02, 10);
    expect(trade.exitPrice).toBeCloseTo(101.9796, 10);
    expect(trade.grossPnl).toBeCloseTo(gross, 10);
    expect(trade.fee).toBeCloseTo(fees, 10);
    expect(trade.netPnl).toBeCloseTo(gross - fees, 10);
    expect(trade.margin).toBeCloseTo(100.02, 10); // leverage 1: margin = notional
    expect(trade.roiPct).toBeCloseTo(((gross - fees) / 100.02) * 100, 9);
    expect(ex.cash).toBeCloseTo(10_000 + gross - fees, 9);
    expect(ex.equity).toBe(ex.cash);
    expect(ex.positionSide).toBeNull();
  });

  it('sizes a cashFraction entry so that margin plus fee use exactly that share of cash', () => {
    const { ex, rec } = venue({ leverage: 10 });
    ex.onBar(flat(0, 100));
    ex.submit({ type: 'entry', side: 'long', size: { kind: 'cashFraction', fraction: 1 } });
    ex.onBar(flat(1, 100));
    // price 100.02; quantity = 10,000 / (100.02 × (1/10 + 0.0005)) = 10,000 / 10.06201
    const q = 10_000 / (100.02 * (0.1 + 0.0005));
    const fill = rec.fills[0]!;
    expect(fill.quantity).toBeCloseTo(q, 10);
    const margin = (q * 100.02) / 10;
    expect(margin + fill.fee).toBeCloseTo(10_000, 8);
    expect(ex.position()!.margin).toBeCloseTo(margin, 9);
  });

  it('shorts symmetrically: sells receive less on entry, buys pay up on exit', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit({ type: 'entry', side: 'short', size: { kind: 'quantity', quantity: 2 } });
    ex.onBar(bar(1, 100, 100, 97, 98));
    // entry: 100 × 0.9998 = 99.98; fee = 2 × 99.98 × 0.0005 = 0.09998
    expect(rec.fills[0]).toMatchObject({ side: 'sell', opensPosition: true });
    expect(rec.fills[0]!.price).toBeCloseTo(99.98, 10);
    expect(rec.fills[0]!.fee).toBeCloseTo(0.09998, 10);
    // equity at close 98: cash + (−1) × 2 × (98 − 99.98) = cash + 3.96
    expect(ex.equity).toBeCloseTo(10_000 - 0.09998 + 3.96, 9);
    ex.submit({ type: 'exit', reason: 'signal' });
    ex.onBar(flat(2, 95));
    // exit: 95 × 1.0002 = 95.019; fee = 2 × 95.019 × 0.0005 = 0.095019
    const t = rec.trades[0]!;
    expect(t.side).toBe('short');
    expect(t.exitPrice).toBeCloseTo(95.019, 10);
    expect(t.grossPnl).toBeCloseTo(2 * (99.98 - 95.019), 10); // 9.922
    expect(t.netPnl).toBeCloseTo(9.922 - 0.09998 - 0.095019, 9);
  });

  it('marks equity to market at every close and counts a bar as exposed when a position was open during it', () => {
    const { ex } = venue({ takerFeeRate: 0, slippageBps: 0 });
    ex.onBar(flat(0, 100));
    expect(ex.barExposed).toBe(false);
    ex.submit({ type: 'entry', side: 'long', size: { kind: 'quantity', quantity: 10 } });
    expect(ex.onBar(bar(1, 100, 103, 99, 102))).toBeCloseTo(10_000 + 10 * 2, 9);
    expect(ex.barExposed).toBe(true);
    expect(ex.onBar(bar(2, 102, 102, 96, 97))).toBeCloseTo(10_000 - 10 * 3, 9);
    ex.submit({ type: 'exit', reason: 'signal' });
    expect(ex.onBar(flat(3, 98))).toBeCloseTo(10_000 - 10 * 2, 9);
    expect(ex.barExposed).toBe(true); // held until this bar's open
    ex.onBar(flat(4, 98));
    expect(ex.barExposed).toBe(false);
  });

  it('refuses an entry it cannot fund, at the fill, with a reason', () => {
    const { ex, rec } = venue({ initialCash: 1_000 });
    ex.onBar(flat(0, 100));
    ex.submit({ type: 'entry', side: 'long', size: { kind: 'quantity', quantity: 10 } });
    ex.onBar(flat(1, 100)); // notional 1000.2 + fee > 1000
    expect(rec.fills).toHaveLength(0);
    expect(rec.rejections[0]).toMatchObject({ reason: 'insufficientFunds', time: 1 * MINUTE });
    expect(ex.positionSide).toBeNull();
    expect(ex.cash).toBe(1_000);
  });

  it('closes at once at a given market price on kill, dropping queued orders', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit({ type: 'entry', side: 'long', size: { kind: 'quantity', quantity: 1 } });
    ex.onBar(flat(1, 100)); // fill 100.02
    ex.submit({ type: 'exit', reason: 'signal' });
    const result = ex.closeNow({ price: 101, time: 1 * MINUTE + 30_000 }, 'kill');
    expect(result.accepted).toBe(true);
    expect(rec.rejections[0]).toMatchObject({ reason: 'cancelled' });
    // 101 × 0.9998 = 100.9798
    expect(rec.trades[0]).toMatchObject({ exitReason: 'kill', exitTime: 1 * MINUTE + 30_000 });
    expect(rec.trades[0]!.exitPrice).toBeCloseTo(100.9798, 10);
    expect(ex.equity).toBe(ex.cash);
    ex.onBar(flat(2, 100)); // the cancelled exit does not fill
    expect(rec.fills).toHaveLength(2);
  });
});

describe('PaperExchange input checks', () => {
  it('rejects a bar with NaN or inconsistent prices, or a time that does not advance', () => {
    const ex = new PaperExchange();
    expect(() => ex.onBar(bar(0, Number.NaN, 1, 1, 1))).toThrow(RangeError);
    expect(() => ex.onBar(bar(0, 100, 99, 98, 100))).toThrow(RangeError); // high below open
    ex.onBar(flat(1, 100));
    expect(() => ex.onBar(flat(1, 100))).toThrow(RangeError);
  });

  it('reports every invalid config setting at once', () => {
    let error: unknown;
    try {
      new PaperExchange({ initialCash: -1, takerFeeRate: Number.NaN, leverage: 0.5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaperAccountConfigError);
    expect((error as PaperAccountConfigError).issues.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a maintenance margin rate that would put a long liquidation above its entry', () => {
    expect(() => new PaperExchange({ leverage: 100, maintenanceMarginRate: 0.01 })).toThrow(
      /1 \/ leverage/,
    );
  });
});
