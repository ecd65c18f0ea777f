import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CcxtUrlOverrides } from '../../../src/core/market/exchange';
import type { Candle } from '../../../src/shared/market';
import type { AcceleratedClock } from './accelerated-clock';

const MINUTE = 60_000;

export interface FakeBinanceOptions {
  /** The exchange's 1m history, oldest first; a missing minute is a minute without trades. */
  history: readonly Candle[];
  /** Exchange time: REST serves bars up to now, the stream plays bars as now passes them. */
  clock: AcceleratedClock;
  /** Exchange market id, e.g. 'FILUSDT'. */
  marketId: string;
  /** In-progress kline messages per bar before the closing one. Default 3. */
  updatesPerBar?: number;
  /** Real ms between stream pump turns. Default 3. */
  pumpMs?: number;
}

/** One fault to inject into the live stream. */
export type StreamFault = 'drop' | 'silence' | 'garbage' | 'duplicate' | 'reorder';

/** Counters a test can print or assert on. */
export interface FakeExchangeStats {
  connections: number;
  restRequests: number;
  restFaultsServed: number;
  messagesSent: number;
}

/**
 * A local Binance on 127.0.0.1 (one port for REST and WebSocket) speaking Binance's wire
 * protocol as recorded in ../shared/data/protocol: `GET /api/v3/klines` and `/fapi/v1/klines`
 * (12-column rows of decimal strings; the newest row is the bar in progress, as on Binance), and
 * a stream endpoint taking `{"method":"SUBSCRIBE","params":["filusdt@kline_1m"],"id":1}` and
 * pushing raw `kline`, `trade` and `aggTrade` events. Faults are injected on request.
 */
export class FakeBinanceExchange {
  public readonly stats: FakeExchangeStats = {
    connections: 0,
    restRequests: 0,
    restFaultsServed: 0,
    messagesSent: 0,
  };
  private readonly sockets = new Map<WebSocket, Connection>();
  private readonly restFaults: number[] = [];
  private readonly updatesPerBar: number;
  private pump: NodeJS.Timeout | undefined;
  private cursor: number;
  private formingSent = -1;
  private tradeCursor = { bar: 0, trade: 0 };
  private tradeId = 1_000_000;
  private duplicate = false;
  private reorder = false;

  private constructor(
    private readonly options: FakeBinanceOptions,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    public readonly port: number,
  ) {
    this.updatesPerBar = options.updatesPerBar ?? 3;
    const now = options.clock.nowMs();
    this.cursor = options.history.findIndex((b) => b.time + MINUTE > now);
    if (this.cursor < 0) this.cursor = options.history.length;
    this.tradeCursor = { bar: this.cursor, trade: 0 };
  }

  public static async start(options: FakeBinanceOptions): Promise<FakeBinanceExchange> {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const fake = new FakeBinanceExchange(options, server, wss, port);
    server.on('request', (req, res) => fake.onRequest(req, res));
    wss.on('connection', (socket) => fake.onConnection(socket));
    fake.pump = setInterval(() => fake.step(), options.pumpMs ?? 3);
    return fake;
  }

  /** ccxt `urls.api` overrides for `binance` and `binanceusdm`. */
  public urls(): CcxtUrlOverrides {
    const base = `http://127.0.0.1:${this.port}`;
    // '/stream' in the spot url matters: ccxt tells spot from futures streams by it.
    return {
      public: `${base}/api/v3`,
      fapiPublic: `${base}/fapi/v1`,
      ws: {
        spot: `ws://127.0.0.1:${this.port}/stream/ws`,
        future: `ws://127.0.0.1:${this.port}/fstream/ws`,
      },
    };
  }

  /** Answers the next REST requests with these HTTP statuses (e.g. 429, 500, 503) before serving again. */
  public failRest(...statuses: number[]): void {
    this.restFaults.push(...statuses);
  }

  /** Injects a fault into the live stream now. */
  public inject(fault: StreamFault): void {
    switch (fault) {
      case 'drop':
        for (const socket of this.sockets.keys()) socket.terminate();
        return;
      case 'silence':
        // The connection stays open but never says anything again, as a half-dead TCP link does.
        for (const conn of this.sockets.values()) conn.muted = true;
        return;
      case 'garbage':
        for (const [socket, conn] of this.sockets) {
          if (conn.muted) continue;
          for (const frame of GARBAGE_FRAMES(this.options.marketId)) this.sendRaw(socket, frame);
        }
        return;
      case 'duplicate':
        this.duplicate = true;
        return;
      case 'reorder':
        this.reorder = true;
        return;
    }
  }

