// A store commit thread that opens, then dies of an uncaught error on its first job (as a
// thread whose SQLite build crashes would): what its owner must see while blocked in a drain.
import { parentPort, workerData } from 'node:worker_threads';

const control = new Int32Array(workerData.control);
Atomics.store(control, 2, 1);
Atomics.notify(control, 0);
parentPort.on('message', (command) => {
  if (command.type === 'job') throw new Error(`disk on fire while committing job ${command.seq}`);
});
