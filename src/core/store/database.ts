import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the SQLite file, or ':memory:'. */
  path: string;
  migrations?: readonly Migration[];
  /**
   * Apply pending migrations (default). A second connection to a file another one opened (the
   * store's commit thread) leaves the schema to the first.
   */
  migrate?: boolean;
}

/** Opens (creating if needed) the workstation database in WAL mode and applies pending migrations. */
export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process kill (the OS still has the WAL); only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (options.migrate !== false) applyMigrations(db, options.migrations ?? MIGRATIONS);
  return db;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

export function applyMigrations(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const current = schemaVersion(db);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version)
      throw new Error(`duplicate migration version ${sorted[i]!.version}`);
  }
  const newest = sorted.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `database schema v${current} is newer than this build knows (v${newest}); update Parallax`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
  }
}
