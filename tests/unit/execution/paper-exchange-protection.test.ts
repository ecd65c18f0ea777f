import { describe, expect, it } from 'vitest';
import { liquidationPrice, priceAtRoi, type EntryOrderRequest } from '../../../src/core/execution';
import { bar, flat, FRICTIONLESS, MINUTE, venue } from './paper-exchange-harness';

const long10: EntryOrderRequest = {
  type: 'entry',
  side: 'long',
  size: { kind: 'quantity', quantity: 10 },
};
const short10: EntryOrderRequest = {
  type: 'entry',
  side: 'short',
  size: { kind: 'quantity', quantity: 10 },
};

describe('PaperExchange stop-loss and take-profit', () => {
  it('fills a stop at the open, not at the stop, when the bar gaps through it', () => {
    const { ex, rec } = venue(); // slippage 2 bps, fee 0.05%
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, stopLoss: { kind: 'price', price: 95 } });
    ex.onBar(bar(1, 100, 101, 99, 100)); // fill at 100.02
    ex.onBar(bar(2, 90, 92, 89, 91)); // opens below 95
    // stop-market sell at the open: 90 × (1 − 0.0002) = 89.982, not 95
    const t = rec.trades[0]!;
    expect(t.exitReason).toBe('stopLoss');
    expect(t.exitPrice).toBeCloseTo(89.982, 10);
    expect(t.exitTime).toBe(2 * MINUTE);
    expect(t.grossPnl).toBeCloseTo(10 * (89.982 - 100.02), 9);
  });

  it('fills the stop first when stop and target are both inside one bar', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit({
      ...long10,
      stopLoss: { kind: 'price', price: 95 },
      takeProfit: { kind: 'price', price: 110 },
    });
    ex.onBar(bar(1, 100, 101, 99, 100));
    ex.onBar(bar(2, 100, 111, 94, 105)); // reaches both 95 and 110
    // stop: 95 × 0.9998 = 94.981
    expect(rec.trades).toHaveLength(1);
    expect(rec.trades[0]!.exitReason).toBe('stopLoss');
    expect(rec.trades[0]!.exitPrice).toBeCloseTo(94.981, 10);
  });

  it('fills a take-profit at its level without slippage, and at the open when the bar opens beyond it', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, takeProfit: { kind: 'price', price: 110 } });
    ex.onBar(bar(1, 100, 105, 99, 104));
    ex.onBar(bar(2, 104, 112, 103, 111)); // high reaches 110
    expect(rec.trades[0]).toMatchObject({ exitReason: 'takeProfit', exitPrice: 110 });
    // fee on the limit fill is still the taker fee: 110 × 10 × 0.0005 = 0.55
    expect(rec.fills[1]!.fee).toBeCloseTo(0.55, 10);

    ex.submit({ ...long10, takeProfit: { kind: 'price', price: 115 } });
    ex.onBar(bar(3, 111, 112, 110, 111)); // fill at 111 × 1.0002 = 111.0222
    ex.onBar(bar(4, 120, 121, 119, 120)); // opens above 115: a resting limit fills at the better open
    expect(rec.trades[1]).toMatchObject({ exitReason: 'takeProfit', exitPrice: 120 });
  });

  it('checks the fill bar itself after its open', () => {
    const { ex, rec } = venue(FRICTIONLESS);
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, stopLoss: { kind: 'price', price: 98 } });
    ex.onBar(bar(1, 100, 100.5, 97, 99)); // enters at 100, low 97 reaches the stop at 98
    expect(rec.trades[0]).toMatchObject({
      exitReason: 'stopLoss',
      entryTime: MINUTE,
      exitTime: MINUTE,
      exitPrice: 98,
    });
    expect(ex.cash).toBeCloseTo(10_000 - 10 * 2, 9);
  });

  it('turns ROI stops into prices on margin: with leverage 10, ROI −5% / +10% are −0.5% / +1% of price', () => {
    const { ex, rec } = venue({ ...FRICTIONLESS, leverage: 10 });
    ex.onBar(flat(0, 200));
    ex.submit({
      ...long10,
      stopLoss: { kind: 'roi', roiPct: -5 },
      takeProfit: { kind: 'roi', roiPct: 10 },
    });
    ex.onBar(flat(1, 200));
    // stop = 200 × (1 − 0.05/10) = 199; target = 200 × (1 + 0.10/10) = 202
    expect(ex.position()!.stopLoss).toBeCloseTo(199, 10);
    expect(ex.position()!.takeProfit).toBeCloseTo(202, 10);
    ex.onBar(bar(2, 200, 200.5, 198.5, 199.5));
    // loss = 10 × (199 − 200) = −10 on a margin of 10 × 200 / 10 = 200: ROI −5% indeed
    expect(rec.trades[0]!.netPnl).toBeCloseTo(-10, 9);
    expect(rec.trades[0]!.roiPct).toBeCloseTo(-5, 9);

    // short: stop above, target below
    expect(priceAtRoi('short', 200, 10, -5)).toBeCloseTo(201, 10);
    expect(priceAtRoi('short', 200, 10, 10)).toBeCloseTo(198, 10);
  });

  it('mirrors stops for a short: stop above, gap up fills at the open plus slippage, stop before target', () => {
    const { ex, rec } = venue();
    ex.onBar(flat(0, 100));
    ex.submit({
      ...short10,
      stopLoss: { kind: 'price', price: 105 },
      takeProfit: { kind: 'price', price: 90 },
    });
    ex.onBar(bar(1, 100, 101, 99, 100)); // sells at 99.98
    ex.onBar(bar(2, 100, 106, 89, 95)); // both inside: stop first, buy at 105 × 1.0002 = 105.021
    expect(rec.trades[0]!.exitReason).toBe('stopLoss');
    expect(rec.trades[0]!.exitPrice).toBeCloseTo(105.021, 10);
    expect(rec.trades[0]!.grossPnl).toBeCloseTo(-10 * (105.021 - 99.98), 9);

    ex.submit({ ...short10, stopLoss: { kind: 'price', price: 100 } });
    ex.onBar(bar(3, 95, 96, 94, 95)); // sells at 95 × 0.9998 = 94.981
    ex.onBar(bar(4, 103, 104, 102, 103)); // gaps above 100: buys at 103 × 1.0002 = 103.0206
    expect(rec.trades[1]!.exitPrice).toBeCloseTo(103.0206, 10);

    ex.submit({ ...short10, takeProfit: { kind: 'price', price: 95 } });
    ex.onBar(bar(5, 103, 103, 100, 101));
    ex.onBar(bar(6, 101, 101.5, 94, 96)); // low reaches 95
    expect(rec.trades[2]).toMatchObject({ exitReason: 'takeProfit', exitPrice: 95 });
  });

  it('refuses a price-level stop on the wrong side of the fill', () => {
    const { ex, rec } = venue(FRICTIONLESS);
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, stopLoss: { kind: 'price', price: 101 } });
    ex.onBar(flat(1, 100));
    expect(rec.rejections[0]).toMatchObject({ reason: 'invalidProtection' });
    expect(ex.positionSide).toBeNull();
  });
});

