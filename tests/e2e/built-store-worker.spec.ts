import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { AppSettingRepository } from '../../src/core/store/app-setting-repository';
import { openDatabase } from '../../src/core/store/database';
import { ThreadStoreCommitter } from '../../src/core/store/store-commit-thread';
import { PROJECT_ROOT } from '../support/shared-data';
import { makeTempDir } from '../stubs/temp-dir';

// Runs after `electron-vite build`: the desktop host's bundle starts the store's commit thread
// from out/main/store-commit-worker.js, which Electron cannot be launched here to try.
test('when the built commit worker is started on a database file then it commits what it is handed', () => {
  const dir = makeTempDir('parallax-built-worker-');
  try {
    const path = join(dir.path, 'parallax.sqlite');
    const db = openDatabase({ path });
    const committer = new ThreadStoreCommitter({
      path,
      workerUrl: pathToFileURL(join(PROJECT_ROOT, 'out/main/store-commit-worker.js')),
    });
    const settings = new AppSettingRepository(db);
    committer.submit({ batches: [], statements: [settings.setLater('built', { ok: true })] });
    committer.drain();
    expect(settings.get('built')).toEqual({ ok: true });
    committer.dispose();
    db.close();
  } finally {
    dir.remove();
  }
});
