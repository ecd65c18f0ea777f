import { trialStats, type TrialLedgerStats } from '../metrics/trial-ledger-stats';
import type { StoredParameters } from '../store/live-strategy-repository';
import {
  parameterKey,
  TrialLedgerRepository,
  type StoredTrial,
} from '../store/trial-ledger-repository';
import type { Db } from '../store/database';
import type { SqlStatement } from '../store/store-commit';

/**
 * The trial ledger with its N and V at hand: the repository plus, per ledger, each trial's latest
 * per-period Sharpe in memory, so the DSR of a thousand variants can be deflated several times a
 * second without reading the table.
 */
export class TrialLedger {
  private readonly repo: TrialLedgerRepository;
  private readonly sharpes = new Map<string, Map<string, number | null>>();
  /**
   * Each parameter object's key, computed once: a tick updates every variant's Sharpe, and a
   * variant's parameters are replaced (never changed in place) when they change.
   */
  private readonly keys = new WeakMap<StoredParameters, string>();

  public constructor(db: Db) {
    this.repo = new TrialLedgerRepository(db);
  }

  /** Records a parameter set (once per ledger). @returns whether it was new. */
  public add(
    ledgerKey: string,
    parameters: StoredParameters,
    source: 'live' | 'backtest',
    time: number,
    perPeriodSharpe: number | null = null,
  ): boolean {
    const added = this.repo.add(ledgerKey, parameters, source, time, perPeriodSharpe);
    const cache = this.cache(ledgerKey);
    const key = parameterKey(parameters);
    if (added || perPeriodSharpe !== null) {
      cache.set(key, perPeriodSharpe ?? cache.get(key) ?? null);
      this.stats_.delete(ledgerKey);
    }
    return added;
  }

  /** A live trial's latest per-period Sharpe (kept in memory; {@link persist} stores it). */
  public updateSharpe(
    ledgerKey: string,
    parameters: StoredParameters,
    sharpe: number | null,
  ): void {
    const cache = this.cache(ledgerKey);
    const key = this.keyOf(parameters);
    if (!cache.has(key)) return;
    if (sharpe !== null && !Number.isFinite(sharpe)) return;
    if (cache.get(key) === sharpe) return;
    cache.set(key, sharpe);
    this.stats_.delete(ledgerKey);
    this.dirty.add(`${ledgerKey}\u0000${key}`);
  }

  private keyOf(parameters: StoredParameters): string {
    let key = this.keys.get(parameters);
    if (key === undefined) {
      key = parameterKey(parameters);
      this.keys.set(parameters, key);
    }
    return key;
  }

  /**
   * Writes the Sharpes changed since the last call: now, or as statements added to `into` (the
   * manager's commit).
   */
  public persist(into?: SqlStatement[]): void {
    for (const entry of this.dirty) {
      const [ledgerKey, key] = entry.split('\u0000') as [string, string];
      const sharpe = this.sharpes.get(ledgerKey)?.get(key) ?? null;
      if (into !== undefined) into.push(this.repo.setSharpeLater(ledgerKey, key, sharpe));
      else this.repo.setSharpe(ledgerKey, key, sharpe);
    }
    this.dirty.clear();
  }

  /**
   * N (every trial) and V (variance of the known per-period Sharpes) of a ledger. The Sharpes
   * are summed in ascending order, not in the map's: a ledger read back from the table lists
   * its trials in another order than they were added, and V must not move in its last bits
   * across a restart.
   */
  public stats(ledgerKey: string): TrialLedgerStats {
    let stats = this.stats_.get(ledgerKey);
    if (stats === undefined) {
      const cache = this.cache(ledgerKey);
      const known: number[] = [];
      for (const s of cache.values()) if (s !== null) known.push(s);
      known.sort((a, b) => a - b);
      stats = trialStats(known, cache.size);
      this.stats_.set(ledgerKey, stats);
    }
    return stats;
  }

  public count(ledgerKey: string): number {
    return this.cache(ledgerKey).size;
  }

  public list(ledgerKey: string): StoredTrial[] {
    this.persist();
    return this.repo.list(ledgerKey);
  }

  private readonly dirty = new Set<string>();
  /** {@link stats} per ledger until one of its trials changes. */
  private readonly stats_ = new Map<string, TrialLedgerStats>();

  private cache(ledgerKey: string): Map<string, number | null> {
    let cache = this.sharpes.get(ledgerKey);
    if (cache === undefined) {
      cache = new Map(this.repo.list(ledgerKey).map((t) => [t.parameterKey, t.perPeriodSharpe]));
      this.sharpes.set(ledgerKey, cache);
    }
    return cache;
  }
}