describe('PaperExchange trailing stop', () => {
  it('moves once per closed bar from that bar’s extreme and is checked against the following bars', () => {
    const { ex, rec } = venue({ takerFeeRate: 0 }); // keep slippage: the trailing stop is a stop-market order
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, trailingStop: { kind: 'percent', percent: 2 } });
    // Fill at 100 × 1.0002 = 100.02, trail starts at 100.02 × 0.98 = 98.0196.
    // The fill bar's high 105 moves it at the close to 105 × 0.98 = 102.9.
    ex.onBar(bar(1, 100, 105, 99, 104));
    expect(ex.position()!.trailingStop).toBeCloseTo(102.9, 10);
    // Bar 2 dips to 103 (above 102.9: no hit) and runs to 110. Had the stop moved inside the bar
    // (to 107.8) the dip would not have hit it either; the point is the level only moves at the close.
    ex.onBar(bar(2, 104, 110, 103, 109));
    expect(rec.trades).toHaveLength(0);
    expect(ex.position()!.trailingStop).toBeCloseTo(107.8, 10); // 110 × 0.98
    // Bar 3 reaches 108 then falls to 107: hits 107.8, sells at 107.8 × 0.9998 = 107.77844.
    ex.onBar(bar(3, 109, 109.5, 107, 107.5));
    expect(rec.trades[0]!.exitReason).toBe('trailingStop');
    expect(rec.trades[0]!.exitPrice).toBeCloseTo(107.77844, 10);
  });

  it('does not let a bar stop itself out on the level its own high set', () => {
    const { ex, rec } = venue(FRICTIONLESS);
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, trailingStop: { kind: 'percent', percent: 1 } });
    ex.onBar(flat(1, 100)); // trail 99
    ex.onBar(bar(2, 100, 110, 99.5, 100)); // high 110 would imply 108.9, the low 99.5 is above 99: still open
    expect(rec.trades).toHaveLength(0);
    expect(ex.position()!.trailingStop).toBeCloseTo(108.9, 10);
    ex.onBar(bar(3, 100, 100, 99, 99.5)); // opens below 108.9: gap rule, fills at the open
    expect(rec.trades[0]).toMatchObject({ exitReason: 'trailingStop', exitPrice: 100 });
  });

  it('trails a short from the bar lows and reports trailingStop only when it is tighter than the stop-loss', () => {
    const { ex, rec } = venue({ ...FRICTIONLESS, leverage: 10 });
    const trailing = { kind: 'roi', roiPct: -20 } as const; // |−20| / leverage 10 = 2% of price
    ex.onBar(flat(0, 100));
    ex.submit({ ...short10, stopLoss: { kind: 'price', price: 101.5 }, trailingStop: trailing });
    // fill at 100: trail starts at 100 × 1.02 = 102, looser than the stop-loss 101.5
    ex.onBar(bar(1, 100, 101.8, 99.5, 101));
    expect(rec.trades[0]).toMatchObject({ exitReason: 'stopLoss', exitPrice: 101.5 });

    ex.submit({ ...short10, stopLoss: { kind: 'price', price: 101.5 }, trailingStop: trailing });
    ex.onBar(bar(2, 100, 100, 97, 98)); // fill at 100; at the close the trail moves to 97 × 1.02 = 98.94
    expect(ex.position()!.trailingStop).toBeCloseTo(98.94, 10);
    ex.onBar(bar(3, 98, 99, 97.5, 98.5)); // high 99 reaches 98.94, now tighter than 101.5
    expect(rec.trades[1]!.exitReason).toBe('trailingStop');
    expect(rec.trades[1]!.exitPrice).toBeCloseTo(98.94, 10);
    expect(rec.trades[1]!.grossPnl).toBeCloseTo(-10 * (98.94 - 100), 9);
  });
});