  /** Ends the duplicate / reorder modes. */
  public heal(): void {
    this.duplicate = false;
    this.reorder = false;
    for (const [socket, conn] of this.sockets) {
      if (conn.held !== undefined) this.sendRaw(socket, conn.held);
      conn.held = undefined;
    }
  }

  public get openConnections(): number {
    return this.sockets.size;
  }

  public async stop(): Promise<void> {
    if (this.pump) clearInterval(this.pump);
    for (const socket of this.sockets.keys()) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── REST ─────────────────────────────────────────────────────────────────────────────────

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.upgrade) return;
    this.stats.restRequests++;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const fault = this.restFaults.shift();
    if (fault !== undefined) {
      this.stats.restFaultsServed++;
      const body =
        fault === 429
          ? {
              code: -1003,
              msg: 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute.',
            }
          : {
              code: -1001,
              msg: 'Internal error; unable to process your request. Please try again.',
            };
      res.writeHead(fault, {
        'content-type': 'application/json',
        ...(fault === 429 ? { 'retry-after': '1' } : {}),
      });
      res.end(JSON.stringify(body));
      return;
    }
    const spot = url.pathname === '/api/v3/klines';
    if (!spot && url.pathname !== '/fapi/v1/klines') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: -1000, msg: `unknown endpoint ${url.pathname}` }));
      return;
    }
    const q = url.searchParams;
    if (q.get('symbol') !== this.options.marketId || q.get('interval') !== '1m') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: -1121, msg: 'Invalid symbol.' }));
      return;
    }
    const limit = Math.min(Number(q.get('limit') ?? 500), spot ? 1000 : 1500);
    const start = Number(q.get('startTime') ?? 0);
    const end = Math.min(
      Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER),
      this.options.clock.nowMs(),
    );
    const rows: unknown[] = [];
    const history = this.options.history;
    for (let i = lowerBound(history, start); i < history.length && rows.length < limit; i++) {
      const bar = history[i]!;
      if (bar.time > end) break;
      rows.push(klineRow(this.partial(bar, this.options.clock.nowMs())));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(rows));
  }

  /** What the exchange knows of `bar` at `now`: all of it once closed, a prefix while in progress. */
  private partial(bar: Candle, now: number): Candle {
    if (bar.time + MINUTE <= now) return bar;
    const frac = Math.max(0, Math.min(1, (now - bar.time) / MINUTE));
    const close = bar.open + (bar.close - bar.open) * frac;
    return {
      time: bar.time,
      open: bar.open,
      high: Math.max(bar.open, close),
      low: Math.min(bar.open, close),
      close,
      volume: bar.volume * frac,
    };
  }

  // ── stream ───────────────────────────────────────────────────────────────────────────────

  private onConnection(socket: WebSocket): void {
    this.stats.connections++;
    const conn: Connection = { streams: new Set(), muted: false, held: undefined };
    this.sockets.set(socket, conn);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    socket.on('message', (data) => {
      let request: { method?: unknown; params?: unknown; id?: unknown };
      try {
        request = JSON.parse(String(data)) as typeof request;
      } catch {
        this.sendRaw(socket, JSON.stringify({ code: 2, msg: 'Invalid JSON' }));
        return;
      }
      const params = Array.isArray(request.params) ? request.params.map(String) : [];
      if (request.method === 'SUBSCRIBE') for (const p of params) conn.streams.add(p);
      else if (request.method === 'UNSUBSCRIBE') for (const p of params) conn.streams.delete(p);
      this.sendRaw(socket, JSON.stringify({ result: null, id: request.id ?? null }));
    });
  }

  private step(): void {
    const now = this.options.clock.nowMs();
    const history = this.options.history;
    const id = this.options.marketId;
    const stream = id.toLowerCase();
    this.sendDueTrades(now, stream);
    while (this.cursor < history.length && history[this.cursor]!.time + MINUTE <= now) {
      this.broadcast(`${stream}@kline_1m`, klineEvent(id, history[this.cursor]!, true, now));
      this.cursor++;
      this.formingSent = -1;
    }
    const bar = history[this.cursor];
    if (!bar || bar.time > now) return;
    const bucket = Math.min(
      this.updatesPerBar - 1,
      Math.floor(((now - bar.time) / MINUTE) * this.updatesPerBar),
    );
    if (bucket > this.formingSent) {
      this.formingSent = bucket;
      this.broadcast(`${stream}@kline_1m`, klineEvent(id, this.partial(bar, now), false, now));
    }
  }

  /**
   * Trades that rebuild each bar exactly: the open trade carries the whole volume, then the
   * high, the low and the close at zero size (so summed volume equals the bar's, bit for bit).
   */
  private sendDueTrades(now: number, stream: string): void {
    const history = this.options.history;
    for (;;) {
      const bar = history[this.tradeCursor.bar];
      if (!bar) return;
      const plan: Array<[number, number, number]> = [
        [bar.time, bar.open, bar.volume],
        [bar.time + 15_000, bar.high, 0],
        [bar.time + 30_000, bar.low, 0],
        [bar.time + 59_999, bar.close, 0],
      ];
      const next = plan[this.tradeCursor.trade];
      if (!next) {
        this.tradeCursor = { bar: this.tradeCursor.bar + 1, trade: 0 };
        continue;
      }
      if (next[0] > now) return;
      const tradeId = this.tradeId++;
      const [time, price, qty] = next;
      const common = {
        E: now,
        s: this.options.marketId,
        p: dec(price),
        q: dec(qty),
        T: time,
        m: false,
      };
      this.broadcast(`${stream}@trade`, { e: 'trade', ...common, t: tradeId, M: true });
      this.broadcast(`${stream}@aggTrade`, {
        e: 'aggTrade',
        ...common,
        a: tradeId,
        f: tradeId,
        l: tradeId,
      });
      this.tradeCursor.trade++;
    }
  }

  private broadcast(stream: string, payload: object): void {
    const text = JSON.stringify(payload);
    for (const [socket, conn] of this.sockets) {
      if (conn.muted || !conn.streams.has(stream)) continue;
      const copies = this.duplicate ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        if (this.reorder) {
          // Swap consecutive messages: the second goes out first.
          if (conn.held === undefined) {
            conn.held = text;
            continue;
          }
          this.sendRaw(socket, text);
          this.sendRaw(socket, conn.held);
          conn.held = undefined;
        } else {
          this.sendRaw(socket, text);
        }
      }
    }
  }

  private sendRaw(socket: WebSocket, text: string): void {
    if (socket.readyState !== socket.OPEN) return;
    this.stats.messagesSent++;
    socket.send(text);
  }
}

