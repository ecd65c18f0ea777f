/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), giving up once it exceeds
 * `limit`, so a hostile 10,000-character name costs little.
 */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let cur = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[cols - 1] ?? limit + 1;
}

/**
 * The candidate closest to `name` (case differences count as nearly equal), or undefined when
 * nothing is close enough to be a plausible typo.
 */
export function suggestClosest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  // One- and two-letter names are too short for a typo guess to mean anything.
  const limit = name.length < 3 ? 0 : Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // Equal but for case is nearly a match; a cut-short name (`sig` for `signal`) is a likely one.
    const score =
      other === lower
        ? 0.5
        : lower.length >= 2 && other.startsWith(lower)
          ? 1
          : editDistance(lower, other, limit);
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** " — did you mean `x`?" or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>, prefix = ''): string {
  const s = suggestClosest(name, candidates);
  return s === undefined ? '' : ` — did you mean \`${prefix}${s}\`?`;
}
