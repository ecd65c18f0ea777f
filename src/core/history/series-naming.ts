/**
 * Exchange and symbol from a history file's name, e.g. `binanceus_BTCUSDT_1m_…` →
 * (binanceus, BTC/USDT), `binance-um_FILUSDT-1m-2023-08` → (binanceusdm, FIL/USDT:USDT),
 * `kraken_XBTUSDT_60_…` → (kraken, BTC/USDT). Symbols use ccxt's unified notation so that
 * imported history and live feeds of the same market share one series.
 */
const EXCHANGE_ALIASES: Record<string, string> = {
  'binance-um': 'binanceusdm',
  'binance-futures': 'binanceusdm',
  'binance-cm': 'binancecoinm',
};

const QUOTES = [
  'USDT',
  'USDC',
  'BUSD',
  'FDUSD',
  'TUSD',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'BTC',
  'ETH',
  'BNB',
];
const ASSET_ALIASES: Record<string, string> = { XBT: 'BTC', XXBT: 'BTC', XETH: 'ETH' };

const asset = (code: string): string => ASSET_ALIASES[code] ?? code;
const derivativeExchanges = new Set(['binanceusdm', 'binancecoinm']);

/** Turns `BTCUSDT`, `BTC-USD`, `btc-perp` into `BTC/USDT`, `BTC/USD`, `BTC/USD:USD`. */
export function normalizeSymbol(raw: string, exchange = ''): string {
  const s = raw.trim().toUpperCase();
  if (s.includes('/')) return s;
  const perp = /^([A-Z0-9]+)-PERP$/.exec(s);
  if (perp) return `${asset(perp[1]!)}/USD:USD`;
  const dashed = /^([A-Z0-9]+)[-_]([A-Z0-9]+)$/.exec(s);
  let pair: [string, string] | undefined;
  if (dashed) pair = [dashed[1]!, dashed[2]!];
  else {
    const quote = QUOTES.find((q) => s.endsWith(q) && s.length > q.length);
    if (quote) pair = [s.slice(0, -quote.length), quote];
  }
  if (!pair) return s;
  const [base, quote] = [asset(pair[0]), asset(pair[1])];
  return derivativeExchanges.has(exchange) ? `${base}/${quote}:${quote}` : `${base}/${quote}`;
}

export interface SeriesNameGuess {
  exchange?: string;
  symbol?: string;
}

export function guessSeriesFromFileName(fileName: string): SeriesNameGuess {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.(gz|csv|txt)$/gi, '')
    .replace(/\.(gz|csv|txt)$/gi, '');
  const parts = base.split('_');
  if (parts.length < 2) return {};
  const rawExchange = parts[0]!.toLowerCase();
  const exchange = EXCHANGE_ALIASES[rawExchange] ?? rawExchange.replace(/[^a-z0-9]/g, '');
  // `FILUSDT-1m-2023-08`: the symbol is what comes before the interval.
  const rawSymbol = parts[1]!.replace(/-\d+[smhdwM]-.*$/, '');
  return { exchange, symbol: normalizeSymbol(rawSymbol, exchange) };
}