interface Connection {
  streams: Set<string>;
  muted: boolean;
  held: string | undefined;
}

/** Frames a broken proxy or a buggy exchange could send: none may crash or corrupt the feed. */
function GARBAGE_FRAMES(marketId: string): string[] {
  return [
    'not json at all',
    '{"e":"kline","E":1690848060000,"s":"' + marketId + '","k":{"t":1690848000000,"T":16908', // truncated
    JSON.stringify({
      e: 'kline',
      E: 1,
      s: marketId,
      k: { t: 'soon', s: marketId, i: '1m', x: true },
    }),
    JSON.stringify({
      e: 'kline',
      E: 1,
      s: marketId,
      k: { t: 1, T: 2, s: marketId, i: '1m', o: '2', h: '1', l: '3', c: '2', v: '1', x: true },
    }),
    JSON.stringify({ e: 'aggTrade', E: 1, s: marketId, a: 'x', p: 'NaN', q: '1', T: 1 }),
    JSON.stringify({ e: 'surprise', E: 1 }),
    '[1,2,3]',
    '42',
    '',
  ];
}

function klineEvent(marketId: string, bar: Candle, closed: boolean, now: number): object {
  return {
    e: 'kline',
    E: now,
    s: marketId,
    k: {
      t: bar.time,
      T: bar.time + MINUTE - 1,
      s: marketId,
      i: '1m',
      f: 100,
      L: 200,
      o: dec(bar.open),
      c: dec(bar.close),
      h: dec(bar.high),
      l: dec(bar.low),
      v: dec(bar.volume),
      n: 100,
      x: closed,
      q: '0',
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

/** A REST kline row as Binance sends it: numbers as decimal strings, times as integers. */
function klineRow(bar: Candle): unknown[] {
  return [
    bar.time,
    dec(bar.open),
    dec(bar.high),
    dec(bar.low),
    dec(bar.close),
    dec(bar.volume),
    bar.time + MINUTE - 1,
    '0',
    100,
    '0',
    '0',
    '0',
  ];
}

/** Binance writes plain decimals, never exponents; the shortest exact form otherwise. */
function dec(x: number): string {
  const s = String(x);
  return s.includes('e') ? x.toFixed(12) : s;
}

function lowerBound(history: readonly Candle[], time: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (history[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
