import type { Sampler } from '../../shared/variants';
import { SeededRandom } from '../market/seeded-random';
import type { ParameterConfig } from '../strategy/strategy-config-schema';

/** One parameter of a strategy's parameter space, as the config schema declares it. */
export type ParameterSpec = ParameterConfig;
export type ParameterValue = number | string;
/** Concrete values by parameter name (without `$`): one variant's parameters. */
export type ParameterSet = Record<string, ParameterValue>;

/** Most parameter sets one call draws (the API asks for at most 1,000 variants). */
export const MAX_SAMPLE_COUNT = 100_000;

/** A parameter space or request the sampler cannot use; `parameter` names the culprit. */
export class ParameterSpaceError extends RangeError {
  public constructor(
    message: string,
    public readonly parameter: string | null = null,
  ) {
    super(message);
    this.name = 'ParameterSpaceError';
  }
}

export interface ParameterSampleOptions {
  /**
   * Points the result must not repeat besides the defaults — main's parameters, variants
   * already running — so that adding variants later never duplicates one. Names left out take
   * their default; names outside the space are ignored.
   */
  readonly avoid?: readonly Readonly<Record<string, ParameterValue>>[];
}

export interface ParameterSample {
  /** Distinct parameter sets, none equal to the defaults or to a point in `avoid`. */
  readonly sets: ParameterSet[];
  readonly requested: number;
  /**
   * Distinct points in the space as this sampler sees it (the defaults and avoided points
   * included); +∞ when a float without a step makes it continuous (random, latin-hypercube).
   */
  readonly spaceSize: number;
  /**
   * True when the space held no more than `requested` new points: `sets` is every one of them,
   * in a seeded order, and shorter than requested when the space is smaller.
   */
  readonly exhausted: boolean;
}

/**
 * `count` parameter sets drawn from `space`, reproducible for a `seed` (see
 * {@link sampleParameterSpace}, which also says when the space ran out).
 */
export function sampleParameterSets(
  space: readonly ParameterSpec[],
  count: number,
  sampler: Sampler,
  seed: number,
  options: ParameterSampleOptions = {},
): ParameterSet[] {
  return sampleParameterSpace(space, count, sampler, seed, options).sets;
}

/**
 * Draws `count` distinct parameter sets from a strategy's parameter space.
 *
 * Every parameter is a list of values: an int's `min + k·step` (step 1 by default), a float's
 * `min + k·step` when it has a step, a choice's choices; a float without a step is continuous
 * (the grid splits it into evenly spaced values, both ends included: `count` plus one per point
 * to avoid, the defaults counting as one). A
 * parameter whose range is one point keeps its default. Then, by sampler:
 * - `random`: each value uniform over its list or range;
 * - `latin-hypercube`: each dimension split into `count` strata, one sample per stratum, the
 *   strata paired across dimensions by a seeded permutation per dimension. A list shorter than
 *   `count` cannot give each stratum its own value: each of its values is then used equally
 *   often (⌊count/L⌋ or ⌈count/L⌉ times);
 * - `grid`: the Cartesian product of the lists. When it holds no more than `count` new points,
 *   all of them in a seeded order (`exhausted`); otherwise `count` points spread over it as a
 *   latin hypercube does, but at the centre of each stratum rather than at a random place in it,
 *   so the values used along each dimension are evenly spaced.
 *
 * Results are distinct from each other, from the defaults and from `options.avoid` wherever the
 * space allows (a clash is redrawn inside its strata, then resolved by swapping strata between
 * two samples, which keeps the design; only if both fail is a free point taken).
 *
 * @throws ParameterSpaceError naming the parameter for an empty or invalid range, a repeated
 *   name, or naming the argument for a count outside 0..100,000, an unknown sampler or a seed
 *   that is not an integer.
 */
