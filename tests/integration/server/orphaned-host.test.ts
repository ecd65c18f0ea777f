import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../../src/core/config/data-dir-lock';
import { connectHostApi } from '../../support/host-api';
import { startHeadlessProcess } from '../../support/headless-process';
import { PROJECT_ROOT } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the headless host under the tsx wrapper that `npm start` uses', () => {
  const dir = makeTempDir('parallax-orphan-');
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    dir.remove();
  });

  it('when the wrapper is killed with SIGKILL then the host it ran shuts down and frees the data folder', async () => {
    // As scripts/start.mjs runs it: the tsx CLI, which runs the host in a child process of its own.
    const wrapper = spawn(
      join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [join(PROJECT_ROOT, 'src/server/main.ts'), '--port', '0', '--data-dir', dir.path],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.push(wrapper.pid!);
    let out = '';
    wrapper.stdout.on('data', (d: Buffer) => (out += d.toString()));
    wrapper.stderr.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('Parallax headless UI:')) {
      if (wrapper.exitCode !== null) throw new Error(`the host did not start:\n${out}`);
      await sleep(50);
    }
    const hostPid = Number(readFileSync(join(dir.path, LOCK_FILE), 'utf8'));
    started.push(hostPid);
    expect(hostPid).not.toBe(wrapper.pid);
    expect(alive(hostPid)).toBe(true);

    const wrapperGone = new Promise<void>((resolve) => wrapper.once('exit', () => resolve()));
    wrapper.kill('SIGKILL');
    await wrapperGone;
    // It notices within a second or so; 30 s is only the limit of the wait.
    const deadline = Date.now() + 30_000;
    while (alive(hostPid) && Date.now() < deadline) await sleep(100);
    expect(alive(hostPid), `host ${hostPid} still running:\n${out}`).toBe(false);
    expect(out).toContain('exited: shutting down');
    expect(existsSync(join(dir.path, LOCK_FILE))).toBe(false);

    // The folder is free for the next start, and a host started directly (its parent stays)
    // keeps running past several of its parent checks.
    const host = await startHeadlessProcess(dir.path);
    started.push(host.child.pid!);
    await sleep(2_500);
    const client = await connectHostApi(host.url);
    expect((await client.api.getFeedStatus({})).kind).toBe('simulated');
    client.close();
    expect(await host.stop()).toBe(0);
  }, 90_000);
});
