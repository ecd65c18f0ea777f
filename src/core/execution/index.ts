/**
 * Execution: the venues orders go to. Today the paper exchange (backtest and paper mode); later
 * a live exchange client, order manager and reconciler behind the same {@link ExecutionClient}.
 */
export type { ExecutionClient, ExecutionListener } from './execution-client';
export {
  ORDER_REJECT_REASONS,
  type ClosedTrade,
  type Fill,
  type OrderRejectReason,
  type OrderRejection,
  type SubmitResult,
} from './execution-events';
export { ExecutionRecorder } from './execution-recorder';
export type { EpochMs, Nominal, OrderId, Price, Quantity, TradeId, Usdt } from './nominal';
export {
  ENTRY_REASONS,
  EXIT_REASONS,
  ORDER_EXIT_REASONS,
  type EntryOrderRequest,
  type EntryReason,
  type EntrySize,
  type ExitOrderRequest,
  type ExitReason,
  type OrderExitReason,
  type OrderRequest,
  type PositionSide,
  type ProtectionLevel,
  type TrailingDistance,
} from './order-request';
export {
  PaperAccountConfigError,
  PaperAccountConfigSchema,
  parsePaperAccountConfig,
  type PaperAccountConfig,
  type PaperAccountConfigInput,
} from './paper-account-config';
export { PAPER_ACCOUNT_DEFAULTS } from './paper-account-defaults';
export { isTradableBar, PaperExchange, type PaperPosition } from './paper-exchange';
export type { PaperExchangeState, PaperPositionState } from './paper-exchange-state';
export { liquidationPrice, priceAtRoi } from './protection-levels';
