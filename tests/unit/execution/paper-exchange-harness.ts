import type { Candle } from '../../../src/shared/market';
import {
  ExecutionRecorder,
  PaperExchange,
  type PaperAccountConfigInput,
} from '../../../src/core/execution';

export const MINUTE = 60_000;

/** A 1-minute bar at minute `i`, written o/h/l/c like a chart reads. */
export function bar(i: number, open: number, high: number, low: number, close: number): Candle {
  return { time: i * MINUTE, open, high, low, close, volume: 1 };
}

/** A flat bar (o = h = l = c) at minute `i`. */
export function flat(i: number, price: number): Candle {
  return bar(i, price, price, price, price);
}

/** A paper exchange with a recorder already listening. */
export function venue(config: PaperAccountConfigInput = {}): {
  ex: PaperExchange;
  rec: ExecutionRecorder;
} {
  const ex = new PaperExchange(config);
  const rec = new ExecutionRecorder();
  ex.subscribe(rec);
  return { ex, rec };
}

/** No fee, no slippage: for tests about levels, where the arithmetic should stay readable. */
export const FRICTIONLESS = { takerFeeRate: 0, slippageBps: 0 } as const;
