import type { SeriesMarker, UTCTimestamp } from 'lightweight-charts';
import type { TradeRow } from '../../../shared/backtest';

/** Marker colours: apart from the candles' teal and red, so a backtest's trades stand out. */
export const BUY_COLOR = '#4f8cff';
export const SELL_COLOR = '#ffb300';

type Marker = SeriesMarker<UTCTimestamp>;

/**
 * Entry and exit markers of a backtest's trades: a buy is an arrow up below the bar, a sell an
 * arrow down above it (a long opens with a buy and closes with a sell; a short the other way).
 */
export function tradeMarkers(trades: readonly TradeRow[]): Marker[] {
  const markers: Marker[] = [];
  for (const t of trades) {
    const long = t.side === 'long';
    markers.push({
      time: (t.entryTime / 1000) as UTCTimestamp,
      position: long ? 'belowBar' : 'aboveBar',
      shape: long ? 'arrowUp' : 'arrowDown',
      color: long ? BUY_COLOR : SELL_COLOR,
      text: long ? 'L' : 'S',
    });
    markers.push({
      time: (t.exitTime / 1000) as UTCTimestamp,
      position: long ? 'aboveBar' : 'belowBar',
      shape: long ? 'arrowDown' : 'arrowUp',
      color: long ? SELL_COLOR : BUY_COLOR,
      text: 'x',
    });
  }
  return markers.sort((a, b) => a.time - b.time);
}

/**
 * The markers the chart shows, held outside React like the bar stream: the chart applies them
 * through `subscribe`, never through a render.
 */
export class MarkerStream {
  private markers: Marker[] = [];
  private readonly listeners = new Set<(markers: readonly Marker[]) => void>();

  public get current(): readonly Marker[] {
    return this.markers;
  }

  public set(markers: Marker[]): void {
    this.markers = markers;
    for (const l of this.listeners) l(markers);
  }

  public subscribe(listener: (markers: readonly Marker[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const markerStream = new MarkerStream();
