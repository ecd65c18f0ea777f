import type Database from 'better-sqlite3';
import type { Db } from './database';
import { RecordBatchStore, type RecordBatch } from './engine-record-writer';
import type { SqlValue } from './record-batch';

/** A write of a repository, as its SQL and arguments, to run inside a commit. */
export interface SqlStatement {
  readonly sql: string;
  readonly args: readonly SqlValue[];
}

/** The statement `statement` runs, with `args`: a repository's write, kept for a commit. */
export function sqlStatement(
  statement: Database.Statement,
  args: readonly SqlValue[],
): SqlStatement {
  return { sql: statement.source, args };
}

/** Everything one commit writes, in one transaction: records first, then the statements in order. */
export interface CommitJob {
  readonly batches: readonly RecordBatch[];
  readonly statements: readonly SqlStatement[];
}

/**
 * Commits jobs in the order they were submitted, each in one transaction. A job that fails stays
 * queued, ahead of later ones, and is tried again by the next submit or drain: nothing handed over
 * is dropped while the process lives.
 */
export interface StoreCommitter {
  /** Queues `job`. Its records are owned by the committer from here on. */
  submit(job: CommitJob): void;
  /**
   * Returns once every job submitted so far is committed.
   * @throws Error with SQLite's reason when one fails again (it stays queued).
   */
  drain(): void;
  /** Jobs submitted and not yet committed. */
  readonly pending: number;
  /** The connection's page cache, KB (as `PRAGMA cache_size = -kb`), never lowered. */
  ensureCacheSizeKb(kb: number): void;
  /** Drains (logging a failure rather than throwing) and lets the committer go. */
  dispose(): void;
}

/** Writes jobs on one connection: the batches through the record repositories, then the statements. */
export class CommitJobRunner {
  private readonly records: RecordBatchStore;
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();

  public constructor(private readonly db: Db) {
    this.records = new RecordBatchStore(db);
  }

  /** Runs `job` in one transaction: all of it or, when it throws, none of it. */
  public commit(job: CommitJob): void {
    this.db.transaction(() => {
      for (const batch of job.batches) this.records.write(batch);
      for (const s of job.statements) this.prepared(s.sql).run(...s.args);
    })();
  }

  private prepared(sql: string): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<SqlValue[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Commits on the calling thread, at once: for in-memory databases, tests and tools. */
export class InlineStoreCommitter implements StoreCommitter {
  private readonly runner: CommitJobRunner;
  private readonly queue: CommitJob[] = [];

  public constructor(private readonly db: Db) {
    this.runner = new CommitJobRunner(db);
  }

  public get pending(): number {
    return this.queue.length;
  }

  public submit(job: CommitJob): void {
    this.queue.push(job);
    this.drain();
  }

  public drain(): void {
    while (this.queue.length > 0) {
      this.runner.commit(this.queue[0] as CommitJob);
      this.queue.shift();
    }
  }

  public ensureCacheSizeKb(kb: number): void {
    ensureCacheSizeKb(this.db, kb);
  }

  public dispose(): void {
    if (this.db.open) this.drain();
  }
}

/** Raises `db`'s page cache to `kb` KB unless it is larger already. */
export function ensureCacheSizeKb(db: Db, kb: number): void {
  const current = db.pragma('cache_size', { simple: true }) as number;
  // Negative: KB; positive: pages.
  const currentKb = current < 0 ? -current : (current * pageSizeOf(db)) / 1024;
  if (kb > currentKb) db.pragma(`cache_size = -${Math.ceil(kb)}`);
}

function pageSizeOf(db: Db): number {
  return db.pragma('page_size', { simple: true }) as number;
}
