import type { Candle } from '../../shared/market';

const FIELDS = 6;

/**
 * Bars in one SharedArrayBuffer, six Float64 columns (time, open, high, low, close, volume):
 * every shard of a sharded run reads the same memory instead of a copy per worker.
 */
export function packBars(bars: readonly Candle[]): SharedArrayBuffer {
  const n = bars.length;
  const buffer = new SharedArrayBuffer(n * FIELDS * Float64Array.BYTES_PER_ELEMENT);
  const columns = new Float64Array(buffer);
  for (let i = 0; i < n; i++) {
    const b = bars[i] as Candle;
    columns[i] = b.time;
    columns[n + i] = b.open;
    columns[2 * n + i] = b.high;
    columns[3 * n + i] = b.low;
    columns[4 * n + i] = b.close;
    columns[5 * n + i] = b.volume;
  }
  return buffer;
}

/** The bars {@link packBars} stored, as candles (built once per worker, before its run). */
export function unpackBars(buffer: SharedArrayBuffer): Candle[] {
  const columns = new Float64Array(buffer);
  const n = columns.length / FIELDS;
  const bars = new Array<Candle>(n);
  for (let i = 0; i < n; i++) {
    bars[i] = {
      time: columns[i] as number,
      open: columns[n + i] as number,
      high: columns[2 * n + i] as number,
      low: columns[3 * n + i] as number,
      close: columns[4 * n + i] as number,
      volume: columns[5 * n + i] as number,
    };
  }
  return bars;
}
