import { gunzipSync } from 'node:zlib';
import { TIMEFRAME_MS, timeframeFromMs, type Candle, type Timeframe } from '../../shared/market';

/** One bad row or header, with the 1-based line it is on. */
export interface CandleFileIssue {
  line: number;
  message: string;
}

/** A file that cannot be imported; `issues` say where and why (the first few of them). */
export class CandleFileError extends Error {
  public constructor(
    public readonly fileName: string,
    public readonly issues: readonly CandleFileIssue[],
    public readonly totalIssues = issues.length,
  ) {
    const shown = issues
      .slice(0, 5)
      .map((i) =>
        i.line > 0 ? `${fileName}:${i.line}: ${i.message}` : `${fileName}: ${i.message}`,
      );
    const more = totalIssues > shown.length ? ` (and ${totalIssues - shown.length} more)` : '';
    super(shown.join('; ') + more);
    this.name = 'CandleFileError';
  }
}

export interface ParsedCandleFile {
  /** e.g. 'binance-archive', 'kraken-ohlcvt', 'csv-header'. */
  format: string;
  timeframe: Timeframe;
  candles: Candle[];
  /** Bar intervals with no row inside the file's span. */
  gaps: number;
}

const MAX_ISSUES = 50;
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const HEADER_ALIASES: Record<
  'time' | 'open' | 'high' | 'low' | 'close' | 'volume',
  readonly string[]