export function sampleParameterSpace(
  space: readonly ParameterSpec[],
  count: number,
  sampler: Sampler,
  seed: number,
  options: ParameterSampleOptions = {},
): ParameterSample {
  if (!Number.isInteger(count) || count < 0 || count > MAX_SAMPLE_COUNT)
    throw new ParameterSpaceError(
      `count must be an integer from 0 to ${MAX_SAMPLE_COUNT.toLocaleString('en-US')}, got ${count}`,
    );
  if (sampler !== 'random' && sampler !== 'latin-hypercube' && sampler !== 'grid')
    throw new ParameterSpaceError(
      `sampler must be random, latin-hypercube or grid, got ${String(sampler)}`,
    );
  if (!Number.isInteger(seed))
    throw new ParameterSpaceError(`seed must be an integer, got ${seed}`);

  const avoidPoints = options.avoid ?? [];
  // A float without a step becomes this many grid values: count, plus one per point to avoid
  // (the defaults and `avoid`), so avoiding never leaves the grid short.
  const gridLevels = Math.max(2, count + avoidPoints.length + 1);
  const dims = space.map((spec) => toDimension(spec, sampler === 'grid' ? gridLevels : null));
  checkUniqueNames(dims);

  const defaults = dims.map((d) => d.fallback);
  const avoid = new Set<string>([pointKey(defaults)]);
  for (const point of avoidPoints) {
    avoid.add(pointKey(dims.map((d) => (d.name in point ? point[d.name]! : d.fallback))));
  }

  const spaceSize = dims.reduce((size, d) => size * d.size, 1);
  const result = (points: ParameterValue[][], exhausted: boolean): ParameterSample => ({
    sets: points.map((values) => toSet(dims, values)),
    requested: count,
    spaceSize,
    exhausted,
  });
  if (count === 0) return result([], false);

  const random = new SeededRandom(seed);
  // A small space is listed whole: it says exactly how many new points exist, and a shuffled
  // list is the draw without replacement that rejection sampling would approach slowly.
  const listed = spaceSize <= 4 * (count + avoid.size) + 16 ? listSpace(dims, avoid, random) : null;
  if (listed && listed.length <= count) return result(listed, true);
  if (sampler === 'random') {
    return result(listed ? listed.slice(0, count) : drawRandom(dims, count, avoid, random), false);
  }
  return result(stratified(dims, count, sampler === 'grid', avoid, random, listed), false);
}

/** A parameter as a list of values (`size` of them, `value(k)`), or a continuous range. */
interface Dimension {
  readonly name: string;
  readonly fallback: ParameterValue;
  /** Number of values; +∞ for a continuous range. */
  readonly size: number;
  value(k: number): ParameterValue;
  /** Continuous ranges only: the value at u ∈ [0, 1). */
  at(u: number): number;
}

function toDimension(spec: ParameterSpec, continuousLevels: number | null): Dimension {
  const name = typeof spec?.name === 'string' ? spec.name : '';
  const fail = (why: string): never => {
    throw new ParameterSpaceError(`parameter \`${name || '?'}\`: ${why}`, name || null);
  };
  if (!name) fail('needs a name');
  const fixed = (fallback: ParameterValue): Dimension => ({
    name,
    fallback,
    size: 1,
    value: () => fallback,
    at: () => Number(fallback),
  });

  if (spec.type === 'choice') {
    if (!Array.isArray(spec.choices) || spec.choices.length === 0)
      fail('a choice needs at least one value');
    const choices = [...new Set(spec.choices)];
    for (const c of choices) {
      if (typeof c === 'number' ? !Number.isFinite(c) : typeof c !== 'string')
        fail(`choice ${String(c)} is not a finite number or a text`);
    }
    if (choices.length === 1) return fixed(spec.default ?? choices[0]!);
    return {
      name,
      fallback: spec.default,
      size: choices.length,
      value: (k) => choices[k]!,
      at: () => NaN,
    };
  }
  if (spec.type !== 'int' && spec.type !== 'float')
    fail(`type must be int, float or choice, got ${String((spec as { type?: unknown }).type)}`);
  const { min, max } = spec;
  const integer = spec.type === 'int';
  for (const [what, v] of [
    ['min', min],
    ['max', max],
    ['default', spec.default],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a finite number`);
    if (integer && !Number.isInteger(v)) fail(`${what} must be an integer, got ${v}`);
  }
  if (min > max) fail(`the range is empty: max (${max}) is below min (${min})`);
  let step = spec.step;
  if (step !== undefined) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0)
      fail(`step must be a positive number, got ${String(step)}`);
    if (integer && !Number.isInteger(step)) fail(`step must be an integer, got ${step}`);
  } else if (integer) step = 1;
  if (min === max) return fixed(spec.default);

  if (step === undefined) {
    const width = max - min;
    if (continuousLevels === null) {
      return {
        name,
        fallback: spec.default,
        size: Number.POSITIVE_INFINITY,
        value: () => NaN,
        at: (u) => Math.min(max, min + u * width),
      };
    }
    const last = continuousLevels - 1;
    return {
      name,
      fallback: spec.default,
      size: continuousLevels,
      // Twelve significant digits: 0.1 stays 0.1 instead of 0.30000000000000004-style noise.
      value: (k) => (k === last ? max : Number((min + (k / last) * width).toPrecision(12))),
      at: () => NaN,
    };
  }
  // A hair of tolerance so 0.3 / 0.05 = 5.999… still counts 0.3 as on the grid.
  const steps = Math.floor((max - min) / step + 1e-9);
  if (!Number.isSafeInteger(steps + 1))
    fail(`step ${step} splits ${min}..${max} into more values than can be counted`);
  const decimals = Math.max(decimalPlaces(min), decimalPlaces(step));
  return {
    name,
    fallback: spec.default,
    size: steps + 1,
    value: (k) => {
      const raw = min + k * step;
      return Math.min(max, decimals <= 15 ? Number(raw.toFixed(decimals)) : raw);
    },
    at: () => NaN,
  };
}

/** Digits after the point as written: 0.05 → 2, 1e-7 → 7, 12 → 0. */
function decimalPlaces(x: number): number {
  const [mantissa = '', exponent] = String(x).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

function checkUniqueNames(dims: readonly Dimension[]): void {
  const seen = new Set<string>();
  for (const d of dims) {
    if (seen.has(d.name))
      throw new ParameterSpaceError(`parameter \`${d.name}\` is declared twice`, d.name);
    seen.add(d.name);
  }
}

