import { describe, expect, it } from 'vitest';
import { PaperExchange } from '../../../src/core/execution';
import { MetricsTracker, SINGLE_TRIAL } from '../../../src/core/metrics';
import type { Candle } from '../../../src/shared/market';

const bar = (i: number, o: number, h: number, l: number, c: number): Candle => ({
  time: i * 60_000,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: 1,
});

describe('paper exchange feeding a metrics tracker (the wiring the engine will use)', () => {
  it('reports what the account did: ROI from equity, trades from closed trades, exposure from bars', () => {
    const ex = new PaperExchange({ takerFeeRate: 0, slippageBps: 0 });
    const tracker = new MetricsTracker({ timeframe: '1m', initialEquity: ex.config.initialCash });
    ex.subscribe({ onTradeClosed: (t) => tracker.onTradeClosed(t.netPnl) });
    const step = (b: Candle): void => tracker.onBar(b.time, ex.onBar(b), ex.barExposed);

    step(bar(0, 100, 100, 100, 100));
    ex.submit({ type: 'entry', side: 'long', size: { kind: 'quantity', quantity: 10 } });
    step(bar(1, 100, 106, 99, 105)); // fills at 100; equity 10,050
    ex.submit({ type: 'exit', reason: 'signal' });
    step(bar(2, 104, 104, 103, 103)); // exits at 104: +40; equity 10,040
    ex.submit({
      type: 'entry',
      side: 'short',
      size: { kind: 'quantity', quantity: 10 },
      stopLoss: { kind: 'price', price: 106 },
    });
    step(bar(3, 103, 107, 102, 106)); // sells at 103, stopped at 106: −30; equity 10,010
    step(bar(4, 106, 106, 106, 106));

    const s = tracker.snapshot(SINGLE_TRIAL);
    expect(s.equity).toBeCloseTo(10_010, 9);
    expect(s.roiPct).toBeCloseTo(0.1, 9); // 10 / 10,000 × 100
    expect(s.tradeCount).toBe(2);
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBeCloseTo(40 / 30, 12);
    expect(s.exposure).toBe(3 / 5); // bars 1, 2 (held until its open) and 3
    // peak 10,050 at bar 1, trough 10,010 at bar 3
    expect(s.maxDrawdown).toBeCloseTo(40 / 10_050, 12);
  });
});
