import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirInUseError,
  LOCK_FILE,
} from '../../../src/core/config/data-dir-lock';
import {
  collectOutput,
  spawnHeadlessHost,
  startHeadlessProcess,
  type HeadlessProcess,
} from '../../support/headless-process';
import { makeTempDir } from '../../stubs/temp-dir';

/** Runs a second host on `dataDir` to its exit: its code and what it printed. */
function secondHost(dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawnHeadlessHost(dataDir);
    let out = '';
    collectOutput(child, (text) => (out += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('one process per data folder', () => {
  const dir = makeTempDir('parallax-lock-');
  let host: HeadlessProcess | undefined;
  afterAll(async () => {
    await host?.stop();
    dir.remove();
  });

  it('when the folder is held by a live process then a second lock is refused, naming that process', () => {
    const own = makeTempDir('parallax-lock-own-');
    const lock = acquireDataDirLock(own.path);
    expect(readFileSync(join(own.path, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    expect(() => acquireDataDirLock(own.path)).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(own.path)).toThrow(`process ${process.pid}`);
    lock.dispose();
    acquireDataDirLock(own.path).dispose(); // released: free again
    own.remove();
  });

  it('when a lock was left by a process that is gone then it is taken over', () => {
    const stale = makeTempDir('parallax-lock-stale-');
    // A pid above the kernel's limit (pid_max ≤ 4,194,304) never runs.
    writeFileSync(join(stale.path, LOCK_FILE), '4194305');
    const lock = acquireDataDirLock(stale.path);
    expect(readFileSync(join(stale.path, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    lock.dispose();
    stale.remove();
  });

  it('when a host runs on a folder then a second host on it exits with the reason, and after a SIGKILL a new one starts', async () => {
    host = await startHeadlessProcess(dir.path);
    const second = await secondHost(dir.path);
    expect(second.code).toBe(1);
    expect(second.out).toContain(`another Parallax (process ${host.child.pid}) is using`);
    const exited = new Promise<void>((resolve) => host!.child.once('exit', () => resolve()));
    host.child.kill('SIGKILL');
    await exited;
    host = await startHeadlessProcess(dir.path);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  }, 90_000);
});
