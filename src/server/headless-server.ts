import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../shared/api';
import type { ApiErrorBody } from '../shared/api-errors';
import { CallFrameSchema, type ServerFrame } from '../shared/wire';
import type { Workstation } from '../core/workstation';
import { zodIssues } from '../core/api/api-dispatcher';

export interface HeadlessServerOptions {
  workstation: Workstation;
  /** Folder of the built renderer (index.html and assets); omit to serve the API only. */
  rendererDir?: string;
  /** 0 picks a free port. */
  port: number;
  /** Random per start unless given (tests). */
  token?: string;
  /** Requests larger than this get PAYLOAD_TOO_LARGE; the connection stays open. */
  maxRequestBytes?: number;
  log?: (message: string) => void;
}

export interface RunningHeadlessServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The headless host: the built UI and the same API as the Electron app, over WebSocket on
 * 127.0.0.1. A random token in the URL and an Origin check keep other web pages the user
 * visits from driving the workstation.
 */
export async function startHeadlessServer(
  options: HeadlessServerOptions,
): Promise<RunningHeadlessServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxRequestBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const log = options.log ?? ((m: string) => console.warn(m));
  const { workstation } = options;
  const sockets = new Set<WebSocket>();
  const http = createServer((req, res) => void serveStatic(options.rendererDir, req, res));
  // ws would close the socket on an oversize frame; its hard cap sits above ours so we can answer instead.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes * 2 + 1024 });

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port, HOST, () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;
  const allowedOrigins = new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const refusal = refuseReason(url, req.headers.origin, token, allowedOrigins);
    if (refusal) {
      log(`[parallax] refused WebSocket connection: ${refusal.reason}`);
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => void onMessage(ws, data, isBinary));
    });
  });

  const send = (ws: WebSocket, frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const sendError = (ws: WebSocket, id: number | null, error: ApiErrorBody): void =>
    send(ws, { type: 'result', id, outcome: { ok: false, error } });

  async function onMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = rawLength(data);
    if (bytes > maxRequestBytes) {
      sendError(ws, null, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `request of ${bytes} bytes exceeds the ${maxRequestBytes}-byte limit`,
      });
      return;
    }
    if (isBinary) {
      sendError(ws, null, {
        code: 'BAD_FRAME',
        message: 'binary frames are not accepted; send JSON text',
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch (error) {
      sendError(ws, null, {
        code: 'MALFORMED_JSON',
        message: `request is not valid JSON: ${(error as Error).message}`,
      });
      return;
    }
    const frame = CallFrameSchema.safeParse(json);
    if (!frame.success) {
      const id =
        typeof json === 'object' && json !== null && Number.isInteger((json as { id?: unknown }).id)
          ? Number((json as { id: number }).id)
          : null;
      sendError(ws, id, {
        code: 'BAD_FRAME',
        message: 'request must be {type:"call", id, method, params}',
        issues: zodIssues(frame.error),
      });
      return;
    }
    const outcome = await workstation.dispatcher.dispatch(frame.data.method, frame.data.params);
    send(ws, { type: 'result', id: frame.data.id, outcome });
  }

  const events = workstation.events.subscribe(({ event, payload }) => {
    if (sockets.size === 0) return;
    const text = JSON.stringify({ type: 'event', event, payload } satisfies ServerFrame);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      events.dispose();
      for (const ws of sockets) ws.close(1001, 'server shutting down');
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function refuseReason(
  url: URL,
  origin: string | undefined,
  token: string,
  allowedOrigins: ReadonlySet<string>,
): { status: number; statusText: string; reason: string } | undefined {
  if (url.pathname !== '/api')
    return { status: 404, statusText: 'Not Found', reason: 'the API lives at /api' };
  const given = url.searchParams.get('token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { status: 401, statusText: 'Unauthorized', reason: 'missing or wrong session token' };
  }
  // Browsers always send Origin on WebSocket upgrades; a page from elsewhere must not get in.
  if (origin !== undefined && !allowedOrigins.has(origin)) {
    return { status: 403, statusText: 'Forbidden', reason: `foreign origin ${origin}` };
  }
  return undefined;
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

async function serveStatic(
  rendererDir: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  if (!rendererDir) {
    res
      .writeHead(404, { ...headers, 'Content-Type': 'text/plain' })
      .end('the UI is not built; run npm run build\n');
    return;
  }
  const root = resolve(rendererDir);
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      ...headers,
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
  }
}
