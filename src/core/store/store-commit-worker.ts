/**
 * The store's commit thread: its own connection to the database file, committing the jobs a
 * {@link ThreadStoreCommitter} hands over, in order, one transaction each.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from './database';
import { unpackRecordBatch } from './record-batch-codec';
import { CommitJobRunner, ensureCacheSizeKb, type CommitJob } from './store-commit';
import {
  CONTROL,
  type StoreCommitCommand,
  type StoreCommitWorkerData,
} from './store-commit-thread';

const data = workerData as StoreCommitWorkerData;
const control = new Int32Array(data.control);
/** Jobs as they came, packed: unpacked when committed, so any failure is the job's. */
const queue: Array<Extract<StoreCommitCommand, { type: 'job' }>> = [];

/** Wakes the owner, whatever it waits for (it re-reads every word). */
function tell(slot: number, value: number): void {
  Atomics.store(control, slot, value);
  Atomics.notify(control, CONTROL.committed);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let db: Db | null = null;
let runner: CommitJobRunner | null = null;
try {
  db = openDatabase({ path: data.path, migrate: false });
  runner = new CommitJobRunner(db);
  tell(CONTROL.opened, 1);
} catch (error) {
  data.errors.postMessage(reason(error));
  tell(CONTROL.opened, -1);
}

/** Commits queued jobs in order; stops at one that fails, which stays first in the queue. */
function commitQueued(): void {
  if (runner === null) return;
  for (;;) {
    const head = queue[0];
    if (head === undefined) return;
    try {
      const job: CommitJob = {
        batches: head.batches.map(unpackRecordBatch),
        statements: head.statements,
      };
      runner.commit(job);
    } catch (error) {
      data.errors.postMessage(reason(error));
      tell(CONTROL.failed, head.seq);
      return;
    }
    queue.shift();
    if (Atomics.load(control, CONTROL.failed) !== 0) Atomics.store(control, CONTROL.failed, 0);
    tell(CONTROL.committed, head.seq);
  }
}

parentPort?.on('message', (command: StoreCommitCommand) => {
  switch (command.type) {
    case 'job':
      queue.push(command);
      commitQueued();
      return;
    case 'retry':
      commitQueued();
      return;
    case 'cacheSize':
      try {
        if (db !== null) ensureCacheSizeKb(db, command.kb);
      } catch {
        // A smaller page cache only costs speed; commits go on.
      }
      return;
    case 'close':
      commitQueued();
      db?.close();
      parentPort?.close();
      data.errors.close();
      return;
  }
});
