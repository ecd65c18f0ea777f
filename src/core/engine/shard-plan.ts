/** One variant as the planner sees it: its index and the keys of the indicators it reads. */
export interface ShardCandidate {
  readonly indicatorKeys: readonly string[];
}

/**
 * Splits variants into `shards` groups of near-equal size (the per-variant work dominates: each
 * variant has its own rules, account and metrics) while keeping variants that read the same
 * indicators together, so that shared indicators stay shared within a shard and are computed
 * once there rather than once per shard.
 *
 * Deterministic: variants with the same indicator set form a cluster; clusters go, largest
 * first, to the shard with room that already holds most of their indicators (ties: the least
 * loaded, then the lowest index); a cluster larger than the room left is split.
 * @returns for each shard, the indices of its variants in ascending order (empty shards dropped).
 */
export function planShards(variants: readonly ShardCandidate[], shards: number): number[][] {
  const count = Math.max(1, Math.min(Math.floor(shards), variants.length));
  if (variants.length === 0) return [];
  const clusters = new Map<string, { keys: readonly string[]; members: number[] }>();
  variants.forEach((v, i) => {
    const keys = [...new Set(v.indicatorKeys)].sort();
    const signature = keys.join('\u0000');
    let cluster = clusters.get(signature);
    if (cluster === undefined) clusters.set(signature, (cluster = { keys, members: [] }));
    cluster.members.push(i);
  });
  const ordered = [...clusters.values()].sort(
    (a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!,
  );
  const capacity = Math.ceil(variants.length / count);
  const plan = Array.from({ length: count }, () => ({
    members: [] as number[],
    keys: new Set<string>(),
  }));
  for (const cluster of ordered) {
    let pending = cluster.members;
    while (pending.length > 0) {
      let best = -1;
      let bestOverlap = -1;
      for (let s = 0; s < count; s++) {
        const shard = plan[s]!;
        if (shard.members.length >= capacity) continue;
        const overlap = cluster.keys.reduce((n, k) => n + (shard.keys.has(k) ? 1 : 0), 0);
        if (
          overlap > bestOverlap ||
          (overlap === bestOverlap && shard.members.length < plan[best]!.members.length)
        ) {
          best = s;
          bestOverlap = overlap;
        }
      }
      const shard = plan[best]!;
      const take = pending.slice(0, capacity - shard.members.length);
      pending = pending.slice(take.length);
      shard.members.push(...take);
      for (const k of cluster.keys) shard.keys.add(k);
    }
  }
  return plan.filter((s) => s.members.length > 0).map((s) => s.members.sort((a, b) => a - b));
}
