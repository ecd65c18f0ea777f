import type { PositionSide } from './order-request';

/**
 * Isolated-margin liquidation price (DESIGN.md): long = entry × (1 − 1/leverage + mmr),
 * short = entry × (1 + 1/leverage − mmr).
 */
export function liquidationPrice(
  side: PositionSide,
  entryPrice: number,
  leverage: number,
  maintenanceMarginRate: number,
): number {
  return side === 'long'
    ? entryPrice * (1 - 1 / leverage + maintenanceMarginRate)
    : entryPrice * (1 + 1 / leverage - maintenanceMarginRate);
}

/**
 * The price at which a position's return on margin, before fees, is `roiPct` percent.
 * Margin is notional / leverage, so the price moves roiPct / leverage percent: with leverage 10,
 * ROI −5% is a 0.5% adverse move and ROI +10% a 1% favourable one.
 */
export function priceAtRoi(
  side: PositionSide,
  entryPrice: number,
  leverage: number,
  roiPct: number,
): number {
  const move = roiPct / 100 / leverage;
  return side === 'long' ? entryPrice * (1 + move) : entryPrice * (1 - move);
}
