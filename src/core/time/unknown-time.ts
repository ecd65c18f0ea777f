/**
 * Hot-path state keeps a time that is not known yet as NaN, not null: a field that only ever
 * holds numbers stores them in place, one that may hold null boxes every new time (an allocation
 * per bar per variant). APIs, records and checkpoints speak null.
 */
export function timeOrNull(time: number): number | null {
  return Number.isNaN(time) ? null : time;
}
