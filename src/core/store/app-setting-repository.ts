import type { Db } from './database';
import { sqlStatement, type SqlStatement } from './store-commit';

/** Small named JSON values the host keeps between runs (the feed selection, breaker limits). */
export class AppSettingRepository {
  private readonly getStmt;
  private readonly setStmt;

  public constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM app_settings WHERE key = ?');
    this.setStmt = db.prepare(
      'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  /** The stored value, or undefined (callers validate its shape). */
  public get(key: string): unknown {
    const row = this.getStmt.get(key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  public set(key: string, value: unknown): void {
    this.setStmt.run(key, JSON.stringify(value));
  }

  /** {@link set} as a statement of a commit. */
  public setLater(key: string, value: unknown): SqlStatement {
    return sqlStatement(this.setStmt, [key, JSON.stringify(value)]);
  }
}
