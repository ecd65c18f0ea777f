import type Database from 'better-sqlite3';
import type { Db } from './database';

/** A value SQLite binds. */
export type SqlValue = string | number | null;

/**
 * The small integer keys the record tables carry instead of repeated TEXT: one per run
 * (`record_runs.run`) and one per (run, variant) (`record_variants.stream`), migration 6; one per
 * rule's term texts (`signal_term_texts.texts_id`), migration 7. Looked up once per batch and
 * created on first use, inside the batch's transaction.
 */
export class RecordStreams {
  private readonly runs = new Map<string, { run: number; streams: Map<string, number> }>();
  /** By the texts array itself: the records of a rule share one. */
  private readonly texts = new Map<readonly string[], number>();
  private statements?: {
    getRun: Database.Statement<[string]>;
    addRun: Database.Statement<[string]>;
    getStream: Database.Statement<[number, string]>;
    addStream: Database.Statement<[number, string]>;
    getTexts: Database.Statement<[string]>;
    addTexts: Database.Statement<[string]>;
  };

  public constructor(private readonly db: Db) {}

  /** The key of run `runId`, created if it has none yet. */
  public runKey(runId: string): number {
    return this.runOf(runId).run;
  }

  /** The key of (`runId`, `variantId`), created if the pair has none yet. */
  public streamKey(runId: string, variantId: string): number {
    const run = this.runOf(runId);
    let stream = run.streams.get(variantId);
    if (stream === undefined) {
      const st = this.prepared();
      const row = st.getStream.get(run.run, variantId) as { stream: number } | undefined;
      stream = row?.stream ?? Number(st.addStream.run(run.run, variantId).lastInsertRowid);
      run.streams.set(variantId, stream);
    }
    return stream;
  }

  /** The key of a rule's term texts, created if they have none yet. */
  public textsKey(texts: readonly string[]): number {
    let key = this.texts.get(texts);
    if (key === undefined) {
      const json = JSON.stringify(texts);
      const st = this.prepared();
      const row = st.getTexts.get(json) as { texts_id: number } | undefined;
      key = row?.texts_id ?? Number(st.addTexts.run(json).lastInsertRowid);
      this.texts.set(texts, key);
    }
    return key;
  }

  /**
   * Drops the cached keys. Called at the start of every batch: a key created in a transaction
   * that was then rolled back (the batch's, or the caller's around it) must not be reused.
   */
  public forget(): void {
    this.runs.clear();
    this.texts.clear();
  }

  private runOf(runId: string): { run: number; streams: Map<string, number> } {
    let entry = this.runs.get(runId);
    if (entry === undefined) {
      const st = this.prepared();
      const row = st.getRun.get(runId) as { run: number } | undefined;
      const run = row?.run ?? Number(st.addRun.run(runId).lastInsertRowid);
      this.runs.set(runId, (entry = { run, streams: new Map() }));
    }
    return entry;
  }

  /** Prepared on first write, so repositories that only read open on any schema version. */
  private prepared(): NonNullable<RecordStreams['statements']> {
    this.statements ??= {
      getRun: this.db.prepare('SELECT run FROM record_runs WHERE run_id = ?'),
      addRun: this.db.prepare('INSERT INTO record_runs (run_id) VALUES (?)'),
      getStream: this.db.prepare(
        'SELECT stream FROM record_variants WHERE run = ? AND variant_id = ?',
      ),
      addStream: this.db.prepare('INSERT INTO record_variants (run, variant_id) VALUES (?, ?)'),
      getTexts: this.db.prepare('SELECT texts_id FROM signal_term_texts WHERE texts = ?'),
      addTexts: this.db.prepare('INSERT INTO signal_term_texts (texts) VALUES (?)'),
    };
    return this.statements;
  }
}

/** Rows per multi-row INSERT: amortises the per-statement call; 64 × 17 columns stays far under SQLite's variable limit. */
const ROWS_PER_STATEMENT = 64;

/**
 * Inserts rows into `table` with one multi-row `INSERT … VALUES (…), (…)` per 64 rows (and a
 * one-row statement for the rest) instead of one statement call per row.
 */
export class BatchInsert<T> {
  private statements?: {
    many: Database.Statement<SqlValue[]>;
    one: Database.Statement<SqlValue[]>;
  };
  private readonly manyArgs: SqlValue[];
  private readonly oneArgs: SqlValue[];
  private readonly width: number;

  public constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly verb = 'INSERT',
  ) {
    this.width = columns.length;
    this.manyArgs = new Array<SqlValue>(ROWS_PER_STATEMENT * this.width).fill(null);
    this.oneArgs = new Array<SqlValue>(this.width).fill(null);
  }

  /**
   * Inserts `rows` in their order; `fill` writes row `index`'s column values into `args` from
   * position `at`, in the order of the constructor's columns.
   */
  public run(
    rows: readonly T[],
    fill: (args: SqlValue[], at: number, row: T, index: number) => void,
  ): void {
    const { many, one } = this.prepared();
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
        fill(this.manyArgs, j * this.width, rows[i + j] as T, i + j);
      }
      many.run(...this.manyArgs);
    }
    for (; i < rows.length; i++) {
      fill(this.oneArgs, 0, rows[i] as T, i);
      one.run(...this.oneArgs);
    }
  }

  /** Prepared on first write, so repositories that only read open on any schema version. */
  private prepared(): NonNullable<BatchInsert<T>['statements']> {
    if (this.statements === undefined) {
      const tuple = `(${this.columns.map(() => '?').join(', ')})`;
      const head = `${this.verb} INTO ${this.table} (${this.columns.join(', ')}) VALUES `;
      this.statements = {
        many: this.db.prepare<SqlValue[]>(
          head + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', '),
        ),
        one: this.db.prepare<SqlValue[]>(head + tuple),
      };
    }
    return this.statements;
  }
}

/**
 * What the record repositories share: the run and stream keys (their own, or those of the writer
 * they belong to, which forgets them per batch), and a transaction per standalone insert.
 */
export abstract class RecordLog {
  protected readonly streams: RecordStreams;
  private readonly ownStreams: boolean;

  /** `streams`: shared with the other record repositories of one writer, which resets it per batch. */
  protected constructor(
    protected readonly db: Db,
    streams?: RecordStreams,
  ) {
    this.streams = streams ?? new RecordStreams(db);
    this.ownStreams = streams === undefined;
  }

  /** Runs `write` in one transaction (joining the caller's, if one is open). */
  protected inTransaction(write: () => void): void {
    this.db.transaction(() => {
      if (this.ownStreams) this.streams.forget();
      write();
    })();
  }
}
