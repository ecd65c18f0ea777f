import { z } from 'zod';
import type { Candle } from '../../../shared/market';

/**
 * Binance market-stream messages (spot and USDⓈ-M futures share the shapes), validated with zod
 * before anything downstream sees them. Both the raw form (`/ws` endpoints) and the combined
 * form (`/stream?streams=…`, `{ stream, data }`) are accepted.
 */

/** Binance sends prices and quantities as decimal strings; anything else is a malformed message. */
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);
const millis = z.number().int().nonnegative();

const KlinePayloadSchema = z.object({
  e: z.literal('kline'),
  E: millis,
  s: z.string(),
  k: z.object({
    t: millis,
    T: millis,
    s: z.string(),
    i: z.string(),
    o: decimal,
    h: decimal,
    l: decimal,
    c: decimal,
    v: decimal,
    x: z.boolean(),
  }),
});

const TradePayloadSchema = z.object({
  e: z.literal('trade'),
  E: millis,
  s: z.string(),
  t: z.number().int(),
  p: decimal,
  q: decimal,
  T: millis,
});

const AggTradePayloadSchema = z.object({
  e: z.literal('aggTrade'),
  E: millis,
  s: z.string(),
  a: z.number().int(),
  p: decimal,
  q: decimal,
  T: millis,
});

/** Reply to SUBSCRIBE / UNSUBSCRIBE: `{ "result": null, "id": 1 }`. */
const ControlSchema = z.object({ result: z.unknown(), id: z.union([z.number(), z.string()]) });
/** Error replies: `{ "code": 2, "msg": "Invalid request", "id": 1 }` or `{ "error": { code, msg } }`. */
const ErrorSchema = z.union([
  z.object({ code: z.number(), msg: z.string() }),
  z.object({ error: z.object({ code: z.number(), msg: z.string() }) }).transform((m) => m.error),
]);
const CombinedSchema = z.object({ stream: z.string(), data: z.record(z.string(), z.unknown()) });

/** Why a stream message was refused; each kind is logged once and counted. */
export type BadMessageKind =
  'not-json' | 'not-an-object' | 'malformed-kline' | 'malformed-trade' | 'unknown-event';

export interface KlineMessage {
  kind: 'kline';
  /** Exchange market id, e.g. "FILUSDT". */
  marketId: string;
  /** Binance interval notation, e.g. "1m". */
  interval: string;
  /** Event time, used to measure lag. */
  eventTime: number;
  candle: Candle;
  closed: boolean;
}

export interface TradeMessage {
  kind: 'trade';
  marketId: string;
  eventTime: number;
  /** Trade id (`t`) or aggregate trade id (`a`): increasing per market, used to drop repeats. */
  id: number;
  price: number;
  amount: number;
  time: number;
}

export type BinanceStreamMessage =
  | KlineMessage
  | TradeMessage
  | { kind: 'control'; id: number | string }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'other'; event: string }
  | { kind: 'bad'; reason: BadMessageKind; detail: string };

/** Event types Binance publishes that this feed does not consume but are not malformed either. */
const KNOWN_OTHER_EVENTS = new Set([
  'depthUpdate',
  'bookTicker',
  '24hrTicker',
  '24hrMiniTicker',
  'markPriceUpdate',
  'forceOrder',
  'continuous_kline',
  'markPrice_kline',
  'indexPrice_kline',
]);

/**
 * Decodes one stream message. `raw` is either the text frame or what ccxt already JSON-parsed
 * (ccxt hands the text through unchanged when JSON.parse fails, which is how truncated frames
 * arrive here).
 */
