import type { SignalRecord } from '../engine/engine-records';
import type { TermValue } from '../strategy';
import type { Db } from './database';
import { BatchInsert, RecordLog, type RecordStreams } from './record-batch';

/** Fired rules with their terms' values ("why it fired") of backtest runs and live variants. */
export class SignalRepository extends RecordLog {
  private readonly inserter: BatchInsert<SignalRecord>;
  private readonly listStmt;
  private readonly listVariantStmt;

  /** `streams`: shared with the other record repositories of one writer, which resets it per batch. */
  public constructor(db: Db, streams?: RecordStreams) {
    super(db, streams);
    this.inserter = new BatchInsert(db, 'signal_log', [
      'run',
      'stream',
      'seq',
      'time',
      'rule',
      'action',
      'order_id',
      'texts_id',
      'term_values',
    ]);
    this.listStmt = db.prepare('SELECT * FROM signals WHERE run_id = ? ORDER BY variant_id, seq');
    this.listVariantStmt = db.prepare(
      'SELECT * FROM signals WHERE run_id = ? AND variant_id = ? ORDER BY seq',
    );
  }

  /** Stores `signals` of run `runId` in one transaction, numbered from `firstSeq`. */
  public insert(runId: string, signals: readonly SignalRecord[], firstSeq = 0): void {
    if (signals.length === 0) return;
    this.inTransaction(() => this.write(runId, signals, firstSeq));
  }

  /**
   * Writes `signals` like {@link insert}, in the caller's transaction and without a savepoint of
   * its own (a savepoint copies every page it changes): the batch writer's path.
   */
  public write(runId: string, signals: readonly SignalRecord[], firstSeq = 0): void {
    if (signals.length === 0) return;
    const run = this.streams.runKey(runId);
    this.inserter.run(signals, (a, at, s, i) => {
      a[at] = run;
      a[at + 1] = this.streams.streamKey(runId, s.variantId);
      a[at + 2] = firstSeq + i;
      a[at + 3] = s.time;
      a[at + 4] = s.rule;
      a[at + 5] = s.action;
      a[at + 6] = s.orderId;
      a[at + 7] = this.streams.textsKey(s.termTexts);
      // NaN and ±∞ become null, as JSON has them.
      a[at + 8] = JSON.stringify(s.termValues);
    });
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
    return rows.map((r) => {
      const terms = JSON.parse(r.terms) as TermValue[];
      return {
        variantId: r.variant_id,
        time: r.time,
        rule: r.rule,
        action: r.action,
        orderId: r.order_id,
        termTexts: terms.map((t) => t.text),
        termValues: terms.map((t) => t.value),
      };
    });
  }
}
