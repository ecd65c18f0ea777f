import ccxt from 'ccxt';

/**
 * The part of a ccxt pro exchange the feed uses. ccxt's own typings are broad (`any` in many
 * places); this narrow view keeps them out of the feed, whose inputs are validated with zod.
 */
export interface CcxtExchange {
  readonly id: string;
  readonly has: Readonly<Record<string, boolean | string | undefined>>;
  /** Called by ccxt for every WebSocket frame; replaced by the feed to validate frames first. */
  handleMessage: (client: unknown, message: unknown) => void;
  log: (...args: unknown[]) => void;
  loadHttpProxyAgent(): Promise<unknown>;
  loadMarkets(): Promise<unknown>;
  setMarkets(markets: readonly object[]): unknown;
  market(symbol: string): { id: string };
  watchOHLCV(symbol: string, timeframe: string): Promise<unknown>;
  watchTrades(symbol: string): Promise<unknown>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * Replacements for entries of ccxt's `urls.api`, e.g. for Binance
 * `{ public: 'http://127.0.0.1:5000/api/v3', fapiPublic: '…/fapi/v1', ws: { spot: 'ws://…/stream/ws', future: 'ws://…/fstream/ws' } }`.
 * `ws` is merged one level deep so unspecified stream urls keep their defaults.
 */
export interface CcxtUrlOverrides {
  ws?: Readonly<Record<string, string>>;
  [endpoint: string]: string | Readonly<Record<string, string>> | undefined;
}

type CcxtConstructor = new (config: Record<string, unknown>) => CcxtExchange & {
  urls: { api: Record<string, unknown> };
  rateLimit: number;
};

/** Creates a ccxt pro exchange for public market data (no keys), rate-limited by ccxt. */
export function createCcxtExchange(
  id: string,
  options: { urls?: CcxtUrlOverrides; rateLimitMs?: number } = {},
): CcxtExchange {
  const constructors = ccxt.pro as unknown as Readonly<Record<string, CcxtConstructor | undefined>>;
  const Ctor = Object.prototype.hasOwnProperty.call(constructors, id)
    ? constructors[id]
    : undefined;
  if (!Ctor) throw new Error(`unknown exchange '${id}': not a ccxt pro exchange id`);
  const ex = new Ctor({
    enableRateLimit: true,
    newUpdates: true,
    // ccxt delays re-dials with a backoff of its own, in wall-clock time; the feed owns the
    // reconnect policy (on its injected clock, with jitter), so ccxt's is switched off.
    options: { ws: { backoff: { base: 0, factor: 1, max: 0 } } },
  });
  if (options.rateLimitMs !== undefined) ex.rateLimit = options.rateLimitMs;
  if (options.urls) {
    const api = ex.urls.api;
    for (const [key, value] of Object.entries(options.urls)) {
      if (value === undefined) continue;
      if (key === 'ws' && typeof value === 'object') {
        const current =
          typeof api['ws'] === 'object' && api['ws'] !== null
            ? (api['ws'] as Record<string, unknown>)
            : {};
        api['ws'] = { ...current, ...value };
      } else {
        api[key] = value;
      }
    }
  }
  return ex;
}

/** 429 / 418 and ccxt's DDoS protection: the exchange asked us to slow down. */
export function isRateLimitError(error: unknown): boolean {
  return error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection;
}
