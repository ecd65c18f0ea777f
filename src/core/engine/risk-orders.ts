import type {
  EntryOrderRequest,
  PaperAccountConfigInput,
  PositionSide,
  ProtectionLevel,
  TrailingDistance,
} from '../execution';
import type { ResolvedRisk } from '../strategy';

/**
 * A stop-loss or take-profit of the strategy's risk section as the venue's level. Both bases are
 * distances from the entry fill, which only the venue knows, so both become an ROI on margin:
 * `price` p% → ROI p·leverage % (a p% price move), `roi` p% → ROI p %.
 */
function protection(
  level: { readonly percent: number; readonly basis: 'price' | 'roi' } | undefined,
  sign: 1 | -1,
  leverage: number,
): ProtectionLevel | undefined {
  if (level === undefined) return undefined;
  const roi = level.basis === 'price' ? level.percent * leverage : level.percent;
  return { kind: 'roi', roiPct: sign * roi };
}

/**
 * The entry order a signal produces under `risk`, given the account's cash now (flat, so cash
 * is equity). Sizing by a share of equity is resolved by the venue at the fill; a fixed quote
 * amount is the share of cash that margin plus fee may use, capped at all of it.
 */
export function entryOrderFor(
  risk: ResolvedRisk,
  side: PositionSide,
  cash: number,
): EntryOrderRequest {
  const size = risk.positionSize;
  const fraction =
    size.kind === 'percentOfEquity'
      ? Math.min(1, size.percent / 100)
      : Math.min(1, cash > 0 ? size.amount / cash : 1);
  const trailing: TrailingDistance | undefined =
    risk.trailingStop === undefined
      ? undefined
      : { kind: 'percent', percent: risk.trailingStop.percent };
  const stopLoss = protection(risk.stopLoss, -1, risk.leverage);
  const takeProfit = protection(risk.takeProfit, 1, risk.leverage);
  return {
    type: 'entry',
    side,
    size: { kind: 'cashFraction', fraction },
    ...(stopLoss ? { stopLoss } : {}),
    ...(takeProfit ? { takeProfit } : {}),
    ...(trailing ? { trailingStop: trailing } : {}),
    reason: 'signal',
  };
}

/** The paper account of a variant: the given settings, with the leverage of its risk section. */
export function paperAccountFor(
  risk: ResolvedRisk,
  account: PaperAccountConfigInput = {},
): PaperAccountConfigInput {
  return { ...account, leverage: risk.leverage };
}
