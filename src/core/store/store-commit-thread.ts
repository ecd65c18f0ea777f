import { createRequire } from 'node:module';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { Db } from './database';
import { packRecordBatch, type PackedRecordBatch } from './record-batch-codec';
import {
  InlineStoreCommitter,
  type CommitJob,
  type SqlStatement,
  type StoreCommitter,
} from './store-commit';

/** Slots of the control words the thread and its owner share. */
export const CONTROL = {
  /** Seq of the newest committed job. */
  committed: 0,
  /** Seq of a job that failed and waits to be tried again; 0 when none. */
  failed: 1,
  /** 1 once the thread has its connection, −1 if it could not open one (or load its script). */
  opened: 2,
  /** 1 once the thread has ended, whatever ended it: set by the thread as it goes. */
  ended: 3,
} as const;

/**
 * Starts the commit thread: loads its script (`workerData.script`) and, whatever ends the thread
 * — a script that cannot load, an uncaught error, a normal close — tells the owner through the
 * control words and the errors port. An owner blocked in `Atomics.wait` sees no worker events:
 * without this, a thread that died before opening or in the middle of a drain would be seen only
 * when the wait timed out (two minutes). CommonJS, evaluated as is (`eval: true`).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const tell = (slot, value) => {
  Atomics.store(control, slot, value);
  Atomics.notify(control, ${CONTROL.committed});
};
const reason = (error) => (error instanceof Error ? error.message : String(error));
if (workerData.typescriptLoader !== null) require(workerData.typescriptLoader).register();
process.on('exit', () => tell(${CONTROL.ended}, 1));
process.on('uncaughtException', (error) => {
  workerData.errors.postMessage(reason(error));
  process.exit(1);
});
import(workerData.script).catch((error) => {
  workerData.errors.postMessage('its script did not load: ' + reason(error));
  tell(${CONTROL.opened}, -1);
});
`;

/** What the commit thread starts with (its workerData). */
export interface StoreCommitWorkerData {
  readonly path: string;
  /** The thread's script (its URL), loaded by the bootstrap. */
  readonly script: string;
  /** tsx's register API (a path) when the script is TypeScript source, else null. */
  readonly typescriptLoader: string | null;
  /** One Int32 word per slot of {@link CONTROL}. */
  readonly control: SharedArrayBuffer;
  /** Where the thread says why a job failed or its connection did not open. */
  readonly errors: MessagePort;
}

/** Messages to the commit thread. */
export type StoreCommitCommand =
  | {
      readonly type: 'job';
      readonly seq: number;
      readonly batches: readonly PackedRecordBatch[];
      readonly statements: readonly SqlStatement[];
    }
  | { readonly type: 'retry' }
  | { readonly type: 'cacheSize'; readonly kb: number }
  | { readonly type: 'close' };

export interface ThreadStoreCommitterOptions {
  /** The database file (a second connection to it is opened on the thread). */
  readonly path: string;
  /**
   * Jobs handed over and not yet committed before `submit` waits for the oldest: bounds the
   * memory records take when the disk is slower than the engine. Default 2.
   */
  readonly maxPending?: number;
  /** How long a drain waits for the thread to answer at all, ms. Default 120,000. */
  readonly answerTimeoutMs?: number;
  /** Failures of jobs committed in the background (a drain throws them instead). */
  readonly log?: (message: string) => void;
  /** The worker script; by default store-commit-worker next to this module (`.ts` through tsx). */
  readonly workerUrl?: URL;
  /**
   * The caller's own connection to the file. Given, a thread that ends on its own hands over to
   * it: the jobs it had not committed, and every later one, commit on the calling thread. Not
   * given, every later call throws why the thread stopped.
   */
  readonly takeOver?: Db;
}

/** The thread could not open the database: commit on the calling thread instead. */
export class StoreThreadUnavailableError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StoreThreadUnavailableError';
  }
}

/** store-commit-worker next to this module, as source or built (resolved on use). */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return new URL(
    here.endsWith('.ts') ? './store-commit-worker.ts' : './store-commit-worker.js',
    here,
  );
}

/**
 * Commits on a thread of its own, over its own connection to the same file (WAL: readers on the
 * calling thread see each commit once it is done). The engine hands a job over and goes on with
 * the next bars while SQLite writes it on the other core; reads and commands drain first, so they
 * see everything handed over before them, in order. Records cross as packed numbers
 * ({@link packRecordBatch}), moved rather than copied.
 */
export class ThreadStoreCommitter implements StoreCommitter {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly errors: MessagePort;
  private readonly maxPending: number;
  private readonly answerTimeoutMs: number;
  private readonly log: (message: string) => void;
  private submitted = 0;
  /** Why the failed job failed, once read from the thread. */
  private failure: string | null = null;
  private reportedFailure = 0;
  private disposed = false;
  /** Why the thread ended, if it ended before `dispose`. */
  private ended: string | null = null;
  /** Jobs handed over and not yet known committed, oldest first: what a take-over writes. */
  private readonly handedOver: Array<{ readonly seq: number; readonly job: CommitJob }> = [];
  private readonly takeOverDb: Db | null;
  /** Commits on the caller's thread once the thread has ended (see `takeOver`). */
  private inline: InlineStoreCommitter | null = null;

