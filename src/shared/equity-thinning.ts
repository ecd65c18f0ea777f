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
 * Points each bucket keeps when the thinned curve travels on (see thinEquityForTransfer): the
 * three above and the peak its deepest drawdown is measured from.
 */
export const TRANSFER_POINTS_PER_BUCKET = 4;

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
  checkBuckets(buckets);
  const drawdown = drawdownPercents(points);
  return keptIndices(points, drawdown, buckets, false).map((i) => ({
    time: points[i]!.time,
    equity: points[i]!.equity,
    drawdownPct: drawdown[i]!,
  }));
}

/**
 * At most `maxPoints` of `points` (an equity curve sent on to a chart that thins it again and
 * works its drawdown out from what it gets): the first and the last, and of each of
 * ⌊(maxPoints − 2) / 4⌋ runs of equal length its lowest and highest equity, its deepest drawdown
 * and the running peak that drawdown is measured from when it lies in the run (earlier peaks
 * are an earlier run's highest). So every run's extremes survive, and the deepest drawdown
 * worked out from the thinned curve is the whole curve's. Returns `points` itself when it is
 * short enough.
 *
 * @throws RangeError when `maxPoints` is below 6 (room for one run).
 */
export function thinEquityForTransfer<T extends EquityPoint>(
  points: readonly T[],
  maxPoints: number,
): readonly T[] {
  if (points.length <= maxPoints) return points;
  const buckets = Math.floor((maxPoints - 2) / TRANSFER_POINTS_PER_BUCKET);
  if (!Number.isFinite(maxPoints) || buckets < 1) {
    throw new RangeError(`maxPoints must be at least 6, got ${maxPoints}`);
  }
  return keptIndices(points, drawdownPercents(points), buckets, true).map((i) => points[i]!);
}

/** Curves on one time axis, as the comparison chart draws them (see alignEquityCurves). */
export interface AlignedCurves {
  /** The axis's times, epoch ms, rising: every time any curve is drawn at, and no other. */
  readonly times: readonly number[];
  /** Each curve as drawn, in the order given: its kept points, at times of `times`. */
  readonly curves: ReadonlyArray<readonly EquityPoint[]>;
}

/**
 * Several curves on one time axis, for a chart that spaces points evenly by index over the union
 * of its series' times. When that union is already one even grid of at most `slots` times, the
 * curves come back whole. Otherwise they are thinned onto a grid of `slots` evenly spaced times
 * from the earliest first point to the latest last (whole seconds apart, the chart's unit; fewer
 * slots when the range has fewer seconds; whole buckets), cut into buckets of `perBucket` slots: each curve
 * keeps, of its points nearest a bucket's slots, its own first or last point when there, then
 * the lowest and highest equity and the deepest drawdown (on its whole curve), filled up from
 * the bucket's ends, each moved to the slot nearest its time (in time order, one a slot). So
 * curves of any lengths and time grids line up in time on a proportional axis, and each line
 * still reaches its extremes; a point moves by less than a bucket.
 *
 * @throws RangeError when `slots` is not a positive integer or `perBucket` one below 2.
 */
