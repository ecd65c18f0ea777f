/**
 * ccxt market objects for the fake exchange, so tests need no exchangeInfo round trip.
 * Only the fields ccxt's Binance code reads for klines and trades are filled in.
 */
export function binanceMarket(
  kind: 'spot' | 'linear',
  base: string,
  quote: string,
): Record<string, unknown> {
  const id = `${base}${quote}`;
  const spot = kind === 'spot';
  return {
    id,
    lowercaseId: id.toLowerCase(),
    symbol: spot ? `${base}/${quote}` : `${base}/${quote}:${quote}`,
    base,
    quote,
    settle: spot ? undefined : quote,
    baseId: base,
    quoteId: quote,
    settleId: spot ? undefined : quote,
    type: spot ? 'spot' : 'swap',
    spot,
    margin: false,
    swap: !spot,
    future: false,
    option: false,
    contract: !spot,
    linear: spot ? undefined : true,
    inverse: spot ? undefined : false,
    active: true,
    contractSize: spot ? undefined : 1,
    precision: { amount: 0.1, price: 0.001 },
    limits: { amount: {}, price: {}, cost: {}, leverage: {} },
    info: {},
  };
}
