import type { ChartSource } from '../../../shared/chart';
import { naturalCompare } from '../layout/natural-order';
import { sourceKey, type SourceOption } from './chart-sources';

/** Curves compared when nobody picked any. */
export const DEFAULT_CURVES = 10;

/** What the comparison shows by default, and the words that say how it was chosen. */
export interface DefaultComparison {
  readonly sources: ChartSource[];
  readonly description: string;
}

/**
 * The default comparison within the selected source's group (every option when nothing is
 * selected): each main, then the variants with the best ROI so far (`roiOf`; not measured yet
 * ranks last), then the newest backtest runs, `limit` in all. The curves keep the options'
 * order (main first, natural order), so a change of rank does not reshuffle their colours.
 */
export function defaultComparison(
  options: readonly SourceOption[],
  selected: ChartSource | null,
  roiOf: (variantId: string) => number | null,
  limit = DEFAULT_CURVES,
): DefaultComparison {
  const group = options.find((o) => o.key === sourceKey(selected))?.group;
  const pool = group === undefined ? options : options.filter((o) => o.group === group);
  const mains = pool.filter((o) => o.role === 'main');
  const roi = (o: SourceOption): number | null =>
    o.source.kind === 'variant' ? roiOf(o.source.variantId) : null;
  const variants = pool
    .filter((o) => o.role === 'variant')
    .map((o) => ({ o, roi: roi(o) }))
    .sort((a, b) =>
      a.roi === b.roi
        ? naturalCompare(a.o.key, b.o.key)
        : a.roi === null
          ? 1
          : b.roi === null
            ? -1
            : b.roi - a.roi,
    )
    .map((x) => x.o);
  const runs = pool.filter((o) => o.role === undefined);
  const picked = new Set<string>();
  const take = (list: readonly SourceOption[]): number => {
    let n = 0;
    for (const o of list) {
      if (picked.size >= limit) break;
      picked.add(o.key);
      n++;
    }
    return n;
  };
  const mainCount = take(mains);
  const variantCount = take(variants);
  const runCount = take([...runs].reverse());
  const parts = [
    mainCount > 0 ? (mainCount === 1 ? 'main' : `${mainCount} mains`) : '',
    variantCount > 0
      ? `the ${variantCount} best ${variantCount === 1 ? 'variant' : 'variants'} by ROI`
      : '',
    runCount > 0 ? `the ${runCount} newest backtest ${runCount === 1 ? 'run' : 'runs'}` : '',
  ].filter((p) => p !== '');
  return {
    sources: pool.filter((o) => picked.has(o.key)).map((o) => o.source),
    description: parts.length === 0 ? 'nothing to compare yet' : parts.join(' + '),
  };
}