/** Identity of a point: numbers and texts kept apart (1 is not "1"). */
function pointKey(values: readonly ParameterValue[]): string {
  return JSON.stringify(values);
}

function toSet(dims: readonly Dimension[], values: readonly ParameterValue[]): ParameterSet {
  const set: ParameterSet = {};
  for (let d = 0; d < dims.length; d++) set[dims[d]!.name] = values[d]!;
  return set;
}

/** Every point of a finite space not in `avoid`, in a seeded order. */
function listSpace(
  dims: readonly Dimension[],
  avoid: ReadonlySet<string>,
  random: SeededRandom,
): ParameterValue[][] {
  const total = dims.reduce((size, d) => size * d.size, 1);
  const points: ParameterValue[][] = [];
  for (let i = 0; i < total; i++) {
    let rest = i;
    const values: ParameterValue[] = new Array<ParameterValue>(dims.length);
    for (let d = dims.length - 1; d >= 0; d--) {
      const size = dims[d]!.size;
      values[d] = dims[d]!.value(rest % size);
      rest = Math.floor(rest / size);
    }
    if (!avoid.has(pointKey(values))) points.push(values);
  }
  shuffle(points, random);
  return points;
}

function shuffle<T>(items: T[], random: SeededRandom): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

function randomPoint(dims: readonly Dimension[], random: SeededRandom): ParameterValue[] {
  return dims.map((d) =>
    d.size === Number.POSITIVE_INFINITY
      ? d.at(random.next())
      : d.value(Math.floor(random.next() * d.size)),
  );
}

/** Uniform draws with clashes redrawn; only used where the space is far larger than `count`. */
function drawRandom(
  dims: readonly Dimension[],
  count: number,
  avoid: ReadonlySet<string>,
  random: SeededRandom,
): ParameterValue[][] {
  const taken = new Set(avoid);
  const points: ParameterValue[][] = [];
  // The space holds over 4× the points wanted, so a clash is rarer than one draw in four.
  for (let attempts = 0; points.length < count && attempts < 1_000 * count; attempts++) {
    const values = randomPoint(dims, random);
    const key = pointKey(values);
    if (taken.has(key)) continue;
    taken.add(key);
    points.push(values);
  }
  return points;
}

/**
 * A latin-hypercube design (`centred`: the grid's variant), made distinct. `slots[d][i]` is the
 * stratum of sample i along dimension d, a permutation of 0..count−1 per dimension; `jitter`
 * places it inside its stratum.
 */
