import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/core/execution';
import type { Candle } from '../../../src/shared/market';
import { venue } from './paper-exchange-harness';

/** One step: how the bar moves (in fractions of price) and what the strategy asks afterwards. */
const stepArb = fc.record({
  gap: fc.double({ min: -0.15, max: 0.15, noNaN: true }),
  up: fc.double({ min: 0, max: 0.1, noNaN: true }),
  down: fc.double({ min: 0, max: 0.1, noNaN: true }),
  close: fc.double({ min: 0, max: 1, noNaN: true }),
  action: fc.constantFrom('none', 'long', 'short', 'exit', 'exitPart', 'exitTooMuch'),
  stopRoi: fc.option(fc.double({ min: -60, max: -1, noNaN: true }), { nil: undefined }),
  targetRoi: fc.option(fc.double({ min: 1, max: 60, noNaN: true }), { nil: undefined }),
  trail: fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: undefined }),
  fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

type StepValue = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function orderFor(step: StepValue, quantityHint: number): OrderRequest | null {
  switch (step.action) {
    case 'long':
    case 'short':
      return {
        type: 'entry',
        side: step.action,
        size: { kind: 'cashFraction', fraction: step.fraction },
        ...(step.stopRoi !== undefined ? { stopLoss: { kind: 'roi', roiPct: step.stopRoi } } : {}),
        ...(step.targetRoi !== undefined
          ? { takeProfit: { kind: 'roi', roiPct: step.targetRoi } }
          : {}),
        ...(step.trail !== undefined
          ? { trailingStop: { kind: 'percent', percent: step.trail } }
          : {}),
      };
    case 'exit':
      return { type: 'exit', reason: 'signal' };
    case 'exitPart':
      return { type: 'exit', reason: 'signal', quantity: quantityHint / 3 };
    case 'exitTooMuch':
      return { type: 'exit', reason: 'signal', quantity: quantityHint * 2 };
    default:
      return null;
  }
}

describe('PaperExchange properties over random bars and orders', () => {
  it('keeps its books and never flips, enlarges or overdraws a position', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 10, 50),
        fc.array(stepArb, { minLength: 1, maxLength: 60 }),
        (leverage, steps) => {
          const { ex, rec } = venue({ leverage });
          let price = 100;
          steps.forEach((s, i) => {
            const open = price * (1 + s.gap);
            const high = open * (1 + s.up);
            const low = open * (1 - s.down);
            const close = low + (high - low) * s.close;
            price = close;
            const b: Candle = { time: i * 60_000, open, high, low, close, volume: 1 };
            const equity = ex.onBar(b);
            // Isolated margin: never below zero (up to float noise on a 10,000 USDT account).
            expect(equity).toBeGreaterThanOrEqual(-1e-6);
            if (ex.positionSide === null) expect(equity).toBe(ex.cash);
            const order = orderFor(s, ex.positionQuantity);
            if (order !== null) ex.submit(order);
          });
          const last = price;
          if (ex.positionSide !== null)
            ex.closeNow({ price: last, time: steps.length * 60_000 }, 'manual');

          // Books: every fee belongs to a closed trade, and cash moved by exactly their net P&L.
          const net = rec.trades.reduce((a, t) => a + t.netPnl, 0);
          expect(Math.abs(ex.cash - (10_000 + net))).toBeLessThan(1e-6);

          // Fills: an opening fill only when flat; reductions opposite in side and never above what is open.
          let openSide: string | null = null;
          let openQty = 0;
          for (const f of rec.fills) {
            if (f.opensPosition) {
              expect(openSide).toBeNull();
              openSide = f.side;
              openQty = f.quantity;
            } else {
              expect(openSide).not.toBeNull();
              expect(f.side).not.toBe(openSide);
              expect(f.quantity).toBeLessThanOrEqual(openQty * (1 + 1e-12));
              openQty -= f.quantity;
              if (openQty === 0) openSide = null; // the venue subtracts the same numbers in the same order
            }
          }

          // Liquidation costs the margin plus the entry fee (notional × fee = margin × leverage × fee).
          for (const t of rec.trades) {
            if (t.exitReason !== 'liquidation') continue;
            expect(t.netPnl).toBeCloseTo(-t.margin * (1 + leverage * 0.0005), 6);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
