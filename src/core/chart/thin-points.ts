import { thinEquityForTransfer, type EquityPoint } from '../../shared/equity-thinning';

/**
 * At most `maxPoints` of an equity curve, for the charts (which thin it again to their width):
 * the first and last kept (the last is the value now), and each stretch's lowest and highest
 * equity, its deepest drawdown and that drawdown's peak, so the maximum drawdown the chart works
 * out from them is the run's (see thinEquityForTransfer). Returns `points` itself when it is
 * short enough.
 *
 * @throws RangeError when `maxPoints` is below 6 (the API asks for at least 10).
 */
export function thinPoints<T extends EquityPoint>(
  points: readonly T[],
  maxPoints: number,
): readonly T[] {
  return thinEquityForTransfer(points, maxPoints);
}