> = {
  time: ['open_time', 'opentime', 'timestamp', 'time', 'date', 'datetime', 'ts', 't', 'unix'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v', 'base_volume', 'volume_base'],
};

/** Reads bytes that may be gzip-compressed into text. */
export function decodeCandleBytes(bytes: Uint8Array): string {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const raw = gz ? gunzipSync(bytes) : bytes;
  return new TextDecoder('utf-8', { fatal: false }).decode(raw).replace(/^\uFEFF/, '');
}

/** Parses an ISO-8601 date-time; one without a zone is UTC (exchange exports are). */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    t -= sign * offsetMin * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** Epoch seconds, milliseconds or microseconds, told apart by magnitude. */
function parseEpoch(text: string): number | undefined {
  if (!NUMBER_RE.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  return Math.round(n / 1000);
}

function parseTime(text: string): number | undefined {
  return parseEpoch(text) ?? parseIsoTime(text);
}

function looksLikeHeader(fields: readonly string[]): boolean {
  const first = fields[0]?.trim() ?? '';
  return parseTime(first) === undefined;
}

interface Columns {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function columnsFromHeader(header: readonly string[]): Columns | CandleFileIssue {
  const names = header.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/\s*\(.*\)$/, ''),
  );
  const cols: Partial<Columns> = {};
  for (const key of Object.keys(HEADER_ALIASES) as Array<keyof Columns>) {
    const idx = names.findIndex((n) => HEADER_ALIASES[key].includes(n));
    if (idx < 0) {
      return {
        line: 1,
        message: `header has no ${key} column (expected one of: ${HEADER_ALIASES[key].join(', ')})`,
      };
    }
    cols[key] = idx;
  }
  return cols as Columns;
}

/** Most common positive step between consecutive open times. */
function dominantStep(times: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== undefined && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

export interface ParseCandleFileOptions {
  /** Bar length when the file cannot tell (a single row), or to insist on one. */
  timeframe?: Timeframe;
}

/**
 * Parses any of the candle formats Parallax imports: CSV with or without a header, ISO or epoch
 * s/ms/µs times, Kraken's 7-column OHLCVT, Binance's 12-column archive. Every row is checked;
 * the file is refused as a whole if any row is bad, so an import never half-happens.
 */
export function parseCandleFile(
  fileName: string,
  text: string,
  options: ParseCandleFileOptions = {},
): ParsedCandleFile {
  const issues: CandleFileIssue[] = [];
  let issueCount = 0;
  const report = (line: number, message: string): void => {
    issueCount++;
    if (issues.length < MAX_ISSUES) issues.push({ line, message });
  };

  const lines = text.split(/\r?\n/);
  let firstDataLine = 0;
  while (firstDataLine < lines.length && lines[firstDataLine]!.trim() === '') firstDataLine++;
  if (firstDataLine >= lines.length)
    throw new CandleFileError(fileName, [{ line: 0, message: 'file is empty' }]);

  const delimiter = lines[firstDataLine]!.includes(',')
    ? ','
    : lines[firstDataLine]!.includes(';')
      ? ';'
      : '\t';
  const firstFields = lines[firstDataLine]!.split(delimiter);
  let columns: Columns;
  let format: string;
  let expectedWidth: number;
  if (looksLikeHeader(firstFields)) {
    const cols = columnsFromHeader(firstFields);
    if ('message' in cols)
      throw new CandleFileError(fileName, [{ ...cols, line: firstDataLine + 1 }]);
    columns = cols;
    expectedWidth = firstFields.length;
    format =
      firstFields.length === 12 && firstFields[6]?.trim().toLowerCase() === 'close_time'
        ? 'binance-archive'
        : 'csv-header';
    firstDataLine++;
  } else {
    expectedWidth = firstFields.length;
    if (expectedWidth < 6) {
      throw new CandleFileError(fileName, [
        {
          line: firstDataLine + 1,
          message: `expected at least 6 columns (time, open, high, low, close, volume), found ${expectedWidth}`,
        },
      ]);
    }
    columns = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };
    format =
      expectedWidth === 12 ? 'binance-archive' : expectedWidth === 7 ? 'kraken-ohlcvt' : 'csv';
  }

  const candles: Candle[] = [];
  const lineOf: number[] = [];
  const num = (
    fields: readonly string[],
    idx: number,
    what: string,
    line: number,
  ): number | undefined => {
    const raw = fields[idx]?.trim() ?? '';
    if (!NUMBER_RE.test(raw)) {
      report(line, `${what} is not a number: ${JSON.stringify(raw.slice(0, 40))}`);
      return undefined;
    }
    return Number(raw);
  };

  for (let i = firstDataLine; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const line = i + 1;
    const fields = text.split(delimiter);
    if (fields.length !== expectedWidth) {
      report(line, `expected ${expectedWidth} columns, found ${fields.length}`);
      continue;
    }
    const timeText = fields[columns.time]!.trim();
    const time = parseTime(timeText);
    if (time === undefined) {
      report(
        line,
        `time is not an ISO date or epoch number: ${JSON.stringify(timeText.slice(0, 40))}`,
      );
      continue;
    }
    const open = num(fields, columns.open, 'open', line);
    const high = num(fields, columns.high, 'high', line);
    const low = num(fields, columns.low, 'low', line);
    const close = num(fields, columns.close, 'close', line);
    const volume = num(fields, columns.volume, 'volume', line);
    if (
      open === undefined ||
      high === undefined ||
      low === undefined ||
      close === undefined ||
      volume === undefined
    )
      continue;
    if (!(open > 0 && high > 0 && low > 0 && close > 0)) {
      report(line, 'prices must be positive');
      continue;
    }
    if (high < Math.max(open, close, low) || low > Math.min(open, close)) {
      report(
        line,
        `inconsistent bar: high ${high} / low ${low} do not contain open ${open} and close ${close}`,
      );
      continue;
    }
    if (volume < 0) {
      report(line, `volume is negative: ${volume}`);
      continue;
    }
    const prev = candles[candles.length - 1];
    if (prev && time <= prev.time) {
      report(
        line,
        time === prev.time
          ? `duplicate time ${new Date(time).toISOString()}`
          : `time goes backwards (${new Date(time).toISOString()})`,
      );
      continue;
    }
    candles.push({ time, open, high, low, close, volume });
    lineOf.push(line);
  }

  if (issueCount > 0) throw new CandleFileError(fileName, issues, issueCount);
  if (candles.length === 0)
    throw new CandleFileError(fileName, [{ line: 0, message: 'no candle rows found' }]);

  const step = options.timeframe
    ? TIMEFRAME_MS[options.timeframe]
    : dominantStep(candles.map((c) => c.time));
  if (step === undefined) {
    throw new CandleFileError(fileName, [
      { line: 0, message: 'one row is not enough to tell the bar length; give the timeframe' },
    ]);
  }
  const timeframe = options.timeframe ?? timeframeFromMs(step);
  if (!timeframe) {
    throw new CandleFileError(fileName, [
      {
        line: 0,
        message: `bars are ${step / 60_000} minutes apart, which is not a supported timeframe`,
      },
    ]);
  }

  let gaps = 0;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    const line = lineOf[i]!;
    if (c.time % step !== 0 && step <= TIMEFRAME_MS['1d']) {
      report(line, `open time ${new Date(c.time).toISOString()} is not on a ${timeframe} boundary`);
      continue;
    }
    if (i > 0) {
      const d = c.time - candles[i - 1]!.time;
      if (d % step !== 0)
        report(
          line,
          `bar is ${d / 60_000} minutes after the previous one, not a multiple of ${timeframe}`,
        );
      else gaps += d / step - 1;
    }
  }
  if (issueCount > 0) throw new CandleFileError(fileName, issues, issueCount);
  return { format, timeframe, candles, gaps };
}
