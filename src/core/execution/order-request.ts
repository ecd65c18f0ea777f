/** Direction of a position. */
export type PositionSide = 'long' | 'short';

/** Why a position was opened. */
export const ENTRY_REASONS = ['signal', 'manual'] as const;
export type EntryReason = (typeof ENTRY_REASONS)[number];

/**
 * Why a position (or part of it) was closed.
 * - `signal`: an exit rule; `stopLoss` / `takeProfit` / `trailingStop`: a protective level was reached;
 * - `liquidation`: the isolated margin ran out; `kill`: the variant was stopped by a person;
 * - `safetyLimit`: a per-variant safety limit (5% loss, 10% drawdown); `circuitBreaker`: the global breaker;
 * - `emergencyStop`: "flatten everything"; `manual`: a person closed it by hand.
 */
export const EXIT_REASONS = [
  'signal',
  'stopLoss',
  'takeProfit',
  'trailingStop',
  'liquidation',
  'kill',
  'safetyLimit',
  'circuitBreaker',
  'emergencyStop',
  'manual',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** Exit reasons an order may carry; the others are produced by the venue itself. */
export const ORDER_EXIT_REASONS = [
  'signal',
  'kill',
  'safetyLimit',
  'circuitBreaker',
  'emergencyStop',
  'manual',
] as const satisfies readonly ExitReason[];
export type OrderExitReason = (typeof ORDER_EXIT_REASONS)[number];

/**
 * How big an entry is. The fill price is only known at the next bar's open, so sizing by a share
 * of cash is resolved then.
 * - `quantity`: that many units of the base asset.
 * - `cashFraction`: the share of free cash (0 < fraction ≤ 1) that margin plus the entry fee may use,
 *   i.e. quantity = fraction · cash / (fillPrice · (1/leverage + takerFeeRate)).
 */
export type EntrySize =
  | { readonly kind: 'quantity'; readonly quantity: number }
  | { readonly kind: 'cashFraction'; readonly fraction: number };

/**
 * A protective level (stop-loss or take-profit).
 * - `price`: an absolute price level.
 * - `roi`: a return on the position's margin in percent, before fees. Because margin = notional /
 *   leverage, the price distance is roiPct / leverage: with leverage 10, a stop-loss at ROI −5%
 *   sits 0.5% below a long entry, a take-profit at ROI +10% sits 1% above it. Stop-loss ROI must
 *   be negative and take-profit ROI positive. Resolved against the actual entry fill price.
 */
export type ProtectionLevel =
  | { readonly kind: 'price'; readonly price: number }
  | { readonly kind: 'roi'; readonly roiPct: number };

/**
 * Distance of a trailing stop from the best price seen since entry.
 * - `percent`: a price distance in percent (1 = 1% of price).
 * - `roi`: a distance in ROI-on-margin percent (sign ignored), i.e. |roiPct| / leverage percent of price.
 */
export type TrailingDistance =
  | { readonly kind: 'percent'; readonly percent: number }
  | { readonly kind: 'roi'; readonly roiPct: number };

/** Opens a position at the next bar's open. Rejected while a position or another entry exists. */
export interface EntryOrderRequest {
  readonly type: 'entry';
  readonly side: PositionSide;
  readonly size: EntrySize;
  readonly stopLoss?: ProtectionLevel;
  readonly takeProfit?: ProtectionLevel;
  readonly trailingStop?: TrailingDistance;
  /** Defaults to `signal`. */
  readonly reason?: EntryReason;
}

/**
 * Reduces the open position at the next bar's open. Always reduce-only: it can never flip or
 * enlarge a position. A quantity above the position is clipped to it; no quantity means all.
 */
export interface ExitOrderRequest {
  readonly type: 'exit';
  readonly reason: OrderExitReason;
  readonly quantity?: number;
}

/** Everything a strategy (or a person, through the engine) can ask of an execution client. */
export type OrderRequest = EntryOrderRequest | ExitOrderRequest;
