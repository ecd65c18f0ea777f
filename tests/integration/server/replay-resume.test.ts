import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../../src/shared/market';
import { connectHostApi } from '../../support/host-api';
import { startHeadlessProcess, type HeadlessProcess } from '../../support/headless-process';
import { BTCUSDT_1M, BTCUSDT_1M_SERIES } from '../../support/real-candles';
import { sharedDataPath } from '../../support/shared-data';
import { makeTempDir } from '../../stubs/temp-dir';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGKILLs the host (node itself, see startHeadlessProcess) and waits for its exit. */
async function killHard(host: HeadlessProcess): Promise<void> {
  if (host.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill('SIGKILL');
  await exited;
}

describe('a replay in the real headless host killed with SIGKILL and started again', () => {
  const dir = makeTempDir('parallax-replay-resume-');
  let host: HeadlessProcess | undefined;
  afterAll(async () => {
    if (host) await killHard(host);
    dir.remove();
  });

  it('when the host comes back then the replay goes on from where it was, and its progress says so', async () => {
    host = await startHeadlessProcess(dir.path);
    let client = await connectHostApi(host.url);
    const file = sharedDataPath(BTCUSDT_1M);
    await client.api.importHistory({
      fileName: basename(file),
      contentBase64: readFileSync(file).toString('base64'),
    });
    // At 'max' the month plays in a few dozen milliseconds, so the slowdown can arrive after the
    // last bar: then the replay is selected again, from the start (a handful of tries at most).
    let atKill = 0;
    for (let attempt = 0; attempt < 20 && !(atKill > 0.04 && atKill < 1); attempt++) {
      await client.api.selectFeed({ kind: 'replay', series: BTCUSDT_1M_SERIES, speed: 'max' });
      let status: FeedStatus;
      do status = await client.api.getFeedStatus({});
      while ((status.progress ?? 0) < 0.04);
      // Slowed to a crawl (a bar a minute), so the position at the kill is the position committed.
      await client.api.setReplaySpeed({ speed: 1 });
      atKill = (await client.api.getFeedStatus({})).progress!;
    }
    expect(atKill).toBeGreaterThan(0.04);
    expect(atKill).toBeLessThan(1);
    await sleep(2_500); // past the next commit (every second) after the last bar
    client.close();
    await killHard(host);

    host = await startHeadlessProcess(dir.path);
    client = await connectHostApi(host.url);
    const resumed = await client.api.getFeedStatus({});
    expect(resumed.kind).toBe('replay');
    expect(resumed.replaySpeed).toBe(1);
    // The next bar after the last one seen: 1 bar of the ~30,000 at most.
    expect(resumed.progress).toBeGreaterThanOrEqual(atKill);
    expect(resumed.progress! - atKill).toBeLessThan(1 / 20_000);
    client.close();
    expect(await host.stop()).toBe(0);
    host = undefined;
  }, 120_000);
});
