import type { VariantRow } from '../../../shared/variants';

/** How a variant is named on screen: its id, and "main" for the strategy's main. */
export function variantLabel(row: Pick<VariantRow, 'variantId' | 'role' | 'strategyName'>): string {
  return row.role === 'main' ? `${row.variantId} (main of ${row.strategyName})` : row.variantId;
}
