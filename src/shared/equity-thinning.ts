/** One point of an equity curve: the time (epoch ms) and the equity then. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

/** A point as the performance chart draws it: its equity and its drawdown in percent. */
export interface DrawnEquityPoint extends EquityPoint {
  /** Below the running peak of the whole curve up to here, in percent (0 or negative). */
  readonly drawdownPct: number;
}

/** Points each bucket keeps: its lowest and highest equity and its deepest drawdown. */
export const POINTS_PER_BUCKET = 3;

/**
 * Drawdown below the running peak at each point of `points`, in percent (0 or negative); a peak
 * of 0 or less (a wiped-out account) counts as no drawdown.
 */
export function drawdownPercents(points: readonly EquityPoint[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return points.map((p) => {
    if (p.equity > peak) peak = p.equity;
    return peak > 0 ? ((p.equity - peak) / peak) * 100 : 0;
  });
}

/**
 * Thins an equity curve to `buckets` × 3 points plus its first and last, for a chart a few
 * hundred pixels wide. The points between the first and the last are cut into `buckets` runs of
 * equal length; each run keeps its lowest and its highest equity and its deepest drawdown (three
 * distinct points, filled up from the run's ends when these coincide), in time order. Every run
 * keeps the same number of points because the chart spaces points evenly, not by time: so the
 * time axis stays proportional and the drawn line still reaches every run's extremes.
 *
 * Drawdown is computed on the whole curve before thinning, so the deepest drawdown drawn is the
 * curve's own. A curve short enough comes back whole.
 *
 * @throws RangeError when `buckets` is not a positive integer.
 */
export function thinEquityCurve(
  points: readonly EquityPoint[],
  buckets: number,
): DrawnEquityPoint[] {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  }
  const drawdown = drawdownPercents(points);
  const at = (i: number): DrawnEquityPoint => ({
    time: points[i]!.time,
    equity: points[i]!.equity,
    drawdownPct: drawdown[i]!,
  });
  const n = points.length;
  if (n <= buckets * POINTS_PER_BUCKET + 2) return points.map((_, i) => at(i));

  const kept: number[] = [0];
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    // Indices 1 + [floor(b·inner/B), floor((b+1)·inner/B)): at least 3 each, as inner > 3B.
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let low = start;
    let high = start;
    let deepest = start;
    for (let i = start + 1; i < end; i++) {
      const e = points[i]!.equity;
      if (e < points[low]!.equity) low = i;
      if (e > points[high]!.equity) high = i;
      if (drawdown[i]! < drawdown[deepest]!) deepest = i;
    }
    const chosen = new Set([low, high, deepest]);
    // Flat stretches: the run's own ends (then their neighbours) make up the three.
    for (let k = 0; chosen.size < POINTS_PER_BUCKET; k++) {
      chosen.add(k % 2 === 0 ? start + k / 2 : end - 1 - (k - 1) / 2);
    }
    kept.push(...[...chosen].sort((a, b) => a - b));
  }
  kept.push(n - 1);
  return kept.map(at);
}
