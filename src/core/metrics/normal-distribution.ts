/**
 * The standard normal distribution, written out here rather than taken from a library so its
 * accuracy is known and tested: PSR, DSR and MinTRL rest on it.
 */

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
// as in his CALERF routine (netlib specfun): relative error below 1e-16 on every interval.
// Coefficients written as the doubles they round to (the published ones carry 18 digits).
const A = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097,
];
const Q = [
  2.568520192289822, 1.8729528499234673, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918,
];

/** Below this |x| Cody approximates erf itself; above it, erfc. */
const THRESHOLD = 0.46875;

/** erfc(x) for x > THRESHOLD, by Cody's two outer rational approximations. */
function erfcAbove(x: number): number {
  let num: number;
  let den: number;
  if (x <= 4) {
    num = C[8]! * x;
    den = x;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * x;
      den = (den + D[i]!) * x;
    }
    const r = (num + C[7]!) / (den + D[7]!);
    return expTimes(x, r);
  }
  const z = 1 / (x * x);
  num = P[5]! * z;
  den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  let r = (z * (num + P[4]!)) / (den + Q[4]!);
  r = (INV_SQRT_PI - r) / x;
  return expTimes(x, r);
}

/** r·exp(−x²), with x² split as Cody does so that the exponent keeps full precision. */
function expTimes(x: number, r: number): number {
  const xsq = Math.trunc(x * 16) / 16;
  const del = (x - xsq) * (x + xsq);
  return Math.exp(-xsq * xsq) * Math.exp(-del) * r;
}

/** erf(x) for |x| ≤ THRESHOLD. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * z;
    den = (den + B[i]!) * z;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in both tails. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (Number.isNaN(x)) return Number.NaN;
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  if (y > 26.6) return x > 0 ? 0 : 2; // below the smallest double / at 2 within rounding
  const r = erfcAbove(y);
  return x > 0 ? r : 2 - r;
}

/**
 * Φ(x), the standard normal cumulative distribution function, with relative accuracy near 1e-15
 * in both tails (computed from erfc, so Φ(−8) ≈ 6.2e-16 is not lost to cancellation).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('normalCdf: x is NaN');
  const z = -x / SQRT2;
  if (Math.abs(z) <= THRESHOLD) return 0.5 + 0.5 * erfSmall(x / SQRT2);
  return 0.5 * erfc(z);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// P. J. Acklam's rational approximation of the normal quantile (relative error 1.15e-9), refined
// below by one Halley step against normalCdf, which brings it to full double precision.
const AA = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const AB = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const AC = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const AD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((AC[0]! * q + AC[1]!) * q + AC[2]!) * q + AC[3]!) * q + AC[4]!) * q + AC[5]!) /
      ((((AD[0]! * q + AD[1]!) * q + AD[2]!) * q + AD[3]!) * q + 1)
    );
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(
      (((((AC[0]! * q + AC[1]!) * q + AC[2]!) * q + AC[3]!) * q + AC[4]!) * q + AC[5]!) /
      ((((AD[0]! * q + AD[1]!) * q + AD[2]!) * q + AD[3]!) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((AA[0]! * r + AA[1]!) * r + AA[2]!) * r + AA[3]!) * r + AA[4]!) * r + AA[5]!) * q) /
    (((((AB[0]! * r + AB[1]!) * r + AB[2]!) * r + AB[3]!) * r + AB[4]!) * r + 1)
  );
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's approximation plus one Halley refinement.
 * Returns −∞ at p = 0 and +∞ at p = 1.
 * @throws RangeError for p outside [0, 1] or NaN.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const x = acklam(p);
  // Halley step on f(x) = Φ(x) − p. In the upper tail work with the complement, where Φ(x) − p
  // would cancel: 1 − Φ(x) = Φ(−x).
  const e = p > 0.5 ? 1 - p - normalCdf(-x) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
