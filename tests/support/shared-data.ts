import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The project root (where package.json is). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `../shared/data` beside the project root: real market history kept outside the repository
 * (its sources' licences forbid copying it in). Override with PARALLAX_SHARED_DATA.
 */
export function sharedDataDir(): string {
  const dir = process.env.PARALLAX_SHARED_DATA ?? resolve(PROJECT_ROOT, '../shared/data');
  if (!existsSync(dir)) {
    throw new Error(
      `test data not found at ${dir}: these tests read real market data from ../shared/data beside the project root ` +
        '(or set PARALLAX_SHARED_DATA)',
    );
  }
  return dir;
}

/** Absolute path of a file under ../shared/data, failing clearly if it is missing. */
export function sharedDataPath(relative: string): string {
  const path = resolve(sharedDataDir(), relative);
  if (!existsSync(path)) throw new Error(`missing test data file ${path}`);
  return path;
}

/** A file's text, gunzipped when it ends in .gz. */
export function readSharedText(relative: string): string {
  const bytes = readFileSync(sharedDataPath(relative));
  return (relative.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}