export function alignEquityCurves(
  curves: ReadonlyArray<readonly EquityPoint[]>,
  slots: number,
  perBucket: number,
): AlignedCurves {
  if (!Number.isInteger(slots) || slots < 1) {
    throw new RangeError(`slots must be a positive integer, got ${slots}`);
  }
  if (!Number.isInteger(perBucket) || perBucket < 2) {
    throw new RangeError(`perBucket must be an integer of at least 2, got ${perBucket}`);
  }
  const union = [...new Set(curves.flatMap((c) => c.map((p) => p.time)))].sort((a, b) => a - b);
  if (union.length <= slots && evenlySpaced(union)) return { times: union, curves };

  const from = union[0]!;
  const to = union.at(-1)!;
  const span = to - from;
  // Whole seconds between slots (the chart's time unit), so no two slots share a time.
  const seconds = Math.floor(span / 1000);
  // Whole buckets only, so every bucket has room for its extremes.
  let count = Math.min(slots, seconds + 1);
  if (count > perBucket) count -= count % perBucket;
  const times = Array.from({ length: count }, (_, j) =>
    j === count - 1 ? to : from + Math.round((j * seconds) / (count - 1)) * 1000,
  );
  const slotOf = (time: number): number =>
    count === 1 ? 0 : Math.round(((time - from) / span) * (count - 1));
  const bucketOf = (time: number): number => Math.floor(slotOf(time) / perBucket);

  const aligned = curves.map((points): EquityPoint[] => {
    const n = points.length;
    const drawdown = drawdownPercents(points);
    const out: EquityPoint[] = [];
    for (let start = 0; start < n;) {
      const bucket = bucketOf(points[start]!.time);
      let end = start + 1;
      while (end < n && bucketOf(points[end]!.time) === bucket) end++;
      const first = bucket * perBucket;
      const last = Math.min(count - 1, first + perBucket - 1);
      const room = Math.min(last - first + 1, end - start);
      let low = start;
      let high = start;
      let deepest = start;
      for (let i = start + 1; i < end; i++) {
        if (points[i]!.equity < points[low]!.equity) low = i;
        if (points[i]!.equity > points[high]!.equity) high = i;
        if (drawdown[i]! < drawdown[deepest]!) deepest = i;
      }
      const chosen = new Set<number>();
      const ends = [start === 0 ? 0 : -1, end === n ? n - 1 : -1];
      for (const i of [...ends, low, high, deepest])
        if (i >= 0 && chosen.size < room) chosen.add(i);
      for (let k = 0; chosen.size < room; k++) {
        chosen.add(k % 2 === 0 ? start + k / 2 : end - 1 - (k - 1) / 2);
      }
      const kept = [...chosen].sort((a, b) => a - b);
      // The nearest slot of each, then pushed apart (one point a slot) within the bucket.
      const placed = kept.map((i) => Math.min(last, Math.max(first, slotOf(points[i]!.time))));
      for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k]!, placed[k - 1]! + 1);
      for (let k = placed.length - 1; k >= 0; k--) {
        placed[k] = Math.min(placed[k]!, (k === placed.length - 1 ? last + 1 : placed[k + 1]!) - 1);
      }
      kept.forEach((i, k) => out.push({ time: times[placed[k]!]!, equity: points[i]!.equity }));
      start = end;
    }
    return out;
  });
  return { times, curves: aligned };
}

/** Whether `times` (rising) are equally far apart. */
function evenlySpaced(times: readonly number[]): boolean {
  for (let i = 2; i < times.length; i++) {
    if (times[i]! - times[i - 1]! !== times[1]! - times[0]!) return false;
  }
  return true;
}

function checkBuckets(buckets: number): void {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  }
}

/**
 * Indices kept of `points` cut into `buckets` equal runs between the first and the last: each
 * run's lowest, highest and deepest-drawdown point (and with `withPeak` the peak of that
 * drawdown when it lies in the run), as many a run, filled up from its ends, in time order.
 */
function keptIndices(
  points: readonly EquityPoint[],
  drawdown: readonly number[],
  buckets: number,
  withPeak: boolean,
): number[] {
  const n = points.length;
  const perBucket = withPeak ? TRANSFER_POINTS_PER_BUCKET : POINTS_PER_BUCKET;
  if (n <= buckets * perBucket + 2) return points.map((_, i) => i);

  const kept: number[] = [0];
  const inner = n - 2;
  let peak = 0;
  for (let b = 0; b < buckets; b++) {
    // Indices 1 + [floor(b·inner/B), floor((b+1)·inner/B)): at least perBucket each.
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let low = start;
    let high = start;
    let deepest = start;
    if (points[start]!.equity > points[peak]!.equity) peak = start;
    let deepestPeak = peak;
    for (let i = start + 1; i < end; i++) {
      const e = points[i]!.equity;
      if (e > points[peak]!.equity) peak = i;
      if (e < points[low]!.equity) low = i;
      if (e > points[high]!.equity) high = i;
      if (drawdown[i]! < drawdown[deepest]!) {
        deepest = i;
        deepestPeak = peak;
      }
    }
    const chosen = new Set([low, high, deepest]);
    if (withPeak && deepestPeak >= start) chosen.add(deepestPeak);
    // Flat stretches: the run's own ends (then their neighbours) make up the rest.
    for (let k = 0; chosen.size < perBucket; k++) {
      chosen.add(k % 2 === 0 ? start + k / 2 : end - 1 - (k - 1) / 2);
    }
    kept.push(...[...chosen].sort((a, b) => a - b));
  }
  kept.push(n - 1);
  return kept;
}
