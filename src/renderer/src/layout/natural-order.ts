// Ids such as `s1-v2` and `s1-v10` sort as a trader reads them (v2 before v10), not as text.

const collator = new Intl.Collator('en', { numeric: true });

/** Compares two strings with their digit runs as numbers: `v2` < `v10` < `v100`. */
export const naturalCompare: (a: string, b: string) => number = collator.compare;

/**
 * Orders main before variants of the same strategy, strategies and variants in natural order.
 * Works on anything with a strategy id, a variant id and a role (variant rows, positions).
 */
export function compareVariants(
  a: { strategyId: string; variantId: string; role: 'main' | 'variant' },
  b: { strategyId: string; variantId: string; role: 'main' | 'variant' },
): number {
  return (
    naturalCompare(a.strategyId, b.strategyId) ||
    (a.role === b.role ? naturalCompare(a.variantId, b.variantId) : a.role === 'main' ? -1 : 1)
  );
}
