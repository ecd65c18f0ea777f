/**
 * At most `maxPoints` of `points`, evenly spaced by index, the first and the last always kept (the
 * last is the value now). Returns `points` itself when it is short enough.
 */
export function thinPoints<T>(points: readonly T[], maxPoints: number): readonly T[] {
  const n = points.length;
  if (n <= maxPoints) return points;
  if (maxPoints <= 1) return n > 0 ? [points[n - 1] as T] : [];
  const out = new Array<T>(maxPoints);
  for (let i = 0; i < maxPoints; i++) {
    out[i] = points[Math.round((i * (n - 1)) / (maxPoints - 1))] as T;
  }
  return out;
}
