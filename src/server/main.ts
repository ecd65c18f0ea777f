import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readAppVersion } from '../core/app-version';
import { databasePath, resolveDataDir } from '../core/config/data-dir';
import { acquireDataDirLock, DataDirInUseError } from '../core/config/data-dir-lock';
import { tuneV8ForEngine } from '../core/engine';
import { Workstation } from '../core/workstation';
import { startHeadlessServer } from './headless-server';

const USAGE = `Usage: npm run serve -- [--port N] [--data-dir DIR] [--seed N]
  --port      port on 127.0.0.1 (default 4170, or PARALLAX_PORT; 0 picks a free one)
  --data-dir  where the database lives (default: PARALLAX_DATA_DIR or the user-data folder)
  --seed      seed of the simulated market (default 42)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = parseIntArg('--port', values.port ?? process.env.PARALLAX_PORT ?? '4170', 0, 65535);
  const seed = parseIntArg('--seed', values.seed ?? '42', 0, 2 ** 31 - 1);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const dataDir = resolveDataDir(values['data-dir']);
  const rendererDir = resolve(root, 'out/renderer');
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    console.warn(
      '[parallax] the UI is not built (out/renderer); run `npm run build` — serving the API only',
    );
  }

  const lock = acquireDataDirLock(dataDir);
  process.on('exit', () => lock.dispose());
  tuneV8ForEngine();
  const workstation = new Workstation({
    databasePath: databasePath(dataDir),
    appVersion: readAppVersion(resolve(root, 'package.json')),
    simulatedSeed: seed,
  });
  const portGiven = values.port !== undefined || process.env.PARALLAX_PORT !== undefined;
  const server = await startHeadlessServer({ workstation, rendererDir, port }).catch(
    (error: unknown) => {
      // Someone else has the default port (another copy, another app): any free port will do.
      if (!portGiven && isAddressInUse(error)) {
        console.warn(`[parallax] port ${port} is in use; picking a free one`);
        return startHeadlessServer({ workstation, rendererDir, port: 0 });
      }
      workstation.dispose();
      throw error;
    },
  );
  console.log(`Parallax headless UI: ${server.url}`);
  console.log(`  data: ${dataDir}   (Ctrl-C to stop)`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[parallax] ${signal}: shutting down`);
    void server
      .close()
      .then(() => workstation.dispose())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error('[parallax] shutdown failed:', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // `npm start` runs the host under tsx, which runs it in a child process: killed with SIGKILL,
  // tsx cannot pass anything on, and the host would hold the data folder with no one to stop
  // it. An orphan is re-parented (to init or a subreaper), so a changed parent pid means ours
  // has gone; a host started directly keeps its parent and is not affected.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanWatch);
    shutdown(`parent process ${parent} exited`);
  }, 1_000);
  orphanWatch.unref();
}

function parseIntArg(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  return n;
}

function isAddressInUse(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE'
  );
}

main().catch((error: unknown) => {
  if (isAddressInUse(error)) {
    console.error('[parallax] that port is in use: pass --port N (or 0 for any free port)');
  } else if (error instanceof DataDirInUseError) {
    console.error(`[parallax] ${error.message}`);
  } else {
    console.error('[parallax] failed to start:', error);
  }
  process.exit(1);
});
