import type { ImportReport } from '../../shared/history';
import { SeriesKeySchema, type SeriesKey, type Timeframe } from '../../shared/market';
import type { Clock } from '../time/clock';
import type { CandleRepository } from '../store/candle-repository';
import type { Db } from '../store/database';
import { CandleFileError, decodeCandleBytes, parseCandleFile } from './candle-file-parser';
import { guessSeriesFromFileName, normalizeSymbol } from './series-naming';

export interface ImportCandleFileRequest {
  fileName: string;
  bytes: Uint8Array;
  exchange?: string;
  symbol?: string;
  timeframe?: Timeframe;
}

/** Imports candle files into the store: all of a file or nothing, never a bar twice. */
export class HistoryImporter {
  private readonly recordStmt;

  public constructor(
    private readonly db: Db,
    private readonly candles: CandleRepository,
    private readonly clock: Clock,
  ) {
    this.recordStmt = db.prepare(
      `INSERT INTO history_imports (file_name, exchange, symbol, timeframe, format, rows, inserted, first_time, last_time, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  public importFile(request: ImportCandleFileRequest): ImportReport {
    const { fileName } = request;
    const parsed = parseCandleFile(fileName, decodeCandleBytes(request.bytes), {
      timeframe: request.timeframe,
    });
    const guess = guessSeriesFromFileName(fileName);
    const exchange = (request.exchange ?? guess.exchange)?.toLowerCase();
    const rawSymbol = request.symbol ?? guess.symbol;
    if (!exchange || !rawSymbol) {
      throw new CandleFileError(fileName, [
        {
          line: 0,
          message:
            'cannot tell the exchange and symbol from the file name; give them (e.g. --exchange binance --symbol BTC/USDT)',
        },
      ]);
    }
    const key = SeriesKeySchema.safeParse({
      exchange,
      symbol: normalizeSymbol(rawSymbol, exchange),
      timeframe: parsed.timeframe,
    });
    if (!key.success) {
      throw new CandleFileError(fileName, [
        {
          line: 0,
          message: `exchange or symbol is not valid: ${key.error.issues[0]?.message ?? ''}`,
        },
      ]);
    }
    const series: SeriesKey = key.data;
    const first = parsed.candles[0]!.time;
    const last = parsed.candles[parsed.candles.length - 1]!.time;
    const inserted = this.db.transaction(() => {
      const n = this.candles.insert(series, parsed.candles);
      this.recordStmt.run(
        fileName,
        series.exchange,
        series.symbol,
        series.timeframe,
        parsed.format,
        parsed.candles.length,
        n,
        first,
        last,
        this.clock.nowMs(),
      );
      return n;
    })();
    return {
      fileName,
      series,
      format: parsed.format,
      rows: parsed.candles.length,
      inserted,
      alreadyStored: parsed.candles.length - inserted,
      firstTime: first,
      lastTime: last,
      gaps: parsed.gaps,
    };
  }
}