  /** @throws StoreThreadUnavailableError when the thread cannot open the database. */
  public constructor(options: ThreadStoreCommitterOptions) {
    this.maxPending = Math.max(1, options.maxPending ?? 2);
    this.answerTimeoutMs = options.answerTimeoutMs ?? 120_000;
    this.log = options.log ?? ((m) => console.warn(`[parallax] ${m}`));
    this.takeOverDb = options.takeOver ?? null;
    const shared = new SharedArrayBuffer(
      Object.keys(CONTROL).length * Int32Array.BYTES_PER_ELEMENT,
    );
    this.control = new Int32Array(shared);
    const channel = new MessageChannel();
    this.errors = channel.port1;
    const url = options.workerUrl ?? defaultWorkerUrl();
    const workerData: StoreCommitWorkerData = {
      path: options.path,
      script: url.href,
      // A TypeScript worker (development, tests, benchmarks) is loaded through tsx; an eval'd
      // thread does not run execArgv's --import, so the bootstrap registers it.
      typescriptLoader: url.pathname.endsWith('.ts')
        ? createRequire(import.meta.url).resolve('tsx/esm/api')
        : null,
      control: shared,
      errors: channel.port2,
    };
    this.worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData,
      transferList: [channel.port2],
    });
    // Never what keeps the process alive: dispose drains, and a process that ends without it
    // loses only what a crash would (nothing committed).
    this.worker.unref();
    this.worker.on('error', (error) => {
      this.ended ??= error.message;
      this.log(`store thread failed: ${error.message}`);
    });
    this.worker.on('exit', (code) => {
      if (this.disposed) return;
      const why = this.newFailure();
      this.ended ??= `it exited with code ${code}${why === null ? '' : `: ${why}`}`;
      this.log(`store thread stopped: ${this.ended}`);
    });
    const answered = this.waitUntil(() => Atomics.load(this.control, CONTROL.opened) !== 0);
    if (Atomics.load(this.control, CONTROL.opened) !== 1) {
      this.disposed = true; // abandoned: its exit is no news to anyone
      void this.worker.terminate();
      const why =
        this.readFailure() ??
        this.ended ??
        (answered ? 'unknown error' : `no answer in ${this.answerTimeoutMs / 1000} s`);
      throw new StoreThreadUnavailableError(
        `the store thread could not open ${options.path}: ${why}`,
      );
    }
  }

  public get pending(): number {
    if (this.inline !== null) return this.inline.pending;
    return this.submitted - Atomics.load(this.control, CONTROL.committed);
  }

  public submit(job: CommitJob): void {
    if (this.disposed) throw new Error('the store committer is closed');
    const inline = this.inlineOnceEnded();
    if (inline !== null) return inline.submit(job);
    this.forgetCommitted();
    const seq = ++this.submitted;
    this.handedOver.push({ seq, job });
    const batches = job.batches.map(packRecordBatch);
    const command: StoreCommitCommand = { type: 'job', seq, batches, statements: job.statements };
    this.worker.postMessage(
      command,
      batches.map((b) => b.numbers.buffer as ArrayBuffer),
    );
    if (this.failedSeq() !== 0) {
      // A failed job stays queued (this one retries it): say so once, never wait on it.
      this.reportFailure();
      return;
    }
    this.waitUntil(
      () => this.pending <= this.maxPending || this.failedSeq() !== 0,
      'a commit on the store thread',
    );
    // Ended while waiting: the jobs it had not written, this one among them, are written here.
    this.inlineOnceEnded();
  }

  public drain(): void {
    const inline = this.inlineOnceEnded();
    if (inline !== null) return inline.drain();
    if (this.pending === 0) return this.forgetCommitted();
    if (this.failedSeq() !== 0) {
      // The thread is idle after a failure until told: clear the word it sets again if the
      // retry fails too, so that the wait below waits for the retry's outcome.
      Atomics.store(this.control, CONTROL.failed, 0);
      this.worker.postMessage({ type: 'retry' } satisfies StoreCommitCommand);
    }
    this.waitUntil(
      () => this.pending === 0 || this.failedSeq() !== 0,
      'the store thread to commit',
    );
    const inlineNow = this.inlineOnceEnded();
    if (inlineNow !== null) return inlineNow.drain();
    if (this.pending !== 0) {
      throw new Error(`commit failed: ${this.readFailure() ?? 'unknown error'}`);
    }
    this.forgetCommitted();
  }

  public ensureCacheSizeKb(kb: number): void {
    if (this.inline !== null) return this.inline.ensureCacheSizeKb(kb);
    this.worker.postMessage({ type: 'cacheSize', kb } satisfies StoreCommitCommand);
  }

  public dispose(): void {
    if (this.disposed) return;
    try {
      this.drain();
    } catch (error) {
      this.log(error instanceof Error ? error.message : String(error));
    }
    this.disposed = true;
    this.worker.postMessage({ type: 'close' } satisfies StoreCommitCommand);
  }

  private throwIfEnded(): void {
    if (this.ended === null) return;
    const lost = this.pending > 0 ? `; ${this.pending} commits handed to it were not written` : '';
    throw new Error(`the store thread has stopped (${this.ended})${lost}`);
  }

  /**
   * Null while the thread lives. Once it has ended: the committer on the caller's connection
   * that takes over, created the first time with the jobs the thread had not committed
   * (in order), or — with no connection to take over on — throws why the thread stopped.
   *
   * A job is known committed once the thread sets its word, right after COMMIT in the same
   * synchronous run: only a thread killed between the two (out of memory) could have written a
   * job handed over here again. That job then fails on its records' unique keys, stays queued
   * and says so, rather than being written twice.
   */
  private inlineOnceEnded(): InlineStoreCommitter | null {
    if (this.inline !== null) return this.inline;
    if (this.disposed || !this.endedWhileWaiting()) return null;
    if (this.takeOverDb === null) {
      this.throwIfEnded();
      return null;
    }
    this.forgetCommitted();
    const left = this.handedOver.splice(0).map((h) => h.job);
    const inline = new InlineStoreCommitter(this.takeOverDb);
    this.inline = inline;
    this.log(
      `the store thread stopped (${this.ended}): committing on the main thread from now on` +
        (left.length > 0 ? `, starting with the ${left.length} commits it had not written` : ''),
    );
    for (const job of left) inline.submit(job);
    return inline;
  }

  /** Drops the jobs the thread has committed from those a take-over would write. */
  private forgetCommitted(): void {
    const committed = Atomics.load(this.control, CONTROL.committed);
    let n = 0;
    while (n < this.handedOver.length && (this.handedOver[n] as { seq: number }).seq <= committed)
      n++;
    if (n > 0) this.handedOver.splice(0, n);
  }

  private failedSeq(): number {
    return Atomics.load(this.control, CONTROL.failed);
  }

  private reportFailure(): void {
    const seq = this.failedSeq();
    const reason = this.readFailure();
    if (seq === this.reportedFailure) return;
    this.reportedFailure = seq;
    this.log(`commit failed (kept, tried again with the next one): ${reason ?? 'unknown error'}`);
  }

  /** The newest reason the thread gave (read without waiting: the caller may be blocked). */
  private readFailure(): string | null {
    for (;;) {
      const message = receiveMessageOnPort(this.errors);
      if (message === undefined) return this.failure;
      this.failure = String(message.message);
    }
  }

  /**
   * Blocks the calling thread until `done()` holds, woken by the thread's notifications.
   * @returns false once the thread has ended, or on timeout when `what` is not given.
   * @throws Error naming `what` when the thread does not answer in `answerTimeoutMs`.
   */
  private waitUntil(done: () => boolean, what?: string): boolean {
    const deadline = performance.now() + this.answerTimeoutMs;
    for (;;) {
      if (done()) return true;
      // Ended: the caller takes over or says why (see inlineOnceEnded).
      if (this.endedWhileWaiting()) return false;
      const left = deadline - performance.now();
      if (left <= 0) {
        if (what === undefined) return false;
        throw new Error(`waited ${this.answerTimeoutMs / 1000} s for ${what}; no answer`);
      }
      const committed = Atomics.load(this.control, CONTROL.committed);
      if (done()) return true;
      Atomics.wait(this.control, CONTROL.committed, committed, Math.min(left, 250));
    }
  }

  /**
   * The thread has ended, as its own word says: seen while blocked, when its exit event cannot
   * arrive. `ended` then says why (the reason it gave, if it gave one).
   */
  private endedWhileWaiting(): boolean {
    if (this.ended === null && !this.disposed && Atomics.load(this.control, CONTROL.ended) !== 0)
      this.ended = this.newFailure() ?? 'it ended';
    return this.ended !== null;
  }

  /** A reason the thread gave since the last one read, if any. */
  private newFailure(): string | null {
    const before = this.failure;
    const now = this.readFailure();
    return now !== before ? now : null;
  }
}

/**
 * The committer for `db`, opened on `path`: on its own thread for a file, on the calling thread
 * for an in-memory database (no second connection can see it) or when the thread cannot start.
 */
export function openStoreCommitter(
  db: Db,
  path: string,
  log: (message: string) => void = (m) => console.warn(`[parallax] ${m}`),
): StoreCommitter {
  if (path === ':memory:' || path === '') return new InlineStoreCommitter(db);
  try {
    return new ThreadStoreCommitter({ path, log, takeOver: db });
  } catch (error) {
    log(`committing on the main thread: ${error instanceof Error ? error.message : String(error)}`);
    return new InlineStoreCommitter(db);
  }
}
