// A store commit thread that opens, then ends at once (as after a fatal error): what the
// committer must report instead of waiting for commits that will never come.
import { workerData } from 'node:worker_threads';

const control = new Int32Array(workerData.control);
Atomics.store(control, 2, 1);
Atomics.notify(control, 0);
process.exit(3);