function stratified(
  dims: readonly Dimension[],
  count: number,
  centred: boolean,
  avoid: ReadonlySet<string>,
  random: SeededRandom,
  listed: readonly ParameterValue[][] | null,
): ParameterValue[][] {
  const n = count;
  const slots = dims.map(() => {
    const perm = Array.from({ length: n }, (_, i) => i);
    shuffle(perm, random);
    return perm;
  });
  const jitter = dims.map(() => {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = centred ? 0.5 : random.next();
    return r;
  });
  const valueOf = (d: number, i: number): ParameterValue =>
    stratumValue(dims[d]!, slots[d]![i]!, jitter[d]![i]!, n);
  const pointOf = (i: number): ParameterValue[] => dims.map((_, d) => valueOf(d, i));

  const points = Array.from({ length: n }, (_, i) => pointOf(i));
  const keys = points.map(pointKey);
  const taken = new Set(avoid);
  // Dimensions where swapping strata can change a value.
  const swappable = dims.flatMap((d, index) => (d.size > 1 ? [index] : []));
  let listedNext = 0;

  for (let i = 0; i < n; i++) {
    if (!taken.has(keys[i]!)) {
      taken.add(keys[i]!);
      continue;
    }
    let fixed = false;
    // 1. Another place inside the same strata (latin hypercube only; the grid sits at centres).
    for (let attempt = 0; !centred && attempt < 16 && !fixed; attempt++) {
      for (let d = 0; d < dims.length; d++) jitter[d]![i] = random.next();
      points[i] = pointOf(i);
      keys[i] = pointKey(points[i]!);
      fixed = !taken.has(keys[i]!);
    }
    // 2. Swap strata with another sample along one dimension: every dimension's strata stay a
    // permutation, so the design keeps its one-per-stratum property.
    for (let attempt = 0; attempt < 256 && !fixed && swappable.length > 0 && n > 1; attempt++) {
      const d = swappable[Math.floor(random.next() * swappable.length)]!;
      const k = (i + 1 + Math.floor(random.next() * (n - 1))) % n;
      const slotD = slots[d]!;
      [slotD[i], slotD[k]] = [slotD[k]!, slotD[i]!];
      const pointI = pointOf(i);
      const pointK = pointOf(k);
      const keyI = pointKey(pointI);
      const keyK = pointKey(pointK);
      // A sample before i is already in `taken`; one after i is checked when its turn comes.
      const ok =
        k < i
          ? keyI !== keyK &&
            (!taken.has(keyI) || keyI === keys[k]) &&
            (!taken.has(keyK) || keyK === keys[k]) &&
            !avoid.has(keyI) &&
            !avoid.has(keyK)
          : !taken.has(keyI);
      if (!ok) {
        [slotD[i], slotD[k]] = [slotD[k]!, slotD[i]!];
        continue;
      }
      if (k < i) {
        taken.delete(keys[k]!);
        taken.add(keyK);
      }
      points[i] = pointI;
      keys[i] = keyI;
      points[k] = pointK;
      keys[k] = keyK;
      fixed = true;
    }
    // 3. Any free point: the space is nearly full, so the design gives way to distinctness.
    while (!fixed) {
      const candidate = listed ? listed[listedNext++] : randomPoint(dims, random);
      if (!candidate) break; // unreachable: a listed space larger than count has room
      const key = pointKey(candidate);
      if (taken.has(key)) continue;
      points[i] = candidate;
      keys[i] = key;
      fixed = true;
    }
    taken.add(keys[i]!);
  }
  return points;
}

/**
 * The value of stratum `slot` of `n` along a dimension, `r` ∈ [0, 1) placing it inside. A list
 * of L ≥ n values gives stratum j the values with indices in [⌈jL/n⌉, ⌈(j+1)L/n⌉), so index k
 * lies in stratum ⌊kn/L⌋; a shorter list maps stratum j to value ⌊jL/n⌋.
 */
function stratumValue(dim: Dimension, slot: number, r: number, n: number): ParameterValue {
  const size = dim.size;
  if (size === Number.POSITIVE_INFINITY) return dim.at((slot + r) / n);
  if (size < n) return dim.value(Math.floor((slot * size) / n));
  const lo = ceilFraction(slot, size, n);
  const hi = ceilFraction(slot + 1, size, n);
  return dim.value(lo + Math.min(hi - lo - 1, Math.floor(r * (hi - lo))));
}

/** ⌈j·L/n⌉ exactly for L up to 2⁵³ (j·L itself may not fit a double). */
function ceilFraction(j: number, size: number, n: number): number {
  const whole = Math.floor(size / n);
  const rest = size - whole * n; // < n, so j·rest < n² ≤ 10¹⁰
  return j * whole + Math.ceil((j * rest) / n);
}
