import type {
  CandlestickData,
  HistogramData,
  LineData,
  SeriesMarker,
  UTCTimestamp,
} from 'lightweight-charts';
import type { TradeRow } from '../../../shared/backtest';
import type { SignalRow } from '../../../shared/chart';
import type { Candle } from '../../../shared/market';
import { BUY_COLOR, SELL_COLOR, SIGNAL_COLORS } from './chart-theme';

export type Marker = SeriesMarker<UTCTimestamp>;

/** The chart's time: seconds, where the API carries epoch milliseconds. */
export const sec = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp;

export const toCandle = (c: Candle): CandlestickData<UTCTimestamp> => ({
  time: sec(c.time),
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
});

export const toVolume = (c: Candle): HistogramData<UTCTimestamp> => ({
  time: sec(c.time),
  value: c.volume,
  color: c.close >= c.open ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)',
});

export const toLine = (p: { time: number; value: number }): LineData<UTCTimestamp> => ({
  time: sec(p.time),
  value: p.value,
});

/** What a marker stands for: its id is `s<n>` (the n-th signal) or `t<n>` (the n-th trade's entry or exit). */
export type MarkerRef =
  { kind: 'signal'; index: number } | { kind: 'entry' | 'exit'; index: number };

export function parseMarkerId(id: unknown): MarkerRef | null {
  if (typeof id !== 'string') return null;
  const m = /^([set])(\d+)$/.exec(id);
  if (m === null) return null;
  const index = Number(m[2]);
  return m[1] === 's'
    ? { kind: 'signal', index }
    : { kind: m[1] === 'e' ? 'entry' : 'exit', index };
}

const RULE_WORDS: Record<SignalRow['rule'], string> = {
  entryLong: 'long entry',
  entryShort: 'short entry',
  exitLong: 'long exit',
  exitShort: 'short exit',
};

/** How a rule is named on screen. */
export const ruleWords = (rule: SignalRow['rule']): string => RULE_WORDS[rule];

/**
 * A circle on the bar each rule fired on: entries below (long) or above (short) the bar, exits on
 * the other side; grey when nothing was done (conflict, refused, blocked).
 */
export function signalMarkers(signals: readonly SignalRow[]): Marker[] {
  return signals.map((s, i) => {
    const acted = s.action === 'entry' || s.action === 'exit';
    const long = s.rule === 'entryLong' || s.rule === 'exitShort';
    const color = !acted
      ? SIGNAL_COLORS.inactive
      : s.rule === 'entryLong'
        ? SIGNAL_COLORS.entryLong
        : s.rule === 'entryShort'
          ? SIGNAL_COLORS.entryShort
          : SIGNAL_COLORS.exit;
    return {
      id: `s${i}`,
      time: sec(s.time),
      position: long ? 'belowBar' : 'aboveBar',
      shape: 'circle',
      color,
      size: 1,
    };
  });
}

/**
 * Entry and exit arrows of trades, at their fills: a buy is an arrow up below the bar, a sell an
 * arrow down above it (a long opens with a buy and closes with a sell; a short the other way).
 */
export function tradeMarkers(trades: readonly TradeRow[]): Marker[] {
  const markers: Marker[] = [];
  trades.forEach((t, i) => {
    const long = t.side === 'long';
    markers.push({
      id: `e${i}`,
      time: sec(t.entryTime),
      position: long ? 'belowBar' : 'aboveBar',
      shape: long ? 'arrowUp' : 'arrowDown',
      color: long ? BUY_COLOR : SELL_COLOR,
      text: long ? 'L' : 'S',
    });
    markers.push({
      id: `t${i}`,
      time: sec(t.exitTime),
      position: long ? 'aboveBar' : 'belowBar',
      shape: long ? 'arrowDown' : 'arrowUp',
      color: long ? SELL_COLOR : BUY_COLOR,
      text: 'x',
    });
  });
  return markers;
}

/** Markers in time order, as the markers plugin wants them. */
export function sortedMarkers(...lists: Marker[][]): Marker[] {
  return lists.flat().sort((a, b) => a.time - b.time);
}

/** A number as a trader reads it: enough digits to tell values apart, no float noise. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(2);
  if (abs >= 1) return value.toFixed(4);
  return value.toPrecision(4);
}
