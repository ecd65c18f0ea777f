import type { PromotionAuditRow, PromotionDecision } from '../../shared/variants';
import type { Db } from './database';
import type { StoredParameters } from './live-strategy-repository';

interface AuditRow {
  audit_id: number;
  strategy_id: string;
  variant_id: string;
  time: number;
  by: 'person' | 'auto';
  was_candidate: number;
  before_parameters: string;
  after_parameters: string;
  decision: string;
  version_before: number;
  version_after: number;
}

const toAudit = (r: AuditRow): PromotionAuditRow => ({
  auditId: r.audit_id,
  strategyId: r.strategy_id,
  variantId: r.variant_id,
  time: r.time,
  by: r.by,
  wasCandidate: r.was_candidate !== 0,
  before: JSON.parse(r.before_parameters) as StoredParameters,
  after: JSON.parse(r.after_parameters) as StoredParameters,
  decision: JSON.parse(r.decision) as PromotionDecision,
  versionBefore: r.version_before,
  versionAfter: r.version_after,
});

/** Every promotion: when, by whom, main's parameters before and after, and the gate's decision. */
export class PromotionAuditRepository {
  public constructor(private readonly db: Db) {}

  public insert(row: Omit<PromotionAuditRow, 'auditId'>): PromotionAuditRow {
    const info = this.db
      .prepare(
        `INSERT INTO promotion_audit (strategy_id, variant_id, time, by, was_candidate,
           before_parameters, after_parameters, decision, version_before, version_after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.strategyId,
        row.variantId,
        row.time,
        row.by,
        row.wasCandidate ? 1 : 0,
        JSON.stringify(row.before),
        JSON.stringify(row.after),
        JSON.stringify(row.decision),
        row.versionBefore,
        row.versionAfter,
      );
    return { ...row, auditId: Number(info.lastInsertRowid) };
  }

  /** Oldest first; one strategy's, or all. */
  public list(strategyId?: string): PromotionAuditRow[] {
    const rows = (
      strategyId === undefined
        ? this.db.prepare('SELECT * FROM promotion_audit ORDER BY audit_id').all()
        : this.db
            .prepare('SELECT * FROM promotion_audit WHERE strategy_id = ? ORDER BY audit_id')
            .all(strategyId)
    ) as AuditRow[];
    return rows.map(toAudit);
  }
}
