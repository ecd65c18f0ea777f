import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENGINE_V8_FLAGS, tuneV8ForEngine } from '../../src/core/engine';
import { formatReportMarkdown, withRatios, writeReport, type BenchModule } from './bench-report';

/**
 * `npm run bench [-- NAME…]`: runs every `tests/bench/*.bench.ts` (or the named ones) and writes
 * its report under tests/bench/results. Figures are compared with baselines measured in the same run.
 */
async function main(): Promise<void> {
  // The engine runs with the JIT settings the app's hosts apply.
  tuneV8ForEngine();
  const dir = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const environment = `Node ${process.versions.node}, ${cpus().length} × ${cpu}, ${new Date().toISOString()}`;
  for (const file of files) {
    const mod = (await import(pathToFileURL(resolve(dir, file)).href)) as BenchModule;
    console.log(`\n▶ ${file}`);
    const measured = withRatios(await mod.run());
    const report = {
      ...measured,
      notes: [
        ...(measured.notes ?? []),
        `Run with the V8 settings the app's hosts apply (tuneV8ForEngine: ${ENGINE_V8_FLAGS.join(' ')}).`,
      ],
    };
    writeReport(report, environment);
    console.log(formatReportMarkdown(report, environment));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
