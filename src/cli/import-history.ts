import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { TimeframeSchema } from '../shared/market';
import { databasePath, resolveDataDir } from '../core/config/data-dir';
import { HistoryImporter } from '../core/history/history-importer';
import { CandleRepository } from '../core/store/candle-repository';
import { openDatabase } from '../core/store/database';
import { LiveClock } from '../core/time/clock';

const USAGE = `Usage: npm run import -- FILE… [--exchange ID] [--symbol SYM] [--timeframe TF] [--data-dir DIR]
Imports candle files (CSV, gzip or plain; ISO or epoch times; Binance archive, Kraken OHLCVT).
Exchange and symbol come from the file name (e.g. binanceus_BTCUSDT_1m_….csv.gz) unless given.`;

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      exchange: { type: 'string' },
      symbol: { type: 'string' },
      timeframe: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const timeframe =
    values.timeframe === undefined ? undefined : TimeframeSchema.safeParse(values.timeframe);
  if (timeframe && !timeframe.success) {
    console.error(`--timeframe must be one of ${TimeframeSchema.options.join(', ')}`);
    return 2;
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const db = openDatabase({ path: databasePath(dataDir) });
  const importer = new HistoryImporter(db, new CandleRepository(db), new LiveClock());
  let failed = 0;
  for (const file of positionals) {
    try {
      const report = importer.importFile({
        fileName: basename(file),
        bytes: readFileSync(file),
        exchange: values.exchange,
        symbol: values.symbol,
        timeframe: timeframe?.data,
      });
      const s = report.series;
      console.log(
        `${file}: ${report.rows} bars of ${s.exchange} ${s.symbol} ${s.timeframe} (${report.format}), ` +
          `${report.inserted} new, ${report.alreadyStored} already stored, ${report.gaps} empty intervals, ` +
          `${new Date(report.firstTime).toISOString()} → ${new Date(report.lastTime).toISOString()}`,
      );
    } catch (error) {
      failed++;
      console.error(`${error instanceof Error ? error.message : String(error)}`);
    }
  }
  db.close();
  console.log(`database: ${databasePath(dataDir)}`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
