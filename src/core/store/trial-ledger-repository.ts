import type { Db } from './database';
import { sqlStatement, type SqlStatement } from './store-commit';
import type { StoredParameters } from './live-strategy-repository';

/** One parameter set the ledger holds. */
export interface StoredTrial {
  readonly ledgerKey: string;
  /** The canonical text of the parameters: the ledger's identity of a trial. */
  readonly parameterKey: string;
  readonly parameters: StoredParameters;
  readonly source: 'live' | 'backtest';
  readonly firstSeen: number;
  readonly perPeriodSharpe: number | null;
}

/**
 * The same parameter values always give the same key, whatever order their names came in and
 * whether defaults were spelled out (callers pass the fully resolved values).
 */
export function parameterKey(parameters: StoredParameters): string {
  const names = Object.keys(parameters).sort();
  return JSON.stringify(names.map((n) => [n, parameters[n]]));
}

/**
 * The trial ledger: every parameter set ever evaluated for a strategy definition, live or in a
 * backtest, once each (the first source is kept); its count is the N of the Deflated Sharpe
 * Ratio and the per-period Sharpes of its latest evaluations give V.
 */
export class TrialLedgerRepository {
  private readonly insertStmt;
  private readonly sharpeStmt;
  private readonly listStmt;

  public constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO trial_ledger (ledger_key, parameter_key, parameters, source,
         first_seen, per_period_sharpe) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.sharpeStmt = db.prepare(
      `UPDATE trial_ledger SET per_period_sharpe = ? WHERE ledger_key = ? AND parameter_key = ?`,
    );
    this.listStmt = db.prepare(
      'SELECT * FROM trial_ledger WHERE ledger_key = ? ORDER BY first_seen, parameter_key',
    );
  }

  /** Adds a trial unless the set is already there. @returns whether it was new. */
  public add(
    ledgerKey: string,
    parameters: StoredParameters,
    source: 'live' | 'backtest',
    time: number,
    perPeriodSharpe: number | null = null,
  ): boolean {
    const key = parameterKey(parameters);
    const added =
      this.insertStmt.run(ledgerKey, key, JSON.stringify(parameters), source, time, perPeriodSharpe)
        .changes > 0;
    if (!added && perPeriodSharpe !== null) this.sharpeStmt.run(perPeriodSharpe, ledgerKey, key);
    return added;
  }

  /** The latest evaluation's per-period Sharpe of a trial. */
  public setSharpe(ledgerKey: string, key: string, perPeriodSharpe: number | null): void {
    this.sharpeStmt.run(perPeriodSharpe, ledgerKey, key);
  }

  /** {@link setSharpe} as a statement of a commit. */
  public setSharpeLater(
    ledgerKey: string,
    key: string,
    perPeriodSharpe: number | null,
  ): SqlStatement {
    return sqlStatement(this.sharpeStmt, [perPeriodSharpe, ledgerKey, key]);
  }

  public list(ledgerKey: string): StoredTrial[] {
    const rows = this.listStmt.all(ledgerKey) as Array<{
      ledger_key: string;
      parameter_key: string;
      parameters: string;
      source: 'live' | 'backtest';
      first_seen: number;
      per_period_sharpe: number | null;
    }>;
    return rows.map((r) => ({
      ledgerKey: r.ledger_key,
      parameterKey: r.parameter_key,
      parameters: JSON.parse(r.parameters) as StoredParameters,
      source: r.source,
      firstSeen: r.first_seen,
      perPeriodSharpe: r.per_period_sharpe,
    }));
  }
}
