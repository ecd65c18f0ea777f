#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, else the headless host (and says why).
// `npm run serve` (--headless): the headless host directly. Runs on the Node that npm scripts
// put first on PATH (the `node` devDependency: Node 24).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const headlessOnly = args.includes('--headless');
const passThrough = args.filter((a) => a !== '--headless');
const bin = (name) =>
  join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds main, preload and renderer when the build is missing or older than the sources. */
function ensureBuilt() {
  const marker = join(root, 'out', 'renderer', 'index.html');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(root, 'src'));
  if (fresh) return;
  console.log('[parallax] building the app…');
  const result = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[parallax] the build failed; see above');
    process.exit(result.status ?? 1);
  }
}

/**
 * Why Electron cannot run here, or null when it can. Looks for the binary on disk: calling
 * require('electron') in electron 45 would try to download it, which hangs offline.
 */
function electronUnavailableReason() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile))
    return 'the Electron runtime is not installed (it downloads on first use and this machine is offline)';
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(exe)) return `the Electron binary is missing (${exe})`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display';
  return null;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal; we only wait for it to finish cleanly.
  const forward = (signal) => () => {
    if (!process.stdin.isTTY) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

ensureBuilt();
const reason = headlessOnly ? 'headless mode requested' : electronUnavailableReason();
if (reason === null) {
  const exe = join(
    root,
    'node_modules',
    'electron',
    'dist',
    readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim(),
  );
  run(exe, [root, ...passThrough]);
} else {
  if (!headlessOnly)
    console.log(
      `[parallax] Electron cannot run here (${reason}); starting the headless host instead.`,
    );
  run(bin('tsx'), [join(root, 'src', 'server', 'main.ts'), ...passThrough]);
}