describe('PaperExchange liquidation (isolated margin)', () => {
  it('liquidates a long at entry × (1 − 1/leverage + mmr) and the account loses exactly the margin (plus the entry fee)', () => {
    const { ex, rec } = venue({ slippageBps: 0, leverage: 10 }); // fee 0.05%, mmr 0.5%
    ex.onBar(flat(0, 100));
    ex.submit(long10);
    ex.onBar(flat(1, 100));
    // notional 1000, margin 1000 / 10 = 100, entry fee 1000 × 0.0005 = 0.5
    // liquidation price = 100 × (1 − 0.1 + 0.005) = 90.5
    expect(ex.position()!.liquidationPrice).toBeCloseTo(90.5, 10);
    expect(liquidationPrice('long', 100, 10, 0.005)).toBeCloseTo(90.5, 10);
    ex.onBar(bar(2, 95, 96, 90, 91));
    const t = rec.trades[0]!;
    expect(t.exitReason).toBe('liquidation');
    expect(t.exitPrice).toBeCloseTo(90.5, 10);
    // gross = 10 × (90.5 − 100) = −95; the remaining maintenance margin 0.005 × 1000 = 5 is seized
    expect(t.grossPnl).toBeCloseTo(-95, 9);
    expect(rec.fills[1]!.fee).toBeCloseTo(5, 9);
    expect(t.fee).toBeCloseTo(0.5 + 5, 9);
    expect(t.netPnl).toBeCloseTo(-100.5, 9); // −margin − entry fee
    expect(t.roiPct).toBeCloseTo(-100.5, 9);
    expect(ex.cash).toBeCloseTo(10_000 - 100 - 0.5, 9);
    expect(ex.equity).toBeCloseTo(10_000 - 100.5, 9);
  });

  it('liquidates a short at entry × (1 + 1/leverage − mmr), symmetric', () => {
    const { ex, rec } = venue({ slippageBps: 0, leverage: 10 });
    ex.onBar(flat(0, 100));
    ex.submit(short10);
    ex.onBar(flat(1, 100));
    // liquidation price = 100 × (1 + 0.1 − 0.005) = 109.5
    ex.onBar(bar(2, 105, 110, 104, 109));
    const t = rec.trades[0]!;
    expect(t.exitReason).toBe('liquidation');
    expect(t.exitPrice).toBeCloseTo(109.5, 10);
    expect(t.grossPnl).toBeCloseTo(-95, 9); // −10 × (109.5 − 100)
    expect(t.netPnl).toBeCloseTo(-100.5, 9);
    expect(ex.cash).toBeCloseTo(10_000 - 100.5, 9);
  });

  it('liquidates at the liquidation price even when the bar opens beyond it (the loss stays capped at the margin)', () => {
    const { ex, rec } = venue({ slippageBps: 0, leverage: 10 });
    ex.onBar(flat(0, 100));
    ex.submit({ ...long10, stopLoss: { kind: 'price', price: 95 } });
    ex.onBar(flat(1, 100));
    ex.onBar(bar(2, 80, 82, 79, 81)); // opens below both the stop (95) and the liquidation (90.5)
    expect(rec.trades[0]).toMatchObject({ exitReason: 'liquidation' });
    expect(rec.trades[0]!.netPnl).toBeCloseTo(-100.5, 9);
  });

  it('liquidates a short whose queued exit meets a gap beyond the liquidation price (found by the property test)', () => {
    const { ex, rec } = venue({ slippageBps: 0, leverage: 10 });
    ex.onBar(flat(0, 100));
    ex.submit(short10);
    ex.onBar(flat(1, 100));
    ex.submit({ type: 'exit', reason: 'signal' }); // would fill at the next open
    ex.onBar(bar(2, 115, 116, 114, 115)); // opens at 115, beyond the liquidation price 109.5
    // Without the check the exit would fill at 115: gross −150 on a 100 margin.
    expect(rec.trades).toHaveLength(1);
    expect(rec.trades[0]).toMatchObject({ exitReason: 'liquidation' });
    expect(rec.trades[0]!.exitPrice).toBeCloseTo(109.5, 10);
    expect(rec.trades[0]!.netPnl).toBeCloseTo(-100.5, 9);
    expect(rec.rejections.at(-1)).toMatchObject({ reason: 'noPosition' });
    expect(ex.equity).toBeCloseTo(10_000 - 100.5, 9);
  });

  it('fills a stop placed before the liquidation price as a stop, and liquidates when the stop lies beyond it', () => {
    const a = venue({ slippageBps: 0, leverage: 10 });
    a.ex.onBar(flat(0, 100));
    a.ex.submit({ ...long10, stopLoss: { kind: 'price', price: 92 } });
    a.ex.onBar(flat(1, 100));
    a.ex.onBar(bar(2, 99, 99, 85, 86)); // falls through 92 first, then 90.5
    expect(a.rec.trades[0]).toMatchObject({ exitReason: 'stopLoss', exitPrice: 92 });

    const b = venue({ slippageBps: 0, leverage: 10 });
    b.ex.onBar(flat(0, 100));
    b.ex.submit({ ...long10, stopLoss: { kind: 'roi', roiPct: -150 } }); // 85: beyond the liquidation at 90.5
    b.ex.onBar(flat(1, 100));
    b.ex.onBar(bar(2, 99, 99, 84, 86));
    expect(b.rec.trades[0]).toMatchObject({ exitReason: 'liquidation' });
  });
});
