import { afterEach, describe, expect, it } from 'vitest';
import { Workstation } from '../../../src/core/workstation';
import { createIpcCallHandler } from '../../../src/main/ipc-call-handler';
import { TestClock } from '../../../src/core/time/clock';

describe('IPC call handler (the Electron transport, without Electron)', () => {
  let ws: Workstation | undefined;
  afterEach(() => ws?.dispose());

  const setup = () => {
    ws = new Workstation({
      databasePath: ':memory:',
      appVersion: '9.9.9',
      clock: new TestClock(Date.UTC(2024, 0, 1)),
    });
    const trusted = { id: 'main-frame' };
    const logs: string[] = [];
    const handle = createIpcCallHandler(
      ws.dispatcher,
      (s) => s === trusted,
      (m) => logs.push(m),
    );
    return { handle, trusted, logs };
  };

  it('when the app window calls a method then the real workstation answers', async () => {
    const { handle, trusted } = setup();
    const outcome = await handle(trusted, 'getAppInfo', {});
    expect(outcome).toMatchObject({ ok: true, result: { name: 'Parallax', version: '9.9.9' } });
  });

  it('when a foreign frame calls then it is refused and logged', async () => {
    const { handle, logs } = setup();
    const outcome = await handle({ id: 'iframe' }, 'getAppInfo', {});
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'BAD_FRAME', message: 'calls are accepted from the app window only' },
    });
    expect(logs).toEqual(['[parallax] refused IPC call from a foreign frame']);
  });

  it('when the call is invalid then a structured error comes back and later calls still work', async () => {
    const { handle, trusted } = setup();
    const bad = await handle(trusted, 'selectFeed', { kind: 'exchange' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('INVALID_PARAMS');
    const unknown = await handle(trusted, 'rm -rf', null);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe('UNKNOWN_METHOD');
    const good = await handle(trusted, 'getFeedStatus', {});
    expect(good).toMatchObject({ ok: true, result: { kind: 'simulated' } });
  });
});
