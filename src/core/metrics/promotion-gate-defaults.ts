/** DESIGN.md "Promotion candidate": ≥ 50 closed trades and DSR ≥ 0.95 (plus a higher Sharpe than main). */
export const PROMOTION_GATE_DEFAULTS = {
  minClosedTrades: 50,
  minDsr: 0.95,
} as const;
