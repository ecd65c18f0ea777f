import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Disposable } from '../../shared/disposable';

export const LOCK_FILE = 'parallax.lock';

/** Another live process holds the data folder. */
export class DataDirInUseError extends Error {
  public constructor(
    public readonly dataDir: string,
    public readonly pid: number,
  ) {
    super(
      `another Parallax (process ${pid}) is using ${dataDir}; close it first, or start this one with --data-dir pointing elsewhere`,
    );
    this.name = 'DataDirInUseError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per data folder: two hosts (desktop and headless, or two headless) writing the
 * same database would each replay and trade the same variants. The lock is a file holding the
 * owner's pid, created exclusively; a lock left by a process that no longer runs (a crash, a
 * SIGKILL) is taken over. (A reused pid could keep a stale lock alive: the message names the
 * pid so a person can check.)
 * @throws DataDirInUseError when a live process holds it.
 */
export function acquireDataDirLock(dataDir: string): Disposable {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        dispose: () => {
          if (released) return;
          released = true;
          if (readOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && processAlive(owner)) throw new DataDirInUseError(dataDir, owner);
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${dataDir}: ${path} keeps reappearing`);
}

function readOwner(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
