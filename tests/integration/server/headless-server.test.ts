import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  startHeadlessServer,
  type RunningHeadlessServer,
} from '../../../src/server/headless-server';
import { Workstation } from '../../../src/core/workstation';
import { ServerFrameSchema, type ServerFrame } from '../../../src/shared/wire';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

/** A real WebSocket client speaking the wire protocol, with a bounded wait for each answer. */
class Client {
  private readonly frames: ServerFrame[] = [];
  private waiters: Array<() => void> = [];
  private nextId = 1;

  private constructor(public readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(ServerFrameSchema.parse(JSON.parse(String(data))));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  public static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  public async call(method: string, params?: unknown): Promise<ServerFrame & { type: 'result' }> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type: 'call', id, method, params }));
    return this.waitFor(
      (f): f is ServerFrame & { type: 'result' } => f.type === 'result' && f.id === id,
    );
  }

  public async sendRaw(text: string | Buffer): Promise<ServerFrame & { type: 'result' }> {
    this.ws.send(text);
    return this.waitFor(
      (f): f is ServerFrame & { type: 'result' } => f.type === 'result' && f.id === null,
    );
  }

  public waitFor<T extends ServerFrame>(
    match: (f: ServerFrame) => f is T,
    timeoutMs = 5_000,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error('timed out waiting for a frame')),
        timeoutMs,
      );
      const check = (): void => {
        const i = this.frames.findIndex(match);
        if (i >= 0) {
          clearTimeout(deadline);
          resolve(this.frames.splice(i, 1)[0] as T);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  public close(): void {
    this.ws.close();
  }
}

function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => reject(new Error('connection was accepted')));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('headless host over a real WebSocket on 127.0.0.1', () => {
  const dir = makeTempDir();
  let workstation: Workstation;
  let server: RunningHeadlessServer;
  let apiUrl: string;

  beforeAll(async () => {
    workstation = new Workstation({
      databasePath: join(dir.path, 'db.sqlite'),
      appVersion: '1.2.3',
      statusIntervalMs: 200,
    });
    const rendererDir = join(dir.path, 'renderer');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir.path, 'secret.txt'), 'do not serve');
    server = await startHeadlessServer({
      workstation,
      port: 0,
      rendererDir,
      maxRequestBytes: 64 * 1024,
      log: () => undefined,
    });
    apiUrl = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
  });
  afterAll(async () => {
    await server.close();
    workstation.dispose();
    dir.remove();
  });

  it('prints a URL on 127.0.0.1 that carries the session token', () => {
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`),
    );
  });

  it('when a client has the token then calls are answered', async () => {
    const c = await Client.open(apiUrl);
    const r = await c.call('getAppInfo', {});
    expect(r.outcome).toEqual({
      ok: true,
      result: { name: 'Parallax', version: '1.2.3', node: process.versions.node },
    });
    c.close();
  });

  it('when the token is missing or wrong then the connection is refused with 401', async () => {
    expect(await refusedStatus(`ws://127.0.0.1:${server.port}/api`)).toBe(401);
    // One character off (never the same character: a random token may well end in 'x').
    const wrong = `${server.token.slice(0, -1)}${server.token.at(-1) === 'x' ? 'y' : 'x'}`;
    expect(wrong).not.toBe(server.token);
    expect(await refusedStatus(`ws://127.0.0.1:${server.port}/api?token=${wrong}`)).toBe(401);
    expect(await refusedStatus(`ws://127.0.0.1:${server.port}/api?token=`)).toBe(401);
  });

  it('when a foreign web page connects (Origin of another site) then it is refused with 403, even with the token', async () => {
    expect(await refusedStatus(apiUrl, { Origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(apiUrl, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(
      403,
    );
    const own = await Client.open(apiUrl, { Origin: `http://127.0.0.1:${server.port}` });
    own.close();
  });

  it('when calls are malformed then each gets a structured error and the connection keeps serving', async () => {
    const c = await Client.open(apiUrl);
    expect((await c.sendRaw('{"type":"call","id":1,')).outcome).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_JSON' },
    });
    expect((await c.sendRaw('[1,2,3]')).outcome).toMatchObject({
      ok: false,
      error: { code: 'BAD_FRAME' },
    });
    expect((await c.sendRaw(Buffer.alloc(10))).outcome).toMatchObject({
      ok: false,
      error: { code: 'BAD_FRAME' },
    });
    const oversize = await c.sendRaw(
      JSON.stringify({
        type: 'call',
        id: 9,
        method: 'listSeries',
        params: { pad: 'x'.repeat(100_000) },
      }),
    );
    expect(oversize.outcome).toMatchObject({
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/exceeds the 65536-byte limit/),
      },
    });
    expect((await c.call('launchMissiles', {})).outcome).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'unknown method: launchMissiles' },
    });
    const invalid = await c.call('setReplaySpeed', { speed: 3 });
    expect(invalid.outcome).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', issues: [{ path: 'speed' }] },
    });
    const missing = await c.call('getCandles', {});
    expect(missing.outcome).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', issues: [{ path: 'series' }] },
    });
    const failed = await c.call('setReplaySpeed', { speed: 10 });
    expect(failed.outcome).toMatchObject({
      ok: false,
      error: { code: 'FAILED', message: expect.stringMatching(/current feed is not one/) },
    });
    expect((await c.call('getFeedStatus', {})).outcome).toMatchObject({
      ok: true,
      result: { kind: 'simulated' },
    });
    c.close();
  });

  it('pushes feed events: bars batched and status with messages per second', async () => {
    const c = await Client.open(apiUrl);
    const bars = await c.waitFor(
      (f): f is ServerFrame & { type: 'event' } => f.type === 'event' && f.event === 'marketBars',
      4_000,
    );
    expect(bars.payload).toMatchObject({ series: { exchange: 'simulated', timeframe: '1m' } });
    const status = await c.waitFor(
      (f): f is ServerFrame & { type: 'event' } => f.type === 'event' && f.event === 'feedStatus',
      4_000,
    );
    expect(status.payload).toMatchObject({ kind: 'simulated', state: 'live' });
    c.close();
  });

  it('imports a real candle file sent as base64, then replays it', async () => {
    const c = await Client.open(apiUrl);
    const file = 'binanceus_ETH-USD_5m_2023-03-13_15.csv.gz';
    const contentBase64 = readFileSync(sharedDataPath(`candles/${file}`)).toString('base64');
    const imported = await c.call('importHistory', { fileName: file, contentBase64 });
    expect(imported.outcome).toMatchObject({
      ok: true,
      result: {
        rows: 580,
        inserted: 580,
        series: { exchange: 'binanceus', symbol: 'ETH/USD', timeframe: '5m' },
      },
    });
    const broken = await c.call('importHistory', {
      fileName: 'x.csv',
      contentBase64: Buffer.from('time,open,high,low,close,volume\n1,a,1,1,1,1\n').toString(
        'base64',
      ),
    });
    expect(broken.outcome).toMatchObject({
      ok: false,
      error: { code: 'FAILED', message: 'x.csv:2: open is not a number: "a"' },
    });
    const series = { exchange: 'binanceus', symbol: 'ETH/USD', timeframe: '5m' };
    const selected = await c.call('selectFeed', { kind: 'replay', series, speed: 'max' });
    expect(selected.outcome).toMatchObject({
      ok: true,
      result: { kind: 'replay', replaySpeed: 'max' },
    });
    await c.waitFor(
      (f): f is ServerFrame & { type: 'event' } =>
        f.type === 'event' &&
        f.event === 'feedStatus' &&
        (f.payload as { state?: string }).state === 'ended',
    );
    const played = await c.call('getFeedCandles', { limit: 1000 });
    expect(
      played.outcome.ok && (played.outcome.result as { candles: unknown[] }).candles,
    ).toHaveLength(580);
    const stored = await c.call('getCandles', { series, limit: 3 });
    // 580 gap-free 5m bars from 2023-03-13 18:00: the last opens 579 × 5 min later, 2023-03-15 18:15.
    expect(
      stored.outcome.ok &&
        (stored.outcome.result as { candles: Array<{ time: number }> }).candles.map((x) => x.time),
    ).toEqual([
      Date.UTC(2023, 2, 15, 18, 5),
      Date.UTC(2023, 2, 15, 18, 10),
      Date.UTC(2023, 2, 15, 18, 15),
    ]);
    c.close();
  });

  it('serves the UI with a Content-Security-Policy and nothing outside its folder', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2fsecret.txt`);
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toContain('do not serve');
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });
});
