import { readFileSync } from 'node:fs';

/** The version in package.json, read once (both hosts report it through getAppInfo). */
export function readAppVersion(packageJsonPath: string): string {
  try {
    const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
