import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DATA_DIR_ENV = 'PARALLAX_DATA_DIR';
export const DATABASE_FILE = 'parallax.sqlite';

/**
 * Where Parallax keeps its database: `--data-dir`, else PARALLAX_DATA_DIR, else the per-user
 * application-data folder Electron would use for an app named "Parallax", so the desktop app
 * and the headless host share one database.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return resolve(fromEnv);
  const home = homedir();
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Parallax');
  if (process.platform === 'darwin')
    return join(home, 'Library', 'Application Support', 'Parallax');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Parallax');
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}
