import { describe, expect, it } from 'vitest';
import { ExecutionRecorder, PaperExchange, type ClosedTrade } from '../../../src/core/execution';
import type { Candle } from '../../../src/shared/market';
import { btcUsdtMinutes } from '../../support/real-candles';

/** The first `limit` bars of the Binance.US BTC/USDT 1-minute month. */
function loadBtc1m(limit: number): Candle[] {
  return btcUsdtMinutes().slice(0, limit);
}

/** A small deterministic generator, so the "strategy" below is random-looking yet replayable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface RunResult {
  trades: ClosedTrade[];
  finalCash: number;
  equityFlatMismatches: number;
  fills: number;
}

/** MIRKO-like random trading on real bars: leverage 10, stop ROI −5…−10%, target +5…+15%. */
function run(bars: readonly Candle[], seed: number): RunResult & { rec: ExecutionRecorder } {
  const ex = new PaperExchange({ leverage: 10 });
  const rec = new ExecutionRecorder();
  ex.subscribe(rec);
  const rnd = lcg(seed);
  let equityFlatMismatches = 0;
  for (const b of bars) {
    const equity = ex.onBar(b);
    if (ex.positionSide === null && equity !== ex.cash) equityFlatMismatches++;
    const u = rnd();
    if (ex.positionSide === null && !ex.hasPendingEntry) {
      if (u < 0.05) {
        ex.submit({
          type: 'entry',
          side: rnd() < 0.5 ? 'long' : 'short',
          size: { kind: 'cashFraction', fraction: 0.5 },
          stopLoss: { kind: 'roi', roiPct: -5 - 5 * rnd() },
          takeProfit: { kind: 'roi', roiPct: 5 + 10 * rnd() },
          ...(rnd() < 0.3 ? { trailingStop: { kind: 'percent', percent: 0.3 } } : {}),
        });
      }
    } else if (ex.positionSide !== null && u < 0.02) {
      ex.submit({ type: 'exit', reason: 'signal' });
    }
  }
  // Close what is left, so every fee paid belongs to a closed trade.
  const last = bars.at(-1)!;
  if (ex.positionSide !== null) ex.closeNow({ price: last.close, time: last.time }, 'manual');
  return {
    trades: rec.trades,
    finalCash: ex.cash,
    equityFlatMismatches,
    fills: rec.fills.length,
    rec,
  };
}

describe('PaperExchange on real 1-minute BTC/USDT bars', () => {
  const bars = loadBtc1m(8_000);
  const byTime = new Map(bars.map((b) => [b.time, b]));

  it('keeps the books: cash = initial + Σ net P&L, fees add up, equity = cash when flat', () => {
    const r = run(bars, 7);
    expect(r.trades.length).toBeGreaterThan(50);
    const sumNet = r.trades.reduce((s, t) => s + t.netPnl, 0);
    expect(r.finalCash).toBeCloseTo(10_000 + sumNet, 6);
    const fillFees = r.rec.fills.reduce((s, f) => s + f.fee, 0);
    expect(r.trades.reduce((s, t) => s + t.fee, 0)).toBeCloseTo(fillFees, 6);
    expect(r.equityFlatMismatches).toBe(0);
    for (const t of r.trades) expect(t.netPnl).toBeCloseTo(t.grossPnl - t.fee, 9);
  });

  it('never flips or enlarges a position: fills alternate open, close; closes are opposite in side and equal in size', () => {
    const { rec } = run(bars, 11);
    let open: { side: 'buy' | 'sell'; quantity: number } | null = null;
    for (const f of rec.fills) {
      if (f.opensPosition) {
        expect(open).toBeNull();
        open = { side: f.side, quantity: f.quantity };
      } else {
        expect(open).not.toBeNull();
        expect(f.side).not.toBe(open!.side);
        expect(f.quantity).toBe(open!.quantity);
        open = null;
      }
    }
  });

  it('fills stops and targets at prices the bar actually traded (slippage aside), liquidations at their level', () => {
    const { trades } = run(bars, 23);
    const slip = 2 / 10_000;
    let checked = 0;
    for (const t of trades) {
      if (t.exitReason === 'manual') continue;
      const b = byTime.get(t.exitTime)!;
      const dir = t.side === 'long' ? 1 : -1;
      if (
        t.exitReason === 'stopLoss' ||
        t.exitReason === 'trailingStop' ||
        t.exitReason === 'signal'
      ) {
        const raw = t.exitPrice / (1 - dir * slip);
        expect(raw).toBeGreaterThanOrEqual(b.low - 1e-9);
        expect(raw).toBeLessThanOrEqual(b.high + 1e-9);
        checked++;
      } else if (t.exitReason === 'takeProfit') {
        expect(t.exitPrice).toBeGreaterThanOrEqual(b.low);
        expect(t.exitPrice).toBeLessThanOrEqual(b.high);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(trades.length - 1);
  });

  it('is deterministic: the same bars and orders give the same trades', () => {
    const a = run(bars, 5);
    const b = run(bars, 5);
    expect(b.trades).toEqual(a.trades);
    expect(b.finalCash).toBe(a.finalCash);
  });
});
