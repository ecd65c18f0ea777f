import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT } from './shared-data';
import { makeTempDir } from '../stubs/temp-dir';

export interface HeadlessProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Spawns the real headless host (`src/server/main.ts`) on a free port and `dataDir`, its output
 * piped. Node itself with tsx as a loader (not the tsx CLI, which runs the host in a grandchild
 * that a SIGKILL of the child would leave running): signals reach the host process directly.
 */
export function spawnHeadlessHost(
  dataDir: string,
  extraArgs: string[] = [],
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'src/server/main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Hands everything `child` prints, stdout and stderr, to `onText` as it comes. */
export function collectOutput(
  child: ChildProcessByStdio<null, Readable, Readable>,
  onText: (text: string) => void,
): void {
  child.stdout.on('data', (d: Buffer) => onText(d.toString()));
  child.stderr.on('data', (d: Buffer) => onText(d.toString()));
}

/**
 * Starts the real headless host (`src/server/main.ts`) as a child process on a free port and
 * resolves once it printed its URL. Fails with a clear message if the UI was never built.
 */
export async function startHeadlessProcess(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<HeadlessProcess> {
  if (!existsSync(join(PROJECT_ROOT, 'out/renderer/index.html'))) {
    throw new Error(
      'the UI is not built: run `npm run build` (npm test does it) before the e2e tests',
    );
  }
  const child = spawnHeadlessHost(dataDir, extraArgs);
  let out = '';
  collectOutput(child, (text) => (out += text));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`headless host printed no URL within 30 s:\n${out}`)),
      30_000,
    );
    const check = (): void => {
      const m = /Parallax headless UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`headless host exited (${code}) before printing its URL:\n${out}`)),
    );
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGINT');
      }),
  };
}

/**
 * For a Playwright suite: starts the real headless host on a fresh data folder before the
 * suite's tests and, after them, stops it with Ctrl-C and checks it shut down cleanly.
 * Returns a getter for the running host.
 */
export function useHeadlessHost(hooks: SuiteHooks, dataDirPrefix: string): () => HeadlessProcess {
  let host: HeadlessProcess | undefined;
  const dataDir = makeTempDir(dataDirPrefix);
  hooks.beforeAll(async () => {
    host = await startHeadlessProcess(dataDir.path);
  });
  hooks.afterAll(async () => {
    const code = await host?.stop();
    dataDir.remove();
    if (host && code !== 0)
      throw new Error(`Ctrl-C should shut the host down cleanly (exit ${code}):\n${host.output()}`);
  });
  return () => {
    if (!host) throw new Error('the headless host is not running');
    return host;
  };
}

/** The two Playwright hooks `useHeadlessHost` needs (passed in, so this file needs no test runner). */
export interface SuiteHooks {
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
}
