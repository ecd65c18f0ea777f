/** A percentage for a sentence: at most two decimals, no trailing zeros ("5.2", "10", "0.01"). */
export function percentText(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** An amount of money for a sentence, grouped and rounded to cents ("110,000", "93,280.5"). */
export function amountText(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/**
 * Percentages computed from money carry binary rounding (10,000 − 9,500 is exactly 5%, but other
 * amounts land a hair below the decimal they represent). A limit counts as reached within this
 * many percentage points, so "5.0% loss" trips a 5% limit whatever the amounts.
 */
export const LIMIT_TOLERANCE_PCT = 1e-9;