export function parseBinanceStreamMessage(raw: unknown): BinanceStreamMessage {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { kind: 'bad', reason: 'not-json', detail: raw.slice(0, 80) };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'bad', reason: 'not-an-object', detail: String(value).slice(0, 80) };
  }
  const combined = CombinedSchema.safeParse(value);
  const payload: Record<string, unknown> = combined.success
    ? combined.data.data
    : (value as Record<string, unknown>);

  const event = payload['e'];
  if (event === 'kline') return parseKline(payload);
  if (event === 'trade' || event === 'aggTrade') return parseTrade(payload);
  if (typeof event === 'string') {
    return KNOWN_OTHER_EVENTS.has(event)
      ? { kind: 'other', event }
      : { kind: 'bad', reason: 'unknown-event', detail: event.slice(0, 40) };
  }
  // Spot bookTicker and partial-depth payloads carry no event type ("e"); recognise them by shape.
  if ('u' in payload && 'b' in payload && 'a' in payload)
    return { kind: 'other', event: 'bookTicker' };
  if ('lastUpdateId' in payload && 'bids' in payload) return { kind: 'other', event: 'depth' };
  const error = ErrorSchema.safeParse(payload);
  if (error.success) return { kind: 'error', code: error.data.code, message: error.data.msg };
  const control = ControlSchema.safeParse(payload);
  if (control.success) return { kind: 'control', id: control.data.id };
  return { kind: 'bad', reason: 'unknown-event', detail: JSON.stringify(payload).slice(0, 80) };
}

function parseKline(payload: Record<string, unknown>): BinanceStreamMessage {
  const parsed = KlinePayloadSchema.safeParse(payload);
  if (!parsed.success)
    return { kind: 'bad', reason: 'malformed-kline', detail: firstIssue(parsed.error) };
  const { k, E } = parsed.data;
  const candle: Candle = { time: k.t, open: k.o, high: k.h, low: k.l, close: k.c, volume: k.v };
  if (!isConsistent(candle))
    return { kind: 'bad', reason: 'malformed-kline', detail: 'inconsistent OHLC' };
  return { kind: 'kline', marketId: k.s, interval: k.i, eventTime: E, candle, closed: k.x };
}

function tradeMessage(
  m: { s: string; E: number; p: number; q: number; T: number },
  id: number,
): BinanceStreamMessage {
  return { kind: 'trade', marketId: m.s, eventTime: m.E, id, price: m.p, amount: m.q, time: m.T };
}

function parseTrade(payload: Record<string, unknown>): BinanceStreamMessage {
  // A trade and an aggregated trade differ only in where their id is (`t` or `a`).
  const trade = TradePayloadSchema.safeParse(payload);
  if (trade.success) return tradeMessage(trade.data, trade.data.t);
  const agg = AggTradePayloadSchema.safeParse(payload);
  if (agg.success) return tradeMessage(agg.data, agg.data.a);
  return { kind: 'bad', reason: 'malformed-trade', detail: firstIssue(trade.error) };
}

/** High is the top and low the bottom of the bar, volume never negative: otherwise the bar is corrupt. */
export function isConsistent(c: Candle): boolean {
  return (
    c.low <= c.open &&
    c.low <= c.close &&
    c.high >= c.open &&
    c.high >= c.close &&
    c.low <= c.high &&
    c.volume >= 0
  );
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid';
}

/** One row as ccxt returns it from fetchOHLCV / watchOHLCV: [time, open, high, low, close, volume]. */
export const OhlcvRowSchema = z.tuple([
  millis,
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number().nonnegative(),
]);

/** Validates a ccxt OHLCV row into a Candle, or undefined when it is malformed. */
export function candleFromOhlcvRow(row: unknown): Candle | undefined {
  const parsed = OhlcvRowSchema.safeParse(row);
  if (!parsed.success) return undefined;
  const [time, open, high, low, close, volume] = parsed.data;
  const candle = { time, open, high, low, close, volume };
  return isConsistent(candle) ? candle : undefined;
}

/** A ccxt unified trade, reduced to what bars need. */
export const CcxtTradeSchema = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  timestamp: millis,
  price: z.number().positive(),
  amount: z.number().nonnegative(),
});
export type CcxtTrade = z.infer<typeof CcxtTradeSchema>;
