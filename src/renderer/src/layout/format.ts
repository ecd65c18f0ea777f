// Number and time formats shared by the trading views. Missing values read "n/a", never 0.

const NA = 'n/a';

/** A fraction (0.123) as a percentage ("12.3%"). */
export function formatFraction(value: number | null, digits = 1): string {
  return value === null || !Number.isFinite(value) ? NA : `${(value * 100).toFixed(digits)}%`;
}

/** A percentage already in percent (ROI) with its sign: "+1.23%". */
export function formatSignedPct(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return NA;
  const text = Math.abs(value).toFixed(digits);
  // A rounded zero carries no sign.
  if (Number(text) === 0) return `${text}%`;
  return `${value > 0 ? '+' : '−'}${text}%`;
}

export function formatNumber(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? NA : value.toFixed(digits);
}

/** Money in quote currency with its sign and thousands separators. */
export function formatMoney(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return NA;
  const text = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  if (Number(text.replaceAll(',', '')) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/**
 * An amount with no sign, such as a fee: fees are a cost, shown positive everywhere (the table,
 * its totals and the exports alike), so that gross − fee = net.
 */
export function formatAmount(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return NA;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A price: two decimals for large prices, more for small ones. */
export function formatPrice(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 2 : Math.abs(value) >= 1 ? 4 : 6;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A quantity with up to six decimals, no trailing zeros. */
export function formatQuantity(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Profit factor: +∞ is a flag in the contract, shown as ∞; no trades yet is n/a. */
export function formatProfitFactor(value: number | null, infinite: boolean): string {
  return infinite ? '∞' : formatNumber(value);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Epoch ms as "2023-03-01 14:05" in UTC (bar times are UTC everywhere in Parallax). */
export function formatUtc(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  );
}

/** Parameter values as `fast=9, slow=21`. */
export function formatParameters(parameters: Readonly<Record<string, number | string>>): string {
  return Object.entries(parameters)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? String(Number(v.toPrecision(6))) : v}`)
    .join(', ');
}
