/**
 * A small, fast, seedable PRNG (mulberry32) with the draws the market simulator needs.
 * Same seed → same sequence on every machine.
 */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  public constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  public next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller, keeping the second draw). */
  public normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u <= Number.EPSILON) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A variance multiplier with mean 1 such that normal(0, w) is Student-t with `dof` degrees of
   * freedom (unit variance): w = (dof − 2) / χ²(dof).
   */
  public studentTVarianceScale(dof: number): number {
    let chi2 = 0;
    for (let i = 0; i < dof; i++) {
      const z = this.normal();
      chi2 += z * z;
    }
    return (dof - 2) / chi2;
  }

  /** Student-t with `dof` (integer ≥ 3) degrees of freedom, scaled to unit variance. */
  public studentT(dof: number): number {
    let chi2 = 0;
    for (let i = 0; i < dof; i++) {
      const z = this.normal();
      chi2 += z * z;
    }
    return (this.normal() / Math.sqrt(chi2 / dof)) * Math.sqrt((dof - 2) / dof);
  }
}
