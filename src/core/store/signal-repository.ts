import type { SignalRecord } from '../engine/engine-records';
import type { Db } from './database';

/** Fired rules with their terms' values ("why it fired") of backtest runs and live variants. */
export class SignalRepository {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly listVariantStmt;

  public constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO signals (run_id, variant_id, seq, time, rule, action, order_id, terms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare('SELECT * FROM signals WHERE run_id = ? ORDER BY variant_id, seq');
    this.listVariantStmt = db.prepare(
      'SELECT * FROM signals WHERE run_id = ? AND variant_id = ? ORDER BY seq',
    );
  }

  /** Stores `signals` of run `runId` in one transaction, numbered from `firstSeq`. */
  public insert(runId: string, signals: readonly SignalRecord[], firstSeq = 0): void {
    this.db.transaction(() => {
      signals.forEach((s, i) => {
        this.insertStmt.run(
          runId,
          s.variantId,
          firstSeq + i,
          s.time,
          s.rule,
          s.action,
          s.orderId,
          JSON.stringify(s.terms),
        );
      });
    })();
  }

  /** The signals of a run (of one of its variants, if given), in the order they fired. */
  public list(runId: string, variantId?: string): SignalRecord[] {
    const rows = (
      variantId === undefined
        ? this.listStmt.all(runId)
        : this.listVariantStmt.all(runId, variantId)
    ) as Array<{
      variant_id: string;
      time: number;
      rule: SignalRecord['rule'];
      action: SignalRecord['action'];
      order_id: number | null;
      terms: string;
    }>;
    return rows.map((r) => ({
      variantId: r.variant_id,
      time: r.time,
      rule: r.rule,
      action: r.action,
      orderId: r.order_id,
      terms: JSON.parse(r.terms) as SignalRecord['terms'],
    }));
  }
}
