/** Defaults of a paper account, as DESIGN.md's "Paper account and fills" sets them. */
export const PAPER_ACCOUNT_DEFAULTS = {
  /** Starting cash per variant and for main, in USDT. */
  initialCash: 10_000,
  /** Taker fee as a fraction of notional: 0.05%. */
  takerFeeRate: 0.0005,
  /** Adverse slippage of market fills, in basis points of price. */
  slippageBps: 2,
  /** 1 = no leverage. MIRKO runs 10. */
  leverage: 1,
  /** Maintenance margin rate of the liquidation formula: 0.5%. */
  maintenanceMarginRate: 0.005,
} as const;
